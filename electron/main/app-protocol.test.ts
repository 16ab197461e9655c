import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as electronModule from 'electron';
import { webCsp } from '../server/csp';
import { APP_ORIGIN, createAppProtocolHandler, installAppProtocol, registerAppScheme, resolveAppFile } from './app-protocol';
import type { FakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = electronModule as unknown as FakeElectron;

let base: string;
let root: string;
let handler: (r: Request) => Promise<Response>;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'electron-main-proto-'));
  root = join(base, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(base, 'secret.txt'), 'do not serve');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'link.txt'));
  handler = createAppProtocolHandler(root);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => handler(new Request(url, { method }));

describe('app:// scheme', () => {
  it('is registered as privileged: standard, secure, fetch; nothing more', () => {
    registerAppScheme();
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('is installed on the given session', () => {
    installAppProtocol(electron.session.defaultSession as never, root);
    expect(electron.session.defaultSession.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });
});

describe('app:// handler', () => {
  it('serves index.html and assets with the CSP and type headers', async () => {
    for (const url of [`${APP_ORIGIN}/`, `${APP_ORIGIN}/index.html`]) {
      const r = await get(url);
      expect(r.status).toBe(200);
      expect(await r.text()).toContain('<title>app</title>');
      expect(r.headers.get('content-security-policy')).toBe(webCsp());
      expect(r.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    }
    const js = await get(`${APP_ORIGIN}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('content-security-policy')).toBe(webCsp());
  });

  it.each([
    `${APP_ORIGIN}/..%2fsecret.txt`,
    `${APP_ORIGIN}/assets/..%2f..%2fsecret.txt`,
    `${APP_ORIGIN}/assets/..%5c..%5csecret.txt`,
    `${APP_ORIGIN}/assets/%2e%2e%2f%2e%2e%2fsecret.txt`,
    `${APP_ORIGIN}/index.html%00.js`,
    `${APP_ORIGIN}/assets/link.txt`,
    'app://other-host/index.html',
    'https://sarix/index.html',
  ])('refuses %s', async (url) => {
    const r = await get(url);
    expect(r.status).toBe(403);
    expect(await r.text()).not.toContain('do not serve');
    expect(r.headers.get('content-security-policy')).toBe(webCsp());
  });

  it('resolves dot segments inside the root (URL parsing), so they cannot reach the parent folder', async () => {
    for (const url of [`${APP_ORIGIN}/%2e%2e/secret.txt`, `${APP_ORIGIN}/../../secret.txt`, `${APP_ORIGIN}/assets/../../secret.txt`]) {
      const r = await get(url);
      expect(r.status).toBe(404);
      expect(await r.text()).not.toContain('do not serve');
    }
  });

  it('answers 404 for a missing asset, index.html for an app route, 405 for writes, 400 for bad encoding', async () => {
    expect((await get(`${APP_ORIGIN}/assets/missing.js`)).status).toBe(404);
    const route = await get(`${APP_ORIGIN}/cameras/details`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain('<title>app</title>');
    expect((await get(`${APP_ORIGIN}/index.html`, 'POST')).status).toBe(405);
    expect((await get(`${APP_ORIGIN}/%E0%A4%A`)).status).toBe(400);
  });

  it('resolveAppFile keeps paths inside the root', () => {
    expect(resolveAppFile(root, `${APP_ORIGIN}/assets/app.js`)).toEqual({ ok: true, file: join(root, 'assets', 'app.js') });
    expect(resolveAppFile(root, 'not a url')).toMatchObject({ ok: false, status: 400 });
    expect(resolveAppFile(root, `${APP_ORIGIN}/..%2f`)).toMatchObject({ ok: false, status: 403 });
  });
});
