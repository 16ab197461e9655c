#!/usr/bin/env node
// `npm start`: builds with electron-vite and starts the Electron app. On first run it downloads the Electron
// binary with Electron's own installer (Electron 42+ no longer does that at `npm install`). Where Electron cannot
// run (no display, root, no binary and no download) it prints ONE line saying why and pointing to
// `npm run start:web`, and exits 1.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { cannotRunReason, electronBinary, missingBinaryReason } from './lib/start-lib.mjs';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function fail(line) {
  process.stderr.write(`npm start: ${line}\n`);
  process.exit(1);
}

const reason = cannotRunReason({ platform: process.platform, env: process.env, uid: process.getuid?.(), args });
if (reason) fail(reason);

const electronDir = dirname(require.resolve('electron/package.json', { paths: [root] }));
if (!electronBinary(electronDir).isPresent) {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) fail(missingBinaryReason(process.env));
  const version = require(join(electronDir, 'package.json')).version;
  process.stderr.write(`npm start: downloading Electron ${version} (first start only)…\n`);
  const r = spawnSync(process.execPath, [join(electronDir, 'install.js')], { cwd: electronDir, encoding: 'utf8', timeout: 15 * 60_000 });
  if (r.status !== 0 || !electronBinary(electronDir).isPresent) {
    const why = `${r.stderr ?? ''}`.split('\n').find((l) => /error|ENOTFOUND|ECONN|ETIMEDOUT|EAI_AGAIN/i.test(l))?.trim().slice(0, 160);
    fail(missingBinaryReason(process.env, why ?? (r.error?.message || undefined)));
  }
}

const bin = (name) => join(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
for (const step of [['build'], ['preview', ...args]]) {
  const r = spawnSync(bin('electron-vite'), step, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
