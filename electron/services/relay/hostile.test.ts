import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { RawSmtpClient } from './raw-smtp-client';
import { RelayService } from './relay-service';

let dir: string;
let relay: RelayService;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-hostile-'));
  relay = new RelayService({ dataDir: dir, logger: silentLogger, closeTimeoutMs: 200 });
  // Short idle timeout so stalled clients are cut; 127.0.0.66 is deliberately not allowed.
  port = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'], maxClients: 200, idleTimeoutMs: 2000, maxMessageBytes: 64 * 1024 })).port;
});

afterAll(async () => {
  await relay.stop();
  await rm(dir, { recursive: true, force: true });
});

/** One hostile session of kind k; resolves when the connection is over, whatever the server did. */
async function hostile(k: number): Promise<void> {
  // Early talkers (kind 0) come from an address that is not allowed: allow-listed clients are greeted at once
  // (smtp-adaptations.ts), so for them there is no "too early" and their pipelined mail is simply mail.
  const from = k % 10 === 9 || k % 9 === 0 ? '127.0.0.66' : undefined;
  const c = await RawSmtpClient.open(port, '127.0.0.1', from);
  try {
    switch (k % 9) {
      case 0: // early talker: a whole transaction before the greeting
        c.write('EHLO x\r\nMAIL FROM:<a@b.c>\r\nRCPT TO:<d@e.f>\r\nDATA\r\nhello\r\n.\r\n');
        break;
      case 1: // garbage commands until the server gives up
        await c.reply();
        for (let i = 0; i < 12; i++) c.write(`XYZZY${i} \u0000\u0007garbage\r\n`);
        break;
      case 2: // a huge command line without end
        await c.reply();
        c.write('EHLO ' + 'A'.repeat(200_000));
        break;
      case 3: // abrupt disconnect in the middle of DATA
        await c.reply();
        await c.command('EHLO cam');
        await c.command('MAIL FROM:<a@b.example>');
        await c.command('RCPT TO:<c@d.example>');
        await c.command('DATA');
        c.write('Subject: cut\r\n\r\n' + 'x'.repeat(10_000));
        c.destroy();
        return;
      case 4: // oversized message
        await c.reply();
        await c.command('EHLO cam');
        await c.command('MAIL FROM:<a@b.example>');
        await c.command('RCPT TO:<c@d.example>');
        await c.command('DATA');
        c.write('Subject: big\r\n\r\n' + ('y'.repeat(998) + '\r\n').repeat(100) + '.\r\n');
        await c.reply();
        await c.command('QUIT');
        break;
      case 5: // binary noise (a TLS hello at a plain port)
        await c.reply();
        c.write(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0x0a, 0x0d, 0x0a]));
        break;
      case 6: // HTTP request to the SMTP port
        await c.reply();
        c.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
        break;
      case 7: // connect and leave at once
        c.destroy();
        return;
      default: // many recipients, then RSET and QUIT
        await c.reply();
        await c.command('EHLO cam');
        await c.command('MAIL FROM:<a@b.example>');
        for (let i = 0; i < 120; i++) c.write(`RCPT TO:<r${i}@d.example>\r\n`);
        c.write('RSET\r\nQUIT\r\n');
    }
    // Give the server at most its idle timeout to hang up, then hang up ourselves.
    await Promise.race([c.closedPromise(), new Promise((r) => setTimeout(r, 2500).unref())]);
  } finally {
    c.destroy();
  }
}

// 1,000 whole sessions: a few seconds on an idle machine, but over the default 30 s on a 2-core machine at load 20.
// The limit is generous on purpose; what is asserted does not depend on time.
describe('1,000 malformed or hostile sessions', { timeout: 180_000 }, () => {
  it('keeps serving, stores nothing bogus, and keeps memory bounded', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    const total = 1000;
    const concurrency = 50;
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await hostile(next++);
      }),
    );
    // Still serving a normal client.
    const info = await nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({ from: 'cam@site.local', to: 'a@site.local', subject: 'after the storm', text: 'ok' });
    expect(info.response).toMatch(/^250/);
    const list = await relay.listMessages({ limit: 1000 });
    // Only the real message and none of the hostile ones (cut, oversized, early-talker DATA) were stored.
    expect(list.items.map((m) => m.subject)).toEqual(['after the storm']);
    // The transcripts are a bounded ring; every connection is closed.
    expect(relay.getSessions(500).length).toBeLessThanOrEqual(500);
    expect(relay.getState().activeSessions).toBeLessThanOrEqual(1);
    const transcript = relay.getSessions(500).map((s) => relay.getTranscript(s.id));
    for (const t of transcript) {
      expect(t.lines.length).toBeLessThanOrEqual(201);
      for (const l of t.lines) expect(l.line.length).toBeLessThan(400);
    }
    global.gc?.();
    const grownMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
    expect(grownMb).toBeLessThan(100);
  });
});
