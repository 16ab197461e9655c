/**
 * Telling the technician while they walk the site and the relay listens: a desktop notification for each new
 * camera mail and each refused client (a burst becomes a few notifications and one summary), a tray icon whose
 * tooltip reads "relay running · N new · M queued" with a menu to open the window or quit, and closing the window
 * keeps the app (and the relay) running in the tray, saying so the first time. When the relay does not run,
 * closing the window quits as before.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { app, Menu, nativeImage, Notification, Tray, type BrowserWindow, type Event as ElectronEvent } from 'electron';
import type { InboxCounts } from '../../shared/domain/relay-inbox';
import { translate } from '../../shared/i18n/i18n';
import type { Language } from '../../shared/i18n/languages';
import type { RelayState } from '../../shared/domain/relay';
import type { Logger } from '../services/common/logger';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../services/common/private-files';
import type { RelayService } from '../services/relay/index';
import { trayIconPng, type TrayIconState } from './tray-icon';

/** What the desktop glue needs. */
export interface RelayDesktopOptions {
  relay: Pick<RelayService, 'events' | 'getState' | 'getCounts'>;
  /** Shows (and focuses) the main window, opening one if none is open. */
  showWindow(): Promise<void>;
  /** Quits the app for real (the lifecycle stops the services first). */
  quit(): void;
  /** A marker file: once it exists, the "still running in the tray" hint is not shown again. */
  hintFile: string;
  log: Logger;
  /** Notifications per burst window before they are summed up (default 3 per 10 s). */
  burst?: { max: number; windowMs: number };
  /** The language of the tray and the notifications, read each time (the app menu's: Settings, else the system's). */
  language?: () => Language;
}

/** The tray's tooltip: whether the relay runs, how much mail is new, how much waits to be forwarded. */
export function trayTooltip(state: Pick<RelayState, 'status'>, counts: Pick<InboxCounts, 'unread' | 'queued' | 'refusedSessions'> | null, language: Language = 'en'): string {
  const t = (key: string, n?: number) => translate(language, key, n === undefined ? undefined : { n: String(n) });
  if (state.status !== 'listening') return `Sarix Commissioner · ${t('desktop.tray.stopped')}`;
  const parts = [t('desktop.tray.running'), t('desktop.tray.new', counts?.unread ?? 0), t('desktop.tray.queued', counts?.queued ?? 0)];
  if (counts?.refusedSessions) parts.push(t('desktop.tray.refused', counts.refusedSessions));
  return `Sarix Commissioner · ${parts.join(' · ')}`;
}

/** The hint shown the first time the window closes into the tray. */
export const TRAY_HINT = translate('en', 'desktop.notify.trayHint');

/** Wires notifications, the tray and close-to-tray; returns the function that undoes it. */
export function wireRelayDesktop(o: RelayDesktopOptions): () => void {
  const burst = o.burst ?? { max: 3, windowMs: 10_000 };
  let counts: InboxCounts | null = null;
  let isQuitting = false;
  let tray: Tray | null = null;
  const canNotify = Notification.isSupported();
  const language = () => o.language?.() ?? 'en';
  const t = (key: string, params?: Record<string, string>) => translate(language(), key, params);

  const notify = (title: string, body: string) => {
    if (!canNotify) return;
    try {
      const n = new Notification({ title, body });
      n.on('click', () => void o.showWindow().catch(() => undefined));
      n.show();
    } catch (e) {
      o.log.warn('desktop notification failed', e instanceof Error ? e.message : String(e));
    }
  };

  // A burst (a camera storm, a test of 100 mails) gives `max` notifications and then one summary at the window's end.
  let shown = 0;
  let held = 0;
  let windowTimer: NodeJS.Timeout | undefined;
  const mailNotice = (title: string, body: string) => {
    if (!windowTimer) {
      windowTimer = setTimeout(() => {
        windowTimer = undefined;
        if (held) notify(t('desktop.notify.moreMail', { n: String(held) }), t('desktop.notify.moreMailBody'));
        shown = 0;
        held = 0;
      }, burst.windowMs);
      windowTimer.unref();
    }
    if (shown < burst.max) {
      shown++;
      notify(title, body);
    } else held++;
  };
  const lastRefusal = new Map<string, number>();

  const refreshTray = () => {
    if (!tray) return;
    const state = o.relay.getState();
    const iconState: TrayIconState = state.status !== 'listening' ? 'stopped' : counts && (counts.unread > 0 || counts.refusedSessions > 0) ? 'news' : 'listening';
    tray.setImage(nativeImage.createFromBuffer(trayIconPng(iconState)));
    const tooltip = trayTooltip(state, counts, language());
    tray.setToolTip(tooltip);
    if (process.platform === 'darwin') tray.setTitle(counts?.unread ? String(counts.unread) : '');
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: tooltip.replace(/^Sarix Commissioner · /, ''), enabled: false },
        { type: 'separator' },
        { label: t('desktop.tray.open'), click: () => void o.showWindow().catch(() => undefined) },
        { type: 'separator' },
        { label: t('desktop.tray.quit'), click: () => o.quit() },
      ]),
    );
  };

  try {
    tray = new Tray(nativeImage.createFromBuffer(trayIconPng('stopped')));
    tray.on('click', () => void o.showWindow().catch(() => undefined));
  } catch (e) {
    // Some Linux desktops have no tray (no StatusNotifier host): notifications still work, closing quits.
    o.log.warn('no tray icon on this desktop', e instanceof Error ? e.message : String(e));
    tray = null;
  }
  refreshTray();
  void o.relay.getCounts().then(
    (c) => {
      counts = c;
      refreshTray();
    },
    () => undefined,
  );

  const offs = [
    o.relay.events.on('message-received', (m) => mailNotice(t('desktop.notify.mailFrom', { camera: m.identity?.displayName ?? m.camera ?? m.clientIp }), m.subject || t('common.noSubject'))),
    o.relay.events.on('session-refused', (r) => {
      // One per address per minute: a client knocking again and again is one finding.
      const now = Date.now();
      if ((lastRefusal.get(r.clientIp) ?? 0) > now - 60_000) return;
      lastRefusal.set(r.clientIp, now);
      notify(t('desktop.notify.refused', { camera: r.camera ?? r.clientIp }), t('desktop.notify.refusedBody', { ip: r.clientIp }));
    }),
    o.relay.events.on('inbox-changed', (c) => {
      counts = c;
      refreshTray();
    }),
    o.relay.events.on('state-changed', () => refreshTray()),
  ];

  const onBeforeQuit = () => {
    isQuitting = true;
  };
  // Closing the window while the relay listens hides it to the tray; the relay goes on receiving mail.
  const onWindow = (_e: ElectronEvent, win: BrowserWindow) => {
    win.on('close', (event) => {
      if (isQuitting || !tray || o.relay.getState().status !== 'listening') return;
      event.preventDefault();
      win.hide();
      if (existsSync(o.hintFile)) return;
      notify(t('desktop.notify.trayTitle'), t('desktop.notify.trayHint'));
      try {
        ensurePrivateDir(dirname(o.hintFile));
        writeFileSync(o.hintFile, new Date().toISOString(), { mode: PRIVATE_FILE_MODE });
      } catch (err) {
        o.log.warn('could not remember the tray hint', String(err));
      }
    });
  };
  app.on('before-quit', onBeforeQuit);
  app.on('browser-window-created', onWindow);

  return () => {
    offs.forEach((off) => off());
    app.off('before-quit', onBeforeQuit);
    app.off('browser-window-created', onWindow);
    if (windowTimer) clearTimeout(windowTimer);
    tray?.destroy();
    tray = null;
  };
}
