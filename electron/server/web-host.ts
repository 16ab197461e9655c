/**
 * The web host: serves the built renderer and the same contract over a WebSocket, for headless boxes and for
 * E2E tests in Chromium. Binds 127.0.0.1 only; the WebSocket requires the per-run random token from the URL.
 * Messages: client → {id, channel, arg}; server → {id, result} for calls and {event, payload} for pushes.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
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

  const serveFile = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    let rel = decodeURIComponent(url.pathname);
    if (rel === '/' || rel === '') rel = '/index.html';
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep)) {
      res.writeHead(403).end('Forbidden');
      return;
    }
    let target = file;
    if (!existsSync(target) || !statSync(target).isFile()) {
      // Single-page app: unknown paths without an extension get index.html.
      if (extname(rel) === '') target = join(root, 'index.html');
      else {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
        return;
      }
    }
    res.writeHead(200, {
      'Content-Type': contentTypeOf(target),
      'Content-Security-Policy': webCsp(),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    });
    createReadStream(target).pipe(res);
  };

  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    serveFile(req, res);
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 * 1024 });
  let connSeq = 0;
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const origin = req.headers.origin;
    const host = req.headers.host ?? '';
    // Token check, plus same-origin check: a page from another origin must not drive the app.
    const originOk = !origin || origin === `http://${host}`;
    if (url.pathname !== '/api' || !tokenMatches(token, url.searchParams.get('token')) || !originOk) {
      o.log?.info('web host refused a WebSocket without a valid token or origin', { path: url.pathname, origin });
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  const unsubscribe = o.hub.subscribe((event, payload) => {
    const msg = JSON.stringify({ event, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(msg);
  });

  wss.on('connection', (ws: WebSocket) => {
    const caller = `ws-${++connSeq}`;
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', async (data) => {
      let msg: { id?: unknown; channel?: unknown; arg?: unknown };
      try {
        msg = JSON.parse(String(data));
      } catch {
        ws.send(JSON.stringify({ id: null, result: { ok: false, error: { code: 'BAD_REQUEST', message: 'Messages must be JSON.' } } }));
        return;
      }
      const id = typeof msg.id === 'number' || typeof msg.id === 'string' ? msg.id : null;
      const result = await dispatch(o.handlers, String(msg.channel), msg.arg, { caller }, o.log);
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id, result }));
    });
  });

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(o.port ?? 0, WEB_HOST_ADDRESS, () => {
      server.off('error', rej);
      res();
    });
  });
  const port = (server.address() as AddressInfo).port;
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
