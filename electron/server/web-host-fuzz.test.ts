/**
 * No input may end the web host process (it also hosts the embedded relay and the practice camera). The real
 * `sarix serve` runs in a child process; seeded fast-check inputs go to it over raw sockets (malformed request
 * lines, paths, headers, WebSocket handshakes and frames, and JSON messages), and after every input the same
 * process must still serve the page. A fixed seed keeps a failure reproducible; fast-check prints the shrunk input.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SARIX_BIN } from '../testing/cli';

const SEED = 20261124;

/**
 * Writes `bytes` and collects the answer until the server closes, until it has been quiet for `idleMs` after
 * answering, or until `maxMs`. (No half-close: Node's HTTP server drops a request whose client sent FIN.)
 */
function exchange(port: number, bytes: Buffer | Buffer[], maxMs = 1500, idleMs = 150): Promise<Buffer> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    const got: Buffer[] = [];
    let idle: NodeJS.Timeout | undefined;
    const done = () => {
      clearTimeout(t);
      clearTimeout(idle);
      s.destroy();
      resolve(Buffer.concat(got));
    };
    const t = setTimeout(done, maxMs);
    s.on('data', (d) => {
      got.push(d);
      clearTimeout(idle);
      idle = setTimeout(done, idleMs);
    });
    s.on('error', done);
    s.on('close', done);
    s.on('connect', () => {
      for (const b of [bytes].flat()) s.write(b);
    });
  });
}

/** The status code of a raw HTTP answer, or null when none came. */
function statusOf(answer: Buffer): number | null {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(answer.subarray(0, 20).toString('latin1'));
  return m ? Number(m[1]) : null;
}

/** One WebSocket frame, built field by field so the fuzzer can get every field wrong. */
interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  isMasked: boolean;
  payload: Uint8Array;
  /** Declared length that differs from the payload (a lie), or null to tell the truth. */
  declaredLength: number | null;
  /** Force the 16- or 64-bit length form even for short payloads. */
  lengthForm: 'short' | '16' | '64';
}

function encodeFrame(f: Frame): Buffer {
  const len = f.declaredLength ?? f.payload.length;
  const head: number[] = [(f.fin ? 0x80 : 0) | ((f.rsv & 7) << 4) | (f.opcode & 15)];
  const mask = f.isMasked ? 0x80 : 0;
  if (f.lengthForm === 'short' && len < 126) head.push(mask | len);
  else if (f.lengthForm !== '64' && len < 65536) head.push(mask | 126, len >> 8, len & 255);
  else {
    head.push(mask | 127);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    head.push(...b);
  }
  const key = randomBytes(4);
  const body = Buffer.from(f.payload);
  if (f.isMasked) for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), f.isMasked ? key : Buffer.alloc(0), body]);
}

// Hundreds of inputs, each followed by a liveness check, against a child process: generous limits for a busy machine.
describe('web host under malformed input (real sarix serve process, seeded fuzz)', { timeout: 180_000 }, () => {
  let dir: string;
  let child: ChildProcess;
  let port = 0;
  let token = '';
  let stderr = '';
  const host = () => `127.0.0.1:${port}`;

  /** Starts `sarix serve` on a free port and reads its URL. */
  async function startServe(): Promise<void> {
    stderr = '';
    child = spawn(process.execPath, [SARIX_BIN, 'serve', '--port', '0', '--data', join(dir, 'data'), '--renderer', join(dir, 'renderer'), '--no-practice'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SARIX_NO_MULTICAST: '1' },
    });
    child.stderr!.on('data', (d) => (stderr += d));
    const url = await new Promise<URL>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d) => {
        out += d;
        const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out);
        if (m) resolve(new URL(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`sarix serve exited with ${code} before printing its URL: ${stderr}`)));
    });
    port = Number(url.port);
    token = url.searchParams.get('token')!;
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-web-fuzz-'));
    const r = join(dir, 'renderer');
    mkdirSync(join(r, 'assets'), { recursive: true });
    writeFileSync(join(r, 'index.html'), '<!doctype html><title>fuzz</title>');
    writeFileSync(join(r, 'assets', 'app.js'), 'export {};\n');
    // A link that leads out of the folder (to a file that would also fail to read, EIO).
    symlinkSync('/proc/self/mem', join(r, 'assets', 'broken.js'));
    await startServe();
  });

  // Each test gets a live host, so one crash does not hide the others (it still fails its own test).
  beforeEach(async () => {
    if (child.exitCode !== null || child.signalCode !== null) await startServe();
  });

  afterAll(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** The process is alive and still serves the page (a crash shows here as ECONNREFUSED or an exit code). */
  async function expectAlive(): Promise<void> {
    const answer = await exchange(port, Buffer.from(`GET /index.html HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`));
    expect(child.exitCode, `sarix serve exited; its stderr:\n${stderr.slice(-2000)}`).toBeNull();
    expect(statusOf(answer), `no page after the input; stderr:\n${stderr.slice(-2000)}`).toBe(200);
  }

  it('answers a bad percent-encoding with 400 and stays up (curl http://127.0.0.1:PORT/%)', async () => {
    for (const path of ['/%', '/%E0%A4%A', '/assets/%zz.js', '/%00', '/..%2f..%2fetc%2fpasswd']) {
      const answer = await exchange(port, Buffer.from(`GET ${path} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`));
      expect([400, 403, 404], path).toContain(statusOf(answer));
      await expectAlive();
    }
  });

  it('refuses a link that leads out of the renderer folder, and stays up', async () => {
    const answer = await exchange(port, Buffer.from(`GET /assets/broken.js HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`));
    expect(statusOf(answer)).toBe(403);
    await expectAlive();
  });

  it('survives fuzzed request lines, paths and headers', async () => {
    const segment = fc.oneof(
      fc.constantFrom('%', '%2', '%zz', '%00', '%2e%2e', '..', '.', '%c0%af', '%ff%fe', '%E0%A4%A', 'index.html', 'assets', 'app.js', 'broken.js', '\\', 'é', '☃', '?', '#', '', ';', '%2f', '*'),
      fc.string({ maxLength: 12 }),
      fc.string({ unit: 'binary', maxLength: 12 }),
    );
    const path = fc.oneof(
      fc.array(segment, { maxLength: 6 }).map((s) => '/' + s.join('/')),
      fc.constantFrom('*', 'http://[::1', 'http://evil.example/', '//evil.example/x', '', '/'.repeat(3000), '/' + 'a'.repeat(70_000)),
      fc.string({ unit: 'binary', maxLength: 40 }),
    );
    const method = fc.oneof(fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'TRACE', 'PRI', 'get'), fc.string({ maxLength: 8 }));
    const version = fc.constantFrom('HTTP/1.1', 'HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/9.9', 'HTTP/1.1 x', '');
    const headerValue = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constant('x'.repeat(20_000)));
    const header = fc.oneof(
      fc.constant(['Host', '@HOST@']),
      fc.tuple(fc.constantFrom('Host', 'host', 'Origin', 'Content-Length', 'Transfer-Encoding', 'Connection', 'Upgrade', 'Sec-WebSocket-Key', 'Sec-WebSocket-Version', 'Expect', 'Range', 'If-Modified-Since'), headerValue),
      fc.tuple(fc.constantFrom('Content-Length', 'Transfer-Encoding'), fc.constantFrom('-1', '99999999999999999999', '5, 6', 'chunked', 'chunked, identity', 'gzip')),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 20 }), headerValue),
    );
    const request = fc.record({
      method,
      path,
      version,
      headers: fc.array(header, { maxLength: 8 }),
      body: fc.oneof(fc.constant(''), fc.string({ unit: 'binary', maxLength: 200 }), fc.constant('0\r\n\r\n'), fc.constant('zz\r\nbad chunk\r\n')),
      lineEnd: fc.constantFrom('\r\n', '\r\n', '\n', '\r'),
    });
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const lines = [`${r.method} ${r.path} ${r.version}`, ...r.headers.map(([k, v]) => `${k}: ${v === '@HOST@' ? host() : v}`), 'Connection: close'];
        const answer = await exchange(port, Buffer.from(lines.join(r.lineEnd) + r.lineEnd + r.lineEnd + r.body, 'utf8'));
        const status = statusOf(answer);
        // Any refusal is fine; a 5xx would mean the host failed on the input instead of judging it.
        if (status !== null) expect(status).toBeLessThan(500);
        await expectAlive();
      }),
      { seed: SEED, numRuns: 250, examples: [[{ method: 'GET', path: '/%', version: 'HTTP/1.1', headers: [['Host', '@HOST@']], body: '', lineEnd: '\r\n' }]] },
    );
  });

  it('survives raw garbage on the port', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 4096 }), async (bytes) => {
        await exchange(port, Buffer.from(bytes), 500);
        await expectAlive();
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('survives fuzzed WebSocket handshakes', async () => {
    const handshake = fc.record({
      path: fc.oneof(fc.constantFrom('/api', '/api?token=@TOKEN@', '/api?token=%', '/%', '/api?token=@TOKEN@&token=x', 'http://[::1'), fc.string({ maxLength: 30 })),
      host: fc.oneof(fc.constant('@HOST@'), fc.constant('evil.example'), fc.string({ maxLength: 30 })),
      origin: fc.option(fc.oneof(fc.constant('http://@HOST@'), fc.constant('http://evil.example'), fc.string({ maxLength: 30 }))),
      key: fc.oneof(fc.constant(randomBytes(16).toString('base64')), fc.string({ maxLength: 30 })),
      version: fc.constantFrom('13', '8', '', 'x'),
      extensions: fc.option(fc.constantFrom('permessage-deflate', 'permessage-deflate; client_max_window_bits=99', 'x; y=', ';;;')),
      trailing: fc.uint8Array({ maxLength: 64 }),
    });
    await fc.assert(
      fc.asyncProperty(handshake, async (h) => {
        const sub = (s: string) => s.replace('@HOST@', host()).replace('@TOKEN@', token);
        const lines = [`GET ${sub(h.path)} HTTP/1.1`, `Host: ${sub(h.host)}`, 'Connection: Upgrade', 'Upgrade: websocket', `Sec-WebSocket-Key: ${h.key}`, `Sec-WebSocket-Version: ${h.version}`];
        if (h.origin !== null) lines.push(`Origin: ${sub(h.origin)}`);
        if (h.extensions !== null) lines.push(`Sec-WebSocket-Extensions: ${h.extensions}`);
        await exchange(port, [Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8'), Buffer.from(h.trailing)], 500);
        await expectAlive();
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('survives fuzzed WebSocket frames after a valid handshake', async () => {
    const frame: fc.Arbitrary<Frame> = fc.record({
      fin: fc.boolean(),
      rsv: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 7 })),
      opcode: fc.oneof(fc.constantFrom(0x0, 0x1, 0x2, 0x8, 0x9, 0xa), fc.integer({ min: 0, max: 15 })),
      isMasked: fc.oneof(fc.constant(true), fc.boolean()),
      payload: fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom('null', '[]', '5', '"x"', '{"channel":{}}', '{"id":{},"channel":"app:get-info"}', '[[[[[[[[[[]]]]]]]]]]').map((s) => new Uint8Array(Buffer.from(s))),
        fc.constant(new Uint8Array([0xc3, 0x28, 0xff, 0xfe])),
      ),
      declaredLength: fc.option(fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constant(2 ** 53 - 1), fc.constant(5 * 1024 * 1024))),
      lengthForm: fc.constantFrom('short', 'short', '16', '64'),
    });
    const keyLine = () => randomBytes(16).toString('base64');
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 4 }), async (frames) => {
        const hello = `GET /api?token=${token} HTTP/1.1\r\nHost: ${host()}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Key: ${keyLine()}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
        await exchange(port, [Buffer.from(hello), ...frames.map(encodeFrame)], 400);
        await expectAlive();
      }),
      { seed: SEED, numRuns: 120 },
    );
  });

  it('answers fuzzed JSON messages on an open WebSocket with a Result, and keeps the connection', async () => {
    const ws = new WebSocket(`ws://${host()}/api?token=${token}`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let onReply: (reply: unknown) => void = () => {};
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { event?: unknown; result?: unknown };
      // A fuzzed call may succeed and change something (relay:allow-client, app:set-settings): the host then also
      // pushes the matching event ({event, payload}) to every client. Only replies ({id, result}) answer a call.
      if ('event' in m && !('result' in m)) return;
      onReply(m);
    });
    // Read-only or temp-folder channels only: a fuzzed argument must never make the host touch the network.
    const channel = fc.oneof(
      fc.constantFrom('app:get-info', 'app:get-settings', 'app:set-settings', 'relay:get-state', 'relay:list-messages', 'relay:get-message', 'relay:allow-client', 'practice:get-state', 'kb:get-article', 'nope', ''),
      fc.string({ maxLength: 20 }),
    );
    const message = fc.oneof(
      fc.record({ id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.object()), channel, arg: fc.oneof(fc.jsonValue(), fc.constant(undefined)) }, { requiredKeys: [] }).map((m) => JSON.stringify(m)),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc.constantFrom('null', '[]', '0', 'true', '"x"', '{"__proto__":{"channel":"app:get-info"}}', '['.repeat(100_000) + ']'.repeat(100_000)),
    );
    await fc.assert(
      fc.asyncProperty(message, async (text) => {
        const next = new Promise<unknown>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error(`no reply within 5 s to ${JSON.stringify(text.slice(0, 80))}`)), 5000);
          onReply = (r) => {
            clearTimeout(t);
            resolve(r);
          };
        });
        ws.send(text);
        const reply = (await next) as { result?: { ok?: unknown } };
        expect(typeof reply.result?.ok).toBe('boolean');
        expect(ws.readyState).toBe(WebSocket.OPEN);
      }),
      { seed: SEED, numRuns: 200, examples: [['null'], ['[1]']] },
    );
    ws.close();
    await expectAlive();
  });
});
