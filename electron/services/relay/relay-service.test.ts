import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { snapshotJpeg } from '../../simulator/jpeg';
import { startCamera } from '../../simulator/index';
import { defaultGeneral, defaultHandler, defaultSource } from '../../simulator/state';
import { isAppFailure } from '../../../shared/ipc/result';
import { QueueItemSchema, RelayStateSchema, SessionSummarySchema, type RelayState } from '../../../shared/domain/relay';
import { ReceivedMessageSchema, SessionRefusedSchema } from '../../../shared/domain/relay-views';
import { recordEvents } from '../common/event-recorder';
import { z } from 'zod';
import { listenFailure } from './listen-errors';
import { RawSmtpClient } from './raw-smtp-client';
import { RelayService } from './relay-service';

let dir: string;
/** Payloads that broke their schema (the schemas the contract reuses), checked after each test. */
let invalid: string[] = [];
let relay: RelayService;
let port: number;

async function startRelay(over: Partial<Parameters<RelayService['start']>[0]> = {}, beforeStart?: (r: RelayService) => void): Promise<void> {
  relay = new RelayService({ dataDir: dir, logger: silentLogger, closeTimeoutMs: 200 });
  invalid = recordEvents(relay.events, {
    'message-received': ReceivedMessageSchema,
    'session-refused': SessionRefusedSchema,
    'session-closed': SessionSummarySchema,
    'state-changed': RelayStateSchema,
    'queue-changed': z.array(QueueItemSchema),
  }).invalid;
  beforeStart?.(relay);
  const b = await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'], acceptAnyAuth: true, ...over });
  port = b.port;
}

function transport(extra: Record<string, unknown> = {}) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...extra });
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-test-'));
  invalid = [];
});

afterEach(async () => {
  expect(invalid).toEqual([]);
  await relay?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('intake with nodemailer', () => {
  it('stores a camera-style message before 250, indexes it, pushes message-received and serves it back', async () => {
    await startRelay();
    const received = relay.events.next('message-received', (p) => p.subject === 'Camera Sabotage');
    const jpeg = snapshotJpeg();
    const info = await transport({ name: 'lobbycam' }).sendMail({
      from: 'lobbycam@site.local',
      to: 'alarms@site.local',
      subject: 'Camera Sabotage',
      text: 'Sabotage detected',
      attachments: [{ filename: 'snapshot.jpg', content: jpeg, contentType: 'image/jpeg' }],
    });
    expect(info.response).toMatch(/^250 .*Message stored as (\S+)/);
    const id = /stored as (\S+)/.exec(info.response)![1];
    const ev = await received;
    expect(ev).toMatchObject({ id, from: 'lobbycam@site.local', to: ['alarms@site.local'], clientIp: '127.0.0.1', heloName: 'lobbycam', attachments: [{ filename: 'snapshot.jpg', contentType: 'image/jpeg', size: jpeg.length }] });
    expect(ev.messageId).toBe(info.messageId);
    expect(Date.parse(ev.receivedAt)).toBeGreaterThan(0);
    // On disk in new/ (the Maildir rename happened before the reply).
    const raw = await readFile(join(dir, 'maildir', 'new', id), 'utf8');
    expect(raw).toContain('Subject: Camera Sabotage');

    const list = await relay.listMessages({ subject: 'sabotage' });
    expect(list.total).toBe(1);
    expect(list.items[0].id).toBe(id);
    expect((await relay.listMessages({ camera: '10.9.9.9' })).total).toBe(0);

    const detail = await relay.getMessage(id);
    expect(detail.text.trim()).toBe('Sabotage detected');
    expect(detail.attachments[0].thumbnail).toMatch(/^data:image\/jpeg;base64,/);
    const thumb = Buffer.from(detail.attachments[0].thumbnail!.split(',')[1], 'base64');
    expect(thumb.length).toBeLessThan(jpeg.length);
    const att = await relay.getAttachment(id, 0);
    expect(att.data.equals(jpeg)).toBe(true);
    await expect(relay.getAttachment(id, 3)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const rawDl = await relay.getRaw(id);
    // Readable names: local date and time, what happened, the sender's address.
    expect(rawDl.filename).toMatch(/^\d{4}-\d{2}-\d{2}_\d{4}_Camera-Sabotage_127\.0\.0\.1\.eml$/);
    expect(att.filename).toMatch(/^\d{4}-\d{2}-\d{2}_\d{4}_Camera-Sabotage_127\.0\.0\.1_snapshot\.jpg$/);
    expect(rawDl.data.toString()).toContain('Sabotage detected');
    expect(relay.getState()).toMatchObject({ status: 'listening', port, allow: ['127.0.0.1'], messageCount: 1 });
  });

  it('accepts any login when asked (cameras with stored credentials) and refuses AUTH otherwise', async () => {
    await startRelay({ acceptAnyAuth: true });
    const ok = await transport({ auth: { user: 'admin', pass: 'whatever' } }).sendMail({ from: 'a@b.local', to: 'c@d.local', subject: 'auth', text: 'x' });
    expect(ok.response).toMatch(/^250/);
    await relay.stop();
    await startRelay({ acceptAnyAuth: false });
    const c = await RawSmtpClient.open(port);
    await c.reply();
    const ehlo = await c.command('EHLO cam');
    expect(ehlo?.lines.join('\n')).not.toMatch(/AUTH/);
    const auth = await c.command('AUTH PLAIN AGFkbWluAGFkbWlu');
    expect(auth?.code).toBeGreaterThanOrEqual(500);
    c.destroy();
    await c.closedPromise();
    const s = relay.getSessions().find((x) => x.quirks.some((q) => q.code === 'auth-not-offered'));
    expect(s?.quirks.map((q) => q.code)).toContain('auth-not-offered');
  });

  it('refuses a client outside the allow-list with a 5xx and a reason, and lets it in once allowed at runtime', async () => {
    await startRelay({ allow: ['127.0.0.1'] });
    const refusedEv = relay.events.next('session-refused', (p) => p.clientIp === '127.0.0.5');
    const c = await RawSmtpClient.open(port, '127.0.0.1', '127.0.0.5');
    const greet = await c.reply();
    expect(greet?.code).toBe(554);
    expect(greet?.lines[0]).toMatch(/127\.0\.0\.5 is not on the allow-list/);
    await c.closedPromise();
    expect((await refusedEv).reason).toMatch(/allow-list/);
    const s = relay.getSessions().find((x) => x.clientIp === '127.0.0.5');
    expect(s?.refused).toBe(true);
    expect(s?.quirks.map((q) => q.code)).toEqual(['not-allowed']);

    relay.allow('127.0.0.0/29');
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true, localAddress: '127.0.0.5' } as never);
    const info = await t.sendMail({ from: 'cam@x.local', to: 'y@x.local', subject: 'now allowed', text: 'ok' });
    expect(info.response).toMatch(/^250/);
    expect(relay.getState().allow).toEqual(['127.0.0.1', '127.0.0.0/29']);
  });

  it('never accepts mail with an empty allow-list', async () => {
    await startRelay({ allow: [] });
    await expect(transport().sendMail({ from: 'a@b.local', to: 'c@d.local', subject: 's', text: 't' })).rejects.toMatchObject({ responseCode: 554 });
    expect(relay.getState().messageCount).toBe(0);
  });

  it('refuses a message over the size limit with 552, stores nothing and diagnoses it', async () => {
    await startRelay({ maxMessageBytes: 4096 });
    await expect(transport().sendMail({ from: 'a@b.local', to: 'c@d.local', subject: 'big', text: 'x'.repeat(20_000) })).rejects.toMatchObject({ responseCode: 552 });
    expect((await relay.listMessages()).total).toBe(0);
    const s = relay.getSessions()[0];
    expect(s.quirks.map((q) => q.code)).toContain('too-large');
    const t = relay.getTranscript(s.id);
    expect(t.lines.some((l) => l.dir === 'S' && l.line.startsWith('552'))).toBe(true);
  });
});

describe('odd clients (raw socket)', () => {
  it('accepts bare LF everywhere, an empty HELO and 8-bit bodies, and diagnoses them', async () => {
    await startRelay();
    const got = relay.events.next('message-received', () => true);
    const c = await RawSmtpClient.open(port);
    expect((await c.reply())?.code).toBe(220);
    expect((await c.command('HELO', '\n'))?.code).toBe(250);
    expect((await c.command('MAIL FROM:<camera@site.local>', '\n'))?.code).toBe(250);
    expect((await c.command('RCPT TO:<alarms@site.local>', '\n'))?.code).toBe(250);
    expect((await c.command('DATA', '\n'))?.code).toBe(354);
    const body = Buffer.concat([Buffer.from('From: camera@site.local\nTo: alarms@site.local\nSubject: Motion\n\nCaf'), Buffer.from([0xe9]), Buffer.from('\n..dot-stuffed\n.\n')]);
    c.write(body);
    const r = await c.reply();
    expect(r?.code).toBe(250);
    expect((await c.command('QUIT', '\n'))?.code).toBe(221);
    await c.closedPromise();
    const ev = await got;
    expect(ev).toMatchObject({ from: 'camera@site.local', subject: 'Motion', heloName: '[127.0.0.1]' });
    const raw = (await relay.getRaw(ev.id)).data;
    expect(raw.includes(Buffer.from('Caf\xe9\r\n.dot-stuffed\r\n', 'latin1'))).toBe(true);
    const s = relay.getSessions().find((x) => x.id === ev.sessionId)!;
    expect(s.quirks.map((q) => q.code)).toEqual(['empty-helo', 'bare-lf']);
    expect(s.accepted).toBe(1);
  });

  it('diagnoses STARTTLS attempts and early talkers', async () => {
    await startRelay();
    // Allow-listed clients are greeted at once (smtp-adaptations.ts), so only others can talk too early.
    const early = await RawSmtpClient.open(port, '127.0.0.1', '127.0.0.66');
    early.write('EHLO rude\r\n');
    const r1 = await early.reply();
    expect(r1?.code).toBe(421);
    await early.closedPromise();
    const tls = await RawSmtpClient.open(port);
    await tls.reply();
    await tls.command('EHLO cam');
    expect((await tls.command('STARTTLS'))?.code).toBeGreaterThanOrEqual(500);
    tls.destroy();
    await tls.closedPromise();
    const codes = relay.getSessions().flatMap((s) => s.quirks.map((q) => q.code));
    expect(codes).toContain('early-talker');
    expect(codes).toContain('tls-attempted');
  });
});

describe('the simulator camera as sender', () => {
  it('delivers a Send Email handler mail with its JPEG snapshot', async () => {
    // The simulator's mailer connects from 127.0.0.1, not from its camera address (a real camera uses its own IP).
    await startRelay({ allow: ['127.0.0.1', '127.0.3.7'] });
    const cam = await startCamera({
      address: '127.0.3.7',
      smtpPort: port,
      initialState: {
        general: { ...defaultGeneral('LobbyCam'), smtpServer: '127.0.0.1' },
        sources: [{ ...defaultSource('Alarm1') }],
        handlers: [{ ...defaultHandler('Mail1'), to: 'alarms@site.local', from: 'lobbycam@site.local', subject: 'Alarm at lobby', message: 'Alarm', jpegSnapshot: true, rawEventData: true, sources: ['Alarm1'] }],
      },
    });
    try {
      const got = relay.events.next('message-received', (p) => p.subject === 'Alarm at lobby');
      const res = await cam.trigger('Alarm1');
      expect(res.sends.map((s) => [s.ok, s.response])).toEqual([[true, expect.stringMatching(/^250/)]]);
      const ev = await got;
      expect(ev).toMatchObject({ subject: 'Alarm at lobby', from: 'lobbycam@site.local', to: ['alarms@site.local'], heloName: 'lobbycam' });
      expect(ev.attachments).toEqual([{ filename: 'snapshot.jpg', contentType: 'image/jpeg', size: snapshotJpeg().length }]);
      expect((await relay.getMessage(ev.id)).text).toContain('Raw Event Data');
    } finally {
      await cam.stop();
    }
  });
});

describe('listening', () => {
  it('refuses all interfaces unless explicitly allowed', async () => {
    relay = new RelayService({ dataDir: dir, logger: silentLogger });
    await expect(relay.start({ listenAddress: '0.0.0.0', port: 0 })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/every interface/) });
    await expect(relay.start({ listenAddress: '::', port: 0 })).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(relay.getState().status).toBe('stopped');
  });

  it('explains a port that is in use (PORT_IN_USE) and stays stopped', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const busy = (blocker.address() as { port: number }).port;
    relay = new RelayService({ dataDir: dir, logger: silentLogger });
    try {
      const e = await relay.start({ listenAddress: '127.0.0.1', port: busy }).catch((x: unknown) => x);
      expect(isAppFailure(e) && e.code).toBe('PORT_IN_USE');
      expect((e as Error).message).toMatch(/already in use.*another port/);
      expect(relay.getState().status).toBe('stopped');
    } finally {
      blocker.close();
    }
  });

  it('says what to do on each OS for EACCES and EADDRINUSE', () => {
    const acc = Object.assign(new Error('denied'), { code: 'EACCES' });
    expect(listenFailure(acc, '192.168.0.5', 25, 'linux').message).toMatch(/setcap cap_net_bind_service.*ip_unprivileged_port_start/);
    expect(listenFailure(acc, '192.168.0.5', 25, 'darwin').message).toMatch(/Mojave/);
    expect(listenFailure(acc, '192.168.0.5', 25, 'win32').code).toBe('PORT_PERMISSION');
    const inUse = Object.assign(new Error('in use'), { code: 'EADDRINUSE' });
    expect(listenFailure(inUse, '192.168.0.5', 25, 'win32').message).toMatch(/IIS SMTP/);
    expect(listenFailure(inUse, '192.168.0.5', 25, 'linux').message).toMatch(/postfix/);
    expect(listenFailure(Object.assign(new Error('x'), { code: 'EADDRNOTAVAIL' }), '10.9.9.9', 25).code).toBe('VALIDATION');
  });

  it('refuses a second start and bad allow-list entries with clear errors', async () => {
    relay = new RelayService({ dataDir: dir, logger: silentLogger });
    await expect(relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['camera1'] })).rejects.toMatchObject({ code: 'VALIDATION' });
    await relay.start({ listenAddress: '127.0.0.1', port: 0 });
    await expect(relay.start({ listenAddress: '127.0.0.1', port: 0 })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(() => relay.allow('999.1.1.1')).toThrow(/not an IP address/);
  });
});

describe('store across restarts', () => {
  async function sendN(n: number): Promise<string[]> {
    const t = transport({ pool: true, maxConnections: 1 });
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      const indexed = relay.events.next('message-received', (p) => p.subject === `msg ${i}`);
      const info = await t.sendMail({ from: `cam${i}@site.local`, to: 'a@site.local', subject: `msg ${i}`, text: `body ${i}` });
      ids.push(/stored as (\S+)/.exec(info.response)![1]);
      await indexed;
    }
    t.close();
    return ids;
  }

  it('rebuilds the index from the Maildir when the index is lost or stale', async () => {
    await startRelay();
    const ids = await sendN(5);
    await relay.pin(ids[0]);
    await relay.stop();
    // Lose one message file and the whole index: the index must come back from the files alone.
    await unlink(join(dir, 'maildir', 'new', ids[4]));
    await unlink(join(dir, 'maildir', 'index.jsonl'));
    await writeFile(join(dir, 'maildir', 'tmp', 'half-written'), 'partial');
    const again = new RelayService({ dataDir: dir, logger: silentLogger });
    const list = await again.listMessages();
    expect(list.items.map((m) => m.id).sort()).toEqual(ids.slice(0, 4).sort());
    const m = list.items.find((x) => x.id === ids[2])!;
    expect(m).toMatchObject({ subject: 'msg 2', from: 'cam2@site.local', to: ['a@site.local'], clientIp: '127.0.0.1' });
  });

  it('writes non-ASCII envelope addresses and HELO names (SMTPUTF8) as UTF-8 and reads them back after an index rebuild', async () => {
    await startRelay();
    const from = 'カメラ@例え.jp';
    const to = 'łódź-alarm@bücher.example';
    const helo = 'kamera-żółw.local';
    const got = relay.events.next('message-received');
    const c = await RawSmtpClient.open(port);
    await c.reply();
    expect((await c.command(`EHLO ${helo}`))?.lines.join('\n')).toMatch(/SMTPUTF8/);
    // RawSmtpClient writes strings as UTF-8 bytes.
    expect((await c.command(`MAIL FROM:<${from}> SMTPUTF8`))?.code).toBe(250);
    expect((await c.command(`RCPT TO:<${to}>`))?.code).toBe(250);
    expect((await c.command('DATA'))?.code).toBe(354);
    expect((await c.command('Subject: utf8 envelope\r\n\r\nbody\r\n.'))?.code).toBe(250);
    await c.command('QUIT');
    const ev = await got;
    expect(ev).toMatchObject({ from, to: [to], heloName: helo });
    const raw = await readFile(join(dir, 'maildir', 'new', ev.id));
    expect(raw.subarray(0, 200).includes(Buffer.from(`Return-Path: <${from}>\r\nX-Envelope-To: ${to}\r\nReceived: from ${helo} `, 'utf8'))).toBe(true);
    await relay.stop();
    await unlink(join(dir, 'maildir', 'index.jsonl'));
    const again = new RelayService({ dataDir: dir, logger: silentLogger });
    expect((await again.listMessages()).items[0]).toMatchObject({ id: ev.id, from, to: [to], heloName: helo, subject: 'utf8 envelope' });
  });

  it('removes at start a message file a crash left unfinished (mode 0000), and keeps complete ones without an index line', async () => {
    await startRelay();
    const [kept] = await sendN(1);
    await relay.stop();
    // What a crash between creating a message file and marking it complete leaves (never acknowledged).
    const unfinished = '1795000000000.P1Q9Rdeadbeef';
    await writeFile(join(dir, 'maildir', 'new', unfinished), 'Return-Path: <a@b.c>\r\nSubj', { mode: 0 });
    await unlink(join(dir, 'maildir', 'index.jsonl'));
    const warnings: string[] = [];
    const again = new RelayService({ dataDir: dir, logger: { ...silentLogger, warn: (m: string) => warnings.push(m) } });
    expect((await again.listMessages()).items.map((m) => m.id)).toEqual([kept]);
    expect(await readdir(join(dir, 'maildir', 'new'))).toEqual([kept]);
    expect(warnings.join('\n')).toMatch(/removed 1 message file\(s\) a crash left unfinished/);
  });

  it('keeps pins and deletions through the index log, and applies retention with pinned evidence kept', async () => {
    await startRelay({ retention: { maxCount: 3, maxAgeDays: 90 } });
    const ids = await sendN(2);
    await relay.pin(ids[0]);
    const more = await sendN(3);
    const kept = (await relay.listMessages()).items.map((m) => m.id);
    expect(kept).toContain(ids[0]);
    expect(kept).not.toContain(ids[1]);
    expect(kept).toHaveLength(3);
    expect(await relay.deleteMessage(more[2])).toBe(true);
    await relay.stop();
    const again = new RelayService({ dataDir: dir, logger: silentLogger });
    const after = (await again.listMessages()).items;
    expect(after.map((m) => m.id).sort()).toEqual([ids[0], more[1]].sort());
    expect(after.find((m) => m.id === ids[0])?.pinned).toBe(true);
  });
});

describe('events', () => {
  it('pushes state changes with the bound address and port', async () => {
    const states: RelayState[] = [];
    await startRelay({}, (r) => r.events.on('state-changed', (state) => states.push(state)));
    await relay.stop();
    expect(states.map((s) => s.status)).toEqual(['listening', 'stopping', 'stopped']);
    expect(states[0]).toMatchObject({ listenAddress: '127.0.0.1', port });
  });
});
