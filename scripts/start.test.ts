import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cannotRunReason, electronBinary, missingBinaryReason } from './lib/start-lib.mjs';

const root = resolve(import.meta.dirname, '..');

describe('npm start where Electron cannot run', () => {
  it.each([
    ['a Linux server without a display', { platform: 'linux', env: {}, uid: 1000 }, /no graphical display/],
    ['root on a Linux desktop', { platform: 'linux', env: { DISPLAY: ':0' }, uid: 0 }, /will not run as root/],
  ] as const)('%s: one line pointing to start:web', (_n, o, re) => {
    const line = cannotRunReason({ ...o, env: { ...o.env } });
    expect(line).toMatch(re);
    expect(line).toMatch(/npm run start:web/);
    expect(line).not.toContain('\n');
  });

  it.each([
    ['a Linux desktop', { platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, uid: 1000 }],
    ['Windows', { platform: 'win32', env: {}, uid: undefined }],
    ['macOS', { platform: 'darwin', env: {}, uid: 501 }],
  ] as const)('%s: can run', (_n, o) => {
    expect(cannotRunReason({ ...o, env: { ...o.env } })).toBeNull();
  });

  it('tells a skipped download from a failed one', () => {
    expect(missingBinaryReason({ ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toMatch(/ELECTRON_SKIP_BINARY_DOWNLOAD is set.*npm run start:web/);
    expect(missingBinaryReason({}, 'getaddrinfo ENOTFOUND github.com')).toMatch(/could not be downloaded \(getaddrinfo ENOTFOUND github\.com\).*npm run start:web/);
  });

  it('finds the binary through path.txt, as electron-vite does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarix-electron-'));
    try {
      expect(electronBinary(dir).isPresent).toBe(false);
      writeFileSync(join(dir, 'path.txt'), 'electron');
      expect(electronBinary(dir).isPresent).toBe(false);
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'electron'), '');
      expect(electronBinary(dir)).toEqual({ isPresent: true, exe: join(dir, 'dist', 'electron') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('here (no display, no binary): `npm start` prints exactly one line and no stack trace', () => {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', DISPLAY: ':99' };
    const r = spawnSync(process.execPath, [join(root, 'scripts', 'start.mjs')], { cwd: root, encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^npm start: Electron (cannot|will not) run/);
    expect(lines[0]).toMatch(/npm run start:web/);
    expect(r.stderr).not.toMatch(/Electron uninstall|at .*\.js:\d+/);
  });
});
