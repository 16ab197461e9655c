import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as electronModule from 'electron';
import electronLog from 'electron-log/main';
import { requestChannels } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/result';
import { APP_ENTRY_URL } from './app-protocol';
import { bootstrapElectron, builtPaths } from './bootstrap';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
vi.mock('electron-log/main', () => {
  const scoped = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  return { default: { scope: () => scoped, transports: { file: {}, console: {} } } };
});
// electron-updater must not even be loaded at start-up (the app never phones home on its own).
const updaterLoaded = vi.fn();
vi.mock('electron-updater', () => {
  updaterLoaded();
  return { autoUpdater: {} };
});
const electron = electronModule as unknown as FakeElectron;
const userData = mkdtempSync(join(tmpdir(), 'electron-main-boot-'));
// Practice mode off: this test is about wiring, and must not start the practice camera or a relay on a port.
writeFileSync(join(userData, 'settings.json'), JSON.stringify({ settings: { practiceMode: false } }));
afterAll(() => rmSync(userData, { recursive: true, force: true }));

describe('bootstrapElectron', () => {
  it('enables the sandbox and registers the scheme before ready, hardens the session, wires IPC and opens one hardened window', async () => {
    electron.app.getPath.mockReturnValue(userData);
    const order: string[] = [];
    electron.app.enableSandbox.mockImplementation(() => order.push('sandbox'));
    electron.protocol.registerSchemesAsPrivileged.mockImplementation(() => order.push('scheme'));
    electron.app.whenReady.mockImplementation(async () => {
      order.push('ready');
    });
    await bootstrapElectron();
    const logged = (electronLog as unknown as { scope: () => { error: { mock: { calls: unknown[][] } } } }).scope().error.mock.calls;
    expect(electron.app.exit, `bootstrap gave up: ${JSON.stringify(logged)}`).not.toHaveBeenCalled();
    expect(order).toEqual(['sandbox', 'scheme', 'ready']);
    expect(electron.crashReporter.start).toHaveBeenCalledWith(expect.objectContaining({ uploadToServer: false }));
    expect(electron.Menu.setApplicationMenu).toHaveBeenCalledOnce();
    expect(updaterLoaded).not.toHaveBeenCalled();
    expect(electron.nativeTheme.themeSource).toBe('system');

    const s = electron.session.defaultSession;
    expect(s.setPermissionRequestHandler).toHaveBeenCalledOnce();
    expect(s.setPermissionCheckHandler).toHaveBeenCalledOnce();
    expect(s.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
    expect(electron.app.listenerCount('web-contents-created')).toBe(1);
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...requestChannels].sort());

    expect(electron.BrowserWindow.instances).toHaveLength(1);
    // The relay's tray icon is up (relay-desktop.ts): the app can live in the tray while the relay listens.
    expect(electron.Tray.instances).toHaveLength(1);
    expect(electron.Tray.instances[0].tooltip).toMatch(/^Sarix Commissioner · relay (stopped|running)/);
    const win = electron.BrowserWindow.instances[0];
    expect(win.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, preload: expect.stringMatching(/preload[\\/]index\.cjs$/) });
    expect(win.webContents.url).toBe(APP_ENTRY_URL);

    const info = (await electron.ipcMain.handlers.get('app:get-info')!({ sender: win.webContents, senderFrame: { url: APP_ENTRY_URL, parent: null } }, {})) as Result<{ hostKind: string; userDataPath: string }>;
    expect(info).toMatchObject({ ok: true, value: { hostKind: 'electron', userDataPath: userData } });

    const set = (await electron.ipcMain.handlers.get('app:set-settings')!({ sender: win.webContents, senderFrame: { url: APP_ENTRY_URL, parent: null } }, { patch: { technicianName: 'Ada' } })) as Result<unknown>;
    expect(set.ok).toBe(true);
    expect(win.webContents.send).toHaveBeenCalledWith('app:settings-changed', expect.anything());
    // The Settings theme drives nativeTheme, and OS theme changes reach the window.
    await electron.ipcMain.handlers.get('app:set-settings')!({ sender: win.webContents, senderFrame: { url: APP_ENTRY_URL, parent: null } }, { patch: { theme: 'dark' } });
    expect(electron.nativeTheme.themeSource).toBe('dark');
    electron.nativeTheme.shouldUseDarkColors = true;
    electron.nativeTheme.emit('updated');
    expect(win.webContents.send).toHaveBeenCalledWith('appearance:state-changed', { source: 'system', isDark: true });
    const upd = (await electron.ipcMain.handlers.get('updates:get-state')!({ sender: win.webContents, senderFrame: { url: APP_ENTRY_URL, parent: null } }, {})) as Result<{ canInstallFromFile: boolean }>;
    expect(upd).toMatchObject({ ok: true, value: { canInstallFromFile: true, status: 'idle' } });
    expect(updaterLoaded).not.toHaveBeenCalled();

    // A second launch focuses the existing window instead of opening another.
    electron.app.emit('second-instance');
    await Promise.resolve();
    expect(electron.BrowserWindow.instances).toHaveLength(1);
    expect(win.focus).toHaveBeenCalled();

    // Quitting stops the services first, then quits for real.
    const quitEvent = { preventDefault: vi.fn() };
    electron.app.emit('before-quit', quitEvent);
    expect(quitEvent.preventDefault).toHaveBeenCalledOnce();
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalled());
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('finds the preload and renderer next to the built main', () => {
    expect(builtPaths('/app/out/main')).toEqual({ preloadPath: join('/app/out/preload/index.cjs'), rendererDir: join('/app/out/renderer') });
  });
});
