import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { RawSmtpClient } from './raw-smtp-client';
import { RelayService, sessionLimitsFor, type SessionLimits } from './relay-service';

// A slowloris from an allowed address: many connections that each send a byte now and then, never a whole command,
// so the idle timeout (restarted by every byte) never fires. The relay must keep delivering other addresses' mail.

let dir: string | undefined;
let relay: RelayService | undefined;
const attackers: RawSmtpClient[] = [];
const timers: NodeJS.Timeout[] = [];

afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  for (const c of attackers.splice(0)) c.destroy();
  await relay?.stop();
  relay = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function start(maxClients: number, limits: Partial<SessionLimits>): Promise<number> {
  dir = await mkdtemp(join(tmpdir(), 'relay-limits-'));
  relay = new RelayService({ dataDir: dir, logger: silentLogger, closeTimeoutMs: 200, sessionLimits: limits });
  return (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/29'], maxClients, idleTimeoutMs: 1000 })).port;
}

/** Opens `n` trickling connections from `from`; resolves with the greeting code each got. */
async function trickle(port: number, from: string, n: number): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = await RawSmtpClient.open(port, '127.0.0.1', from);
    attackers.push(c);
    const r = await c.reply();
    codes.push(r?.code ?? 0);
    if (r?.code === 220) {
      c.write('E');
      // One byte every 300 ms: always inside the 1 s idle timeout, never a whole command.
      const t = setInterval(() => c.write('H'), 300);
      timers.push(t);
    }
  }
  return codes;
}

function send(port: number, from: string, subject: string) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, localAddress: from } as never).sendMail({ from: 'cam@site.local', to: 'alarms@site.local', subject, text: 'x' });
}

describe('connection slots under a slowloris from an allowed address', () => {
  it('caps connections per address, so a camera on another address still delivers', async () => {
    const port = await start(20, { maxPerClient: 5, reservedSlots: 4, sessionDeadlineMs: 60_000 });
    const codes = await trickle(port, '127.0.0.2', 30);
    expect(codes.filter((c) => c === 220)).toHaveLength(5);
    expect(codes.filter((c) => c === 421)).toHaveLength(25);
    const info = await send(port, '127.0.0.3', 'camera during the attack');
    expect(info.response).toMatch(/^250/);
    expect((await relay!.listMessages()).items.map((m) => m.subject)).toEqual(['camera during the attack']);
  });

  it('keeps the last slots for addresses with no connection yet', async () => {
    // 10 slots, 2 reserved: two trickling addresses get 5 + 3, not 5 + 5, and two cameras still get in.
    const port = await start(10, { maxPerClient: 5, reservedSlots: 2, sessionDeadlineMs: 60_000 });
    expect((await trickle(port, '127.0.0.2', 5)).filter((c) => c === 220)).toHaveLength(5);
    expect((await trickle(port, '127.0.0.4', 5)).filter((c) => c === 220)).toHaveLength(3);
    const [a, b] = await Promise.all([send(port, '127.0.0.3', 'camera 3'), send(port, '127.0.0.5', 'camera 5')]);
    expect(a.response).toMatch(/^250/);
    expect(b.response).toMatch(/^250/);
  });

  it('ends every session at its deadline, however busy the client keeps it', async () => {
    const port = await start(20, { maxPerClient: 5, reservedSlots: 4, sessionDeadlineMs: 2500 });
    await trickle(port, '127.0.0.2', 5);
    const held = attackers.slice(0, 5);
    // Each trickling client is told why and disconnected, although its bytes kept the idle timer from firing.
    const ends = await Promise.all(held.map(async (c) => ({ reply: await c.reply(), closed: await c.closedPromise().then(() => true) })));
    for (const e of ends) {
      expect(e.reply?.code).toBe(421);
      expect(e.reply?.lines[0]).toMatch(/Session time limit/);
      expect(e.closed).toBe(true);
    }
    expect(relay!.getState().activeSessions).toBe(0);
    expect((await send(port, '127.0.0.2', 'after the deadline')).response).toMatch(/^250/);
  });

  it('defaults: a quarter of the slots per address, a fifth reserved, five minutes per session', () => {
    expect(sessionLimitsFor(100)).toEqual({ maxPerClient: 25, reservedSlots: 20, sessionDeadlineMs: 300_000 });
    expect(sessionLimitsFor(1)).toEqual({ maxPerClient: 1, reservedSlots: 0, sessionDeadlineMs: 300_000 });
  });
});
