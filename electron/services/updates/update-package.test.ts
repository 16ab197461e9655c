import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppFailure } from '../../../shared/ipc/result';
import { ed25519Pair, fakeReleaseOutput, payloadOf, writeRawPackage } from './test-packages';
import { createUpdatePackage, keyIdOf, signManifest, verifyUpdatePackage, type UpdateExpectations, type UpdateManifest } from './update-package';

const APP_ID = 'com.sarix-commissioner.app';

describe('update packages (offline update from a USB stick)', () => {
  let dir: string;
  let release: string[];
  let keys: { publicKey: string; privateKey: string };
  let signed: string;
  let manifest: UpdateManifest;
  let n = 0;
  const expectFor = (over: Partial<UpdateExpectations> = {}): UpdateExpectations => ({ publicKeys: [keys.publicKey], appId: APP_ID, currentVersion: '0.1.0', platform: 'linux', arch: 'x64', ...over });
  const work = () => join(dir, `work-${++n}`);
  const pkgPath = (name: string) => join(dir, name);

  /** Verifies and returns the AppFailure (or fails the test when the package was accepted). */
  async function refusal(file: string, over: Partial<UpdateExpectations> = {}): Promise<{ code: string; message: string; workDir: string }> {
    const workDir = work();
    try {
      await verifyUpdatePackage(file, expectFor(over), workDir);
    } catch (e) {
      if (!isAppFailure(e)) throw e;
      return { code: e.code, message: e.message, workDir };
    }
    throw new Error(`${file} was accepted`);
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-update-'));
    mkdirSync(join(dir, 'dist'));
    release = fakeReleaseOutput(join(dir, 'dist'), '0.2.0');
    keys = ed25519Pair();
    signed = pkgPath('good.sarix-update');
    manifest = await createUpdatePackage({
      files: release,
      manifest: { appId: APP_ID, productName: 'Sarix Commissioner', version: '0.2.0', platform: 'linux', arch: 'x64', channelFile: 'latest-linux.yml' },
      privateKeyPem: keys.privateKey,
      out: signed,
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts a signed package and copies exactly the signed payload, byte for byte', async () => {
    const workDir = work();
    const v = await verifyUpdatePackage(signed, expectFor(), workDir);
    expect(v.manifest.version).toBe('0.2.0');
    expect(v.manifest.keyId).toBe(keyIdOf(keys.publicKey));
    expect(readdirSync(workDir).sort()).toEqual(release.map((f) => f.split('/').pop()).sort());
    for (const f of release) expect(readFileSync(join(workDir, f.split('/').pop()!)).equals(readFileSync(f))).toBe(true);
  });

  it('refuses a package whose installer was changed after signing, and leaves nothing behind', async () => {
    const payload = payloadOf(release);
    const installer = 'Sarix-Commissioner-0.2.0.AppImage';
    const evil = Buffer.from(payload[installer]);
    evil[100] ^= 0xff;
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const file = pkgPath('tampered-installer.sarix-update');
    await writeRawPackage(file, { manifest: manifestBytes, signature: signManifest(manifestBytes, keys.privateKey), payload: { ...payload, [installer]: evil } });
    const r = await refusal(file);
    expect(r.code).toBe('UPDATE_REJECTED');
    expect(r.message).toMatch(/Sarix-Commissioner-0\.2\.0\.AppImage .*does not match its signed SHA-256.*Nothing was installed/);
    expect(existsSync(r.workDir)).toBe(false);
  });

  it('refuses a package whose bytes were flipped on the stick (no re-zipping)', async () => {
    const raw = Buffer.from(readFileSync(signed));
    // Flip a byte in the middle of the stored installer data.
    const at = raw.indexOf(Buffer.alloc(64, 7)) + 5000;
    raw[at] ^= 0x01;
    const file = pkgPath('bitflip.sarix-update');
    writeFileSync(file, raw);
    const r = await refusal(file);
    expect(r.code).toBe('UPDATE_REJECTED');
    expect(r.message).toMatch(/does not match its signed SHA-256/);
  });

  it('refuses a manifest edited after signing (version raised, signature kept)', async () => {
    const edited = Buffer.from(JSON.stringify({ ...manifest, version: '9.9.9' }, null, 2) + '\n');
    const original = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const file = pkgPath('edited-manifest.sarix-update');
    await writeRawPackage(file, { manifest: edited, signature: signManifest(original, keys.privateKey), payload: payloadOf(release) });
    const r = await refusal(file);
    expect(r.code).toBe('UPDATE_REJECTED');
    expect(r.message).toMatch(/not signed by the makers of Sarix Commissioner, or it was changed after signing/);
  });

  it('refuses a package signed with somebody else\'s key, and one with no signature at all', async () => {
    const other = ed25519Pair();
    const file = pkgPath('other-key.sarix-update');
    await createUpdatePackage({ files: release, manifest: { ...manifest }, privateKeyPem: other.privateKey, out: file });
    expect((await refusal(file)).message).toMatch(/not signed by the makers/);
    const bytes = Buffer.from(JSON.stringify(manifest));
    const unsigned = pkgPath('unsigned.sarix-update');
    await writeRawPackage(unsigned, { manifest: bytes, signature: '', payload: payloadOf(release) });
    expect((await refusal(unsigned)).message).toMatch(/not signed by the makers/);
  });

  it('accepts a package signed with a second shipped key (key rotation)', async () => {
    const next = ed25519Pair();
    const file = pkgPath('rotated.sarix-update');
    await createUpdatePackage({ files: release, manifest: { ...manifest }, privateKeyPem: next.privateKey, out: file });
    await expect(verifyUpdatePackage(file, expectFor({ publicKeys: [keys.publicKey, next.publicKey] }), work())).resolves.toMatchObject({ manifest: { version: '0.2.0' } });
  });

  it('refuses a signed package with an extra file slipped in', async () => {
    const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const file = pkgPath('extra.sarix-update');
    await writeRawPackage(file, { manifest: bytes, signature: signManifest(bytes, keys.privateKey), payload: { ...payloadOf(release), 'run-me.sh': Buffer.from('#!/bin/sh\n') } });
    expect((await refusal(file)).message).toMatch(/payload\/run-me\.sh, which its signed manifest does not list/);
  });

  it('refuses a signed package for another platform, CPU, app or an older version, saying which file to use', async () => {
    expect((await refusal(signed, { platform: 'win32' })).message).toMatch(/for Linux, but this computer runs Windows\. Use the Windows update file/);
    expect((await refusal(signed, { arch: 'arm64' })).message).toMatch(/for x64 processors.*arm64/);
    expect((await refusal(signed, { appId: 'com.other.app' })).message).toMatch(/another application/);
    expect((await refusal(signed, { currentVersion: '0.2.0' })).message).toMatch(/version 0\.2\.0, which is not newer than the installed 0\.2\.0/);
    await expect(verifyUpdatePackage(signed, expectFor({ currentVersion: '0.2.0', allowSameOrOlder: true }), work())).resolves.toBeTruthy();
  });

  it('says what to do with a file that is not an update package at all', async () => {
    const file = pkgPath('holiday.jpg');
    writeFileSync(file, Buffer.from('\xff\xd8\xff\xe0 not a zip'));
    const r = await refusal(file);
    expect(r.code).toBe('UPDATE_REJECTED');
    expect(r.message).toMatch(/holiday\.jpg is not a Sarix Commissioner update package.*\.sarix-update/);
    const missing = join(dir, 'gone.sarix-update');
    await expect(verifyUpdatePackage(missing, expectFor(), work())).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/USB stick/) });
  });
});
