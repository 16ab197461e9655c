#!/usr/bin/env node
// The `sarix` command. It runs the CLI built by scripts/build-cli.mjs (made by `prepare` on npm ci and npm install,
// and by `npm run build:cli`), which starts in plain Node. When there is no build, or one of the source files it
// was built from changed since (you edited or pulled), it runs the TypeScript sources through tsx instead: slower
// to start, but never stale. It does not rebuild by itself: many `sarix` processes start at once in the tests, and
// a command should not write into the checkout. `npm run build:cli` makes it fast again.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The current build's entry when every source it was built from is unchanged since; undefined otherwise. */
function currentBuild() {
  try {
    const { build, startedAt, inputs } = JSON.parse(readFileSync(join(root, 'dist-cli', 'current.json'), 'utf8'));
    for (const f of inputs) if (statSync(join(root, f)).mtimeMs > startedAt) return undefined;
    return join(root, 'dist-cli', build, 'main.js');
  } catch {
    return undefined;
  }
}

// SARIX_FROM_SOURCE=1 runs the TypeScript sources even when the build is current (to compare, or to debug).
const built = process.env.SARIX_FROM_SOURCE === '1' ? undefined : currentBuild();
let cli;
if (built) {
  cli = await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../electron/cli/main.ts');
}
process.exitCode = await cli.runCli(process.argv.slice(2));
