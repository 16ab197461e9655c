import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { RelayService } from './relay-service';

const BIN = resolve(__dirname, '../../../bin/sarix.js');
let child: ChildProcess | undefined;
let dir: string | undefined;

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Starts `sarix relay` as a child and resolves with its port once it says it is listening. */
function startCli(dataDir: string, extra: string[] = []): Promise<{ proc: ChildProcess; port: number; stdout: () => string }> {
  const proc = spawn(process.execPath, [BIN, 'relay', '--listen', '127.0.0.1:0', '--data', dataDir, '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  return new Promise((resolvePort, reject) => {
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      const m = /Relay listening on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) resolvePort({ proc, port: Number(m[1]), stdout: () => out });
    });
    proc.once('exit', (code) => reject(new Error(`sarix relay exited with ${code}: ${err}`)));
  });
}

describe('sarix relay CLI', () => {
  it('prints one JSON line per accepted message and exits 0 on SIGTERM', async () => {
    dir = await mkdtemp(join(tmpdir(), 'relay-cli-'));
    const { proc, port, stdout } = await startCli(dir);
    const info = await nodemailer
      .createTransport({ host: '127.0.0.1', port, ignoreTLS: true })
      .sendMail({ from: 'cam@site.local', to: 'a@site.local', subject: 'cli test', text: 'x', attachments: [{ filename: 'a.jpg', content: Buffer.alloc(300, 7), contentType: 'image/jpeg' }] });
    expect(info.response).toMatch(/^250/);
    const exited = new Promise<number | null>((r) => proc.once('exit', (code) => r(code)));
    // The JSON line is printed after the 250 (indexing follows the durable write); wait for it, then stop.
    while (!stdout().includes('\n')) await new Promise((r) => proc.stdout!.once('data', r));
    proc.kill('SIGTERM');
    expect(await exited).toBe(0);
    const line = JSON.parse(stdout().trim().split('\n')[0]);
    expect(line).toMatchObject({ from: 'cam@site.local', to: ['a@site.local'], subject: 'cli test', clientIp: '127.0.0.1', attachments: [{ filename: 'a.jpg', contentType: 'image/jpeg', size: 300 }] });
    expect(Object.keys(line).sort()).toEqual(['attachments', 'clientIp', 'from', 'id', 'size', 'subject', 'to']);
  });

  it('refuses bad usage with exit code 2 and a message', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; err: string }>((r) => {
        const p = spawn(process.execPath, [BIN, 'relay', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
        let err = '';
        p.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
        p.once('exit', (code) => r({ code, err }));
      });
    const wild = await run(['--listen', '0.0.0.0:2526', '--data', join(tmpdir(), 'relay-never')]);
    expect(wild.code).toBe(2);
    expect(wild.err).toMatch(/every interface/);
    const fwd = await run(['--listen', '127.0.0.1:0', '--forward', 'http://x', '--data', join(tmpdir(), 'relay-never')]);
    expect(fwd.code).toBe(2);
    expect(fwd.err).toMatch(/--forward/);
  });

  it('after SIGKILL under load, every message that got a 250 is on disk and listed', async () => {
    dir = await mkdtemp(join(tmpdir(), 'relay-crash-'));
    const { proc, port } = await startCli(dir);
    const acked = new Set<string>();
    let stop = false;
    let enoughAcked = () => {};
    const enough = new Promise<void>((r) => (enoughAcked = r));
    const jpeg = Buffer.alloc(20_000, 0xab);
    const worker = async (w: number) => {
      const t = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity });
      for (let i = 0; !stop; i++) {
        try {
          const info = await t.sendMail({ from: `cam${w}@site.local`, to: 'a@site.local', subject: `w${w} m${i}`, text: 'load', attachments: [{ filename: 's.jpg', content: jpeg }] });
          const id = /stored as (\S+)/.exec(info.response)?.[1];
          if (id) acked.add(id);
          if (acked.size >= 120) enoughAcked();
        } catch {
          break; // the server died mid-transaction: no 250, so no promise was made
        }
      }
      t.close();
    };
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    // Kill once a fair amount has been acknowledged, while the workers are still sending.
    await enough;
    proc.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(workers);
    expect(acked.size).toBeGreaterThanOrEqual(120);
    const relay = new RelayService({ dataDir: dir, logger: silentLogger });
    const listed = new Set((await relay.listMessages({ limit: 1000 })).items.map((m) => m.id));
    const missing = [...acked].filter((id) => !listed.has(id));
    expect(missing).toEqual([]);
  });
});
