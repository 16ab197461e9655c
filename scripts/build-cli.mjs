// Builds the `sarix` command with esbuild, so `npx sarix` starts in plain Node without loading TypeScript on every
// run (bin/sarix.js picks the build when it is current). Our sources are bundled; npm packages stay in node_modules
// (external). Each command's implementation is its own chunk, loaded only when that command runs, so `sarix --help`
// loads the command list and nothing else.
//
// Layout: dist-cli/<build>/main.js (+ chunks) and dist-cli/current.json, which names the build and lists its source
// files. A new build goes into its own folder and current.json is swapped in by a rename, so a `sarix` starting
// meanwhile sees a whole build; the repository root is never touched after the first build (npm's npx cache checks
// its mtime). The previous build is kept for processes still loading from it; older ones are removed.
//
// It also links node_modules/.bin/sarix to bin/sarix.js. package.json declares no "bin": with one, `npx sarix`
// takes npm's self-execution path (libnpmexec installs the project into its npx cache and loads the whole
// dependency tree, about 2 s of CPU here); through node_modules/.bin it starts the command directly.
//
// Runs in `prepare` (npm ci, npm install) with --if-possible: a failure there only warns, and bin/sarix.js then runs
// the TypeScript sources through tsx. `npm run build:cli` runs it strictly.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const OUT = 'dist-cli';
const isLenient = process.argv.includes('--if-possible');

/** Makes node_modules/.bin/sarix start bin/sarix.js (a symlink; a .cmd shim on Windows). */
function linkBin() {
  const dir = join('node_modules', '.bin');
  mkdirSync(dir, { recursive: true });
  if (process.platform === 'win32') {
    writeFileSync(join(dir, 'sarix.cmd'), '@node "%~dp0\\..\\..\\bin\\sarix.js" %*\r\n');
    return;
  }
  const link = join(dir, 'sarix');
  try {
    unlinkSync(link);
  } catch {
    // not there yet
  }
  symlinkSync(relative(dir, join('bin', 'sarix.js')), link);
}

async function buildCli() {
  const startedAt = Date.now();
  const name = `build-${startedAt}-${process.pid}`;
  mkdirSync(OUT, { recursive: true });
  const result = await build({
    entryPoints: { main: 'electron/cli/main.ts' },
    outdir: join(OUT, name),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules/'));
  const tmp = join(OUT, `current.json.${process.pid}`);
  writeFileSync(tmp, JSON.stringify({ build: name, startedAt, builtAt: new Date().toISOString(), inputs }, null, 1) + '\n');
  renameSync(tmp, join(OUT, 'current.json'));
  // Keep this build and the one before it.
  const builds = readdirSync(OUT).filter((d) => d.startsWith('build-')).sort((a, b) => Number(b.split('-')[1]) - Number(a.split('-')[1]));
  for (const old of builds.filter((d) => d !== name).slice(1)) rmSync(join(OUT, old), { recursive: true, force: true });
  console.log(`built the sarix CLI into ${OUT}/${name}/ from ${inputs.length} source files in ${Date.now() - startedAt} ms`);
}

try {
  await buildCli();
  linkBin();
} catch (e) {
  const msg = `could not build the sarix CLI (${e instanceof Error ? e.message : String(e)})`;
  if (!isLenient) throw new Error(msg, { cause: e });
  console.warn(`warning: ${msg}; \`npx sarix\` runs the TypeScript sources through tsx instead (slower start).`);
  try {
    linkBin();
  } catch {
    // npx sarix then needs `npm run build:cli`; node bin/sarix.js works regardless.
  }
}
