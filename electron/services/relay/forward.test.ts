import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../common/logger';
import { parseForwardUrl } from './forward-url';
import { RelayService } from './relay-service';
import { ForwardConfigSchema } from '../../../shared/domain/relay';
import { nodemailerSender, prepareForUpstream } from './spool';

/** An upstream smarthost like Gmail: STARTTLS with its own certificate, AUTH required. */
interface Upstream {
  server: SMTPServer;
  port: number;
  received: Array<{ from: string; to: string[]; raw: string; user: string }>;
  close(): Promise<void>;
}

let certDir: string;
let key: string;
let cert: string;

beforeAll(async () => {
  certDir = await mkdtemp(join(tmpdir(), 'relay-cert-'));
  // node:crypto cannot make X.509 certificates; the openssl CLI can. Valid for 127.0.0.1 and localhost.
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-keyout', join(certDir, 'key.pem'), '-out', join(certDir, 'cert.pem'),
    '-subj', '/CN=upstream.test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ], { stdio: 'ignore' });
  key = await readFile(join(certDir, 'key.pem'), 'utf8');
  cert = await readFile(join(certDir, 'cert.pem'), 'utf8');
});

afterAll(async () => {
  await rm(certDir, { recursive: true, force: true });
});

function startUpstream(port = 0): Promise<Upstream> {
  const received: Upstream['received'] = [];
  const server = new SMTPServer({
    key,
    cert,
    authMethods: ['PLAIN', 'LOGIN'],
    disableReverseLookup: true,
    logger: false,
    onAuth(auth, _s, cb) {
      if (auth.username === 'relay@corp.example' && auth.password === 'app-password') return cb(null, { user: auth.username });
      cb(Object.assign(new Error('Invalid login'), { responseCode: 535 }));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (!session.secure) return cb(new Error('TLS required'));
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString(), user: String(session.user) });
        cb();
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const p = (server.server.address() as { port: number }).port;
      resolve({ server, port: p, received, close: () => new Promise<void>((r) => server.close(() => r())) });
    });
  });
}

let dir: string;
let relay: RelayService;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-fwd-'));
});

afterEach(async () => {
  await relay?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function startRelay(upstreamPort: number, extra: Record<string, unknown> = {}): Promise<number> {
  relay = new RelayService({ dataDir: dir, logger: silentLogger, closeTimeoutMs: 200 });
  const b = await relay.start({
    listenAddress: '127.0.0.1',
    port: 0,
    allow: ['127.0.0.1'],
    forward: { host: '127.0.0.1', port: upstreamPort, security: 'starttls', user: 'relay@corp.example', password: 'app-password', caPem: cert, servername: 'localhost', ...extra },
  });
  return b.port;
}

function send(port: number, subject: string, to = 'alarms@site.local') {
  return nodemailer.createTransport({ host: '127.0.0.1', port, ignoreTLS: true }).sendMail({ from: 'lobbycam@site.local', to, subject, text: `body of ${subject}` });
}

function waitQueue(pred: (n: number, items: Array<{ lastError?: string; attempts: number }>) => boolean): Promise<unknown> {
  return relay.events.next('queue-changed', (items) => pred(items.length, items));
}

describe('forwarding upstream', () => {
  it('forwards over STARTTLS with AUTH, verification pinned to the upstream certificate, sender rewritten', async () => {
    const up = await startUpstream();
    try {
      const port = await startRelay(up.port, { rewriteFrom: 'relay@corp.example' });
      const emptied = waitQueue((n) => n === 0);
      await send(port, 'Camera Sabotage');
      await emptied;
      expect(up.received).toHaveLength(1);
      const r = up.received[0];
      expect(r).toMatchObject({ from: 'relay@corp.example', to: ['alarms@site.local'], user: 'relay@corp.example' });
      expect(r.raw).toMatch(/^From: relay@corp\.example$/m);
      expect(r.raw).toMatch(/^Reply-To: lobbycam@site\.local$/m);
      expect(r.raw).toContain('body of Camera Sabotage');
      expect(r.raw).not.toMatch(/^(Return-Path|X-Envelope-To):/im);
      expect(await relay.getQueue()).toEqual([]);
      // The local copy stays in the inbox.
      expect((await relay.listMessages()).total).toBe(1);
    } finally {
      await up.close();
    }
  });

  it('refuses an upstream certificate that is not the pinned one (verification on by default)', async () => {
    const up = await startUpstream();
    try {
      const port = await startRelay(up.port, { caPem: undefined });
      const failed = waitQueue((_n, items) => items.some((i) => i.attempts >= 1));
      await send(port, 'untrusted');
      await failed;
      const q = await relay.getQueue();
      expect(q[0]).toMatchObject({ state: 'queued', attempts: 1 });
      expect(q[0].lastError).toMatch(/certificate/i);
      expect(up.received).toHaveLength(0);
    } finally {
      await up.close();
    }
  });

  it('only forwards messages that match a rule', async () => {
    const up = await startUpstream();
    try {
      const port = await startRelay(up.port, { rules: [{ match: 'recipient', pattern: '*@forward.example' }] });
      const emptied = waitQueue((n) => n === 0);
      await send(port, 'local only', 'someone@site.local');
      await send(port, 'goes out', 'boss@forward.example');
      await emptied;
      expect(up.received.map((r) => r.to)).toEqual([['boss@forward.example']]);
      expect((await relay.listMessages()).total).toBe(2);
    } finally {
      await up.close();
    }
  });

  it('queues while the upstream is down, survives a restart, and delivers every message once it is back', async () => {
    // Reserve a port for the upstream, then take it down.
    const probe = await startUpstream();
    const upPort = probe.port;
    await probe.close();
    let port = await startRelay(upPort);
    const n = 5;
    const failedAll = waitQueue((_c, items) => items.length === n && items.every((i) => i.attempts >= 1));
    for (let i = 0; i < n; i++) await send(port, `queued ${i}`);
    await failedAll;
    const q = await relay.getQueue();
    expect(q).toHaveLength(n);
    for (const item of q) {
      expect(item.state).toBe('queued');
      expect(item.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(Date.parse(item.nextAttemptAt!)).toBeGreaterThan(Date.now() + 20_000);
    }
    // Restart the relay: the queue is on disk.
    await relay.stop();
    port = await startRelay(upPort);
    expect((await relay.getQueue()).map((i) => i.id).sort()).toEqual(q.map((i) => i.id).sort());
    // The upstream returns; the technician presses "retry now" on each item.
    const up = await startUpstream(upPort);
    try {
      const emptied = waitQueue((c) => c === 0);
      for (const item of q) await relay.retryNow(item.id);
      await emptied;
      expect(up.received.map((r) => /Subject: (.*)/.exec(r.raw)?.[1]).sort()).toEqual(Array.from({ length: n }, (_, i) => `queued ${i}`));
      // Retry-now and delete on unknown items say so.
      await expect(relay.retryNow(q[0].id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(relay.deleteQueued(q[0].id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    } finally {
      await up.close();
    }
    void port;
  });

  it('refuses to become an open relay: internet ranges on the allow-list with forwarding on', async () => {
    relay = new RelayService({ dataDir: dir, logger: silentLogger });
    await expect(relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['0.0.0.0/0'], forward: { host: '127.0.0.1', port: 2, security: 'none' } })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/open relay/) });
    await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'], forward: { host: '127.0.0.1', port: 2, security: 'none' } });
    expect(() => relay.allow('203.0.113.0/24')).toThrow(/open relay/);
    expect(() => relay.setAllowList(['192.168.0.0/24', '8.8.8.8'])).toThrow(/open relay/);
    expect(relay.allow('192.168.0.20').allow).toEqual(['127.0.0.1', '192.168.0.20']);
  });

  it('refuses a login over an upstream without TLS unless explicitly allowed, and says why', async () => {
    relay = new RelayService({ dataDir: dir, logger: silentLogger });
    const plain = { host: '127.0.0.1', port: 2, security: 'none' as const, user: 'relay@corp.example', password: 'app-password' };
    await expect(relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'], forward: plain })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: expect.stringMatching(/password unencrypted.*STARTTLS/),
      key: 'errors.VALIDATION.plainPassword',
      params: { host: '127.0.0.1', port: 2 },
    });
    expect(relay.getState().status).toBe('stopped');
    // The sender refuses it as well, whoever calls it.
    await expect(nodemailerSender({ ...ForwardConfigSchema.parse(plain) }, { from: 'a@b.c', to: ['d@e.f'] }, Buffer.from('x'))).rejects.toThrow(/unencrypted/);
    await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'], forward: { ...plain, allowPasswordWithoutTls: true } });
    expect(relay.getState().forward).toMatchObject({ security: 'none', hasPassword: true, allowPasswordWithoutTls: true });
  });

  it('at start, removes spool message copies that lost their queue entry (SIGKILL) and logs what it did', async () => {
    const probe = await startUpstream();
    const upPort = probe.port;
    await probe.close();
    const port = await startRelay(upPort);
    const failed = waitQueue((_c, items) => items.length === 2 && items.every((i) => i.attempts >= 1));
    await send(port, 'kept');
    await send(port, 'orphaned');
    await failed;
    const items = await relay.getQueue();
    await relay.stop();
    const spoolDir = join(dir, 'spool');
    const orphan = items.find((i) => i.messageId !== items[0].messageId)!;
    // What a SIGKILL between the two unlinks after a delivery (or between link and state file while queueing) leaves.
    await rm(join(spoolDir, `${orphan.id}.json`));
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    relay = new RelayService({ dataDir: dir, logger, closeTimeoutMs: 200 });
    expect((await relay.getQueue()).map((i) => i.id)).toEqual([items[0].id]);
    expect((await readdir(spoolDir)).sort()).toEqual([`${items[0].id}.eml`, `${items[0].id}.json`]);
    expect(warnings.join('\n')).toMatch(new RegExp(`removed 1 message copy without a queue entry.*${orphan.id.replace(/\./g, '\\.')}`));
    // The message itself is still in the inbox.
    expect((await relay.listMessages()).total).toBe(2);
  });

  it('lets the technician delete a queued item', async () => {
    const probe = await startUpstream();
    const upPort = probe.port;
    await probe.close();
    const port = await startRelay(upPort);
    const failed = waitQueue((_c, items) => items.some((i) => i.attempts >= 1));
    await send(port, 'doomed');
    await failed;
    const [item] = await relay.getQueue();
    expect(await relay.deleteQueued(item.id)).toEqual([]);
    expect(relay.getState().queueLength).toBe(0);
  });
});

describe('forwarding URL and upstream preparation', () => {
  it.each([
    ['smtp+starttls://user%40x.com:p%3Ass@smtp.example.com:587', { host: 'smtp.example.com', port: 587, security: 'starttls', user: 'user@x.com', password: 'p:ss' }],
    ['smtps://u:p@mail.example.com', { host: 'mail.example.com', port: 465, security: 'tls', user: 'u', password: 'p' }],
    ['smtp://10.0.0.5', { host: '10.0.0.5', port: 25, security: 'none' }],
  ])('%s', (url, expected) => expect(parseForwardUrl(url)).toMatchObject(expected));

  it.each(['http://x', 'nonsense', 'smtp://host/path'])('refuses %s', (url) => expect(() => parseForwardUrl(url)).toThrow(/smtp/));

  it('strips the relay delivery headers and keeps the body byte-exact', () => {
    const raw = Buffer.from('Return-Path: <a@b>\r\nX-Envelope-To: x@y, z@w\r\nReceived: from cam\r\nSubject: s\r\n\r\nbody\r\n\r\nmore\r\n');
    expect(prepareForUpstream(raw).toString()).toBe('Received: from cam\r\nSubject: s\r\n\r\nbody\r\n\r\nmore\r\n');
  });
});
