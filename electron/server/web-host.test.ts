import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createTestHost, type TestHost } from '../composition/test-host';
import { startWebHost, type WebHost } from './web-host';

function get(port: number, path: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    })
      .on('error', reject)
      .end();
  });
}

function openWs(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : undefined);
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
