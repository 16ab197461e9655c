/**
 * Desktop notifications in the web host (the Electron app shows its own from the main process): the browser's
 * Notification API, one per new camera mail and per refused client. Permission is asked only on a click (browsers
 * ignore or block requests made without a user gesture), and the choice to be told is remembered in this browser.
 */
import { Button, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { i18n } from '../../i18n';
import { useTranslation } from 'react-i18next';

const KEY = 'sarix.relay.notify';

/** Whether this page runs in the web host (no preload api) and the browser can notify. */
export function canNotifyInBrowser(): boolean {
  return !window.api && typeof Notification !== 'undefined';
}

function isWanted(): boolean {
  return localStorage.getItem(KEY) === 'on' && typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** Mounted once in the shell: turns relay events into browser notifications while the technician wants them. */
export function RelayWebNotifier() {
  useEffect(() => {
    if (!canNotifyInBrowser()) return;
    const show = (title: string, body: string, tag: string) => {
      if (!isWanted()) return;
      try {
        const n = new Notification(title, { body, tag });
        n.onclick = () => {
          window.focus();
          location.hash = '#/relay';
          n.close();
        };
      } catch {
        // Some browsers only allow notifications from a service worker; the in-page badges still update.
      }
    };
    const offs = [
      api.onRelayMessageReceived((m) => show(i18n.t('relay.notify.mailFrom', { camera: m.identity?.displayName ?? m.camera ?? m.clientIp }), m.subject || i18n.t('common.noSubject'), `mail-${m.id}`)),
      api.onRelaySessionRefused((r) => show(i18n.t('relay.notify.refused', { camera: r.camera ?? r.clientIp }), i18n.t('relay.notify.refusedBody', { ip: r.clientIp }), `refused-${r.clientIp}`)),
    ];
    return () => offs.forEach((o) => o());
  }, []);
  return null;
}

/** The switch for browser notifications: asks for permission on the click itself. */
export function WebNotificationToggle() {
  const { t } = useTranslation();
  const [state, setState] = useState<'on' | 'off' | 'denied' | 'unsupported'>(() =>
    !canNotifyInBrowser() ? 'unsupported' : Notification.permission === 'denied' ? 'denied' : isWanted() ? 'on' : 'off',
  );
  if (state === 'unsupported') return null;
  if (state === 'denied') {
    return (
      <Text size="xs" c="dimmed" data-testid="web-notify-state">
        {t('relay.notify.blocked')}
      </Text>
    );
  }
  const toggle = async () => {
    if (state === 'on') {
      localStorage.setItem(KEY, 'off');
      setState('off');
      return;
    }
    const p = await Notification.requestPermission();
    if (p === 'granted') {
      localStorage.setItem(KEY, 'on');
      setState('on');
    } else setState(p === 'denied' ? 'denied' : 'off');
  };
  return (
    <Button size="xs" variant={state === 'on' ? 'light' : 'default'} onClick={() => void toggle()} data-testid="web-notify-toggle">
      {state === 'on' ? t('relay.notify.on') : t('relay.notify.off')}
    </Button>
  );
}
