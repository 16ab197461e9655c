/**
 * Updates in the Electron host. Two ways in, one rule: nothing is installed unless its signed manifest verifies
 * with a key shipped in the app (update-public-key.ts) and the installer's SHA-256 matches that manifest.
 *
 * - From a file (offline sites, a USB stick): verify the `.sarix-update` package and copy its payload into the
 *   app's own folder, then hand that folder to electron-updater through a loopback feed, so the platform install
 *   steps (NSIS, AppImage, deb, Squirrel.Mac) stay electron-updater's.
 * - From an update server the site configured (Settings): electron-updater's generic provider, only when the
 *   technician presses "Check for updates"; the signed manifest is fetched beside latest.yml and the downloaded
 *   installer is checked against it before the install is offered.
 *
 * The app never contacts an update server on its own: nothing here runs at start-up, and autoDownload and
 * autoInstallOnAppQuit are off.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { failure, msg, type MessageParams } from '../../shared/i18n/messages';
import { AppFailure } from '../../shared/ipc/result';
import type { UpdateState } from '../../shared/ipc/channels/updates';
import type { Handlers } from '../composition/dispatch';
import type { Logger } from '../services/common/logger';
import { serveUpdateFolder } from '../services/updates/loopback-feed';
import { checkManifestFits, fileDigest, onlineManifestName, PACKAGE_EXTENSION, verifySignedManifest, verifyUpdatePackage, type UpdateExpectations, type UpdateManifest } from '../services/updates/update-package';

export { APP_ID, onlineManifestName } from '../services/updates/update-package';

/**
 * Loads electron-updater's autoUpdater on first use (its constructor reads the Electron app, and nothing about
 * updates should run at start-up). electron-updater is CommonJS with getter exports, so the named export may
 * only be reachable through the default namespace.
 */
export async function loadElectronUpdater(): Promise<UpdaterLike> {
  const m = (await import('electron-updater')) as unknown as { autoUpdater?: UpdaterLike; default?: { autoUpdater: UpdaterLike } };
  const u = m.autoUpdater ?? m.default?.autoUpdater;
  if (!u) throw failure('INTERNAL', 'errors.INTERNAL.noUpdater');
  return u;
}

/** The part of electron-updater's AppUpdater this controller uses (the real one is loaded lazily). */
export interface UpdaterLike {
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  allowDowngrade: boolean;
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  checkForUpdates(): Promise<{ updateInfo: { version: string }; isUpdateAvailable?: boolean } | null>;
  downloadUpdate(): Promise<string[]>;
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void;
  isUpdaterActive(): boolean;
}

/** What the update controller needs from the host. */
export interface UpdateControllerDeps {
  expectations: Omit<UpdateExpectations, 'allowSameOrOlder'>;
  /** Loads electron-updater's autoUpdater (lazily: constructing it touches the Electron app). */
  loadUpdater(): Promise<UpdaterLike>;
  /** Asks for the package file (native Open dialog); null when cancelled. */
  chooseFile(): Promise<string | null>;
  /** The configured update server (Settings), or '' when the site has none. */
  feedUrl(): string;
  /** Where verified payloads are copied (inside the user-data folder). */
  workRoot: string;
  log: Logger;
  /** Pushes state changes to the windows. */
  onState(state: UpdateState): void;
  /** Fetch for the signed manifest of an update server (tests inject one). */
  fetchImpl?: typeof fetch;
}

/** The update flows of the Electron host (see file header). */
export class UpdateController {
  private state: UpdateState;
  private updater: UpdaterLike | undefined;
  private busy = false;
  private pendingOnline: UpdateManifest | undefined;

  constructor(private readonly d: UpdateControllerDeps) {
    this.state = { status: 'idle', currentVersion: d.expectations.currentVersion, canInstallFromFile: true, feedUrl: d.feedUrl() || undefined };
  }

  /** The current state. */
  getState(): UpdateState {
    return { ...this.state, feedUrl: this.d.feedUrl() || undefined };
  }

  /** Asks for a `.sarix-update` file (unless given), verifies it and stages it for install. */
  async installFromFile(path?: string): Promise<{ isCancelled: boolean; state: UpdateState }> {
    const file = path ?? (await this.d.chooseFile());
    if (!file) return { isCancelled: true, state: this.getState() };
    return this.exclusive(async () => {
      this.set({ status: 'verifying', source: 'file', ...note('updates.state.checkingSignature', { file: basename(file) }) });
      const workDir = join(this.d.workRoot, `staged-${randomBytes(6).toString('hex')}`);
      const verified = await verifyUpdatePackage(file, this.d.expectations, workDir);
      const m = verified.manifest;
      this.d.log.info('update package verified', { file: basename(file), version: m.version, keyId: m.keyId, files: m.files.map((f) => f.name) });
      const updater = await this.updaterForInstall();
      this.set({ status: 'downloading', version: m.version, ...note('updates.state.preparing', { version: m.version }) });
      const feed = await serveUpdateFolder(verified.dir, m.files.map((f) => f.name));
      try {
        updater.setFeedURL({ provider: 'generic', url: feed.url });
        const check = await updater.checkForUpdates();
        if (!check || check.updateInfo.version !== m.version) {
          throw failure('UPDATE_REJECTED', 'errors.UPDATE_REJECTED.fileVersionMismatch', { announced: check?.updateInfo.version ?? 'none', version: m.version });
        }
        // electron-updater checks the installer against the sha512 in the (signed) channel file as it copies it.
        await updater.downloadUpdate();
      } finally {
        await feed.close();
        await rm(workDir, { recursive: true, force: true });
      }
      this.set({ status: 'ready', source: 'file', version: m.version, ...note('updates.state.ready', { version: m.version }) });
      return { isCancelled: false, state: this.getState() };
    });
  }

  /** Asks the configured update server whether a newer signed version exists (only when the technician asks). */
  async checkOnline(): Promise<{ isUpdateAvailable: boolean; state: UpdateState }> {
    const feed = this.feedBase();
    return this.exclusive(async () => {
      this.set({ status: 'checking', source: 'online', ...note('updates.state.asking', { host: new URL(feed).host }) });
      const manifest = await this.fetchSignedManifest(feed);
      try {
        checkManifestFits(manifest, this.d.expectations);
      } catch (e) {
        if (e instanceof AppFailure && /not newer/.test(e.message)) {
          this.set({ status: 'idle', source: 'online', version: undefined, ...note('updates.state.newest', { version: this.d.expectations.currentVersion }) });
          return { isUpdateAvailable: false, state: this.getState() };
        }
        throw e;
      }
      const updater = await this.updaterForInstall();
      updater.setFeedURL({ provider: 'generic', url: feed });
      const check = await updater.checkForUpdates();
      if (!check || check.updateInfo.version !== manifest.version) {
        throw failure('UPDATE_REJECTED', 'errors.UPDATE_REJECTED.serverVersionMismatch', { announced: check?.updateInfo.version ?? 'none', version: manifest.version });
      }
      this.pendingOnline = manifest;
      this.set({ status: 'available', source: 'online', version: manifest.version, ...note('updates.state.available', { version: manifest.version }) });
      return { isUpdateAvailable: true, state: this.getState() };
    });
  }

  /** Downloads what checkOnline found and checks the installer against the signed manifest. */
  async downloadOnline(): Promise<UpdateState> {
    const manifest = this.pendingOnline;
    if (!manifest || this.state.status !== 'available') throw failure('CONFLICT', 'errors.CONFLICT.noUpdateToDownload');
    return this.exclusive(async () => {
      const updater = await this.updaterForInstall();
      this.set({ status: 'downloading', source: 'online', version: manifest.version, ...note('updates.state.downloading', { version: manifest.version }) });
      const files = await updater.downloadUpdate();
      const installers = manifest.files.filter((f) => f.name !== manifest.channelFile && !f.name.endsWith('.blockmap'));
      for (const path of files) {
        const got = await fileDigest(path);
        if (!installers.some((f) => f.sha256 === got.sha256 && f.size === got.size)) {
          this.pendingOnline = undefined;
          throw failure('UPDATE_REJECTED', 'errors.UPDATE_REJECTED.downloadMismatch', { file: basename(path) });
        }
      }
      this.set({ status: 'ready', source: 'online', version: manifest.version, ...note('updates.state.ready', { version: manifest.version }) });
      return this.getState();
    });
  }

  /** Quits and runs the staged installer (only after a verified download). */
  restartAndInstall(): { isRestarting: boolean } {
    if (this.state.status !== 'ready' || !this.updater) throw failure('CONFLICT', 'errors.CONFLICT.noUpdateReady');
    this.d.log.info('quitting to install the verified update', { version: this.state.version });
    this.updater.quitAndInstall(false, true);
    return { isRestarting: true };
  }

  private feedBase(): string {
    const raw = this.d.feedUrl().trim();
    if (!raw) throw failure('VALIDATION', 'errors.VALIDATION.noUpdateServer');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw failure('VALIDATION', 'errors.VALIDATION.updateServerUrl', { url: raw.slice(0, 100) });
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw failure('VALIDATION', 'errors.VALIDATION.updateServerScheme');
    if (url.username || url.password) throw failure('VALIDATION', 'errors.VALIDATION.updateServerCredentials');
    return url.href.endsWith('/') ? url.href : `${url.href}/`;
  }

  private async fetchSignedManifest(feed: string): Promise<UpdateManifest> {
    const f = this.d.fetchImpl ?? fetch;
    const { platform, arch } = this.d.expectations;
    for (const variant of [arch, 'universal']) {
      const name = onlineManifestName(platform, variant);
      const get = async (n: string) => {
        const r = await f(new URL(n, feed), { signal: AbortSignal.timeout(15_000), redirect: 'error' });
        if (r.status === 404) return null;
        if (!r.ok) throw failure('NETWORK', 'errors.NETWORK.updateServerStatus', { status: String(r.status), name: n });
        const body = Buffer.from(await r.arrayBuffer());
        if (body.length > 64 * 1024) throw failure('UPDATE_REJECTED', 'errors.UPDATE_REJECTED.serverManifestTooLarge', { name: n });
        return body;
      };
      let bytes: Buffer | null;
      let sig: Buffer | null;
      try {
        bytes = await get(name);
        sig = bytes ? await get(`${name}.sig`) : null;
      } catch (e) {
        if (e instanceof AppFailure) throw e;
        throw failure('NETWORK', 'errors.NETWORK.updateServerUnreachable', { host: new URL(feed).host, reason: e instanceof Error ? e.message : String(e) });
      }
      if (bytes && !sig) throw failure('UPDATE_REJECTED', 'errors.UPDATE_REJECTED.serverUnsigned', { name });
      if (bytes && sig) return verifySignedManifest(bytes, sig.toString('utf8'), this.d.expectations.publicKeys);
    }
    throw failure('NOT_FOUND', 'errors.NOT_FOUND.serverUpdate', { platform, arch });
  }

  private async updaterForInstall(): Promise<UpdaterLike> {
    const u = (this.updater ??= await this.d.loadUpdater());
    // The app never downloads or installs behind the technician's back.
    u.autoDownload = false;
    u.autoInstallOnAppQuit = false;
    u.allowDowngrade = false;
    if (!u.isUpdaterActive()) {
      throw failure('NOT_APPLICABLE', 'errors.NOT_APPLICABLE.fromSources');
    }
    return u;
  }

  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw failure('CONFLICT', 'errors.CONFLICT.updateBusy');
    this.busy = true;
    try {
      return await fn();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.d.log.warn('update failed', message);
      // A keyed failure keeps its key, so the UI shows the reason in the technician's language.
      const keyed = e instanceof AppFailure && e.key ? { messageKey: e.key, messageParams: flatParams(e.params) } : { messageKey: undefined, messageParams: undefined };
      this.set({ status: 'failed', message, ...keyed });
      throw e;
    } finally {
      this.busy = false;
    }
  }

  private set(patch: Partial<UpdateState>): void {
    this.state = { ...this.state, ...patch };
    this.d.onState(this.getState());
  }
}

/** A state line for the technician: its English text, and its catalog key and values for the UI. */
function note(key: string, params: MessageParams & Record<string, string>): Pick<UpdateState, 'message' | 'messageKey' | 'messageParams'> {
  return { message: msg(key, params), messageKey: key, messageParams: params };
}

/** A failure's parameters as the state carries them (a keyed sub-message is sent as its English text). */
function flatParams(params: AppFailure['params']): UpdateState['messageParams'] {
  if (!params) return undefined;
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'object' ? msg(v.key, v.params) : v]));
}

/** The Open-dialog filter for update packages. */
export const PACKAGE_FILTER = { name: 'Sarix Commissioner update', extensions: [PACKAGE_EXTENSION.slice(1)] };

/** Handlers of the `updates:*` channels in the Electron host. */
export function createUpdateHandlers(c: UpdateController): Pick<Handlers, 'updates:get-state' | 'updates:install-from-file' | 'updates:check-online' | 'updates:download-online' | 'updates:restart-and-install'> {
  return {
    'updates:get-state': () => c.getState(),
    'updates:install-from-file': () => c.installFromFile(),
    'updates:check-online': () => c.checkOnline(),
    'updates:download-online': () => c.downloadOnline(),
    'updates:restart-and-install': () => c.restartAndInstall(),
  };
}
