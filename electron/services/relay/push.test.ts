import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueItem } from '../../../shared/domain/relay';
import { snapshotJpeg } from '../../simulator/jpeg';
import { silentLogger } from '../common/logger';
import type { SecretBox } from '../common/secret-box';
import { pushHttpClient } from './push-senders';
import { RelayService } from './relay-service';

/** A local HTTP receiver (ntfy server or webhook endpoint stand-in) that records every request. */
interface Receiver {
  port: number;
  url: string;
  hits: Array<{ method: string; path: string; headers: IncomingHttpHeaders; body: Buffer }>;
  close(): Promise<void>;
}

function startReceiver(port = 0, status = 200): Promise<Receiver> {
  const hits: Receiver['hits'] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      hits.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(status < 300 ? '{"id":"x"}' : '{"error":"nope"}');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const p = (server.address() as AddressInfo).port;
      resolve({
        port: p,
        url: `http://127.0.0.1:${p}`,
        hits,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}

async function freePort(): Promise<number> {
  const r = await startReceiver();
  await r.close();
  return r.port;
}

let dir: string;
let relay: RelayService;
let smtpPort: number;
const receivers: Receiver[] = [];

async function startRelay(secrets?: SecretBox): Promise<void> {
  relay = new RelayService({ dataDir: dir, logger: silentLogger, secrets, pushHttp: pushHttpClient(3000) });
  smtpPort = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'] })).port;
}

async function send(localAddress = '127.0.0.1', withSnapshot = true, subject = 'Camera Sabotage'): Promise<string> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true, localAddress, name: 'GateCam', logger: false });
  try {
    const info = await t.sendMail({
      from: 'gatecam@site.local',
      to: 'alarms@site.local',
      subject,
      text: 'Sabotage detected',
      attachments: withSnapshot ? [{ filename: 'snapshot.jpg', content: snapshotJpeg(), contentType: 'image/jpeg' }] : undefined,
    });
    return /stored as (\S+)/.exec(info.response)![1];
  } finally {
    t.close();
  }
}

async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'relay-push-'));
});
afterEach(async () => {
  await relay?.stop();
  await Promise.all(receivers.splice(0).map((r) => r.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('push targets against local HTTP receivers', () => {
  it('ntfy gets the snapshot as a PUT attachment with the camera in the title; the webhook gets JSON with the snapshot in base64', async () => {
    const ntfy = await startReceiver();
    const hook = await startReceiver();
    receivers.push(ntfy, hook);
    await startRelay();
    relay.cameras.setLabel('127.0.0.1', 'Gate North');
    await relay.setPushTargets([
      { kind: 'ntfy', id: 'phone', label: 'Phone', url: `${ntfy.url}/site-alarms`, token: 'tk_secret' },
      { kind: 'webhook', id: 'hook', label: 'Hook', url: `${hook.url}/camera-mail` },
    ]);
    const id = await send();
    await waitFor(() => ntfy.hits.length === 1 && hook.hits.length === 1, 'both pushes');

    const n = ntfy.hits[0];
    expect(n).toMatchObject({ method: 'PUT', path: '/site-alarms' });
    expect(n.headers).toMatchObject({ filename: 'snapshot.jpg', title: 'Gate North (127.0.0.1): Camera Sabotage', priority: '4', tags: 'camera', authorization: 'Bearer tk_secret', 'content-type': 'image/jpeg' });
    expect(n.headers.message).toContain('Sabotage detected');
    expect(n.body.equals(snapshotJpeg())).toBe(true);

    const h = hook.hits[0];
    expect(h).toMatchObject({ method: 'POST', path: '/camera-mail' });
    expect(h.headers['content-type']).toMatch(/^application\/json/);
    expect(h.headers['idempotency-key']).toBe(`${id}-hook`);
    expect(h.headers.authorization).toBeUndefined();
    const body = JSON.parse(h.body.toString()) as Record<string, unknown>;
    expect(body).toMatchObject({
      version: 1,
      from: 'gatecam@site.local',
      to: ['alarms@site.local'],
      subject: 'Camera Sabotage',
      clientIp: '127.0.0.1',
      camera: { name: 'Gate North', ip: '127.0.0.1' },
      snapshot: { filename: 'snapshot.jpg', contentType: 'image/jpeg', base64: snapshotJpeg().toString('base64') },
    });
    await waitFor(async () => (await relay.getQueue()).length === 0, 'an empty queue');
  });

  it('without a snapshot, ntfy gets a POST of the text; a non-ASCII title goes as an RFC 2047 word', async () => {
    const ntfy = await startReceiver();
    receivers.push(ntfy);
    await startRelay();
    relay.cameras.setLabel('127.0.0.1', 'Tür Nord');
    await relay.setPushTargets([{ kind: 'ntfy', id: 'phone', label: 'Phone', url: `${ntfy.url}/t` }]);
    await send('127.0.0.1', false, 'Motion');
    await waitFor(() => ntfy.hits.length === 1, 'the push');
    expect(ntfy.hits[0]).toMatchObject({ method: 'POST', path: '/t' });
    expect(ntfy.hits[0].headers.title).toMatch(/^=\?UTF-8\?B\?/);
    expect(Buffer.from(String(ntfy.hits[0].headers.title).slice(10, -2), 'base64').toString()).toBe('Tür Nord (127.0.0.1): Motion');
    expect(ntfy.hits[0].body.toString()).toContain('Sabotage detected');
  });

  it('per-camera rules: a target for one camera gets only its mail, a site-wide one gets all', async () => {
    const r = await startReceiver();
    receivers.push(r);
    await startRelay();
    await relay.setPushTargets([
      { kind: 'webhook', id: 'gate-only', label: 'Gate', url: `${r.url}/gate`, cameras: ['127.0.0.5'], includeSnapshot: false },
      { kind: 'webhook', id: 'site', label: 'Site', url: `${r.url}/site`, includeSnapshot: false },
    ]);
    await send('127.0.0.5');
    await send('127.0.0.6');
    await waitFor(() => r.hits.length === 3, 'three pushes');
    await new Promise((res) => setTimeout(res, 200));
    expect(r.hits.map((h) => `${h.path} ${(JSON.parse(h.body.toString()) as { clientIp: string }).clientIp}`).sort()).toEqual(['/gate 127.0.0.5', '/site 127.0.0.5', '/site 127.0.0.6']);
    expect(JSON.parse(r.hits[0].body.toString())).toMatchObject({ snapshot: null });
  });

  it('receiver down, then up: queued durably (across a relay restart), visible with its error, delivered exactly once', async () => {
    const port = await freePort();
    await startRelay();
    await relay.setPushTargets([{ kind: 'webhook', id: 'hook', label: 'Hook', url: `http://127.0.0.1:${port}/hook`, includeSnapshot: false }]);
    const id = await send();
    const failed = await waitFor(async () => (await relay.getQueue()).find((q) => q.id === `${id}-hook` && q.attempts >= 1 && q.state === 'queued'), 'a failed attempt');
    expect(failed).toMatchObject({ messageId: id, target: { id: 'hook', kind: 'webhook', label: 'Hook', isConfigured: true } });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    const advice = await relay.getQueueAdvice();
    expect(advice).toEqual([{ id: failed.id, advice: expect.objectContaining({ code: 'unreachable', headline: 'Hook cannot be reached', action: { kind: 'retry-queued', id: failed.id, label: 'Retry now' } }) }]);

    // The relay restarts while the receiver is still down: the item stays queued.
    await relay.stop();
    await startRelay();
    expect((await relay.getQueue()).map((q: QueueItem) => q.id)).toEqual([failed.id]);

    const r = await startReceiver(port);
    receivers.push(r);
    await relay.retryNow(failed.id);
    // A second "Retry now" while the first send runs must not send twice.
    await relay.retryNow(failed.id).catch(() => undefined);
    await waitFor(async () => (await relay.getQueue()).length === 0, 'the queue to drain');
    await new Promise((res) => setTimeout(res, 300));
    expect(r.hits).toHaveLength(1);
    expect(r.hits[0].headers['idempotency-key']).toBe(failed.id);
    await expect(relay.retryNow(failed.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(r.hits).toHaveLength(1);
  });

  it('an HTTP refusal stays queued with "HTTP 404" and advice; the test button says the same', async () => {
    const r = await startReceiver(0, 404);
    receivers.push(r);
    await startRelay();
    await relay.setPushTargets([{ kind: 'ntfy', id: 'phone', label: 'Phone', url: `${r.url}/wrong-topic`, includeSnapshot: false }]);
    await send();
    const q = await waitFor(async () => (await relay.getQueue()).find((x) => x.attempts >= 1), 'a failed attempt');
    expect(q.lastError).toBe('HTTP 404 Not Found');
    expect((await relay.getQueueAdvice())[0].advice).toMatchObject({ code: 'http-404', headline: 'HTTP 404 from Phone' });
    await expect(relay.testPushTarget('phone')).rejects.toMatchObject({ code: 'NETWORK', message: expect.stringMatching(/Phone did not accept the test: HTTP 404/) });
  });

  it('a test push is delivered at once; tokens are never shown and kept only sealed on disk', async () => {
    const r = await startReceiver();
    receivers.push(r);
    const sealed: SecretBox = { isAvailable: () => true, seal: (s) => `sealed:${Buffer.from(s).toString('hex')}`, open: (s) => Buffer.from(s.slice(7), 'hex').toString() };
    await startRelay(sealed);
    const views = await relay.setPushTargets([{ kind: 'webhook', id: 'hook', label: 'Hook', url: `${r.url}/h`, token: 'tk_1234' }]);
    expect(views).toEqual([expect.objectContaining({ id: 'hook', hasToken: true })]);
    expect(JSON.stringify(views)).not.toContain('tk_1234');
    const file = readFileSync(join(dir, 'push-targets.json'), 'utf8');
    expect(file).not.toContain('tk_1234');
    expect(file).toContain('sealed:');
    expect(await relay.testPushTarget('hook')).toEqual({ target: 'Hook' });
    expect(r.hits[0].headers.authorization).toBe('Bearer tk_1234');
    expect(JSON.parse(r.hits[0].body.toString())).toMatchObject({ subject: 'Test from the Sarix Commissioner relay' });
    // Saving again without the token (the UI never has it) keeps it; a new relay reads it back sealed.
    await relay.setPushTargets([{ kind: 'webhook', id: 'hook', label: 'Hook renamed', url: `${r.url}/h` }]);
    await relay.stop();
    await startRelay(sealed);
    expect(relay.getPushTargets()).toEqual([expect.objectContaining({ label: 'Hook renamed', hasToken: true })]);
    await relay.testPushTarget('hook');
    expect(r.hits[1].headers.authorization).toBe('Bearer tk_1234');
  });

  it('refuses a target with a login in its URL, and a duplicate id', async () => {
    await startRelay();
    await expect(relay.setPushTargets([{ kind: 'webhook', id: 'a', label: 'A', url: 'http://user:pw@127.0.0.1/x' }])).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/Do not put a login in the URL/) });
    await expect(
      relay.setPushTargets([
        { kind: 'webhook', id: 'a', label: 'A', url: 'http://127.0.0.1/x' },
        { kind: 'webhook', id: 'a', label: 'B', url: 'http://127.0.0.1/y' },
      ]),
    ).rejects.toMatchObject({ code: 'VALIDATION' });
  });
});
