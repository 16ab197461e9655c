/**
 * Security policy shared by every window and session: navigation, new windows, webviews and permissions are
 * denied (Electron security checklist #5, #12–#14); https links leave the app only through the OS browser.
 */
import { shell, type Session, type WebContents } from 'electron';
import type { Logger } from '../services/common/logger';
import { APP_ORIGIN } from './app-protocol';

/**
 * The URL to hand to the OS browser, or null when it must not leave the app: https only, a host is required,
 * and no user name or password in it (those are a classic phishing and credential-leak vector).
 */
export function safeExternalUrl(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || !url.hostname || url.username !== '' || url.password !== '') return null;
  return url.href;
}

/** Opens an https link in the OS browser after the URL check; returns whether it was opened. */
export function openExternalIfSafe(raw: string, log: Logger): boolean {
  const href = safeExternalUrl(raw);
  if (!href) {
    log.warn('refused to open a link outside the app (only plain https links are allowed)', { url: String(raw).slice(0, 200) });
    return false;
  }
  shell.openExternal(href).catch((e: unknown) => log.warn('the OS browser did not open the link', { url: href, error: String(e) }));
  return true;
}

const hardened = new WeakSet<WebContents>();

/**
 * Locks down one webContents: no navigation away from the loaded page, no new windows (https links go to the OS
 * browser instead), no webviews, no redirects. Applied to every webContents the app ever creates.
 */
export function hardenWebContents(contents: WebContents, log: Logger): void {
  // Both the window factory and the global web-contents-created hook call this; listeners must not double up
  // (a link would otherwise open twice in the OS browser).
  if (hardened.has(contents)) return;
  hardened.add(contents);
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn('blocked a navigation', { url: String(url).slice(0, 200) });
    if (!String(url).startsWith(APP_ORIGIN + '/')) openExternalIfSafe(url, log);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log.warn('blocked a redirect', { url: String(url).slice(0, 200) });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a webview');
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternalIfSafe(url, log);
    return { action: 'deny' };
  });
}

/** Denies every permission request and check (camera, geolocation, notifications, HID, ...) in a session. */
export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
