/**
 * Desktop notifications in the web host (the Electron app shows its own from the main process): the browser's
 * Notification API, one per new camera mail and per refused client. Permission is asked only on a click (browsers
 * ignore or block requests made without a user gesture), and the choice to be told is remembered in this browser.
 */
import { Button, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { api } from '../../api';

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
      api.onRelayMessageReceived((m) => show(`Camera mail from ${m.identity?.displayName ?? m.camera ?? m.clientIp}`, m.subject || '(no subject)', `mail-${m.id}`)),
      api.onRelaySessionRefused((r) => show(`Relay refused ${r.camera ?? r.clientIp}`, `${r.clientIp} is not on the allow-list. Open the relay to allow it.`, `refused-${r.clientIp}`)),
    ];
    return () => offs.forEach((o) => o());
  }, []);
  return null;
}

/** The switch for browser notifications: asks for permission on the click itself. */
export function WebNotificationToggle() {
  const [state, setState] = useState<'on' | 'off' | 'denied' | 'unsupported'>(() =>
    !canNotifyInBrowser() ? 'unsupported' : Notification.permission === 'denied' ? 'denied' : isWanted() ? 'on' : 'off',
  );
  if (state === 'unsupported') return null;
  if (state === 'denied') {
    return (
      <Text size="xs" c="dimmed" data-testid="web-notify-state">
        This browser blocks notifications from the app; allow them in the site settings to be told about new camera mail.
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
      {state === 'on' ? 'Desktop notifications on' : 'Tell me about new camera mail'}
    </Button>
  );
}
