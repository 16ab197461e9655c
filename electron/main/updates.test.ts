import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UpdateState } from '../../shared/ipc/channels/updates';
import { silentLogger } from '../services/common/logger';
import { ed25519Pair, fakeReleaseOutput, payloadOf, writeRawPackage } from '../services/updates/test-packages';
import { createUpdatePackage, signManifest, type UpdateManifest } from '../services/updates/update-package';
import { APP_ID, onlineManifestName, UpdateController, type UpdaterLike } from './updates';
import { translate } from '../../shared/i18n/i18n';
import { localizeError } from '../../shared/i18n/messages';
import type { AppFailure } from '../../shared/ipc/result';

/**
 * A stand-in for electron-updater's AppUpdater that does what its generic provider does over real HTTP: reads
 * the channel file from the feed, downloads the installer it names and checks its base64 SHA-512. It records
 * every feed it was pointed at, so a test can prove nothing was contacted.
 */
class HttpUpdater implements UpdaterLike {
  autoDownload = true;
  autoInstallOnAppQuit = true;
  allowDowngrade = true;
  isActive = true;
  feeds: string[] = [];
  private info: { version: string; path: string; sha512: string } | undefined;
  private feed = '';
  readonly quitAndInstall = vi.fn();
  constructor(
    private readonly channelFile: string,
    private readonly cacheDir: string,
  ) {}
  isUpdaterActive(): boolean {
    return this.isActive;
  }
  setFeedURL(o: { provider: 'generic'; url: string }): void {
    expect(o.provider).toBe('generic');
    this.feed = o.url;
    this.feeds.push(o.url);
  }
  async checkForUpdates() {
    const r = await fetch(new URL(this.channelFile, this.feed));
    if (!r.ok) throw new Error(`Cannot find channel "${this.channelFile}" (HTTP ${r.status})`);
    this.info = yaml.load(await r.text()) as { version: string; path: string; sha512: string };
    return { updateInfo: { version: this.info.version }, isUpdateAvailable: true };
  }
  async downloadUpdate(): Promise<string[]> {
    const r = await fetch(new URL(this.info!.path, this.feed));
    const body = Buffer.from(await r.arrayBuffer());
    if (createHash('sha512').update(body).digest('base64') !== this.info!.sha512) throw new Error('sha512 checksum mismatch');
    const out = join(this.cacheDir, this.info!.path);
    writeFileSync(out, body);
    return [out];
  }
}

describe('UpdateController (Electron host)', () => {
  let dir: string;
  let keys: { publicKey: string; privateKey: string };
  let release: string[];
  let signed: string;
  let manifest: UpdateManifest;
  let n = 0;

  function controller(o: { feedUrl?: string; updater?: HttpUpdater; fetchImpl?: typeof fetch } = {}) {
    const cache = join(dir, `cache-${++n}`);
    mkdirSync(cache);
    const updater = o.updater ?? new HttpUpdater('latest-linux.yml', cache);
    const states: UpdateState[] = [];
    const loadUpdater = vi.fn(async () => updater);
    const c = new UpdateController({
      expectations: { publicKeys: [keys.publicKey], appId: APP_ID, currentVersion: '0.1.0', platform: 'linux', arch: 'x64' },
      loadUpdater,
      chooseFile: vi.fn(async () => signed),
      feedUrl: () => o.feedUrl ?? '',
      workRoot: join(dir, `work-${n}`),
      log: silentLogger,
      onState: (s) => states.push(s),
      fetchImpl: o.fetchImpl,
    });
    return { c, updater, states, loadUpdater };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-updates-main-'));
    mkdirSync(join(dir, 'dist'));
    release = fakeReleaseOutput(join(dir, 'dist'), '0.2.0');
    keys = ed25519Pair();
    signed = join(dir, 'Sarix-Commissioner-0.2.0-linux-x64.sarix-update');
    manifest = await createUpdatePackage({
      files: release,
      manifest: { appId: APP_ID, productName: 'Sarix Commissioner', version: '0.2.0', platform: 'linux', arch: 'x64', channelFile: 'latest-linux.yml' },
      privateKeyPem: keys.privateKey,
      out: signed,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('does nothing on its own: no updater is loaded and no server contacted until the technician acts', () => {
    const fetchImpl = vi.fn();
    const { c, loadUpdater } = controller({ feedUrl: 'https://updates.example.invalid/sarix/', fetchImpl: fetchImpl as unknown as typeof fetch });
    expect(c.getState()).toMatchObject({ status: 'idle', currentVersion: '0.1.0', canInstallFromFile: true, feedUrl: 'https://updates.example.invalid/sarix/' });
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(fetchImpl).not.toHaveBeenCalled();
  });

  it('installs a signed package from a file: verified, served to electron-updater on loopback only, then ready to restart', async () => {
    const { c, updater, states } = controller();
    const r = await c.installFromFile();
    expect(r).toMatchObject({ isCancelled: false, state: { status: 'ready', source: 'file', version: '0.2.0' } });
    expect(updater.feeds).toHaveLength(1);
    expect(updater.feeds[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect({ autoDownload: updater.autoDownload, autoInstallOnAppQuit: updater.autoInstallOnAppQuit, allowDowngrade: updater.allowDowngrade }).toEqual({ autoDownload: false, autoInstallOnAppQuit: false, allowDowngrade: false });
    expect(states.map((s) => s.status)).toEqual(['verifying', 'downloading', 'ready']);
    // The loopback feed is closed once electron-updater has its copy.
    await expect(fetch(new URL('latest-linux.yml', updater.feeds[0]))).rejects.toThrow();
    expect(c.restartAndInstall()).toEqual({ isRestarting: true });
    expect(updater.quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('refuses a tampered package before electron-updater sees anything, and says why', async () => {
    const payload = payloadOf(release);
    const installer = 'Sarix-Commissioner-0.2.0.AppImage';
    const evil = Buffer.from(payload[installer]);
    evil[evil.length - 1] ^= 0x20;
    const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const tampered = join(dir, 'tampered.sarix-update');
    await writeRawPackage(tampered, { manifest: bytes, signature: signManifest(bytes, keys.privateKey), payload: { ...payload, [installer]: evil } });
    const { c, updater, states, loadUpdater } = controller();
    await expect(c.installFromFile(tampered)).rejects.toMatchObject({ code: 'UPDATE_REJECTED', message: expect.stringMatching(/does not match its signed SHA-256.*Nothing was installed/) });
    expect(loadUpdater).not.toHaveBeenCalled();
    expect(updater.feeds).toEqual([]);
    expect(states.at(-1)).toMatchObject({ status: 'failed', message: expect.stringMatching(/changed after signing/) });
    expect(() => c.restartAndInstall()).toThrow(/No verified update is ready/);
  });

  it('cancelling the Open dialog changes nothing', async () => {
    const { c, loadUpdater } = controller();
    (c as unknown as { d: { chooseFile: () => Promise<null> } }).d.chooseFile = async () => null;
    await expect(c.installFromFile()).resolves.toMatchObject({ isCancelled: true, state: { status: 'idle' } });
    expect(loadUpdater).not.toHaveBeenCalled();
  });

  it('in a development run (not installed) verifies the file, then says it cannot install', async () => {
    const cache = join(dir, 'cache-dev');
    mkdirSync(cache);
    const updater = new HttpUpdater('latest-linux.yml', cache);
    updater.isActive = false;
    const { c } = controller({ updater });
    await expect(c.installFromFile(signed)).rejects.toMatchObject({ code: 'NOT_APPLICABLE', message: expect.stringMatching(/runs from the sources.*was verified/) });
    expect(updater.feeds).toEqual([]);
  });

  it('keys its state lines and failures, so the UI shows them in German', async () => {
    const cache = join(dir, 'cache-de');
    mkdirSync(cache);
    const updater = new HttpUpdater('latest-linux.yml', cache);
    updater.isActive = false;
    const { c, states } = controller({ updater });
    const e = await c.installFromFile(signed).then(() => undefined, (x: unknown) => x as AppFailure);
    expect(localizeError('de', e!.toAppError())).toBe(
      'Diese Kopie läuft aus den Quellen (npm start) und kann sich deshalb nicht selbst aktualisieren. Das Update wurde geprüft; installieren Sie es auf einem Rechner mit der installierten App.',
    );
    const verifying = states.find((s) => s.status === 'verifying')!;
    expect(verifying).toMatchObject({ message: 'Checking the signature of Sarix-Commissioner-0.2.0-linux-x64.sarix-update…', messageKey: 'updates.state.checkingSignature' });
    expect(translate('de', verifying.messageKey!, verifying.messageParams)).toBe('Die Signatur von Sarix-Commissioner-0.2.0-linux-x64.sarix-update wird geprüft…');
    expect(states.at(-1)).toMatchObject({ status: 'failed', messageKey: 'errors.NOT_APPLICABLE.fromSources' });
  });

  describe('from an update server (generic provider), only when asked', () => {
    let server: Server;
    let base: string;
    const served = new Map<string, Buffer>();
    beforeAll(async () => {
      const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
      served.set(`/${onlineManifestName('linux', 'x64')}`, bytes);
      served.set(`/${onlineManifestName('linux', 'x64')}.sig`, Buffer.from(signManifest(bytes, keys.privateKey)));
      for (const f of release) served.set(`/${f.split('/').pop()}`, readFileSync(f));
      server = createServer((req, res) => {
        const body = served.get(new URL(req.url!, 'http://x').pathname);
        if (!body) res.writeHead(404).end();
        else res.writeHead(200).end(body);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('says what to do when no server is set', async () => {
      const { c } = controller();
      await expect(c.checkOnline()).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/No update server is set/) });
    });

    it('checks the signed manifest, downloads with electron-updater and checks the installer against the manifest', async () => {
      const { c, updater } = controller({ feedUrl: base });
      const check = await c.checkOnline();
      expect(check).toMatchObject({ isUpdateAvailable: true, state: { status: 'available', version: '0.2.0' } });
      expect(updater.feeds).toEqual([`${base}/`]);
      await expect(c.downloadOnline()).resolves.toMatchObject({ status: 'ready', version: '0.2.0' });
    });

    it('refuses an installer the server changed after signing', async () => {
      const name = `/${release[1].split('/').pop()}`;
      const original = served.get(name)!;
      const evil = Buffer.from(original);
      evil[10] ^= 1;
      served.set(name, evil);
      // electron-updater's own sha512 check would also fail; make the channel file agree with the bad bytes, as
      // an attacker who controls the server would, so only the signed manifest stands in the way.
      const ch = '/latest-linux.yml';
      const channelOriginal = served.get(ch)!;
      const evilSha = createHash('sha512').update(evil).digest('base64');
      served.set(ch, Buffer.from(channelOriginal.toString().replace(/sha512: .*/g, `sha512: ${evilSha}`)));
      try {
        const { c } = controller({ feedUrl: base });
        await c.checkOnline();
        await expect(c.downloadOnline()).rejects.toMatchObject({ code: 'UPDATE_REJECTED', message: expect.stringMatching(/does not match the signed manifest.*will not be installed/) });
        expect(() => c.restartAndInstall()).toThrow(/No verified update is ready/);
      } finally {
        served.set(name, original);
        served.set(ch, channelOriginal);
      }
    });

    it('refuses a server whose manifest signature does not verify', async () => {
      const sigPath = `/${onlineManifestName('linux', 'x64')}.sig`;
      const good = served.get(sigPath)!;
      served.set(sigPath, Buffer.from(signManifest(Buffer.from('something else'), ed25519Pair().privateKey)));
      try {
        const { c, updater } = controller({ feedUrl: base });
        await expect(c.checkOnline()).rejects.toMatchObject({ code: 'UPDATE_REJECTED' });
        expect(updater.feeds).toEqual([]);
      } finally {
        served.set(sigPath, good);
      }
    });
  });
});
