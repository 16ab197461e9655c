/**
 * Composition root of the Electron host (docs/architecture.md §2.3): registers the app:// scheme, builds the
 * services with createServices and Electron's facts injected (user-data path, electron-log, safeStorage), puts the
 * contract on IPC, then opens the hardened window. All main-process wiring lives in this file.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, safeStorage, session } from 'electron';
import { composeContract, createServices, type Services } from '../composition/index';
import { ConfSettingsStore } from '../services/common/settings-store';
import { installAppProtocol, registerAppScheme } from './app-protocol';
import { registerIpc } from './ipc';
import { claimSingleInstance, hardenAllWebContents, wireLifecycle } from './lifecycle';
import { electronLogger, initElectronLog } from './logger';
import { wireRelayDesktop } from './relay-desktop';
import { SafeStorageSecretBox } from './secret-box';
import { hardenSession } from './security';
import { TrustedWindows } from './trusted-windows';
import { createMainWindow } from './window';

/** Where the built pieces sit relative to out/main/index.js (electron-vite layout). */
export function builtPaths(mainDir: string): { preloadPath: string; rendererDir: string } {
  return { preloadPath: join(mainDir, '..', 'preload', 'index.cjs'), rendererDir: join(mainDir, '..', 'renderer') };
}

/** Starts the Electron host. */
export async function bootstrapElectron(): Promise<void> {
  initElectronLog();
  const log = electronLogger('main');
  // Both must run before `ready`: sandbox every renderer even if a future window forgets the flag, and register
  // the privileged scheme (Electron only accepts it then).
  app.enableSandbox();
  registerAppScheme();
  if (!claimSingleInstance()) return;
  hardenAllWebContents(log);

  await app.whenReady();
  const { preloadPath, rendererDir } = builtPaths(dirname(fileURLToPath(import.meta.url)));
  hardenSession(session.defaultSession);
  installAppProtocol(session.defaultSession, rendererDir);

  const userDataPath = app.getPath('userData');
  mkdirSync(userDataPath, { recursive: true });
  // Services that store camera or SMTP passwords take this box; it never hands secrets to the renderer.
  const secrets = new SafeStorageSecretBox(safeStorage);
  if (!secrets.isAvailable()) log.warn('no OS keyring: passwords will not be remembered between runs');
  let services: Services;
  try {
    services = await createServices({
      hostKind: 'electron',
      userDataPath,
      settings: new ConfSettingsStore(userDataPath),
      versions: { electron: process.versions.electron, chrome: process.versions.chrome },
      logger: electronLogger('services'),
      secrets,
    });
  } catch (e) {
    log.error('the app could not start its services', e instanceof Error ? e.stack : e);
    app.exit(1);
    return;
  }

  const contract = composeContract(services, electronLogger('contract'));
  const trusted = new TrustedWindows();
  const unregisterIpc = registerIpc({ handlers: contract.handlers, hub: contract.hub, trusted, log: electronLogger('ipc') });
  const isDevToolsAllowed = !app.isPackaged;
  const showWindow = async () => {
    const existing = BrowserWindow.getAllWindows()[0];
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      // A window closed into the tray (relay-desktop.ts) is hidden, not gone.
      if (!existing.isVisible()) existing.show();
      existing.focus();
      return;
    }
    await createMainWindow({ preloadPath, trusted, log, isDevToolsAllowed });
  };
  // Notifications for camera mail and refusals, the tray icon, and closing the window into the tray.
  const unwireDesktop = wireRelayDesktop({ relay: services.relay, showWindow, quit: () => app.quit(), hintFile: join(userDataPath, 'tray-hint-shown'), log: electronLogger('desktop') });
  wireLifecycle({
    log,
    showWindow,
    dispose: async () => {
      unwireDesktop();
      unregisterIpc();
      contract.dispose();
      await services.dispose();
    },
  });
  await showWindow();
}
