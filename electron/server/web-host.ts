/**
 * The web host: serves the built renderer and the same contract over a WebSocket, for headless boxes and for
 * E2E tests in Chromium. Binds 127.0.0.1 only; the WebSocket requires the per-run random token from the URL.
 * Messages: client → {id, channel, arg}; server → {id, result} for calls and {event, payload} for pushes.
 *
 * No input may end the process (it also hosts the embedded relay and the practice camera): every request, upgrade
 * and WebSocket message runs inside a guard that turns an unexpected error into a 500 (or a closed socket) and a
 * log line, and every stream and socket has an error listener. Requests must name this host in `Host`
 * (127.0.0.1:PORT or localhost:PORT), so a DNS-rebinding page (evil.example resolving to 127.0.0.1) gets a 421.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, realpath, stat } from 'node:fs/promises';
import { createServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { dispatch, type Handlers } from '../composition/dispatch';
import type { EventHub } from '../composition/event-hub';
import { webCsp } from './csp';
import { contentTypeOf } from './mime';

/** Options of the web host. */
export interface WebHostOptions {
  handlers: Handlers;
  hub: EventHub;
  /** Folder with the built renderer (index.html + assets). */
  rendererDir: string;
  /** Port on 127.0.0.1; 0 picks a free one. */
  port?: number;
  /** Fixed token (tests); a random one is made otherwise. */
  token?: string;
  log?: { info(m: string, meta?: unknown): void; error(m: string, meta?: unknown): void };
}

/** A running web host. */
export interface WebHost {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The only address the web host binds: it must never be reachable from the site network. */
export const WEB_HOST_ADDRESS = '127.0.0.1';

/** The `Host` values the web host answers: its own address and `localhost`, with its port. */
export function allowedHostHeaders(port: number): string[] {
  const hosts = [`${WEB_HOST_ADDRESS}:${port}`, `localhost:${port}`];
  // A browser leaves the default port out of Host (RFC 9110 §7.2), so port 80 also comes bare.
  return port === 80 ? [...hosts, WEB_HOST_ADDRESS, 'localhost'] : hosts;
}

/**
 * Is this `Host` header one the web host answers? Anything else is refused: a page on another name that resolves
 * to 127.0.0.1 (DNS rebinding) would otherwise be same-origin with its own requests to the app.
 */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return allowedHostHeaders(port).includes(host.toLowerCase());
}

function isInsideDir(base: string, file: string): boolean {
  const inside = relative(base, file);
  return inside !== '' && !isAbsolute(inside) && !inside.split(sep).includes('..');
}

/** Where a request path points inside the renderer folder, or the status that refuses it. */
export type StaticTarget = { ok: true; file: string; isSpaRoute: boolean } | { ok: false; status: 400 | 403; reason: string };

/**
 * Maps a request target (origin-form, e.g. `/assets/a.js?x`) to a file under `root`. Bad percent-encoding, NUL
 * bytes, backslashes and paths that leave the folder are refused, the same rules as app:// in the desktop host.
 */
export function resolveStaticTarget(root: string, target: string | undefined): StaticTarget {
  // Only origin-form targets (RFC 9112 §3.2.1); absolute-form and `*` are for proxies and OPTIONS.
  if (!target || !target.startsWith('/')) return { ok: false, status: 400, reason: 'the request target must start with /' };
  let pathname: string;
  try {
    pathname = new URL(target, 'http://localhost').pathname;
  } catch {
    return { ok: false, status: 400, reason: 'the request target is not a valid URL path' };
  }
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return { ok: false, status: 400, reason: 'the path is not valid percent-encoding' };
  }
  if (rel.includes('\0') || rel.includes('\\')) return { ok: false, status: 400, reason: 'the path contains a NUL byte or a backslash' };
  if (rel === '/' || rel === '') rel = '/index.html';
  const base = resolve(root);
  const file = resolve(base, '.' + rel);
  if (!isInsideDir(base, file)) return { ok: false, status: 403, reason: 'the path leaves the renderer folder' };
  // Single-page app: unknown paths without an extension get index.html.
  return { ok: true, file, isSpaRoute: extname(rel) === '' };
}

/**
 * The guard of a whole request, not only of its path decoding: whatever the handler throws or rejects with becomes
 * a 500 (or a cut response once headers went out) and a log line, never an uncaught error that ends the process.
 */
export function guardRequest(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
  log: { error(m: string, meta?: unknown): void },
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const fail = (e: unknown) => {
      log.error('web host failed on a request', { url: String(req.url).slice(0, 200), error: e instanceof Error ? e.stack : String(e) });
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('Internal error; the web host logged it. Try again, and report it if it happens again.\n');
    };
    try {
      Promise.resolve(handler(req, res)).catch(fail);
    } catch (e) {
      fail(e);
    }
  };
}

function tokenMatches(expected: string, given: string | null): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Starts the web host. */
export async function startWebHost(o: WebHostOptions): Promise<WebHost> {
  const token = o.token ?? randomBytes(24).toString('base64url');
  const root = resolve(o.rendererDir);
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`The renderer is not built (${join(root, 'index.html')} is missing). Run "npm run build:renderer" first.`);
  }
  const log = o.log ?? { info() {}, error() {} };
  // Known once listening; no request arrives before that.
  let port = 0;

  const sendText = (res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', ...extra });
    res.end(`${text}\n`);
  };

  const wrongHostText = (host: string | undefined) =>
    `This server answers only ${allowedHostHeaders(port)
      .map((h) => `http://${h}/`)
      .join(' and ')}; the request named ${host ? `"${host.slice(0, 100)}"` : 'no host'} (refused to stop DNS rebinding). Open the URL that "sarix serve" printed.`;

  /**
   * Reads the whole file before answering (the renderer's files are small): a file that vanishes or fails to read
   * becomes a 404 or a 500 from the request guard, never a response cut after its headers.
   */
  const serveFile = async (req: IncomingMessage, res: ServerResponse) => {
    const t = resolveStaticTarget(root, req.url);
    if (!t.ok) return sendText(res, t.status, `${STATUS_CODES[t.status]}: ${t.reason}.`);
    let file = t.file;
    let isFile = await stat(file).then((s) => s.isFile(), () => false);
    if (!isFile && t.isSpaRoute) {
      file = join(root, 'index.html');
      isFile = true;
    }
    if (!isFile) return sendText(res, 404, 'Not found.');
    // A symbolic link inside the folder must not lead outside it either (the same rule as app://).
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    if (!isInsideDir(realRoot, realFile)) return sendText(res, 403, 'Forbidden: the path leaves the renderer folder.');
    const body = await readFile(realFile);
    res.writeHead(200, {
      'Content-Type': contentTypeOf(file),
      'Content-Length': String(body.length),
      'Content-Security-Policy': webCsp(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const handleRequest = async (req: IncomingMessage, res: ServerResponse) => {
    if (!isAllowedHost(req.headers.host, port)) return sendText(res, 421, wrongHostText(req.headers.host));
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' });
    await serveFile(req, res);
  };

  const server: Server = createServer(guardRequest(handleRequest, log));
  // After listen, a server error (EMFILE on accept, ...) is logged; without a listener it would end the process.
  const onServerError = (e: Error) => log.error('web host server error', String(e));

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  let connSeq = 0;
  const sockets = new Set<WebSocket>();

  const refuseUpgrade = (socket: Duplex, status: number, text: string) => {
    const body = `${text}\n`;
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    // A client that never closes its side must not keep the socket.
    setTimeout(() => socket.destroy(), 2000).unref();
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A reset during the handshake must not reach the process; ws adds its own listener once it owns the socket.
    socket.on('error', (e) => log.info('web host: a WebSocket handshake socket failed', String(e)));
    try {
      if (!isAllowedHost(req.headers.host, port)) {
        log.info('web host refused a WebSocket for another host name', { host: String(req.headers.host).slice(0, 100) });
        return refuseUpgrade(socket, 421, wrongHostText(req.headers.host));
      }
      let url: URL | null = null;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        url = null;
      }
      const origin = req.headers.origin;
      // Token check, plus same-origin check: a page from another origin must not drive the app.
      const originOk = !origin || origin === `http://${req.headers.host}`;
      if (!url || url.pathname !== '/api' || !tokenMatches(token, url.searchParams.get('token')) || !originOk) {
        log.info('web host refused a WebSocket without a valid token or origin', { path: url?.pathname, origin });
        return refuseUpgrade(socket, 401, 'A valid token is needed: open the URL that "sarix serve" printed.');
      }
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    } catch (e) {
      log.error('web host failed on a WebSocket upgrade', e instanceof Error ? e.stack : String(e));
      socket.destroy();
    }
  });

  const unsubscribe = o.hub.subscribe((event, payload) => {
    const msg = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(msg);
  });

  const reply = (ws: WebSocket, id: number | string | null, result: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
  };

  const answer = async (ws: WebSocket, caller: string, data: RawData) => {
    let msg: unknown;
    try {
      msg = JSON.parse(String(data));
    } catch {
      msg = undefined;
    }
    // JSON that is not an object ("null", "[1]", "5") is as bad as no JSON at all.
    if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
      return reply(ws, null, { ok: false, error: { code: 'BAD_REQUEST', message: 'Messages must be JSON objects: {"id", "channel", "arg"}.' } });
    }
    const m = msg as { id?: unknown; channel?: unknown; arg?: unknown };
    const id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
    if (typeof m.channel !== 'string') return reply(ws, id, { ok: false, error: { code: 'BAD_REQUEST', message: 'The message needs a "channel" string.' } });
    const result = await dispatch(o.handlers, m.channel, m.arg, { caller }, log);
    reply(ws, id, result);
  };

  wss.on('connection', (ws: WebSocket) => {
    const caller = `ws-${++connSeq}`;
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // ws reports bad frames (reserved bits, unmasked, too big, invalid UTF-8) here and closes the connection itself;
    // an EventEmitter 'error' without a listener would end the process.
    ws.on('error', (e) => log.info(`web host closed ${caller} after a protocol error`, String(e)));
    ws.on('message', (data) => {
      answer(ws, caller, data).catch((e: unknown) => {
        log.error(`web host failed on a message of ${caller}`, e instanceof Error ? e.stack : String(e));
        try {
          reply(ws, null, { ok: false, error: { code: 'INTERNAL', message: 'The web host failed on this message; see the log.' } });
        } catch {
          ws.terminate();
        }
      });
    });
  });

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(o.port ?? 0, WEB_HOST_ADDRESS, () => {
      server.off('error', rej);
      server.on('error', onServerError);
      res();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${WEB_HOST_ADDRESS}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
