/**
 * Test support for update packages: key pairs, a fake electron-builder output (channel file + installer +
 * blockmap) and hand-made tampered packages. Test-only; never bundled.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { MANIFEST_NAME, PAYLOAD_DIR, SIGNATURE_NAME } from './update-package';

/** An Ed25519 key pair as PEM strings. */
export function ed25519Pair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/**
 * Writes what electron-builder leaves in dist/ for one Linux AppImage release: latest-linux.yml, the AppImage and
 * its blockmap. The "installer" carries zip local-header signatures inside on purpose (real installers embed
 * archives), so a reader that scans for signatures instead of using the central directory would trip.
 */
export function fakeReleaseOutput(dir: string, version: string): string[] {
  const installer = join(dir, `Sarix-Commissioner-${version}.AppImage`);
  const body = Buffer.concat([Buffer.from('\x7fELF fake AppImage '), Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200_000, 7), Buffer.from([0x50, 0x4b, 0x01, 0x02]), Buffer.from(`v${version}`)]);
  writeFileSync(installer, body);
  const blockmap = `${installer}.blockmap`;
  writeFileSync(blockmap, Buffer.from('{"version":"2","files":[]}'));
  const channel = join(dir, 'latest-linux.yml');
  // electron-builder writes the installer's SHA-512 in base64; electron-updater checks the download against it.
  const sha512 = createHash('sha512').update(body).digest('base64');
  writeFileSync(channel, `version: ${version}\nfiles:\n  - url: Sarix-Commissioner-${version}.AppImage\n    sha512: ${sha512}\n    size: ${body.length}\npath: Sarix-Commissioner-${version}.AppImage\nsha512: ${sha512}\nreleaseDate: '2026-11-01T00:00:00.000Z'\n`);
  return [channel, installer, blockmap];
}

/** Writes a package from raw parts (no signing): for tampered variants. */
export async function writeRawPackage(out: string, parts: { manifest: Buffer; signature: Buffer | string; payload: Record<string, Buffer>; extra?: Record<string, Buffer> }): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(parts.manifest, MANIFEST_NAME, { compress: false });
  zip.addBuffer(Buffer.from(parts.signature), SIGNATURE_NAME, { compress: false });
  for (const [name, data] of Object.entries(parts.payload)) zip.addBuffer(data, PAYLOAD_DIR + name, { compress: false });
  for (const [name, data] of Object.entries(parts.extra ?? {})) zip.addBuffer(data, name, { compress: false });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(out));
}

/** Reads the payload files back as a name → bytes map. */
export function payloadOf(files: string[]): Record<string, Buffer> {
  return Object.fromEntries(files.map((f) => [f.split('/').pop()!, readFileSync(f)]));
}
