import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import smtpServerPackage from 'smtp-server/package.json' with { type: 'json' };
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { RawSmtpClient } from './raw-smtp-client';
import { RelayService } from './relay-service';
import { adaptSmtpServer, isCheckedSmtpServer, SMTP_SERVER_CHECKED } from './smtp-adaptations';

// No timing here: "at once" is shown by a client that talks before any greeting could reach it. smtp-server answers
// such an early talker with "421 You talk too soon" while its greeting is held back; a session made ready before
// the client's first byte can be read answers the EHLO instead.

let dir: string;
let relay: RelayService;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-adapt-'));
  relay = new RelayService({ dataDir: dir, logger: silentLogger, closeTimeoutMs: 200 });
  port = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'] })).port;
});

afterAll(async () => {
  await relay.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Connects (from `from`), sends EHLO before reading anything, and returns the first two replies. */
async function talkFirst(p: number, from?: string): Promise<Array<{ code: number; lines: string[] } | undefined>> {
  const c = await RawSmtpClient.open(p, '127.0.0.1', from);
  try {
    c.write('EHLO cam\r\n');
    return [await c.reply(), await c.reply()];
  } finally {
    c.destroy();
  }
}

describe('greeting of allow-listed clients', () => {
  it(`runs on the smtp-server release line it was checked against (${SMTP_SERVER_CHECKED}); re-check smtp-adaptations.ts after an upgrade`, () => {
    expect(isCheckedSmtpServer()).toBe(true);
    expect(smtpServerPackage.version.startsWith(`${SMTP_SERVER_CHECKED}.`)).toBe(true);
  });

  it('greets an allow-listed client at once: its session is ready before its first byte arrives', async () => {
    const [greeting, ehlo] = await talkFirst(port);
    expect(greeting?.code).toBe(220);
    expect(greeting?.lines[0]).toMatch(/Sarix Commissioner relay/);
    expect(ehlo?.code).toBe(250);
    expect(ehlo?.lines.join('\n')).toMatch(/SMTPUTF8/);
  });

  it('keeps the early-talker defence for a client that is not allow-listed', async () => {
    const [first] = await talkFirst(port, '127.0.0.66');
    expect(first?.code).toBe(421);
    expect(first?.lines[0]).toMatch(/talk too soon/);
  });

  it('still refuses a client that is not allow-listed, with its reason', async () => {
    const c = await RawSmtpClient.open(port, '127.0.0.1', '127.0.0.67');
    const r = await c.reply();
    expect(r?.code).toBe(554);
    expect(r?.lines[0]).toMatch(/127\.0\.0\.67 is not on the allow-list/);
    await c.closedPromise();
  });

  it('keeps the delay for everyone on an smtp-server release it was not checked against', async () => {
    expect(isCheckedSmtpServer('3.22.0')).toBe(false);
    expect(isCheckedSmtpServer('4.0.0')).toBe(false);
    expect(isCheckedSmtpServer(`${SMTP_SERVER_CHECKED}.99`)).toBe(true);
    const server = new SMTPServer({ logger: false, authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], hideSTARTTLS: true, disableReverseLookup: true });
    const hooks = { onSession: () => undefined, isTrusted: () => true, onHelo: () => undefined, onBareLf: () => undefined };
    expect(adaptSmtpServer(server, hooks, { sessionDeadlineMs: 60_000, version: '3.22.0' }).greetsTrustedAtOnce).toBe(false);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      const [first] = await talkFirst((server.server.address() as { port: number }).port);
      expect(first?.code).toBe(421);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
