/**
 * Everything the hosts store is readable by this user only: after a practice-mode run of the web host (settings
 * saved, the practice camera commissioned with its test e-mail, the relay restarted with a saved profile) and after
 * `sarix demo --data DIR`, the whole data tree is walked and every folder must be 0700 and every file 0600.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PracticeState } from '../../shared/domain/practice';
import { spawnSarix } from '../testing/cli';
import { bootstrapWeb } from './bootstrap';

/** Folders whose modes another test owns (none now: the relay writes its mail 0600 in 0700 folders itself). */
const CHECKED_ELSEWHERE: string[] = [];

/** Every path under `root` (root included) with its permission bits; symbolic links are reported, not followed. */
function walk(root: string): Array<{ path: string; kind: 'dir' | 'file' | 'link'; mode: number }> {
  const out: Array<{ path: string; kind: 'dir' | 'file' | 'link'; mode: number }> = [];
  const visit = (p: string) => {
    const st = lstatSync(p);
    const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : 'file';
    out.push({ path: relative(root, p) || '.', kind, mode: st.mode & 0o777 });
    if (kind === 'dir') for (const n of readdirSync(p)) visit(join(p, n));
  };
  visit(root);
  return out;
}

/** Asserts the modes; returns how many entries were checked strictly (so a test sees that something was written). */
function expectPrivate(root: string): { checked: string[]; elsewhere: string[] } {
  const entries = walk(root);
  const isElsewhere = (path: string) => CHECKED_ELSEWHERE.some((d) => path === d || path.startsWith(d + sep));
  const wrong = entries
    .filter((e) => !isElsewhere(e.path) && e.kind !== 'link')
    .filter((e) => e.mode !== (e.kind === 'dir' ? 0o700 : 0o600))
    .map((e) => `${e.path} (${e.kind}) is ${e.mode.toString(8).padStart(4, '0')}`);
  expect(wrong, 'entries readable by other users').toEqual([]);
  expect(entries.find((e) => e.path === '.')?.mode).toBe(0o700);
  return { checked: entries.filter((e) => !isElsewhere(e.path)).map((e) => e.path), elsewhere: entries.filter((e) => isElsewhere(e.path)).map((e) => e.path) };
}

// Whole practice jobs (commissioning with a test e-mail): generous limits for a busy machine.
describe('user data is owner-only: folders 0700, files 0600', { timeout: 120_000 }, () => {
  const base = mkdtempSync(join(tmpdir(), 'sarix-modes-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('after a practice-mode run of the web host: settings, backups, the test e-mail and the relay profile', async () => {
    const renderer = join(base, 'renderer');
    mkdirSync(renderer);
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>t</title>');
    const data = join(base, 'web', 'user data');
    const web = await bootstrapWeb({ port: 0, userDataPath: data, rendererDir: renderer, practice: true });
    // Driven like the UI drives it: contract calls and events over the web host's WebSocket.
    const ws = new WebSocket(`ws://127.0.0.1:${web.host.port}/api?token=${web.host.token}`);
    const messages: Array<{ id?: number; result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } }; event?: string }> = [];
    const waiters = new Set<() => void>();
    ws.on('message', (d) => {
      messages.push(JSON.parse(String(d)));
      for (const w of waiters) w();
    });
    const next = (match: (m: (typeof messages)[number]) => boolean) =>
      new Promise<(typeof messages)[number]>((resolve) => {
        const check = () => {
          const m = messages.find(match);
          if (m) {
            waiters.delete(check);
            resolve(m);
          }
        };
        waiters.add(check);
        check();
      });
    let seq = 0;
    const call = async (channel: string, arg: unknown) => {
      const id = ++seq;
      ws.send(JSON.stringify({ id, channel, arg }));
      const r = (await next((m) => m.id === id)).result!;
      if (!r.ok) throw new Error(`${channel}: ${r.error?.code} ${r.error?.message}`);
      return r.value;
    };
    try {
      await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
      await call('app:set-settings', { patch: { technicianName: 'Ada', siteName: 'Yard' } });
      const practice = (await call('practice:get-state', {})) as PracticeState;
      if (practice.status !== 'running' || !practice.camera || !practice.smtpServer) throw new Error(`practice mode did not start: ${JSON.stringify(practice)}`);
      await call('commissioning:start', {
        targets: [{ url: practice.camera.url, username: 'admin', password: 'admin' }],
        profile: { smtpServer: practice.smtpServer, ntpServer: '127.0.0.1', to: 'alarms@site.test', from: 'practicecam@site.test' },
        options: { testTimeoutMs: 30_000 },
      });
      await next((m) => m.event === 'commissioning:finished');
      await call('relay:stop', {});
      await call('relay:start', { options: { listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'] } });
    } finally {
      ws.close();
      await web.close();
    }
    const { checked } = expectPrivate(data);
    expect(checked).toEqual(expect.arrayContaining(['settings.json', 'relay-profile.json', 'backups']));
    expect(checked.some((p) => p.startsWith(`backups${sep}`) && p.endsWith('.json'))).toBe(true);
    // The test e-mail really was stored, and its Maildir file was among the entries checked.
    expect(checked.some((p) => p.startsWith(`relay${sep}`) && (p.includes(`${sep}new${sep}`) || p.includes(`${sep}cur${sep}`)))).toBe(true);
  });

  it('tightens what an older version left readable, inside the app\'s own entries only', async () => {
    const data = join(base, 'old');
    mkdirSync(join(data, 'backups', '000bab000001'), { recursive: true, mode: 0o755 });
    writeFileSync(join(data, 'backups', '000bab000001', 'a.json'), '{}', { mode: 0o644 });
    writeFileSync(join(data, 'settings.json'), '{}', { mode: 0o644 });
    writeFileSync(join(data, 'notes-of-the-user.txt'), 'mine', { mode: 0o644 });
    const web = await bootstrapWeb({ port: 0, userDataPath: data, rendererDir: join(base, 'renderer'), practice: false });
    await web.close();
    await expect.poll(() => lstatSync(join(data, 'backups', '000bab000001', 'a.json')).mode & 0o777).toBe(0o600);
    expect(lstatSync(join(data, 'backups')).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(data, 'settings.json')).mode & 0o777).toBe(0o600);
    expect(lstatSync(data).mode & 0o777).toBe(0o700);
    // Not the app's: left as the user set it.
    expect(lstatSync(join(data, 'notes-of-the-user.txt')).mode & 0o777).toBe(0o644);
  });

  it('after sarix demo --data DIR (backups and relay mail of the whole job)', async () => {
    const data = join(base, 'demo', 'data');
    const r = await spawnSarix('demo', '--json', '--data', data, '--test-timeout', '30');
    expect(r.status, r.stderr).toBe(0);
    const { checked } = expectPrivate(data);
    expect(checked.some((p) => p.startsWith(`backups${sep}`) && p.endsWith('.json'))).toBe(true);
    // sarix demo writes its hand-over report inside the data folder: private there too.
    expect(checked.some((p) => p.startsWith(`reports${sep}`) && p.endsWith('.pdf'))).toBe(true);
  });
});
