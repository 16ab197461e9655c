import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'sarix-actionlint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const lint = (...files: string[]) => spawnSync(process.execPath, [join(root, 'scripts', 'lint-workflows.mjs'), ...files], { cwd: root, encoding: 'utf8', timeout: 120_000 });

describe('workflow lint (actionlint as WebAssembly)', () => {
  it('passes the release workflow', () => {
    const r = lint();
    expect(r.stdout).toMatch(/1 workflow file\(s\), 0 problem\(s\) → PASS/);
    expect(r.status).toBe(0);
  });

  it('fails a release workflow with a typo, an unknown job, a bad expression and an unknown action input', () => {
    const broken = readFileSync(join(root, '.github/workflows/release.yml'), 'utf8')
      .replace('needs: test', 'needs: tests')
      .replace('runs-on: ubuntu-24.04\n    timeout-minutes: 90', 'runs-on: ubuntu-24.4\n    timeout-minutes: 90')
      .replace('${{ matrix.targets }}', '${{ matrix.target }}')
      .replace('cache: npm', 'cach: npm');
    const file = join(dir, 'release.yml');
    writeFileSync(file, broken);
    const r = lint(file);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/needs job "tests" which does not exist/);
    expect(r.stdout).toMatch(/label "ubuntu-24\.4" is unknown/);
    expect(r.stdout).toMatch(/property "target" is not defined/);
    expect(r.stdout).toMatch(/input "cach" is not defined in action "actions\/setup-node@v4"/);
    expect(r.stdout).toMatch(/→ FAIL/);
  });
});
