#!/usr/bin/env node
// Packaging smoke test (`npm run dist:smoke`, part of `npm test`): builds with electron-vite, packs
// `electron-builder --linux dir` against a stand-in Electron (no download is possible here), then checks the
// result: app.asar holds the built app, the knowledge base and every production dependency, and none of tests/,
// bench/, sources or dev tooling; the packed main process's imports resolve inside the asar; the fuses from
// electron-builder.yml were really flipped in the binary.
// Usage: node scripts/dist-smoke.mjs [--skip-build] [--keep]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAsarEntries, checkFuses, externalImports, kbLanguageCoverage, loadBuilderConfig, probeImports, readFuseWire, runtimePackages, runPreloadInSandbox, writeStandInElectronDist } from './lib/dist-smoke-lib.mjs';

const require = createRequire(import.meta.url);
const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(cmd, args, env = {}) {
  const t = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  const secs = ((Date.now() - t) / 1000).toFixed(1);
  if (r.status !== 0) {
    process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}\n`);
    throw new Error(`${cmd.split('/').pop()} ${args.join(' ')} failed (exit ${r.status ?? r.signal ?? r.error?.message}) after ${secs} s`);
  }
  return secs;
}

/**
 * Boots the packed main in plain Node with a stand-in electron module placed in the extracted tree (after the
 * import probe, which must see electron as absent) and returns what boot-packed-main.mjs found.
 */
function bootPackedMain(extracted) {
  const mod = join(extracted, 'node_modules', 'electron');
  mkdirSync(mod, { recursive: true });
  writeFileSync(join(mod, 'package.json'), JSON.stringify({ name: 'electron', version: '0.0.0-stand-in', main: 'index.js' }));
  copyFileSync(join(import.meta.dirname, 'lib', 'stand-in-electron-module.cjs'), join(mod, 'index.js'));
  const r = spawnSync(process.execPath, [join(import.meta.dirname, 'lib', 'boot-packed-main.mjs'), extracted], { cwd: extracted, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_PATH: '' }, timeout: 90_000 });
  const last = (r.stdout ?? '').trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(last);
  } catch {
    return { problems: [`booting the packed main failed (exit ${r.status ?? r.signal}): ${(r.stderr ?? '').split('\n').slice(0, 5).join(' ')}`], channels: 0 };
  }
}

/** The packed preload must run under sandbox rules and expose exactly the contract's api keys, frozen. */
async function checkPreload(file) {
  if (!existsSync(file)) return ['no out/preload/index.cjs in the asar'];
  let exposed;
  try {
    ({ exposed } = await runPreloadInSandbox(readFileSync(file, 'utf8')));
  } catch (e) {
    return [`the packed preload fails in a sandboxed renderer: ${e.message}`];
  }
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./shared/ipc/build-api.ts').then((m) => process.stdout.write(JSON.stringify(m.apiKeys())))"], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) return [`could not list the contract's api keys: ${r.stderr.split('\n')[0]}`];
  const want = JSON.parse(r.stdout).sort();
  if (exposed.length !== 1 || exposed[0].name !== 'api') return [`the preload exposed ${exposed.map((e) => e.name).join(', ') || 'nothing'}; expected only "api"`];
  const got = Object.keys(exposed[0].value).sort();
  const problems = [];
  if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`the packed preload's api keys differ from the contract (rebuild?): missing ${want.filter((k) => !got.includes(k)).join(', ') || '-'}; extra ${got.filter((k) => !want.includes(k)).join(', ') || '-'}`);
  if (!Object.isFrozen(exposed[0].value)) problems.push('the packed preload api is not frozen');
  return problems;
}

/** The UI languages the app ships (shared/i18n/languages.ts, read through tsx like the contract's api keys). */
function shippedLanguages() {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./shared/i18n/languages.ts').then((m) => process.stdout.write(JSON.stringify(m.LANGUAGES)))"], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`could not read the shipped languages: ${r.stderr.split('\n')[0]}`);
  return JSON.parse(r.stdout);
}

function listFiles(dir, prefix = '') {
  return readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? listFiles(join(dir, n), `${prefix}/${n}`) : [`${prefix}/${n}`]));
}

async function main() {
  let opts;
  try {
    opts = parseArgs({ options: { 'skip-build': { type: 'boolean', default: false }, keep: { type: 'boolean', default: false } } }).values;
  } catch (e) {
    process.stderr.write(`${e.message}\nUsage: node scripts/dist-smoke.mjs [--skip-build] [--keep]\n`);
    return 2;
  }
  const started = Date.now();
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const builderConfig = loadBuilderConfig(root);
  const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const tmp = mkdtempSync(join(tmpdir(), 'sarix-dist-smoke-'));
  try {
    const buildSecs = opts['skip-build'] ? 'skipped' : `${run(bin('electron-vite'), ['build'])} s`;
    const dist = join(tmp, 'electron-dist');
    writeStandInElectronDist(dist, electronVersion);
    const output = join(tmp, 'out');
    const packSecs = run(bin('electron-builder'), ['--linux', 'dir', '--publish', 'never', `-c.electronDist=${dist}`, '-c.npmRebuild=false', `-c.directories.output=${output}`], {
      ELECTRON_SKIP_BINARY_DOWNLOAD: '1',
      CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    });

    const unpacked = join(output, 'linux-unpacked');
    const asarPath = join(unpacked, 'resources', 'app.asar');
    if (!existsSync(asarPath)) throw new Error(`electron-builder produced no ${asarPath}`);
    const asar = require('@electron/asar');
    const entries = asar.listPackage(asarPath, { isPack: false });
    const kbFiles = existsSync(join(root, 'kb')) ? listFiles(join(root, 'kb'), '/kb').filter((f) => f.endsWith('.md')) : [];
    const runtimeDeps = Object.keys(pkg.dependencies ?? {});
    const needed = runtimePackages(root);
    const devOnly = Object.keys(pkg.devDependencies ?? {}).filter((d) => !needed.has(d));
    const problems = checkAsarEntries(entries, { dependencies: runtimeDeps, devDependencies: devOnly, requiredFiles: kbFiles });
    // Every shipped UI language ships every article (kb/<language>/<id>.md); checkAsarEntries then requires them packed.
    const kb = kbLanguageCoverage(kbFiles, shippedLanguages());
    problems.push(...kb.problems);

    const exeName = builderConfig.executableName ?? pkg.name;
    const exe = join(unpacked, exeName);
    if (!existsSync(exe)) problems.push(`no executable ${exeName} in ${unpacked}`);
    else problems.push(...checkFuses(readFuseWire(readFileSync(exe)), builderConfig.electronFuses));

    const extracted = join(tmp, 'extracted');
    asar.extractAll(asarPath, extracted);
    const mainCode = listFiles(join(extracted, 'out', 'main'))
      .filter((f) => /\.[cm]?js$/.test(f))
      .map((f) => readFileSync(join(extracted, 'out', 'main', f), 'utf8'))
      .join('\n');
    const specs = externalImports(mainCode);
    problems.push(...probeImports(extracted, specs));
    problems.push(...(await checkPreload(join(extracted, 'out', 'preload', 'index.cjs'))));
    const boot = bootPackedMain(extracted);
    problems.push(...boot.problems);

    const asarBytes = statSync(asarPath).size;
    process.stdout.write(
      `dist smoke: electron-vite build ${buildSecs}, electron-builder --linux dir ${packSecs} s; app.asar ${(asarBytes / 1024 / 1024).toFixed(1)} MiB, ${entries.length} entries; ` +
        `${Object.keys(pkg.dependencies ?? {}).length} runtime dependencies checked, kb articles ${Object.entries(kb.counts).map(([l, n]) => `${l} ${n}`).join(', ')}, ${specs.length} main imports probed, preload run sandboxed, main booted with ${boot.channels} IPC channels, fuses checked\n`,
    );
    if (opts.keep) process.stdout.write(`kept ${tmp}\n`);
    if (problems.length) {
      for (const p of problems) process.stdout.write(`  FAIL ${p}\n`);
      process.stdout.write(`dist smoke: ${problems.length} problem(s) → FAIL (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
      return 1;
    }
    process.stdout.write(`dist smoke: PASS (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return 0;
  } finally {
    if (!opts.keep) rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`dist smoke: ${e?.message ?? e}\n`);
    process.exit(1);
  },
);
