#!/usr/bin/env node
// Makes the Ed25519 key pair that signs updates (`npm run update:keygen -- --out FILE`): the private key goes to
// FILE (mode 600, never overwritten; keep it in the release manager's vault and give it to the release workflow
// as the UPDATE_SIGNING_KEY secret), the public key is written into electron/main/update-public-key.ts so the
// next build ships it. --keep-old keeps the keys already listed (for a rotation: installed apps then accept
// packages signed with either key until the old one is dropped).
// Usage: node scripts/update-keygen.mjs --out FILE [--keep-old] [--key-file electron/main/update-public-key.ts]
import { createHash, generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = 'Usage: node scripts/update-keygen.mjs --out FILE [--keep-old] [--key-file electron/main/update-public-key.ts]';
let opts;
try {
  opts = parseArgs({ options: { out: { type: 'string' }, 'keep-old': { type: 'boolean', default: false }, 'key-file': { type: 'string', default: resolve(import.meta.dirname, '..', 'electron/main/update-public-key.ts') } } }).values;
  if (!opts.out) throw new Error('--out FILE is required (where the private key goes; keep it out of the repository)');
} catch (e) {
  process.stderr.write(`${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (existsSync(opts.out)) {
  process.stderr.write(`update-keygen: ${opts.out} exists; refusing to overwrite a signing key\n`);
  process.exit(1);
}
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
writeFileSync(opts.out, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
const id = createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
const source = readFileSync(opts['key-file'], 'utf8');
const old = opts['keep-old'] ? [...source.matchAll(/`(-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----\n?)`/g)].map((m) => m[1]) : [];
const list = [pem, ...old].map((k) => `  \`${k.endsWith('\n') ? k : `${k}\n`}\`,`).join('\n');
const next = source.replace(/export const UPDATE_PUBLIC_KEYS: readonly string\[\] = \[[\s\S]*?\n\];/, `export const UPDATE_PUBLIC_KEYS: readonly string[] = [\n${list}\n];`);
if (next === source) {
  process.stderr.write(`update-keygen: could not find UPDATE_PUBLIC_KEYS in ${opts['key-file']}\n`);
  process.exit(1);
}
writeFileSync(opts['key-file'], next.replace(/\(id [0-9a-f]{16}\)/, `(id ${id})`));
process.stdout.write(`new update signing key ${id}: private key in ${opts.out}, public key in ${opts['key-file']}${old.length ? ` (kept ${old.length} old key(s))` : ''}\n`);
