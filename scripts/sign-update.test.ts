import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ed25519Pair, fakeReleaseOutput } from '../electron/services/updates/test-packages';
import { APP_ID, onlineManifestName, verifySignedManifest, verifyUpdatePackage } from '../electron/services/updates/update-package';

const root = resolve(import.meta.dirname, '..');
const run = (script: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(root, 'scripts', script), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 120_000 });

describe('release side: sign-update.mjs and update-keygen.mjs', () => {
  let dir: string;
  let keys: { publicKey: string; privateKey: string };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-sign-'));
    mkdirSync(join(dir, 'dist'));
    fakeReleaseOutput(join(dir, 'dist'), '0.2.0');
    keys = ed25519Pair();
    writeFileSync(join(dir, 'key.pem'), keys.privateKey);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('turns electron-builder output into a package the app accepts, plus the update server manifest', async () => {
    const r = run('sign-update.mjs', ['--dist', join(dir, 'dist'), '--out', join(dir, 'usb'), '--key-env', 'TEST_UPDATE_KEY'], { TEST_UPDATE_KEY: keys.privateKey });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/signed Sarix-Commissioner-0\.2\.0-linux-x64\.sarix-update \(3 files/);
    const pkg = join(dir, 'usb', 'Sarix-Commissioner-0.2.0-linux-x64.sarix-update');
    const v = await verifyUpdatePackage(pkg, { publicKeys: [keys.publicKey], appId: APP_ID, currentVersion: '0.1.0', platform: 'linux', arch: 'x64' }, join(dir, 'work'));
    expect(v.manifest.files.map((f) => f.name).sort()).toEqual(['Sarix-Commissioner-0.2.0.AppImage', 'Sarix-Commissioner-0.2.0.AppImage.blockmap', 'latest-linux.yml']);
    const online = join(dir, 'dist', onlineManifestName('linux', 'x64'));
    expect(verifySignedManifest(readFileSync(online), readFileSync(`${online}.sig`, 'utf8'), [keys.publicKey]).version).toBe('0.2.0');
  });

  it('--check-public refuses a key the app does not ship; a missing key or dist says what to do', () => {
    const r = run('sign-update.mjs', ['--dist', join(dir, 'dist'), '--out', join(dir, 'x'), '--key-file', join(dir, 'key.pem'), '--check-public']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/not among the keys the app ships.*Installed apps would refuse/);
    expect(existsSync(join(dir, 'x'))).toBe(false);
    expect(run('sign-update.mjs', ['--dist', join(dir, 'dist')]).stderr).toMatch(/no signing key given/);
    const empty = run('sign-update.mjs', ['--dist', join(dir, 'nothing'), '--key-file', join(dir, 'key.pem')]);
    expect(empty.status).toBe(1);
    expect(empty.stderr).toMatch(/no latest\*\.yml .*npm run dist/);
  });

  it('update-keygen writes a private key file and puts the public key into the key module (old one kept on request)', () => {
    const keyModule = join(dir, 'update-public-key.ts');
    copyFileSync(join(root, 'electron/main/update-public-key.ts'), keyModule);
    const before = readFileSync(keyModule, 'utf8');
    const r = run('update-keygen.mjs', ['--out', join(dir, 'new.pem'), '--key-file', keyModule, '--keep-old']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/new update signing key [0-9a-f]{16}.*kept 1 old key/);
    const after = readFileSync(keyModule, 'utf8');
    expect(after.match(/BEGIN PUBLIC KEY/g)).toHaveLength(2);
    expect(after).toContain(before.match(/MCow[^\n]+/)![0]);
    expect(readFileSync(join(dir, 'new.pem'), 'utf8')).toMatch(/BEGIN PRIVATE KEY/);
    const again = run('update-keygen.mjs', ['--out', join(dir, 'new.pem'), '--key-file', keyModule]);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/refusing to overwrite/);
  });
});
