import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as electronModule from 'electron';
import { silentLogger } from '../services/common/logger';
import type { FakeBrowserWindow, FakeElectron } from './fake-electron';
import { TrustedWindows } from './trusted-windows';
import { createMainWindow, WINDOW_BACKGROUND, WINDOW_LIMITS } from './window';
import { loadWindowState, placeWindow, type Rect } from './window-state';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = electronModule as unknown as FakeElectron;

const laptop: Rect = { x: 0, y: 0, width: 1440, height: 860 };
const monitorRight: Rect = { x: 1440, y: 0, width: 2560, height: 1400 };

describe('placeWindow', () => {
  it.each<[string, Rect | undefined, Rect[], Rect]>([
    ['first run: default size, centred on the primary display', undefined, [laptop], { x: 80, y: 20, width: 1280, height: 820 }],
    ['saved on the laptop: kept as it was', { x: 100, y: 50, width: 1000, height: 700 }, [laptop], { x: 100, y: 50, width: 1000, height: 700 }],
    ['saved on the second monitor, which is still there', { x: 1600, y: 100, width: 1800, height: 1000 }, [laptop, monitorRight], { x: 1600, y: 100, width: 1800, height: 1000 }],
    ['saved on a monitor that is gone: back to the laptop, centred', { x: 1600, y: 100, width: 1800, height: 1000 }, [laptop], { x: 80, y: 20, width: 1280, height: 820 }],
    ['title bar above the top of every screen: unreachable, so re-centred', { x: 100, y: -500, width: 1000, height: 700 }, [laptop], { x: 80, y: 20, width: 1280, height: 820 }],
    ['larger than the laptop screen now: shrunk to fit and pulled inside', { x: 50, y: 10, width: 2400, height: 1300 }, [laptop], { x: 0, y: 0, width: 1440, height: 860 }],
    ['hanging off the right edge but grabbable: pulled fully inside', { x: 1200, y: 100, width: 1000, height: 600 }, [laptop], { x: 440, y: 100, width: 1000, height: 600 }],
    ['a tiny screen smaller than the minimum: the screen wins', { x: 0, y: 0, width: 1280, height: 820 }, [{ x: 0, y: 0, width: 800, height: 560 }], { x: 0, y: 0, width: 800, height: 560 }],
  ])('%s', (_name, saved, areas, expected) => {
    expect(placeWindow(saved, areas, WINDOW_LIMITS)).toEqual(expected);
  });
});

describe('the main window remembers where it was', () => {
  const userData = mkdtempSync(join(tmpdir(), 'sarix-winstate-'));
  afterAll(() => rmSync(userData, { recursive: true, force: true }));
  beforeEach(() => {
    electron.BrowserWindow.instances.length = 0;
    electron.screen.displays = [{ workArea: laptop }, { workArea: monitorRight }];
    electron.nativeTheme.shouldUseDarkColors = false;
    rmSync(join(userData, 'window-state.json'), { force: true });
  });
  const open = async () => (await createMainWindow({ preloadPath: '/p.cjs', trusted: new TrustedWindows(), log: silentLogger, userDataPath: userData })) as unknown as FakeBrowserWindow;

  it('saves the bounds on close and reopens there, maximised again when it was', async () => {
    const win = await open();
    expect(win.options).toMatchObject({ x: 80, y: 20, width: 1280, height: 820, minWidth: 900, minHeight: 600, backgroundColor: WINDOW_BACKGROUND.light });
    win.setBounds({ x: 1700, y: 200, width: 1500, height: 900 });
    win.maximized = true;
    win.emit('close');
    expect(loadWindowState(userData)).toEqual({ x: 1700, y: 200, width: 1500, height: 900, isMaximized: true, isFullScreen: false });
    const again = await open();
    expect(again.options).toMatchObject({ x: 1700, y: 200, width: 1500, height: 900 });
    expect(again.maximize).toHaveBeenCalledOnce();
  });

  it('moves the window back when its monitor is unplugged', async () => {
    writeFileSync(join(userData, 'window-state.json'), JSON.stringify({ x: 1700, y: 200, width: 1500, height: 900 }));
    const win = await open();
    expect(win.getBounds()).toEqual({ x: 1700, y: 200, width: 1500, height: 900 });
    electron.screen.displays = [{ workArea: laptop }];
    electron.screen.emit('display-removed');
    expect(win.getBounds()).toEqual({ x: 80, y: 20, width: 1280, height: 820 });
  });

  it('ignores a corrupt state file and opens with the defaults; opens dark when the OS is dark', async () => {
    writeFileSync(join(userData, 'window-state.json'), '{"x": "left"');
    electron.nativeTheme.shouldUseDarkColors = true;
    const win = await open();
    expect(win.options).toMatchObject({ x: 80, y: 20, width: 1280, height: 820, backgroundColor: WINDOW_BACKGROUND.dark });
    win.emit('close');
    expect(JSON.parse(readFileSync(join(userData, 'window-state.json'), 'utf8'))).toMatchObject({ x: 80, y: 20 });
  });
});
