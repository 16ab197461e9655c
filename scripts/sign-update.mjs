#!/usr/bin/env node
// Release side of offline updates (`npm run update:sign`): turns electron-builder's output in dist/ into signed
// update packages a technician can carry on a USB stick, one per channel file (latest.yml → Windows,
// latest-mac.yml → macOS, latest-linux[-arm64].yml → Linux), and writes the signed manifests an update server
// keeps beside latest*.yml. The private key (PEM, Ed25519) comes from a file or an environment variable and is
// never written anywhere; --check-public refuses a key whose public half the app does not ship.
// Usage: node scripts/sign-update.mjs [--dist dist] [--out dist/updates] (--key-file K | --key-env UPDATE_SIGNING_KEY) [--check-public]
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import yaml from 'js-yaml';
import { register } from 'tsx/esm/api';

register();
const root = resolve(import.meta.dirname, '..');
const { APP_ID, createUpdatePackage, keyIdOf, onlineManifestName, signManifest } = await import('../electron/services/updates/update-package.ts');
const { UPDATE_PUBLIC_KEYS } = await import('../electron/main/update-public-key.ts');

const USAGE = 'Usage: node scripts/sign-update.mjs [--dist dist] [--out dist/updates] (--key-file FILE | --key-env NAME) [--check-public]';

/** Platform and CPU of a channel file, by electron-builder's naming. */
function channelTarget(name) {
  if (name === 'latest.yml') return { platform: 'win32', arch: 'universal' };
  if (name === 'latest-mac.yml') return { platform: 'darwin', arch: 'universal' };
  const m = /^latest-linux(?:-(arm64|armv7l|ia32))?\.yml$/.exec(name);
  if (m) return { platform: 'linux', arch: m[1] ?? 'x64' };
  return null;
}

function readKey(opts) {
  if (opts['key-file']) return readFileSync(opts['key-file'], 'utf8');
  if (opts['key-env']) {
    const v = process.env[opts['key-env']];
    if (!v) throw new Error(`the environment variable ${opts['key-env']} is empty; set it to the Ed25519 private key (PEM)`);
    return v;
  }
  throw new Error(`no signing key given\n${USAGE}`);
}

async function main() {
  let opts;
  try {
    opts = parseArgs({ options: { dist: { type: 'string', default: 'dist' }, out: { type: 'string' }, 'key-file': { type: 'string' }, 'key-env': { type: 'string' }, 'check-public': { type: 'boolean', default: false } } }).values;
  } catch (e) {
    process.stderr.write(`${e.message}\n${USAGE}\n`);
    return 2;
  }
  const dist = resolve(root, opts.dist);
  const out = resolve(root, opts.out ?? join(opts.dist, 'updates'));
  const privateKeyPem = readKey(opts);
  const publicKey = createPublicKey(createPrivateKey(privateKeyPem));
  const keyId = keyIdOf(publicKey);
  if (opts['check-public'] && !UPDATE_PUBLIC_KEYS.some((k) => keyIdOf(k) === keyId)) {
    process.stderr.write(`sign-update: the signing key (id ${keyId}) is not among the keys the app ships (electron/main/update-public-key.ts: ${UPDATE_PUBLIC_KEYS.map((k) => keyIdOf(k)).join(', ')}). Installed apps would refuse these packages.\n`);
    return 1;
  }
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const channels = existsSync(dist) ? readdirSync(dist).filter((n) => channelTarget(n)) : [];
  if (!channels.length) {
    process.stderr.write(`sign-update: no latest*.yml in ${dist}; run electron-builder with a publish configuration first (npm run dist).\n`);
    return 1;
  }
  mkdirSync(out, { recursive: true });
  for (const channelFile of channels) {
    const target = channelTarget(channelFile);
    const info = yaml.load(readFileSync(join(dist, channelFile), 'utf8'));
    const urls = [...new Set([...(info.files ?? []).map((f) => f.url), info.path].filter(Boolean))];
    const files = [join(dist, channelFile)];
    for (const u of urls) {
      const f = join(dist, basename(decodeURIComponent(u)));
      if (!existsSync(f)) throw new Error(`${channelFile} names ${u}, which is not in ${dist}`);
      files.push(f);
      if (existsSync(`${f}.blockmap`)) files.push(`${f}.blockmap`);
    }
    const manifestBase = { appId: APP_ID, productName: pkg.productName ?? 'Sarix Commissioner', version: info.version, platform: target.platform, arch: target.arch, channelFile };
    const file = join(out, `Sarix-Commissioner-${info.version}-${target.platform}-${target.arch}.sarix-update`);
    const manifest = await createUpdatePackage({ files, manifest: manifestBase, privateKeyPem, out: file });
    // The same signed manifest for an update server, beside latest*.yml (UpdateController.checkOnline reads it).
    const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n');
    const online = join(dist, onlineManifestName(target.platform, target.arch));
    writeFileSync(online, bytes);
    writeFileSync(`${online}.sig`, signManifest(bytes, privateKeyPem) + '\n');
    process.stdout.write(`signed ${basename(file)} (${manifest.files.length} files, key ${keyId}) and ${basename(online)}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`sign-update: ${e?.message ?? e}\n`);
    process.exit(1);
  },
);
