/**
 * The `app://` scheme that serves the built renderer. A privileged standard + secure scheme gives the page a
 * real origin (`app://sarix`) so CSP 'self', fetch and the IPC sender check work, without the extra powers
 * Chromium grants `file://` pages (Electron security checklist #18).
 */
import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { protocol, type Session } from 'electron';
import { webCsp } from '../server/csp';
import { contentTypeOf } from '../server/mime';

/** The custom scheme name. */
export const APP_SCHEME = 'app';
/** The fixed host of every renderer URL; anything else is refused. */
export const APP_HOST = 'sarix';
/** The renderer's origin, as Chromium reports it in senderFrame.url. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The URL the main window loads. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Registers `app://` as privileged; Electron only accepts this before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // No bypassCSP, no corsEnabled, no stream: only what a local single-page app needs.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Where a request URL points inside the renderer folder, or why it is refused. */
export type AppFileResolution = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps an `app://sarix/...` URL to a file under `root`. Refuses other schemes and hosts, encoded or plain
 * `..` segments, backslashes, NUL bytes and absolute paths, so a page can never read outside the renderer folder.
 */
export function resolveAppFile(root: string, rawUrl: string): AppFileResolution {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 403, reason: 'foreign origin' };
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400, reason: 'bad percent-encoding' };
  }
  if (path.includes('\0') || path.includes('\\')) return { ok: false, status: 403, reason: 'forbidden character in path' };
  if (path === '/' || path === '') path = '/index.html';
  const base = resolve(root);
  const file = resolve(base, '.' + path);
  if (!isInside(base, file)) return { ok: false, status: 403, reason: 'path leaves the renderer folder' };
  return { ok: true, file };
}

function isInside(base: string, file: string): boolean {
  const rel = relative(base, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..');
}

/** Security headers of every app:// response (the CSP is the web host's, so both hosts enforce one policy). */
export function appResponseHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': webCsp(),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

/** Builds the app:// request handler that serves files from the built renderer folder. */
export function createAppProtocolHandler(rendererDir: string): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response('Method not allowed', { status: 405, headers: appResponseHeaders('text/plain; charset=utf-8') });
    }
    const r = resolveAppFile(rendererDir, request.url);
    if (!r.ok) return new Response(r.reason, { status: r.status, headers: appResponseHeaders('text/plain; charset=utf-8') });
    let file = r.file;
    const isFile = await stat(file).then((s) => s.isFile(), () => false);
    if (!isFile) {
      // Single-page app: a route without an extension gets index.html; a missing asset is a real 404.
      if (extname(file) !== '') return new Response('Not found', { status: 404, headers: appResponseHeaders('text/plain; charset=utf-8') });
      file = resolve(rendererDir, 'index.html');
    }
    // A symlink inside the folder must not lead outside it either.
    const [realRoot, realFile] = await Promise.all([realpath(rendererDir), realpath(file)]);
    if (!isInside(realRoot, realFile)) return new Response('path leaves the renderer folder', { status: 403, headers: appResponseHeaders('text/plain; charset=utf-8') });
    const body = await readFile(realFile);
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: appResponseHeaders(contentTypeOf(file)),
    });
  };
}

/** Serves the renderer on app:// in a session (call after the app is ready). */
export function installAppProtocol(session: Session, rendererDir: string): void {
  session.protocol.handle(APP_SCHEME, createAppProtocolHandler(rendererDir));
}
