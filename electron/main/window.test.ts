import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electronModule from 'electron';
import { silentLogger } from '../services/common/logger';
import type { FakeElectron, FakeBrowserWindow } from './fake-electron';
import { APP_ENTRY_URL } from './app-protocol';
import { hardenSession, hardenWebContents, safeExternalUrl } from './security';
import { TrustedWindows } from './trusted-windows';
import { createMainWindow } from './window';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = electronModule as unknown as FakeElectron;

const preventable = () => ({ preventDefault: vi.fn() });

async function openWindow(): Promise<{ win: FakeBrowserWindow; trusted: TrustedWindows }> {
  const trusted = new TrustedWindows();
  const win = (await createMainWindow({ preloadPath: '/app/out/preload/index.cjs', trusted, log: silentLogger })) as unknown as FakeBrowserWindow;
  return { win, trusted };
}

describe('createMainWindow', () => {
  beforeEach(() => {
    electron.BrowserWindow.instances.length = 0;
    electron.shell.openExternal.mockClear();
  });

  it('builds the window with the hardened webPreferences and loads app://', async () => {
    const { win, trusted } = await openWindow();
    expect(electron.BrowserWindow.instances).toHaveLength(1);
    const wp = win.options.webPreferences!;
    expect(wp).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
      navigateOnDragDrop: false,
      devTools: false,
    });
    expect(wp).not.toHaveProperty('enableBlinkFeatures');
    expect(win.webContents.url).toBe(APP_ENTRY_URL);
    expect(trusted.has(win.webContents as never)).toBe(true);
  });

  it('denies every navigation; https targets go to the OS browser, app:// ones nowhere', async () => {
    const { win } = await openWindow();
    for (const url of ['https://evil.example/', 'http://192.0.2.10/', 'file:///etc/passwd', 'app://sarix/other.html']) {
      const ev = preventable();
      win.webContents.emit('will-navigate', ev, url);
      expect(ev.preventDefault).toHaveBeenCalledOnce();
    }
    expect(electron.shell.openExternal.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['https://evil.example/']);
    const redirect = preventable();
    win.webContents.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.preventDefault).toHaveBeenCalledOnce();
  });

  it('denies window.open and opens only safe https links externally', async () => {
    const { win } = await openWindow();
    const handler = win.webContents.windowOpenHandler!;
    expect(handler).toBeTypeOf('function');
    for (const url of ['https://docs.example/manual', 'http://docs.example/', 'https://user:pw@docs.example/', 'javascript:alert(1)', 'app://sarix/index.html', 'not a url']) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    expect(electron.shell.openExternal.mock.calls.map((c) => (c as unknown[])[0])).toEqual(['https://docs.example/manual']);
  });

  it('hardens a webContents only once, so a link opens once even when both hooks ran', async () => {
    const { win } = await openWindow();
    hardenWebContents(win.webContents as never, silentLogger);
    win.webContents.emit('will-navigate', preventable(), 'https://docs.example/');
    expect(electron.shell.openExternal).toHaveBeenCalledOnce();
    expect(win.webContents.listenerCount('will-navigate')).toBe(1);
  });

  it('prevents webviews from attaching', async () => {
    const { win } = await openWindow();
    const ev = preventable();
    win.webContents.emit('will-attach-webview', ev, {}, {});
    expect(ev.preventDefault).toHaveBeenCalledOnce();
  });

  it('drops the window from the trusted set when it is destroyed', async () => {
    const { win, trusted } = await openWindow();
    win.webContents.destroy();
    expect(trusted.has(win.webContents as never)).toBe(false);
    expect(trusted.all()).toEqual([]);
  });
});

describe('hardenSession', () => {
  it('denies every permission request, check and device permission', () => {
    const s = electron.session.defaultSession;
    hardenSession(s as never);
    const request = s.setPermissionRequestHandler.mock.calls[0][0] as (wc: unknown, p: string, cb: (ok: boolean) => void) => void;
    for (const perm of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      const cb = vi.fn();
      request({}, perm, cb);
      expect(cb).toHaveBeenCalledWith(false);
    }
    const check = s.setPermissionCheckHandler.mock.calls[0][0] as (wc: unknown, p: string, origin: string) => boolean;
    expect(check(null, 'media', 'app://sarix')).toBe(false);
    const device = s.setDevicePermissionHandler.mock.calls[0][0] as (d: unknown) => boolean;
    expect(device({ deviceType: 'usb', origin: 'app://sarix' })).toBe(false);
  });
});

describe('safeExternalUrl', () => {
  it.each([
    ['https://example.com/a?b=c#d', 'https://example.com/a?b=c#d'],
    ['HTTPS://Example.COM', 'https://example.com/'],
    ['http://example.com/', null],
    ['https://user@example.com/', null],
    ['https://:secret@example.com/', null],
    ['file:///etc/passwd', null],
    ['smb://server/share', null],
    ['javascript:alert(1)', null],
    ['', null],
    ['https://' + 'a'.repeat(3000) + '.com', null],
  ])('%s → %s', (input, expected) => {
    expect(safeExternalUrl(input)).toBe(expected);
  });
});
