/**
 * Offline update packages: one `.sarix-update` file a technician carries on a USB stick. It is a zip (stored,
 * not compressed: installers are compressed already) holding
 *
 *   sarix-update.json       the manifest: app id, version, platform, arch, and every payload file's size + SHA-256
 *   sarix-update.json.sig   base64 Ed25519 signature of the manifest's exact bytes
 *   payload/<file>          electron-builder's output for one platform: the channel file (latest*.yml), the
 *                           installer it names, and its blockmap
 *
 * The app trusts a package only when the signature verifies with a public key shipped inside the app and every
 * payload file matches the manifest; anything else is refused before a byte is handed to an installer. The
 * reader goes by the zip's central directory (yauzl), so an installer that itself contains zip signatures cannot
 * confuse it, and entry names with paths are refused. The release side (scripts/sign-update.mjs) builds packages
 * with createUpdatePackage(). Plain Node (node:crypto Ed25519); never imports electron.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import semver from 'semver';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { z } from 'zod';
import { failure, type MessageParams } from '../../../shared/i18n/messages';
import { AppFailure } from '../../../shared/ipc/result';

/** The manifest's entry name inside a package. */
export const MANIFEST_NAME = 'sarix-update.json';
/** The detached signature's entry name inside a package. */
export const SIGNATURE_NAME = 'sarix-update.json.sig';
/** The folder of the payload files inside a package. */
export const PAYLOAD_DIR = 'payload/';
/** The file extension of update packages. */
export const PACKAGE_EXTENSION = '.sarix-update';
/** electron-builder's appId (electron-builder.yml): an update package must name it. */
export const APP_ID = 'com.sarix-commissioner.app';

/** The name of the signed manifest an update server keeps beside latest*.yml for one platform and CPU. */
export function onlineManifestName(platform: string, arch: string): string {
  return `sarix-update-${platform}-${arch}.json`;
}

/** The manifest format this app reads. */
export const PACKAGE_FORMAT = 'sarix-update/1';

const MAX_MANIFEST_BYTES = 64 * 1024;
const MAX_PACKAGE_BYTES = 4 * 1024 ** 3;
const MAX_FILES = 16;

/** A payload file name: a plain file name, no folders, no dot-dot, no control characters. */
const FileNameSchema = z
  .string()
  .min(1)
  .max(200)
  // eslint-disable-next-line no-control-regex -- refusing control characters in file names is the point
  .regex(/^[^/\\\x00-\x1f]+$/, 'a plain file name without folders')
  .refine((n) => n !== '.' && n !== '..', 'not . or ..');

/** One payload file of a package. */
export const UpdateFileSchema = z.object({
  name: FileNameSchema,
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The signed manifest of an update package. */
export const UpdateManifestSchema = z.object({
  format: z.literal(PACKAGE_FORMAT),
  appId: z.string().min(1).max(200),
  productName: z.string().min(1).max(200),
  version: z.string().refine((v) => semver.valid(v) !== null, 'a semantic version such as 1.4.0'),
  platform: z.enum(['win32', 'darwin', 'linux']),
  /** The CPU architecture, or `universal` when the installer carries every architecture (NSIS, mac universal). */
  arch: z.enum(['x64', 'arm64', 'ia32', 'armv7l', 'universal']),
  /** electron-builder's channel file in the payload (latest.yml, latest-mac.yml, latest-linux.yml, ...). */
  channelFile: FileNameSchema,
  createdAt: z.string(),
  /** Fingerprint of the signing key (first 16 hex digits of the SHA-256 of its DER public key). */
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  releaseNotes: z.string().max(20_000).optional(),
  files: z.array(UpdateFileSchema).min(1).max(MAX_FILES),
});
/** The signed manifest of an update package. */
export type UpdateManifest = z.infer<typeof UpdateManifestSchema>;

/** What the app checks a package against. */
export interface UpdateExpectations {
  /** Public keys shipped with the app (PEM, Ed25519); several allow a key rotation. */
  publicKeys: string[];
  /** electron-builder appId of this app. */
  appId: string;
  /** The running version; a package must be newer unless allowSameOrOlder. */
  currentVersion: string;
  platform: NodeJS.Platform;
  arch: string;
  allowSameOrOlder?: boolean;
}

/** A package whose signature and payload were verified, extracted to `dir`. */
export interface VerifiedUpdate {
  manifest: UpdateManifest;
  /** Folder holding exactly the verified payload files (the app's own copy, not the USB stick's). */
  dir: string;
  /** The package file it came from. */
  source: string;
}

/** A refused package: the message keyed under errors.UPDATE_REJECTED in the shared catalogs. */
function rejected(key: `errors.UPDATE_REJECTED.${string}`, params?: MessageParams, details?: unknown): AppFailure {
  return failure('UPDATE_REJECTED', key, params, details);
}

/** The key id of a public key: first 16 hex digits of the SHA-256 of its DER (SPKI) form. */
export function keyIdOf(publicKey: string | KeyObject): string {
  const key = typeof publicKey === 'string' ? createPublicKey(publicKey) : publicKey;
  return createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

/** Signs manifest bytes with an Ed25519 private key (PEM); returns the base64 signature. */
export function signManifest(manifestBytes: Buffer, privateKeyPem: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`the signing key is ${key.asymmetricKeyType}, not Ed25519`);
  return sign(null, manifestBytes, key).toString('base64');
}

/**
 * Checks a manifest's signature against the app's keys and parses it. Throws UPDATE_REJECTED when no key
 * verifies it or it is not a manifest this app understands.
 */
export function verifySignedManifest(manifestBytes: Buffer, signatureText: string, publicKeys: string[]): UpdateManifest {
  const signature = Buffer.from(signatureText.trim(), 'base64');
  // Ed25519 signatures are 64 bytes; anything else is not ours (and Buffer.from ignores bad base64 silently).
  const isSigned =
    signature.length === 64 &&
    publicKeys.some((pem) => {
      try {
        const key = createPublicKey(pem);
        return key.asymmetricKeyType === 'ed25519' && verify(null, manifestBytes, key, signature);
      } catch {
        return false;
      }
    });
  if (!isSigned) {
    throw rejected('errors.UPDATE_REJECTED.badSignature');
  }
  let json: unknown;
  try {
    json = JSON.parse(manifestBytes.toString('utf8'));
  } catch {
    throw rejected('errors.UPDATE_REJECTED.unreadableManifest');
  }
  const parsed = UpdateManifestSchema.safeParse(json);
  if (!parsed.success) {
    throw rejected('errors.UPDATE_REJECTED.newerFormat', undefined, { issues: parsed.error.issues.slice(0, 5) });
  }
  return parsed.data;
}

/** Checks a verified manifest against this app: same app, this platform and CPU, a newer version. */
export function checkManifestFits(m: UpdateManifest, x: Omit<UpdateExpectations, 'publicKeys'>): void {
  if (m.appId !== x.appId) throw rejected('errors.UPDATE_REJECTED.otherApp', { product: m.productName });
  if (m.platform !== x.platform) throw rejected('errors.UPDATE_REJECTED.otherPlatform', { platform: platformName(m.platform), here: platformName(x.platform) });
  if (m.arch !== 'universal' && m.arch !== x.arch) throw rejected('errors.UPDATE_REJECTED.otherArch', { arch: m.arch, here: x.arch });
  if (!x.allowSameOrOlder && !semver.gt(m.version, x.currentVersion)) {
    throw rejected('errors.UPDATE_REJECTED.notNewer', { version: m.version, installed: x.currentVersion });
  }
  const names = new Set<string>();
  for (const f of m.files) {
    if (names.has(f.name)) throw rejected('errors.UPDATE_REJECTED.listedTwice', { name: f.name });
    names.add(f.name);
  }
  if (!names.has(m.channelFile)) throw rejected('errors.UPDATE_REJECTED.noChannelFile');
}

function platformName(p: string): string {
  return p === 'win32' ? 'Windows' : p === 'darwin' ? 'macOS' : p === 'linux' ? 'Linux' : p;
}

/** Counts and hashes the bytes that flow through, so a file is checked while it is copied. */
function hashingCounter(): Transform & { sha256: () => string; bytes: () => number } {
  const hash = createHash('sha256');
  let count = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      count += chunk.length;
      cb(null, chunk);
    },
  });
  return Object.assign(t, { sha256: () => hash.digest('hex'), bytes: () => count });
}

/** SHA-256 and size of a file on disk (streamed). */
export async function fileDigest(path: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

function openZip(path: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true }, (e, zip) => (e ? reject(e) : resolve(zip)));
  });
}

function listEntries(zip: yauzl.ZipFile): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    const out: yauzl.Entry[] = [];
    zip.on('entry', (entry: yauzl.Entry) => {
      out.push(entry);
      if (out.length > MAX_FILES + 8) {
        reject(rejected('errors.UPDATE_REJECTED.tooManyFiles'));
        return;
      }
      zip.readEntry();
    });
    zip.once('end', () => resolve(out));
    zip.once('error', reject);
    zip.readEntry();
  });
}

function entryStream(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (e, s) => (e ? reject(e) : resolve(s))));
}

async function readSmallEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  if (entry.uncompressedSize > MAX_MANIFEST_BYTES) throw rejected('errors.UPDATE_REJECTED.manifestTooLarge', { name: entry.fileName });
  const chunks: Buffer[] = [];
  for await (const c of await entryStream(zip, entry)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Verifies an update package and copies its payload into `workDir` (created; removed again on any failure).
 * Order: the signature of the manifest first, then the manifest against this app, then every payload file's
 * size and SHA-256 while it is copied. Throws AppFailure UPDATE_REJECTED with a message that says what to do.
 */
export async function verifyUpdatePackage(file: string, expect: UpdateExpectations, workDir: string): Promise<VerifiedUpdate> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (e) {
    throw failure('NOT_FOUND', 'errors.NOT_FOUND.updateFile', { file: basename(file), code: (e as NodeJS.ErrnoException).code ?? 'error' });
  }
  if (size > MAX_PACKAGE_BYTES) throw rejected('errors.UPDATE_REJECTED.tooLarge', { file: basename(file), gib: (size / 1024 ** 3).toFixed(1) });
  let zip: yauzl.ZipFile;
  try {
    zip = await openZip(file);
  } catch (e) {
    throw rejected('errors.UPDATE_REJECTED.notPackage', { file: basename(file), reason: e instanceof Error ? e.message : String(e), extension: PACKAGE_EXTENSION });
  }
  try {
    const entries = await listEntries(zip).catch((e: unknown) => {
      if (e instanceof AppFailure) throw e;
      throw rejected('errors.UPDATE_REJECTED.damaged', { file: basename(file), reason: e instanceof Error ? e.message : String(e) });
    });
    const byName = new Map<string, yauzl.Entry>();
    for (const e of entries) {
      if (e.fileName.endsWith('/')) continue;
      if (byName.has(e.fileName)) throw rejected('errors.UPDATE_REJECTED.heldTwice', { name: e.fileName });
      byName.set(e.fileName, e);
    }
    const manifestEntry = byName.get(MANIFEST_NAME);
    const sigEntry = byName.get(SIGNATURE_NAME);
    if (!manifestEntry || !sigEntry) throw rejected('errors.UPDATE_REJECTED.unsigned', { file: basename(file) });
    const manifestBytes = await readSmallEntry(zip, manifestEntry);
    const signature = (await readSmallEntry(zip, sigEntry)).toString('utf8');
    const manifest = verifySignedManifest(manifestBytes, signature, expect.publicKeys);
    checkManifestFits(manifest, expect);

    const listed = new Set(manifest.files.map((f) => PAYLOAD_DIR + f.name));
    for (const name of byName.keys()) {
      if (name !== MANIFEST_NAME && name !== SIGNATURE_NAME && !listed.has(name)) {
        throw rejected('errors.UPDATE_REJECTED.unlistedFile', { name });
      }
    }
    await rm(workDir, { recursive: true, force: true });
    await mkdir(workDir, { recursive: true, mode: 0o700 });
    try {
      for (const f of manifest.files) {
        const entry = byName.get(PAYLOAD_DIR + f.name);
        if (!entry) throw rejected('errors.UPDATE_REJECTED.missingFile', { name: f.name });
        if (entry.uncompressedSize !== f.size) throw rejected('errors.UPDATE_REJECTED.sizeChanged', { name: f.name });
        const counter = hashingCounter();
        try {
          await pipeline(await entryStream(zip, entry), counter, createWriteStream(join(workDir, f.name), { mode: 0o600, flags: 'wx' }));
        } catch (e) {
          throw rejected('errors.UPDATE_REJECTED.unreadableEntry', { name: f.name, reason: e instanceof Error ? e.message : String(e) });
        }
        if (counter.bytes() !== f.size || counter.sha256() !== f.sha256) {
          throw rejected('errors.UPDATE_REJECTED.hashMismatch', { name: f.name });
        }
      }
    } catch (e) {
      await rm(workDir, { recursive: true, force: true });
      throw e;
    }
    return { manifest, dir: workDir, source: file };
  } finally {
    zip.close();
  }
}

/** What the release side passes to build one package. */
export interface CreatePackageOptions {
  /** The payload files (absolute paths): channel file, installer, blockmap. */
  files: string[];
  manifest: Omit<UpdateManifest, 'files' | 'format' | 'keyId' | 'createdAt'> & { createdAt?: string };
  privateKeyPem: string;
  /** Where to write the package. */
  out: string;
}

/** Builds and signs an update package (release side and tests). Returns the manifest written. */
export async function createUpdatePackage(o: CreatePackageOptions): Promise<UpdateManifest> {
  const files: UpdateManifest['files'] = [];
  for (const path of o.files) files.push({ name: basename(path), ...(await fileDigest(path)) });
  const publicKey = createPublicKey(createPrivateKey(o.privateKeyPem));
  const manifest = UpdateManifestSchema.parse({ ...o.manifest, format: PACKAGE_FORMAT, keyId: keyIdOf(publicKey), createdAt: o.manifest.createdAt ?? new Date().toISOString(), files });
  const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  const zip = new yazl.ZipFile();
  zip.addBuffer(manifestBytes, MANIFEST_NAME, { compress: false });
  zip.addBuffer(Buffer.from(signManifest(manifestBytes, o.privateKeyPem) + '\n', 'utf8'), SIGNATURE_NAME, { compress: false });
  for (const path of o.files) zip.addFile(path, PAYLOAD_DIR + basename(path), { compress: false });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(o.out));
  return manifest;
}
