/**
 * The one factory for app windows (ARCHITECTURE.md rule 11). Every window gets the same hardened
 * webPreferences; nothing else in the app constructs a BrowserWindow.
 */
import { BrowserWindow } from 'electron';
import type { Logger } from '../services/common/logger';
import { APP_ENTRY_URL } from './app-protocol';
import { hardenWebContents } from './security';
import type { TrustedWindows } from './trusted-windows';

/** What the window factory needs. */
export interface MainWindowOptions {
  /** Absolute path of the built (CommonJS, self-contained) preload script. */
  preloadPath: string;
  trusted: TrustedWindows;
  log: Logger;
  /** Allow DevTools (development builds only). */
  isDevToolsAllowed?: boolean;
}

/** Creates the main window, registers it as a trusted IPC sender and loads the renderer from app://. */
export async function createMainWindow(o: MainWindowOptions): Promise<BrowserWindow> {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Sarix Commissioner',
    backgroundColor: '#ffffff',
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
