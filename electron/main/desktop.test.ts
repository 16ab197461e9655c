import { describe, expect, it, vi } from 'vitest';
import * as electronModule from 'electron';
import type { MenuItemConstructorOptions } from 'electron';
import type { EventName } from '../../shared/ipc/contract';
import { silentLogger } from '../services/common/logger';
import { applyThemeSetting, wireAppearance } from './appearance';
import { startLocalCrashReporter } from './crash-reporter';
import { failure } from '../../shared/i18n/messages';
import { runInstallUpdateFromFile, runSaveSupportBundle } from './desktop-actions';
import type { FakeElectron } from './fake-electron';
import { appMenuTemplate } from './menu';
import type { UpdateController } from './updates';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = electronModule as unknown as FakeElectron;

/** Every clickable label in a template, by path ("File > Install Update from File…"). */
function labels(items: MenuItemConstructorOptions[], prefix = ''): Map<string, MenuItemConstructorOptions> {
  const out = new Map<string, MenuItemConstructorOptions>();
  for (const i of items) {
    const name = i.label ?? String(i.role ?? '');
    if (i.click) out.set(prefix + name, i);
    if (Array.isArray(i.submenu)) for (const [k, v] of labels(i.submenu, `${prefix}${name} > `)) out.set(k, v);
  }
  return out;
}

describe('application menu', () => {
  const actions = { installUpdateFromFile: vi.fn(), saveSupportBundle: vi.fn(), showAbout: vi.fn() };
  it.each([
    ['win32', ['File > Install Update from File…', 'help > Save Support Bundle…', 'help > About Sarix Commissioner']],
    ['linux', ['File > Install Update from File…', 'help > Save Support Bundle…', 'help > About Sarix Commissioner']],
    ['darwin', ['Sarix Commissioner > About Sarix Commissioner', 'Sarix Commissioner > Install Update from File…', 'help > Save Support Bundle…']],
  ] as const)('%s puts the entries where that platform expects them, and they act', (platform, expected) => {
    const found = labels(appMenuTemplate(actions, platform, false));
    expect([...found.keys()].sort()).toEqual([...expected].sort());
    for (const item of found.values()) (item.click as () => void)();
    expect(actions.installUpdateFromFile).toHaveBeenCalled();
    expect(actions.saveSupportBundle).toHaveBeenCalled();
    expect(actions.showAbout).toHaveBeenCalled();
  });

  it('speaks the UI language (German labels, same places)', () => {
    expect([...labels(appMenuTemplate(actions, 'linux', false, 'de')).keys()].sort()).toEqual(['Datei > Update aus Datei installieren…', 'help > Support-Paket speichern…', 'help > Über Sarix Commissioner']);
  });

  it('offers DevTools and reload only in development builds', () => {
    const roles = (dev: boolean) => JSON.stringify(appMenuTemplate(actions, 'linux', dev));
    expect(roles(false)).not.toMatch(/toggleDevTools|"reload"/);
    expect(roles(true)).toMatch(/toggleDevTools/);
  });
});

describe('dark mode follows the system', () => {
  it('maps the Settings theme to nativeTheme.themeSource', () => {
    applyThemeSetting('auto');
    expect(electron.nativeTheme.themeSource).toBe('system');
    applyThemeSetting('dark');
    expect(electron.nativeTheme.themeSource).toBe('dark');
  });

  it('pushes the OS theme to the renderer and recolours the windows', async () => {
    const win = new electron.BrowserWindow({});
    const emitted: Array<[EventName, unknown]> = [];
    const { handlers, stop } = wireAppearance({ emit: (n, p) => emitted.push([n, p]) });
    electron.nativeTheme.shouldUseDarkColors = false;
    expect(await handlers['appearance:get-state']({}, { caller: 't' })).toEqual({ source: 'system', isDark: false });
    electron.nativeTheme.shouldUseDarkColors = true;
    electron.nativeTheme.emit('updated');
    expect(emitted).toEqual([['appearance:state-changed', { source: 'system', isDark: true }]]);
    expect(win.setBackgroundColor).toHaveBeenCalledWith('#242424');
    stop();
    electron.nativeTheme.emit('updated');
    expect(emitted).toHaveLength(1);
  });
});

describe('crash reporter', () => {
  it('keeps dumps local: uploadToServer false, no submit URL', () => {
    electron.app.getPath.mockImplementation((name?: string) => (name === 'crashDumps' ? '/data/Crashpad' : '/data'));
    expect(startLocalCrashReporter()).toBe('/data/Crashpad');
    const [opts] = electron.crashReporter.start.mock.calls[0] as unknown as [Record<string, unknown>];
    expect(opts).toMatchObject({ uploadToServer: false });
    expect(opts.submitURL).toBeUndefined();
  });
});

describe('menu flows with native dialogs', () => {
  /** The options of the last message box (shown with or without a parent window). */
  const lastBox = () => (electron.dialog.showMessageBox.mock.calls.at(-1) as unknown[]).at(-1);
  it('install from file: asks before restarting, and explains a refused file', async () => {
    const restartAndInstall = vi.fn();
    const ok = { installFromFile: vi.fn(async () => ({ isCancelled: false, state: { version: '0.2.0' } })), restartAndInstall } as unknown as UpdateController;
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    await runInstallUpdateFromFile(ok, silentLogger);
    expect(lastBox()).toMatchObject({ message: expect.stringMatching(/0\.2\.0 is verified/), buttons: ['Restart and Install', 'Later'] });
    expect(restartAndInstall).toHaveBeenCalledOnce();

    const bad = { installFromFile: vi.fn(async () => Promise.reject(new Error('The update file is not signed by the makers of Sarix Commissioner'))), restartAndInstall } as unknown as UpdateController;
    await runInstallUpdateFromFile(bad, silentLogger);
    expect(lastBox()).toMatchObject({ type: 'error', message: 'The update was not installed.', detail: expect.stringMatching(/not signed/) });
    expect(restartAndInstall).toHaveBeenCalledOnce();
  });

  it('in German (the app menu\'s language), the dialogs and a keyed refusal read German', async () => {
    const restartAndInstall = vi.fn();
    const ok = { installFromFile: vi.fn(async () => ({ isCancelled: false, state: { version: '0.2.0' } })), restartAndInstall } as unknown as UpdateController;
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 1, checkboxChecked: false });
    await runInstallUpdateFromFile(ok, silentLogger, 'de');
    expect(lastBox()).toMatchObject({ title: 'Update bereit', message: 'Sarix Commissioner 0.2.0 ist geprüft und bereit zur Installation.', buttons: ['Neu starten und installieren', 'Später'] });
    expect(restartAndInstall).not.toHaveBeenCalled();
    const bad = { installFromFile: vi.fn(async () => Promise.reject(failure('UPDATE_REJECTED', 'errors.UPDATE_REJECTED.hashMismatch', { name: 'app.AppImage' }))), restartAndInstall } as unknown as UpdateController;
    await runInstallUpdateFromFile(bad, silentLogger, 'de');
    expect(lastBox()).toMatchObject({ type: 'error', message: 'Das Update wurde nicht installiert.', detail: expect.stringMatching(/^app\.AppImage .*SHA-256/) });
    expect((lastBox() as { detail: string }).detail).not.toMatch(/does not match/);
  });

  it('support bundle: offers to show the saved file', async () => {
    electron.dialog.showMessageBox.mockResolvedValueOnce({ response: 0, checkboxChecked: false });
    await runSaveSupportBundle(async () => ({ isCancelled: false, fileName: 'b.zip', sizeBytes: 4096, entries: ['README.txt'], savedTo: '/home/tech/b.zip' }), silentLogger);
    expect(electron.shell.showItemInFolder).toHaveBeenCalledWith('/home/tech/b.zip');
  });
});
