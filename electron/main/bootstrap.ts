/**
 * Composition root of the Electron host (ARCHITECTURE.md rule 3): registers the app:// scheme, builds the core
 * services with Electron's facts injected (user-data path, electron-log, safeStorage), registers the contract
 * on IPC, then opens the hardened window. All main-process wiring lives in this file.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, safeStorage, session } from 'electron';
import type { Settings } from '../../shared/domain/settings';
import { createCore, type Core } from '../core/core';
import { ConfSettingsStore } from '../core/settings-store';
import { applyThemeSetting, wireAppearance } from './appearance';
import { APP_ENTRY_URL, installAppProtocol, registerAppScheme } from './app-protocol';
import { startLocalCrashReporter } from './crash-reporter';
import { chooseBundlePath, chooseUpdateFile, runInstallUpdateFromFile, runSaveSupportBundle } from './desktop-actions';
import { registerIpc } from './ipc';
import { claimSingleInstance, hardenAllWebContents, wireLifecycle } from './lifecycle';
import { electronLogFiles, electronLogger, initElectronLog } from './logger';
import { installAppMenu } from './menu';
import { SafeStorageSecretBox } from './secret-box';
import { hardenSession } from './security';
import { TrustedWindows } from './trusted-windows';
import { UPDATE_PUBLIC_KEYS } from './update-public-key';
import { APP_ID, createUpdateHandlers, loadElectronUpdater, UpdateController } from './updates';
import { createMainWindow } from './window';

/** Where the built pieces sit relative to out/main/index.js (electron-vite layout). */
export function builtPaths(mainDir: string): { preloadPath: string; rendererDir: string } {
  return { preloadPath: join(mainDir, '..', 'preload', 'index.cjs'), rendererDir: join(mainDir, '..', 'renderer') };
}

/** Starts the Electron host. */
export async function bootstrapElectron(): Promise<void> {
  initElectronLog();
  const log = electronLogger('main');
  // Before ready, so crashes during start-up leave a dump too; dumps stay on this computer.
  const crashDumpsDir = startLocalCrashReporter();
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
  const settings = new ConfSettingsStore(userDataPath);
  applyThemeSetting(settings.get().theme);
  let updates: UpdateController | undefined;
  let stopAppearance = () => {};
  let core: Core;
  try {
    core = await createCore({
      hostKind: 'electron',
      userDataPath,
      settings,
      versions: { electron: process.versions.electron, chrome: process.versions.chrome },
      log: electronLogger('core'),
      secrets,
      support: { logFiles: electronLogFiles, crashDumpsDir, chooseSavePath: chooseBundlePath },
      hostHandlers: ({ hub }) => {
        // Nothing here contacts an update server: the controller acts only when the technician asks.
        updates = new UpdateController({
          expectations: { publicKeys: [...UPDATE_PUBLIC_KEYS], appId: APP_ID, currentVersion: app.getVersion(), platform: process.platform, arch: process.arch },
          loadUpdater: loadElectronUpdater,
          chooseFile: chooseUpdateFile,
          feedUrl: () => settings.get().updateServerUrl,
          workRoot: join(userDataPath, 'updates'),
          log: electronLogger('updates'),
          onState: (state) => hub.emit('updates:state-changed', state),
        });
        const appearance = wireAppearance(hub);
        stopAppearance = appearance.stop;
        return { ...createUpdateHandlers(updates), ...appearance.handlers };
      },
    });
  } catch (e) {
    log.error('the app could not start its services', e instanceof Error ? e.stack : e);
    app.exit(1);
    return;
  }

  const unsubscribeTheme = core.hub.subscribe((name, payload) => {
    if (name === 'app:settings-changed') applyThemeSetting((payload as { settings: Settings }).settings.theme);
  });
  const trusted = new TrustedWindows();
  const unregisterIpc = registerIpc({ handlers: core.handlers, hub: core.hub, trusted, log: electronLogger('ipc') });
  const isDevToolsAllowed = !app.isPackaged;
  const showWindow = async () => {
    const existing = BrowserWindow.getAllWindows()[0];
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.focus();
      return;
    }
    await createMainWindow({ preloadPath, trusted, log, isDevToolsAllowed, userDataPath });
  };
  const controller = updates;
  installAppMenu(
    {
      installUpdateFromFile: () => {
        if (controller) void runInstallUpdateFromFile(controller, log);
      },
      saveSupportBundle: () => void runSaveSupportBundle(async () => core.handlers['support:save-bundle']({}, { caller: 'menu' }), log),
      showAbout: () => {
        // A fragment-only load is an in-page navigation: the renderer's hash router shows the About page.
        void showWindow().then(() => BrowserWindow.getAllWindows()[0]?.loadURL(`${APP_ENTRY_URL}#/about`));
      },
    },
    isDevToolsAllowed,
  );
  wireLifecycle({
    log,
    showWindow,
    dispose: async () => {
      unsubscribeTheme();
      stopAppearance();
      unregisterIpc();
      await core.dispose();
    },
  });
  await showWindow();
}
