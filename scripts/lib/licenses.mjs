// Third-party licences of everything the app ships, generated at build time for the About page:
// - the production dependencies (package-lock.json entries not marked dev), which electron-builder packs into
//   app.asar and the web host loads from node_modules;
// - the packages the bundler inlined into the built renderer (React, Mantine, …: devDependencies whose code
//   ends up in the bundle), taken from the bundle's own module list;
// - Electron itself (Chromium's many licences ship beside the app as LICENSES.chromium.html).
// Each entry carries the package's own licence file text (LICENSE, LICENCE, COPYING, NOTICE).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';

const LICENSE_FILE = /^(licen[cs]e|copying|notice)([.-].*)?$/i;
const MAX_TEXT = 64 * 1024;

/** The package folder (relative to root, like package-lock keys) a module id lives in, or null. */
export function packageDirOf(moduleId) {
  const norm = moduleId.replace(/^\0/, '').split('?')[0].split(sep).join('/');
  const i = norm.lastIndexOf('/node_modules/');
  if (i === -1) return null;
  const rest = norm.slice(i + '/node_modules/'.length).split('/');
  const name = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  const prefix = norm.slice(0, i + '/node_modules/'.length);
  const rootIdx = prefix.indexOf('/node_modules/');
  return `${prefix.slice(rootIdx + 1)}${name}`;
}

function licenseText(dir) {
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return '';
  }
  const files = names.filter((n) => LICENSE_FILE.test(n)).sort();
  return files
    .map((f) => readFileSync(join(dir, f), 'utf8'))
    .join('\n\n')
    .slice(0, MAX_TEXT);
}

function licenseField(pkg) {
  if (typeof pkg.license === 'string') return pkg.license;
  if (pkg.license?.type) return pkg.license.type;
  if (Array.isArray(pkg.licenses)) return pkg.licenses.map((l) => l.type ?? l).join(' OR ');
  return 'UNKNOWN';
}

function repoUrl(pkg) {
  const r = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  return (r ?? pkg.homepage ?? '').replace(/^git\+/, '').replace(/\.git$/, '') || undefined;
}

/**
 * Collects the licences: `root` is the project folder, `bundled` the module ids a bundle contains. Returns the
 * entries sorted by name, each { name, version, license, repository, text }.
 */
export function collectLicenses({ root, bundled = [], always = ['electron'] }) {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const dirs = new Set();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (!key.startsWith('node_modules/') || entry.dev || entry.devOptional || entry.link) continue;
    dirs.add(key);
  }
  for (const id of bundled) {
    const d = packageDirOf(id.startsWith(root) ? id : join(root, id));
    if (d) dirs.add(d);
  }
  for (const name of always) dirs.add(`node_modules/${name}`);
  const seen = new Map();
  for (const d of dirs) {
    const dir = join(root, d);
    const pj = join(dir, 'package.json');
    if (!existsSync(pj)) continue; // optional dependency for another platform
    const pkg = JSON.parse(readFileSync(pj, 'utf8'));
    if (!pkg.name || !pkg.version) continue;
    const id = `${pkg.name}@${pkg.version}`;
    if (seen.has(id)) continue;
    seen.set(id, { name: pkg.name, version: pkg.version, license: licenseField(pkg), repository: repoUrl(pkg), text: licenseText(dir) });
  }
  return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** File name of the generated asset (next to index.html in every renderer build). */
export const LICENSES_ASSET = 'third-party-licenses.json';

/** A Vite/Rollup plugin that emits the licence list of this build's bundle plus the production dependencies. */
export function thirdPartyLicenses({ root }) {
  return {
    name: 'sarix-third-party-licenses',
    generateBundle() {
      const entries = collectLicenses({ root, bundled: [...this.getModuleIds()] });
      this.emitFile({ type: 'asset', fileName: LICENSES_ASSET, source: JSON.stringify({ generatedAt: new Date().toISOString(), packages: entries }) });
    },
  };
}
