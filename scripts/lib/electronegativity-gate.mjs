// Runs @doyensec/electronegativity over a folder and decides pass/fail against a checked-in allow-list.
// Plain ESM (no TypeScript) so `npm run security` needs nothing but node; types are in the .d.mts next to it.
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const require = createRequire(import.meta.url);

/** Severities that fail the gate unless allow-listed (LOW and INFORMATIONAL are printed only). */
export const BLOCKING_SEVERITIES = ['HIGH', 'MEDIUM'];

/**
 * Electronegativity fetches translations and an Electron release list from public hosts with `got`. Tests and
 * CI here must not touch the internet (network rule), so its `got` is replaced by one that refuses at once;
 * the tool already treats both fetches as optional and carries on offline.
 */
export function keepElectronegativityOffline() {
  const root = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = require.resolve('got', { paths: [root] });
  const refuse = () => Promise.reject(new Error('network access is disabled for the security lint'));
  const stub = Object.assign(refuse, { default: refuse, get: refuse, extend: () => stub });
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: stub, children: [], paths: [] };
}

/**
 * The version of the installed `electron` package. Several checks depend on it (REMOTE_MODULE_JS_CHECK, for one,
 * only applies before Electron 14), and the tool reads it from a package.json in the scanned folder, which
 * electron/ does not have: without this it assumes 0.1.0 and reports checks that cannot apply. Read from the
 * installed package, so an Electron upgrade needs no edit here.
 */
export function installedElectronVersion(cwd = process.cwd()) {
  const fromProject = createRequire(join(resolve(cwd), 'package.json'));
  let pkg;
  try {
    pkg = fromProject('electron/package.json');
  } catch {
    throw new Error('the electron package is not installed, so its version is unknown; run "npm ci" (ELECTRON_SKIP_BINARY_DOWNLOAD=1 is fine) or pass --electron VERSION.');
  }
  return String(pkg.version);
}

/**
 * Scans `input` (a folder) and returns plain findings with repo-relative file paths. The package's CLI cannot be
 * used: it crashes on the project's commander 14 (electronegativity relies on an undeclared, hoisted commander),
 * and its CSV writer races two async writes. Its documented programmatic entry (package `main`) returns the same
 * findings as objects.
 */
export async function scan(input, { electronVersion = installedElectronVersion(), cwd = process.cwd() } = {}) {
  keepElectronegativityOffline();
  const run = require('@doyensec/electronegativity');
  const abs = resolve(cwd, input);
  const quiet = silenceConsole();
  let result;
  try {
    result = await run({ input: abs, isSarif: false, isRelative: false, electronVersionOverride: electronVersion, customScan: [], excludeFromScan: [] });
  } finally {
    quiet.restore();
  }
  const rel = (file) => (file && file !== 'N/A' ? relative(cwd, file).split(sep).join('/') : 'N/A');
  return {
    checks: result.globalChecks + result.atomicChecks,
    findings: result.issues.map((i) => ({
      check: i.id,
      severity: String(i.severity?.name ?? i.severity).toUpperCase(),
      confidence: String(i.confidence?.name ?? i.confidence).toUpperCase(),
      file: rel(i.file),
      line: i.location?.line ?? 0,
      column: i.location?.column ?? 0,
      sample: i.sample ?? '',
      description: i.description ?? '',
      manualReview: !!i.manualReview,
    })),
    parseErrors: result.errors.filter((e) => !e.tolerable).map((e) => ({ file: rel(e.file), message: String(e.message) })),
    log: quiet.lines,
  };
}

function silenceConsole() {
  const lines = [];
  const orig = { log: console.log, warn: console.warn, info: console.info };
  const keep = (...a) => lines.push(a.map(String).join(' '));
  console.log = keep;
  console.warn = keep;
  console.info = keep;
  return { lines, restore: () => Object.assign(console, orig) };
}

/** Validates the allow-list JSON; returns its entries or throws with a message that says what to fix. */
export function parseAllowList(json, source = 'allow-list') {
  let data;
  try {
    data = typeof json === 'string' ? JSON.parse(json) : json;
  } catch (e) {
    throw new Error(`${source} is not valid JSON (${e.message}); fix the file.`, { cause: e });
  }
  if (!data || !Array.isArray(data.entries)) throw new Error(`${source} must be an object with an "entries" array.`);
  return data.entries.map((e, n) => {
    const where = `${source} entry ${n + 1}`;
    if (!e || typeof e !== 'object') throw new Error(`${where} must be an object with check, file and reason.`);
    if (typeof e.check !== 'string' || !/^[A-Z0-9_]+$/.test(e.check)) throw new Error(`${where}: "check" must be an electronegativity check id such as OPEN_EXTERNAL_JS_CHECK.`);
    if (typeof e.file !== 'string' || !e.file) throw new Error(`${where}: "file" must be the repo-relative file of the finding (or "N/A" for global checks).`);
    if (typeof e.reason !== 'string' || e.reason.trim().length < 20) throw new Error(`${where}: "reason" must say why the finding is acceptable (at least 20 characters).`);
    return { check: e.check, file: e.file.split('\\').join('/'), reason: e.reason.trim() };
  });
}

/**
 * Splits findings into blocking (HIGH/MEDIUM without an allow-list entry), justified and informational, and
 * lists allow-list entries that matched nothing (stale: the code changed, the entry should go).
 */
export function evaluate(findings, entries, parseErrors = []) {
  const key = (check, file) => `${check}\u0000${file}`;
  const allowed = new Map(entries.map((e) => [key(e.check, e.file), e]));
  const used = new Set();
  const blocking = [];
  const justified = [];
  const informational = [];
  for (const f of findings) {
    if (!BLOCKING_SEVERITIES.includes(f.severity)) {
      informational.push(f);
      continue;
    }
    const entry = allowed.get(key(f.check, f.file));
    if (entry) {
      used.add(key(entry.check, entry.file));
      justified.push({ ...f, reason: entry.reason });
    } else blocking.push(f);
  }
  const unused = entries.filter((e) => !used.has(key(e.check, e.file)));
  return { ok: blocking.length === 0 && parseErrors.length === 0, blocking, justified, informational, unused, parseErrors };
}

/** Renders the findings as CSV (electronegativity's own column layout) for CI artifacts. */
export function toCsv(findings) {
  const q = (v) => `"${String(v).replace(/"/g, '""')}"`;
  const rows = findings.map((f) => [f.check, f.severity, f.confidence, f.file, `${f.line}:${f.column}`, f.sample, f.description, `https://github.com/doyensec/electronegativity/wiki/${f.check}`].map(q).join(','));
  return ['issue,severity,confidence,filename,location,sample,description,url', ...rows].join('\n') + '\n';
}

/** A short human summary of an evaluation. */
export function summarize(r, checks) {
  const lines = [];
  const fmt = (f) => `${f.severity.padEnd(13)} ${f.check} ${f.file}${f.line ? `:${f.line}` : ''}`;
  for (const e of r.parseErrors) lines.push(`PARSE ERROR   ${e.file}: ${e.message} (the file was not checked; fix the syntax or the scanner cannot see it)`);
  for (const f of r.blocking) lines.push(`BLOCKING ${fmt(f)} — fix it, or justify it in the allow-list (check + file + reason)`);
  for (const f of r.justified) lines.push(`allowed  ${fmt(f)} — ${f.reason}`);
  for (const f of r.informational) lines.push(`info     ${fmt(f)}`);
  for (const e of r.unused) lines.push(`stale allow-list entry ${e.check} ${e.file}: no such finding any more; remove it`);
  lines.push(
    `electronegativity: ${checks ?? '?'} checks, ${r.blocking.length} blocking, ${r.justified.length} allowed, ${r.informational.length} low/info, ${r.parseErrors.length} parse errors → ${r.ok ? 'PASS' : 'FAIL'}`,
  );
  return lines.join('\n');
}

/** Path helper for callers: the allow-list next to package.json. */
export function defaultAllowListPath(cwd = process.cwd()) {
  return join(cwd, 'electronegativity-allowlist.json');
}
