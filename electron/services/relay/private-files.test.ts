import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { snapshotJpeg } from '../../simulator/jpeg';
import { RelayService } from './relay-service';

// Other local users must not read stored mail: every folder under the relay's data folder is 0700, every file 0600.

let root: string;
let dir: string;
let relay: RelayService | undefined;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'relay-perm-'));
  dir = join(root, 'relay');
});

afterEach(async () => {
  await relay?.stop();
  relay = undefined;
  await rm(root, { recursive: true, force: true });
});

/** Every path under `d` with its permission bits. */
async function modes(d: string): Promise<Array<{ path: string; dir: boolean; mode: number }>> {
  const out = [{ path: '.', dir: true, mode: (await stat(d)).mode & 0o777 }];
  for (const e of await readdir(d, { withFileTypes: true, recursive: true })) {
    const p = join(e.parentPath, e.name);
    out.push({ path: p.slice(d.length + 1), dir: e.isDirectory(), mode: (await stat(p)).mode & 0o777 });
  }
  return out;
}

describe.skipIf(process.platform === 'win32')('relay files are private', () => {
  it('writes folders 0700 and files 0600: Maildir, index, spool, thumbnails', async () => {
    relay = new RelayService({ dataDir: dir, logger: silentLogger, closeTimeoutMs: 200 });
    // Forwarding to a port nobody listens on keeps the message in the spool.
    const port = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'], forward: { host: '127.0.0.1', port: 9, security: 'none' } })).port;
    const info = await nodemailer
      .createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
      .sendMail({ from: 'cam@site.local', to: 'a@site.local', subject: 'private', text: 'x', attachments: [{ filename: 'snapshot.jpg', content: snapshotJpeg(), contentType: 'image/jpeg' }] });
    const id = /stored as (\S+)/.exec(info.response)![1];
    expect((await relay.getMessage(id)).attachments[0].thumbnail).toBeDefined();
    await relay.stop();
    const all = await modes(dir);
    for (const sub of ['maildir/new', 'maildir/index.jsonl', 'spool', `spool/${id}.eml`, `spool/${id}.json`, 'thumbs', `thumbs/${id}-0.jpg`]) expect(all.map((m) => m.path)).toContain(sub);
    expect(all.filter((m) => m.dir && m.mode !== 0o700)).toEqual([]);
    expect(all.filter((m) => !m.dir && m.mode !== 0o600)).toEqual([]);
  });

  it('tightens a data folder left open by an older version at start', async () => {
    for (const d of ['maildir/new', 'maildir/tmp', 'maildir/cur', 'spool', 'thumbs']) await mkdir(join(dir, d), { recursive: true, mode: 0o755 });
    const id = '1795000000000.P1Q1Rdeadbeef';
    await writeFile(join(dir, 'maildir', 'new', id), 'From: cam@site.local\r\nSubject: old\r\n\r\nold\r\n', { mode: 0o644 });
    await writeFile(join(dir, 'maildir', 'index.jsonl'), '', { mode: 0o644 });
    await writeFile(join(dir, 'thumbs', `${id}-0.jpg`), 'x', { mode: 0o644 });
    await chmod(dir, 0o755);
    relay = new RelayService({ dataDir: dir, logger: silentLogger });
    expect((await relay.listMessages()).total).toBe(1);
    const all = await modes(dir);
    expect(all.filter((m) => m.dir && m.mode !== 0o700)).toEqual([]);
    expect(all.filter((m) => !m.dir && m.mode !== 0o600)).toEqual([]);
  });
});
