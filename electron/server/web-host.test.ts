import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestHost, type TestHost } from '../composition/test-host';
import { guardRequest, isAllowedHost, resolveStaticTarget, startWebHost, type WebHost } from './web-host';

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

function openWs(url: string, origin?: string, headers?: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { ...(origin ? { origin } : {}), ...(headers ? { headers } : {}) });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('web host', () => {
  let dir: string;
  let core: TestHost;
  let host: WebHost;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-web-'));
    mkdirSync(join(dir, 'r'));
    writeFileSync(join(dir, 'r', 'index.html'), '<!doctype html><title>t</title>');
    writeFileSync(join(dir, 'secret.txt'), 'do not serve');
    core = await createTestHost({ hostKind: 'web', userDataPath: dir });
    host = await startWebHost({ handlers: core.handlers, hub: core.hub, rendererDir: join(dir, 'r'), port: 0 });
  });
  afterAll(async () => {
    await host.close();
    await core.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('binds 127.0.0.1 and prints a URL with a random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
  });

  it('serves the renderer with a strict CSP and refuses path traversal', async () => {
    const r = await get(host.port, '/');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-security-policy'])).toContain("script-src 'self'");
    const t = await get(host.port, '/..%2fsecret.txt');
    expect(t.status).not.toBe(200);
    expect(t.body).not.toContain('do not serve');
  });

  it('refuses a WebSocket without the token, with a wrong token, or from another origin', async () => {
    const base = `ws://127.0.0.1:${host.port}/api`;
    await expect(openWs(base)).rejects.toThrow(/401/);
    await expect(openWs(`${base}?token=wrong`)).rejects.toThrow(/401/);
    await expect(openWs(`${base}?token=${host.token}`, 'http://evil.example')).rejects.toThrow(/401/);
  });

  it('refuses another host name (DNS rebinding) with 421, for pages and for the WebSocket', async () => {
    const evil = `evil.example:${host.port}`;
    const r = await get(host.port, '/', { Host: evil });
    expect(r.status).toBe(421);
    expect(r.body).toContain(`http://127.0.0.1:${host.port}/`);
    expect(r.body).toContain(evil);
    expect(r.body).not.toContain('<title>');
    // Even with a matching Origin and the right token, the upgrade is refused.
    await expect(openWs(`ws://127.0.0.1:${host.port}/api?token=${host.token}`, `http://${evil}`, { Host: evil })).rejects.toThrow(/421/);
    // Our own names still work, in any letter case.
    expect((await get(host.port, '/', { Host: `localhost:${host.port}` })).status).toBe(200);
    expect((await get(host.port, '/', { Host: `LocalHost:${host.port}` })).status).toBe(200);
    const ws = await openWs(`ws://localhost:${host.port}/api?token=${host.token}`, `http://localhost:${host.port}`);
    ws.close();
  });

  it('answers contract calls over the WebSocket and pushes events', async () => {
    const ws = await openWs(`ws://127.0.0.1:${host.port}/api?token=${host.token}`);
    const messages: Array<{ id?: number; result?: { ok: boolean; value?: { hostKind?: string } }; event?: string }> = [];
    const next = (pred: (m: (typeof messages)[number]) => boolean) =>
      new Promise<(typeof messages)[number]>((resolve) => {
        const check = () => {
          const m = messages.find(pred);
          if (m) resolve(m);
          else ws.once('message', check);
        };
        check();
      });
    ws.on('message', (d) => messages.push(JSON.parse(String(d))));
    ws.send(JSON.stringify({ id: 1, channel: 'app:get-info', arg: {} }));
    expect((await next((m) => m.id === 1)).result).toMatchObject({ ok: true, value: { hostKind: 'web' } });
    ws.send(JSON.stringify({ id: 2, channel: 'app:nope', arg: {} }));
    expect((await next((m) => m.id === 2)).result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    ws.send(JSON.stringify({ id: 3, channel: 'app:set-settings', arg: { patch: { siteName: 'Yard' } } }));
    expect((await next((m) => m.event === 'app:settings-changed')).event).toBe('app:settings-changed');
    ws.close();
  });
});

describe('web host request rules', () => {
  it.each([
    ['127.0.0.1:8080', true],
    ['localhost:8080', true],
    ['LOCALHOST:8080', true],
    ['127.0.0.1', false],
    ['127.0.0.1:8081', false],
    ['evil.example:8080', false],
    ['127.0.0.1.nip.io:8080', false],
    ['[::1]:8080', false],
    ['', false],
    [undefined, false],
  ])('Host %s on port 8080 → %s', (h, expected) => {
    expect(isAllowedHost(h, 8080)).toBe(expected);
  });

  it('accepts a bare host on port 80, where browsers leave the port out', () => {
    expect(isAllowedHost('localhost', 80)).toBe(true);
    expect(isAllowedHost('evil.example', 80)).toBe(false);
  });

  it.each([
    ['/', 'ok'],
    ['/assets/a.js?v=1', 'ok'],
    ['/wizard/step', 'ok'],
    ['/%', 400],
    ['/%E0%A4%A', 400],
    ['/a%00b.js', 400],
    ['/a%5cb.js', 400],
    ['/..%2f..%2fsecret.txt', 403],
    ['*', 400],
    ['http://evil.example/', 400],
    ['', 400],
    [undefined, 400],
  ])('%s → %s', (target, expected) => {
    const r = resolveStaticTarget('/srv/r', target);
    if (expected === 'ok') expect(r.ok).toBe(true);
    else expect(r).toMatchObject({ ok: false, status: expected });
  });
});

describe('guardRequest: an error anywhere in a request is a 500 and a log line, not the end of the process', () => {
  let server: Server;
  let port: number;
  const logged: string[] = [];
  beforeAll(async () => {
    server = createServer(
      guardRequest(
        async (req, res) => {
          if (req.url === '/throws') throw new TypeError('a bug in a handler');
          if (req.url === '/rejects') await Promise.reject(new Error('a failed read'));
          if (req.url === '/after-headers') {
            res.writeHead(200, { 'Content-Type': 'text/plain' });
            res.write('partial');
            throw new Error('failed half way');
          }
          res.writeHead(200).end('fine');
        },
        { error: (m, meta) => logged.push(`${m} ${JSON.stringify(meta)}`) },
      ),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers 500 for a thrown or rejected error, cuts a response whose headers went out, and keeps serving', async () => {
    for (const path of ['/throws', '/rejects']) {
      const r = await get(port, path);
      expect(r.status).toBe(500);
      expect(r.body).toContain('the web host logged it');
    }
    // Headers and a first chunk went out: the response is cut (the client sees it end early, not complete).
    const cut = await new Promise<{ status: number; isComplete: boolean }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/after-headers' }, (res) => {
        res.on('data', () => undefined);
        res.on('close', () => resolve({ status: res.statusCode ?? 0, isComplete: res.complete }));
      })
        .on('error', reject)
        .end();
    });
    expect(cut).toEqual({ status: 200, isComplete: false });
    expect((await get(port, '/ok')).body).toBe('fine');
    expect(logged.join('\n')).toMatch(/a bug in a handler[\s\S]*a failed read[\s\S]*failed half way/);
  });
});
