/**
 * Serves a verified update folder to electron-updater's generic provider on 127.0.0.1, so the installer steps
 * stay electron-updater's own (NSIS elevation, AppImage swap, deb/rpm via pkexec, Squirrel.Mac) while the bytes
 * come from the technician's USB stick. electron-updater's MacUpdater does the same for Squirrel.Mac: it serves
 * the downloaded zip from an http://127.0.0.1 server. Only the listed files are served, GET/HEAD only, to
 * loopback callers only; the server lives for one install and is closed right after the download.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A running loopback feed. */
export interface LoopbackFeed {
  /** Base URL (ends with /) for electron-updater's generic provider. */
  url: string;
  close(): Promise<void>;
}

/** Serves exactly `fileNames` from `dir` on 127.0.0.1 (random port) until closed. */
export async function serveUpdateFolder(dir: string, fileNames: string[]): Promise<LoopbackFeed> {
  const allowed = new Set(fileNames);
  const server: Server = createServer((req, res) => {
    const remote = req.socket.remoteAddress ?? '';
    if (!(remote === '127.0.0.1' || remote === '::ffff:127.0.0.1')) {
      res.writeHead(403).end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let name: string;
    try {
      // electron-updater adds a cache-busting query; only the path's last segment names a file.
      name = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname.replace(/^\/+/, ''));
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (!allowed.has(name)) {
      res.writeHead(404).end();
      return;
    }
    const path = join(dir, name);
    stat(path).then(
      (s) => {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(s.size), 'Cache-Control': 'no-store' });
        if (req.method === 'HEAD') {
          res.end();
          return;
        }
        createReadStream(path)
          .on('error', () => res.destroy())
          .pipe(res);
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
