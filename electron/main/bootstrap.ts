/**
 * Composition root of the Electron host (docs/architecture.md §2.3): registers the app:// scheme, builds the
 * services with createServices and Electron's facts injected (user-data path, electron-log, safeStorage), puts the
 * contract on IPC, then opens the hardened window. All main-process wiring lives in this file.
 */
// Long on purpose: bootstrapElectron is the Electron host's composition root, one start-up sequence in order (services, contract, IPC, window, menu, tray); its parts already live in their own modules.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, safeStorage, session } from 'electron';
import type { Settings } from '../../shared/domain/settings';
import { resolveLanguage } from '../../shared/i18n/languages';
import { composeContract, createServices, supportHandlers, type Services } from '../composition/index';
import { ConfSettingsStore } from '../services/common/settings-store';
import { applyThemeSetting, wireAppearance } from './appearance';
import { APP_ENTRY_URL, installAppProtocol, registerAppScheme } from './app-protocol';
import { startLocalCrashReporter } from './crash-reporter';
import { chooseBundlePath, chooseUpdateFile, runInstallUpdateFromFile, runSaveSupportBundle } from './desktop-actions';
import { registerIpc } from './ipc';
import { reportSavePathChooser } from './report-save';
import { claimSingleInstance, hardenAllWebContents, wireLifecycle } from './lifecycle';
import { electronLogFiles, electronLogger, initElectronLog } from './logger';
import { installAppMenu } from './menu';
import { wireRelayDesktop } from './relay-desktop';
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
  // The menu, the tray, the notifications and the native dialogs follow the language: the Settings choice, else the system's
  // (app.getPreferredSystemLanguages, getLocale).
  const menuLanguage = (s: Settings) => resolveLanguage(s.language, [...app.getPreferredSystemLanguages(), app.getLocale()]);
  applyThemeSetting(settings.get().theme);
  let services: Services;
  try {
    services = await createServices({
      hostKind: 'electron',
      userDataPath,
      settings,
      versions: { electron: process.versions.electron, chrome: process.versions.chrome },
      logger: electronLogger('services'),
      secrets,
      // Reports and site exports are saved where the technician chooses (native Save dialog).
      chooseSavePath: reportSavePathChooser(),
      support: { logFiles: electronLogFiles, crashDumpsDir },
    });
  } catch (e) {
    log.error('the app could not start its services', e instanceof Error ? e.stack : e);
    app.exit(1);
    return;
  }

  // Host-only channels: updates (nothing here contacts an update server; the controller acts only when the
  // technician asks), the OS theme, and the support bundle through the native Save dialog.
  let updates: UpdateController | undefined;
  let stopAppearance = () => {};
  const contract = composeContract(services, electronLogger('contract'), (hub) => {
    updates = new UpdateController({
      expectations: { publicKeys: [...UPDATE_PUBLIC_KEYS], appId: APP_ID, currentVersion: app.getVersion(), platform: process.platform, arch: process.arch },
      loadUpdater: loadElectronUpdater,
      chooseFile: () => chooseUpdateFile(menuLanguage(settings.get())),
      feedUrl: () => settings.get().updateServerUrl,
      workRoot: join(userDataPath, 'updates'),
      log: electronLogger('updates'),
      onState: (state) => hub.emit('updates:state-changed', state),
    });
    const appearance = wireAppearance(hub);
    stopAppearance = appearance.stop;
    return { ...createUpdateHandlers(updates), ...appearance.handlers, ...supportHandlers(services.support, (name) => chooseBundlePath(name, menuLanguage(settings.get()))) };
  });
  const unsubscribeTheme = services.app.events.on('settings-changed', (s: Settings) => applyThemeSetting(s.theme));
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
    await createMainWindow({ preloadPath, trusted, log, isDevToolsAllowed, userDataPath });
  };
  // Notifications for camera mail and refusals, the tray icon, and closing the window into the tray.
  const unwireDesktop = wireRelayDesktop({
    relay: services.relay,
    showWindow,
    quit: () => app.quit(),
    hintFile: join(userDataPath, 'tray-hint-shown'),
    log: electronLogger('desktop'),
    language: () => menuLanguage(settings.get()),
  });
  const controller = updates;
  const menuActions = {
      installUpdateFromFile: () => {
        if (controller) void runInstallUpdateFromFile(controller, log, menuLanguage(settings.get()));
      },
      saveSupportBundle: () => void runSaveSupportBundle(async () => contract.handlers['support:save-bundle']({}, { caller: 'menu' }), log, menuLanguage(settings.get())),
      showAbout: () => {
        // A fragment-only load is an in-page navigation: the renderer's hash router shows the About page.
        void showWindow().then(() => BrowserWindow.getAllWindows()[0]?.loadURL(`${APP_ENTRY_URL}#/about`));
      },
  };
  installAppMenu(menuActions, isDevToolsAllowed, menuLanguage(settings.get()));
  const unsubscribeMenu = services.app.events.on('settings-changed', (s: Settings) => installAppMenu(menuActions, isDevToolsAllowed, menuLanguage(s)));
  wireLifecycle({
    log,
    showWindow,
    dispose: async () => {
      unwireDesktop();
      unsubscribeTheme();
      unsubscribeMenu();
      stopAppearance();
      unregisterIpc();
      contract.dispose();
      await services.dispose();
    },
  });
  await showWindow();
}
