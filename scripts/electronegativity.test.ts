import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import { evaluate, installedElectronVersion, parseAllowList, scan, toCsv, type Finding } from './lib/electronegativity-gate.mjs';

const finding = (check: string, severity: string, file = 'electron/main/x.ts'): Finding => ({ check, severity, confidence: 'FIRM', file, line: 3, column: 1, sample: 'new BrowserWindow({', description: 'd', manualReview: false });
const reason = 'reviewed: the value is validated before use';

describe('parseAllowList', () => {
  it('accepts well-formed entries', () => {
    expect(parseAllowList(JSON.stringify({ entries: [{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron\\main\\a.ts', reason }] }))).toEqual([{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main/a.ts', reason }]);
  });
  it.each([
    ['{', /not valid JSON/],
    ['[]', /"entries" array/],
    [JSON.stringify({ entries: [{ check: 'x', file: 'a', reason }] }), /check id/],
    [JSON.stringify({ entries: [{ check: 'A_CHECK', file: '', reason }] }), /"file"/],
    [JSON.stringify({ entries: [{ check: 'A_CHECK', file: 'a.ts' }] }), /"reason"/],
    [JSON.stringify({ entries: [{ check: 'A_CHECK', file: 'a.ts', reason: 'ok' }] }), /at least 20/],
  ])('refuses %s', (json, msg) => {
    expect(() => parseAllowList(json)).toThrow(msg);
  });
  it('accepts the checked-in allow-list', () => {
    expect(parseAllowList(readFileSync('electronegativity-allowlist.json', 'utf8')).length).toBeGreaterThan(0);
  });
});

describe('evaluate', () => {
  it('blocks HIGH and MEDIUM findings that are not allow-listed, by check and file', () => {
    const entries = [{ check: 'OPEN_EXTERNAL_JS_CHECK', file: 'electron/main/security.ts', reason }];
    const r = evaluate(
      [finding('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'electron/main/security.ts'), finding('OPEN_EXTERNAL_JS_CHECK', 'MEDIUM', 'electron/main/other.ts'), finding('CONTEXT_ISOLATION_JS_CHECK', 'HIGH'), finding('HTTP_RESOURCES_JS_CHECK', 'LOW'), finding('X', 'INFORMATIONAL')],
      entries,
    );
    expect(r.ok).toBe(false);
    expect(r.blocking.map((f) => `${f.check} ${f.file}`)).toEqual(['OPEN_EXTERNAL_JS_CHECK electron/main/other.ts', 'CONTEXT_ISOLATION_JS_CHECK electron/main/x.ts']);
    expect(r.justified).toHaveLength(1);
    expect(r.justified[0].reason).toBe(reason);
    expect(r.informational).toHaveLength(2);
    expect(r.unused).toEqual([]);
  });
  it('passes when every blocking finding is justified and reports stale entries', () => {
    const r = evaluate([finding('CSP_GLOBAL_CHECK', 'MEDIUM', 'N/A')], [{ check: 'CSP_GLOBAL_CHECK', file: 'N/A', reason }, { check: 'PRELOAD_JS_CHECK', file: 'electron/main/gone.ts', reason }]);
    expect(r.ok).toBe(true);
    expect(r.unused.map((e) => e.check)).toEqual(['PRELOAD_JS_CHECK']);
  });
  it('fails on files the scanner could not parse', () => {
    expect(evaluate([], [], [{ file: 'electron/main/bad.ts', message: 'Unexpected token' }]).ok).toBe(false);
  });
  it('writes CSV with quotes escaped', () => {
    const csv = toCsv([{ ...finding('A_CHECK', 'HIGH'), sample: 'say "hi", ok' }]);
    expect(csv.split('\n')[1]).toContain('"say ""hi"", ok"');
  });
});

describe('scan (real electronegativity, offline)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-fixture-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the classic insecure window settings, so the gate can fail', async () => {
    mkdirSync(join(dir, 'main'));
    writeFileSync(
      join(dir, 'main', 'insecure.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false, sandbox: false } });\nw.loadURL('http://example.invalid/');\n",
    );
    const { findings, parseErrors } = await scan(dir, { cwd: dir });
    expect(parseErrors).toEqual([]);
    const r = evaluate(findings, []);
    expect(r.ok).toBe(false);
    const ids = r.blocking.map((f) => f.check);
    expect(ids).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'WEB_SECURITY_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK']));
    expect(r.blocking.find((f) => f.check === 'CONTEXT_ISOLATION_JS_CHECK')?.file).toBe('main/insecure.ts');
  });

  it('the CLI script exits 1 on that folder and 2 on a bad flag', () => {
    const allow = join(dir, 'allow.json');
    writeFileSync(allow, JSON.stringify({ entries: [] }));
    const bad = spawnSync(process.execPath, ['scripts/electronegativity.mjs', '--input', dir, '--allowlist', allow, '--csv', join(dir, 'out.csv')], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/BLOCKING HIGH\s+CONTEXT_ISOLATION_JS_CHECK/);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8')).toContain('CONTEXT_ISOLATION_JS_CHECK');
    const usage = spawnSync(process.execPath, ['scripts/electronegativity.mjs', '--bogus'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});

describe('the Electron version the checks assume', () => {
  const dir = mkdtempSync(join(tmpdir(), 'electronegativity-version-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the installed electron package, not a number written into the script', () => {
    const installed = (createRequire(import.meta.url)('electron/package.json') as { version: string }).version;
    expect(installedElectronVersion()).toBe(installed);
    // The source folder has no package.json for the tool to read the version from, hence the option.
    expect(readFileSync('scripts/electronegativity.mjs', 'utf8')).not.toMatch(/default: '\d+\.\d+\.\d+'/);
  });

  it('decides REMOTE_MODULE_JS_CHECK: it fires for an unknown (0.1.0) Electron and not for the installed one', async () => {
    // A hardened window without `enableRemoteModule: false`: that flag only exists before Electron 14.
    mkdirSync(join(dir, 'main'));
    writeFileSync(
      join(dir, 'main', 'window.ts'),
      "import { BrowserWindow } from 'electron';\nexport const w = new BrowserWindow({ webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false } });\n",
    );
    const unknown = await scan(dir, { cwd: dir, electronVersion: '0.1.0' });
    expect(unknown.findings.map((f) => f.check)).toContain('REMOTE_MODULE_JS_CHECK');
    const installed = await scan(dir, { cwd: dir });
    expect(installed.findings.map((f) => f.check)).not.toContain('REMOTE_MODULE_JS_CHECK');
  });

  it('the gate prints the version it assumed', () => {
    const r = spawnSync(process.execPath, ['scripts/electronegativity.mjs', '--input', dir, '--allowlist', 'electronegativity-allowlist.json', '--csv', join(dir, 'out.csv')], { encoding: 'utf8' });
    expect(r.stdout).toContain(`for Electron ${installedElectronVersion()} (the installed electron package)`);
  });
});
