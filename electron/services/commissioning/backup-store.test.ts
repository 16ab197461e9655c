import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BackupStore } from './backup-store';

// Records the durability calls of node:fs/promises while passing everything through to the real module.
const calls: string[] = [];
vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...real,
    open: async (...args: Parameters<typeof real.open>) => {
      const fh = await real.open(...args);
      const sync = fh.sync.bind(fh);
      fh.sync = async () => {
        calls.push(`sync ${basename(String(args[0]))}`);
        return sync();
      };
      return fh;
    },
    rename: async (a: string, b: string) => {
      calls.push(`rename ${basename(a)} -> ${basename(b)}`);
      return real.rename(a, b);
    },
  };
});

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-backup-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const backup = {
  version: 1 as const,
  savedAt: '2026-01-02T03:04:05.000Z',
  url: 'http://192.168.0.20',
  mac: '00:0b:ab:12:34:56',
  model: 'IXE20DN',
  general: { deviceName: 'Cam', smtpServer: '', ntpServer: '' },
  sourceName: 'Sabotage',
  source: null,
  handlerName: 'SabotageMail',
  handler: null,
  analytics: { profile: { sceneType: 'Indoor', background: 'Still', fineTuning: 'Normal', sensitivity: 5 }, behaviours: [{ name: 'Camera Sabotage', active: false, sensitivity: 5 }] },
};

describe('BackupStore durability', () => {
  it('fsyncs the file before the rename and the folder after it, like the mail store; file 0600, folder 0700', async () => {
    const file = await new BackupStore(dir).save(backup);
    const name = basename(file);
    const folder = basename(dirname(file));
    const tmp = calls.find((c) => c.startsWith('sync ') && c.endsWith('.tmp'))?.slice(5);
    expect(tmp, calls.join('; ')).toMatch(new RegExp(`^${name.replace(/\./g, '\\.')}\\.\\d+\\.tmp$`));
    expect(calls).toEqual([`sync ${tmp}`, `rename ${tmp} -> ${name}`, `sync ${folder}`]);
    if (process.platform !== 'win32') {
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      expect((await stat(dirname(file))).mode & 0o777).toBe(0o700);
    }
  });
});
