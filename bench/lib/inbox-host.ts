/**
 * The app side of the inbox benchmark, in its own process so its RSS is the app's alone (no load generator, no
 * browser driver): the web host with its services, the relay started on loopback, 20 cameras known to the relay.
 * Talks to the benchmark over the IPC channel: {ready: {url, port}} once up; answers {rss} to "rss" (after a GC).
 * Run by bench/inbox.bench.ts with --expose-gc; not on its own.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bootstrapWeb } from '../../electron/server/bootstrap';

const CAMERAS = Number(process.env.INBOX_BENCH_CAMERAS ?? 20);

const dir = mkdtempSync(join(tmpdir(), 'inbox-bench-'));
const web = await bootstrapWeb({ port: 0, userDataPath: dir, rendererDir: 'dist-web', practice: false });
const relay = web.services.relay;
const { port } = await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'], retention: { maxCount: 1_000_000, maxAgeDays: 3650 } });
for (let c = 0; c < CAMERAS; c++) {
  relay.cameras.noteDevice({ ip: `127.0.0.${50 + c}`, mac: `00:0b:ab:00:01:${(c + 16).toString(16)}`, model: c % 2 ? 'IXE20DN' : 'IME229', name: `Cam${String(c).padStart(2, '0')}` }, 'discovered');
}
const send = (m: unknown) => process.send?.(m);
process.on('message', (m: unknown) => {
  if (m === 'rss') {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    send({ rss: m.rss, heapUsed: m.heapUsed, external: m.external, stored: relay.getState().messageCount });
  } else if (m === 'stop') {
    void web.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
send({ ready: { url: web.host.url, port } });
