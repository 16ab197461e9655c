import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { SARIX_BIN } from '../testing/cli';

const BIN = SARIX_BIN;
const run = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, input: '' });

describe('sarix CLI', () => {
  it('--help lists every command and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    for (const cmd of ['demo', 'sim', 'discover', 'commission', 'rollback', 'capture', 'relay', 'doctor', 'find-smtp', 'report', 'site', 'serve', 'support-bundle']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('an unknown command is a clear error with exit 2', () => {
    const r = run('frobnicate');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    expect(r.stderr).toContain('sarix --help');
  });

  it('a bad flag is a clear error with exit 2', () => {
    const r = run('serve', '--port', 'eighty');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--port must be a whole number');
    const u = run('serve', '--no-such-flag');
    expect(u.status).toBe(2);
    expect(u.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('--version prints the package version', () => {
    const r = run('--version');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
