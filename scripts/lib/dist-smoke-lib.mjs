// Pieces of the packaging smoke test (scripts/dist-smoke.mjs): a stand-in Electron distribution that
// electron-builder accepts offline, the expected fuse wire, and the rules for what app.asar must (not) hold.
// Plain ESM so the script runs with bare node; types in the .d.mts next to it.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** Reads electron-builder.yml (js-yaml comes with electron-builder, which reads the same file with it). */
export function loadBuilderConfig(root) {
  const require = createRequire(import.meta.url);
  return require('js-yaml').load(readFileSync(join(root, 'electron-builder.yml'), 'utf8'));
}

/** @electron/fuses' sentinel: the fuse wire follows it in the Electron binary (version byte, length, states). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Fuse order of wire version 1 (@electron/fuses FuseV1Options), with electron-builder's option names. */
export const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
];
// Electron's shipped defaults ('1' on, '0' off), so the smoke test proves electron-builder actually flipped them.
const SHIPPED_DEFAULTS = '10110001';

/**
 * Writes a stand-in for an unpacked Electron (what `electronDist` points at): an `electron` executable that
 * only explains itself, carrying a version-1 fuse wire with Electron's default states; `resources/`; `version`.
 * electron-builder copies and renames it, flips the fuses, and packs the app without downloading anything.
 */
export function writeStandInElectronDist(dir, version) {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const script = Buffer.from('#!/bin/sh\necho "stand-in Electron used by the packaging smoke test; it cannot run the app" >&2\nexit 1\n# fuse wire: ');
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL, 'ascii'), Buffer.from([1, FUSE_ORDER.length]), Buffer.from(SHIPPED_DEFAULTS, 'ascii'), Buffer.from('\n')]);
  const exe = join(dir, 'electron');
  writeFileSync(exe, Buffer.concat([script, wire]));
  chmodSync(exe, 0o755);
  writeFileSync(join(dir, 'version'), version);
  writeFileSync(join(dir, 'LICENSE'), 'stand-in\n');
  return exe;
}

/** Reads the fuse wire back from a (stand-in) binary: { fuseName: '0' | '1' | 'r' | 'inherit' }. */
export function readFuseWire(binary) {
  const at = binary.indexOf(FUSE_SENTINEL);
  if (at < 0) throw new Error('no fuse sentinel in the packaged binary; electron-builder did not copy the stand-in Electron');
  const pos = at + FUSE_SENTINEL.length;
  if (binary[pos] !== 1) throw new Error(`unexpected fuse wire version ${binary[pos]}`);
  const len = binary[pos + 1];
  const out = {};
  for (let i = 0; i < len && i < FUSE_ORDER.length; i++) {
    const b = binary[pos + 2 + i];
    out[FUSE_ORDER[i]] = b === 0x31 ? '1' : b === 0x30 ? '0' : b === 0x72 ? 'r' : 'inherit';
  }
  return out;
}

/** Compares the wire with electron-builder.yml's electronFuses; returns one message per mismatch. */
export function checkFuses(wire, wanted) {
  const problems = [];
  for (const name of FUSE_ORDER) {
    if (!(name in (wanted ?? {}))) {
      problems.push(`electron-builder.yml electronFuses does not set ${name}; set it explicitly`);
      continue;
    }
    const want = wanted[name] ? '1' : '0';
    if (wire[name] !== want) problems.push(`fuse ${name} is ${wire[name]} in the packaged binary, expected ${want}`);
  }
  return problems;
}

/** Dev tooling that must never be inside app.asar. */
export const FORBIDDEN_PACKAGES = ['vitest', 'typescript', 'playwright-core', 'electron-builder', 'electron', 'electron-vite', 'vite', 'eslint', 'tsx', '@doyensec/electronegativity', 'app-builder-lib', '@types/node'];

/**
 * Checks an asar listing (paths like `/node_modules/zod/package.json`) against the rules: the built app, the
 * knowledge base and every production dependency are in; tests, benchmarks, sources, test files and dev tooling
 * are out. Returns one message per problem.
 */
export function checkAsarEntries(entries, { dependencies = [], devDependencies = [], requiredFiles = [] } = {}) {
  const set = new Set(entries.map((e) => e.split('\\').join('/')));
  const problems = [];
  for (const f of ['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html', ...requiredFiles]) {
    if (!set.has(f)) problems.push(`missing ${f}`);
  }
  for (const dep of dependencies) {
    if (!set.has(`/node_modules/${dep}/package.json`)) problems.push(`runtime dependency ${dep} is missing (/node_modules/${dep})`);
  }
  const forbiddenPkgs = new Set([...FORBIDDEN_PACKAGES, ...devDependencies].filter((p) => !dependencies.includes(p)));
  const rules = [
    [/^\/(tests|bench|scripts|electron|shared|renderer|bin|build|dist|dist-web|\.ci|\.tmp|coverage)(\/|$)/, 'source, test or tooling folder'],
    [/\.(test|spec)\.[cm]?[jt]sx?$/, 'test file'],
    [/^\/(?!node_modules\/).*\.tsx?$/, 'TypeScript source'],
    [/\.map$/, 'source map'],
  ];
  for (const e of set) {
    for (const [re, what] of rules) if (re.test(e)) problems.push(`${what} packed: ${e}`);
    const m = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)(\/|$)/.exec(e);
    if (m && forbiddenPkgs.has(m[1]) && (m[2] === '' || e === `/node_modules/${m[1]}/package.json`)) problems.push(`dev tooling packed: /node_modules/${m[1]}`);
  }
  return problems;
}

/**
 * Counts the knowledge-base articles per shipped language in a kb listing (`/kb/<id>.md` is English,
 * `/kb/<language>/<id>.md` a translation) and names every English article a shipped language lacks: the app would
 * show it in English (knowledge-base.ts falls back), so a release must not ship a half-translated set.
 */
export function kbLanguageCoverage(kbFiles, languages) {
  const english = kbFiles.filter((f) => /^\/kb\/[^/]+\.md$/.test(f));
  const counts = { en: english.length };
  const problems = [];
  for (const lang of languages.filter((l) => l !== 'en')) {
    const have = new Set(kbFiles.filter((f) => f.startsWith(`/kb/${lang}/`)));
    counts[lang] = have.size;
    for (const f of english) if (!have.has(f.replace('/kb/', `/kb/${lang}/`))) problems.push(`kb${f.slice(3)} has no translation kb/${lang}${f.slice(3)}`);
  }
  return { counts, problems };
}

/**
 * Names of the packages the app needs at run time, as npm recorded them in package-lock.json (every installed
 * package not marked dev-only; the same rule as the licence list in licenses.mjs). A dev dependency that a runtime
 * package also needs (dns-packet: our test DNS server uses it, and bonjour-service's multicast-dns needs it at run
 * time) is in it, so it is rightly packed and must not be flagged as dev tooling.
 */
export function runtimePackages(root) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const names = new Set();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key.startsWith('node_modules/') || entry.dev || entry.devOptional || entry.link) continue;
    names.add(entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length));
  }
  return names;
}

/** Bare package specifiers the built main process imports (external at build time, so they must be in the asar). */
export function externalImports(code) {
  const specs = new Set();
  // Static imports are statements at the start of a line in bundler output; matching only there keeps strings
  // such as `.get("from")` inside library code from being taken for imports.
  const patterns = [/^\s*(?:import|export)\b[^;'"]*?\bfrom\s*["']([^"']+)["']/gm, /^\s*import\s*["']([^"']+)["']/gm, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) {
      const s = m[1];
      if (s.startsWith('.') || s.startsWith('/') || s.startsWith('node:') || s === 'electron' || s.startsWith('electron/')) continue;
      specs.add(s);
    }
  }
  return [...specs].sort();
}

/** Loads the packed main's bare imports from an extracted asar in plain node; returns one message per failure. */
export function probeImports(extracted, specs) {
  const probe = join(extracted, 'out', 'main', '__smoke-probe.mjs');
  writeFileSync(
    probe,
    `const specs = ${JSON.stringify(specs)};
const bad = [];
for (const s of specs) {
  try { await import(s); } catch (e) {
    // In plain node, electron itself is absent: a package that needs it (electron-log/main) still proved it is packed.
    const msg = String(e && e.message);
    if (/Cannot find (package|module) 'electron'/.test(msg) || /Electron failed to install/.test(msg)) continue;
    bad.push(s + ': ' + msg.split('\\n')[0]);
  }
}
process.stdout.write(JSON.stringify(bad));
`,
  );
  // NODE_PATH empty and cwd inside the extracted tree: resolution can only use the packed node_modules.
  const r = spawnSync(process.execPath, [probe], { cwd: extracted, encoding: 'utf8', env: { PATH: process.env.PATH, NODE_PATH: '' }, timeout: 60_000 });
  if (r.status !== 0) return [`import probe crashed: ${r.stderr.split('\n').slice(0, 3).join(' ')}`];
  return JSON.parse(r.stdout).map((m) => `packed main cannot load ${m}`);
}

/** Modules a sandboxed Electron preload may require (Electron docs, "Process Sandboxing": preload scripts). */
export const SANDBOX_PRELOAD_MODULES = ['electron', 'events', 'timers', 'url'];

/**
 * Runs a built preload the way a sandboxed renderer does: CommonJS, and `require` limited to electron and a few
 * polyfilled builtins, so a preload that still needs an npm package fails here instead of in the field. Returns
 * what it exposed through contextBridge.
 */
export async function runPreloadInSandbox(code) {
  const { runInNewContext } = await import('node:vm');
  const exposed = [];
  const invoked = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (name, value) => exposed.push({ name, value }) },
    ipcRenderer: { invoke: async (...a) => (invoked.push(a), { ok: true, value: null }), on() {}, removeListener() {} },
  };
  const sandboxRequire = (id) => {
    if (id === 'electron') return electron;
    if (SANDBOX_PRELOAD_MODULES.includes(id)) return {};
    throw new Error(`a sandboxed preload cannot require "${id}"; bundle it into the preload`);
  };
  const module = { exports: {} };
  runInNewContext(`(function (require, module, exports) {\n${code}\n})`, { console })(sandboxRequire, module, module.exports);
  return { exposed, invoked };
}
