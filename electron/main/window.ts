/**
 * The one factory for app windows (docs/architecture.md §2.11). Every window gets the same hardened
 * webPreferences; nothing else in the app constructs a BrowserWindow.
 */
import { BrowserWindow, nativeTheme, screen } from 'electron';
import type { Logger } from '../services/common/logger';
import { APP_ENTRY_URL } from './app-protocol';
import { hardenWebContents } from './security';
import type { TrustedWindows } from './trusted-windows';
import { keepWindowState, loadWindowState, placeWindow, workAreasOf, type WindowLimits } from './window-state';

/** Default and minimum window size (DIP). */
export const WINDOW_LIMITS: WindowLimits = { defaultWidth: 1280, defaultHeight: 820, minWidth: 900, minHeight: 600 };

/** Mantine's page background per colour scheme, so the window does not flash white before the page paints. */
export const WINDOW_BACKGROUND = { light: '#ffffff', dark: '#242424' } as const;

/** What the window factory needs. */
export interface MainWindowOptions {
  /** Absolute path of the built (CommonJS, self-contained) preload script. */
  preloadPath: string;
  trusted: TrustedWindows;
  log: Logger;
  /** Allow DevTools (development builds only). */
  isDevToolsAllowed?: boolean;
  /** Where the window's size and position are remembered (none: default size, centred, not remembered). */
  userDataPath?: string;
}

/** Creates the main window, registers it as a trusted IPC sender and loads the renderer from app://. */
export async function createMainWindow(o: MainWindowOptions): Promise<BrowserWindow> {
  const saved = o.userDataPath ? loadWindowState(o.userDataPath) : undefined;
  const bounds = placeWindow(saved, workAreasOf(screen), WINDOW_LIMITS);
  const win = new BrowserWindow({
    ...bounds,
    minWidth: WINDOW_LIMITS.minWidth,
    minHeight: WINDOW_LIMITS.minHeight,
    show: false,
    title: 'Sarix Commissioner',
    backgroundColor: nativeTheme.shouldUseDarkColors ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    // Written out literally (not spread from a helper) so electronegativity's static checks can see each flag.
    // Electron security checklist #2–#4, #6, #9, #10; Auxclick off so a middle-click cannot open a window.
    webPreferences: {
      preload: o.preloadPath,
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
      safeDialogs: true,
      spellcheck: false,
      devTools: o.isDevToolsAllowed ?? false,
    },
  });
  hardenWebContents(win.webContents, o.log);
  o.trusted.add(win.webContents);
  if (saved?.isMaximized) win.maximize();
  if (o.userDataPath) {
    const stop = keepWindowState(win, screen, { userDataPath: o.userDataPath, limits: WINDOW_LIMITS, log: o.log });
    win.once('closed', stop);
  }
  win.once('ready-to-show', () => win.show());
  win.webContents.on('render-process-gone', (_e, details) => o.log.error('the window renderer stopped', details));
  try {
    await win.loadURL(APP_ENTRY_URL);
  } catch (e) {
    o.log.error('the window could not load the renderer', e instanceof Error ? e.message : e);
    throw e;
  }
  return win;
}
