/**
 * Relay inbox benchmark: 10,000 camera mails from 20 cameras (each sending from its own loopback address, with a
 * ~13 KB JPEG snapshot), stored by the relay through SMTP; then, with the inbox open in Chromium through the web
 * host, the latency of the inbox calls over the contract (the web host's WebSocket, JSON and all), the time the
 * virtualised list takes to show rows at a new scroll position, and the RSS of the relay's process (target
 * < 300 MB) and the page's JS heap. The mail comes from a child process, so the client's memory is not counted.
 * Run: npm run bench -- inbox (needs the built renderer: npm run build:renderer). About two minutes.
 */
// Long on purpose: main is the run itself (store 10,000 mails, open the inbox, time the calls, scroll, measure memory, record), in the order bench/RESULTS.md lists the figures; each measurement is already its own helper.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { launchBrowser } from '../tests/e2e/support/browser';
import { percentile, writeResultsSection } from './lib/results';

const MESSAGES = Number(process.env.INBOX_BENCH_MESSAGES ?? 10_000);
const CAMERAS = 20;
const REPEAT = 20;

/** The load generator, plain JS in a child process: nodemailer, one pooled connection per camera address. */
const SENDER = `
const nodemailer = require('nodemailer');
const { port, total, cameras, jpeg } = JSON.parse(process.argv[1]);
const snapshot = Buffer.from(jpeg, 'base64');
const subjects = ['Camera Sabotage', 'Motion', 'Alarm input 1', 'Object removed'];
(async () => {
  let next = 0;
  const workers = Array.from({ length: cameras }, async (_, c) => {
    const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 1, maxMessages: Infinity, localAddress: '127.0.0.' + (50 + c), name: 'Cam' + String(c).padStart(2, '0'), logger: false });
    while (next < total) {
      const i = next++;
      await t.sendMail({ from: 'cam' + c + '@site.example', to: 'alarms@site.example', subject: 'Sarix camera alert: ' + subjects[i % subjects.length] + ' #' + i, text: 'Event ' + i + ' from camera ' + c, attachments: i % 2 === 0 ? [{ filename: 'snapshot.jpg', content: snapshot, contentType: 'image/jpeg' }] : undefined });
    }
    t.close();
  });
  await Promise.all(workers);
  process.stdout.write('done');
})().catch((e) => { console.error(e); process.exit(1); });
`;

/** In-page: scroll the list to y and resolve with the milliseconds until a message row is fully visible. */
const MEASURE_SCROLL = `(el, y) => new Promise((resolve) => {
  const t = performance.now();
  el.scrollTo({ top: y });
  const check = function () {
    const box = el.getBoundingClientRect();
    const shown = Array.from(el.querySelectorAll('[data-testid="message-row"]')).some(function (r) {
      const b = r.getBoundingClientRect();
      return b.top >= box.top && b.bottom <= box.bottom;
    });
    if (shown) resolve(performance.now() - t);
    else requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})`;

// Built with new Function so that its source is exactly the text above (no bundler helpers in it).
 
const measureScroll = new Function('el', 'y', `return (${MEASURE_SCROLL})(el, y);`) as (el: Element, y: number) => Promise<number>;

/** A contract client over the web host's WebSocket, as the renderer talks to it. */
async function contractClient(url: string): Promise<{ call(channel: string, arg: unknown): Promise<{ ms: number; bytes: number; value: unknown }>; close(): void }> {
  const u = new URL(url);
  const ws = new WebSocket(`ws://${u.host}/api?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`, { headers: { Origin: `http://${u.host}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let seq = 0;
  const waiting = new Map<number, (raw: string) => void>();
  ws.on('message', (data) => {
    const text = String(data);
    const msg = JSON.parse(text) as { id?: number };
    if (typeof msg.id === 'number') waiting.get(msg.id)?.(text);
  });
  return {
    call(channel, arg) {
      const id = ++seq;
      const t0 = performance.now();
      return new Promise((resolve, reject) => {
        waiting.set(id, (raw) => {
          waiting.delete(id);
          const ms = performance.now() - t0;
          const r = (JSON.parse(raw) as { result: { ok: boolean; value?: unknown; error?: { message: string } } }).result;
          if (!r.ok) return reject(new Error(`${channel}: ${r.error?.message}`));
          resolve({ ms, bytes: raw.length, value: r.value });
        });
        ws.send(JSON.stringify({ id, channel, arg }));
      });
    },
    close: () => ws.close(),
  };
}

const mb = (n: number) => (n / 2 ** 20).toFixed(0);
const f1 = (n: number) => n.toFixed(1);

/** Memory of the app's process. */
interface Mem {
  rss: number;
  heapUsed: number;
  external: number;
  stored: number;
}

/** In-page: scroll the list down by `step` px each frame for `frames` frames; how many frames showed a placeholder row, and the frame times. */
const MEASURE_GLIDE = `(el, a) => new Promise((resolve) => {
  let n = 0, withPlaceholder = 0, last = performance.now();
  const gaps = [];
  el.scrollTo({ top: a.from });
  const tick = function () {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
    const box = el.getBoundingClientRect();
    const ph = Array.from(el.querySelectorAll('[data-testid="row-placeholder"]')).some(function (r) {
      const b = r.getBoundingClientRect();
      return b.bottom > box.top && b.top < box.bottom;
    });
    if (ph) withPlaceholder++;
    if (++n >= a.frames) return resolve({ frames: n, withPlaceholder, gaps });
    el.scrollTop = el.scrollTop + a.step;
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})`;
 
const measureGlide = new Function('el', 'a', `return (${MEASURE_GLIDE})(el, a);`) as (el: Element, a: { from: number; step: number; frames: number }) => Promise<{ frames: number; withPlaceholder: number; gaps: number[] }>;

/** The app in its own process (bench/lib/inbox-host.ts), so the RSS measured is the app's alone. */
async function startHost(): Promise<{ url: string; port: number; rss(): Promise<Mem>; stop(): Promise<void> }> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join('bench', 'lib', 'inbox-host.ts')], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const messages: Array<(m: Record<string, unknown>) => void> = [];
  child.on('message', (m) => messages.shift()?.(m as Record<string, unknown>));
  const next = () => new Promise<Record<string, unknown>>((resolve, reject) => {
    messages.push(resolve);
    child.once('exit', (code) => reject(new Error(`the app process exited (${code})`)));
  });
  const ready = (await next()).ready as { url: string; port: number };
  return {
    ...ready,
    async rss() {
      const p = next();
      child.send('rss');
      return (await p) as unknown as Mem;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send('stop');
      }),
  };
}

async function main(): Promise<void> {
  if (!existsSync(join('dist-web', 'index.html'))) throw new Error('The renderer is not built: run "npm run build:renderer" first.');
  const host = await startHost();
  const browser = await launchBrowser();
  try {
    const { port } = host;
    const rssEmpty = await host.rss();

    const { snapshotJpeg } = await import('../electron/simulator/jpeg');
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', SENDER, JSON.stringify({ port, total: MESSAGES, cameras: CAMERAS, jpeg: snapshotJpeg().toString('base64') })], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sender exited ${code}`))));
    });
    const fillS = (performance.now() - t0) / 1000;
    const filled = await host.rss();
    const stored = filled.stored;

    // The inbox open in Chromium, scrolled through from top to bottom.
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(host.url);
    await page.getByRole('navigation', { name: 'Main navigation' }).getByText('Relay inbox', { exact: true }).click();
    const list = page.getByTestId('message-list');
    await list.waitFor();
    await page.getByTestId('message-row').first().waitFor();
    const scrollMs: number[] = [];
    const height = await list.evaluate((el) => el.scrollHeight);
    for (let step = 1; step <= 25; step++) {
      const top = Math.round((height * step) / 25);
      // Measured in the page: jump, then check frame by frame until a real row (not a placeholder) is fully on
      // screen. A string, so the bundler's helpers (tsx adds __name to named functions) stay out of the page.
      scrollMs.push(Number(await list.evaluate(measureScroll, top)));
    }
    // Reading down the list as a person scrolls: 300 frames of 240 px (about four rows a frame) from the middle.
    await list.evaluate((el) => el.scrollTo({ top: 0 }));
    await page.getByTestId('message-row').first().waitFor();
    const glide = (await list.evaluate(measureGlide, { from: Math.round(height / 2), step: 240, frames: 300 })) as { frames: number; withPlaceholder: number; gaps: number[] };
    await page.getByTestId('message-row').first().click();
    await page.getByTestId('message-view').waitFor();
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    await cdp.send('HeapProfiler.collectGarbage');
    const metrics = (await cdp.send('Performance.getMetrics')).metrics;
    const jsHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
    const domNodes = metrics.find((m) => m.name === 'Nodes')?.value ?? NaN;
    const rowsInDom = await page.getByTestId('message-row').count();

    // Contract latencies, measured from a second client over the same WebSocket protocol.
    const client = await contractClient(host.url);
    const tz = -new Date().getTimezoneOffset();
    const cases: Array<[string, string, unknown]> = [
      ['first page (100 rows), no search', 'relay:search-messages', { query: { q: '', offset: 0, limit: 100, tzOffsetMinutes: tz } }],
      ['last page (offset 9,900)', 'relay:search-messages', { query: { q: '', offset: Math.max(0, stored - 100), limit: 100, tzOffsetMinutes: tz } }],
      ['search subject:sabotage', 'relay:search-messages', { query: { q: 'subject:sabotage', limit: 100, tzOffsetMinutes: tz } }],
      ['search camera:cam07 has:attachment after:today', 'relay:search-messages', { query: { q: 'camera:cam07 has:attachment after:today', limit: 100, tzOffsetMinutes: tz } }],
      ['search free text "object removed" is:unread', 'relay:search-messages', { query: { q: '"object removed" is:unread', limit: 100, tzOffsetMinutes: tz } }],
      ['search with no match', 'relay:search-messages', { query: { q: 'subject:"no such thing"', limit: 100, tzOffsetMinutes: tz } }],
      ['badge counts', 'relay:get-counts', {}],
      ['Cameras tab', 'relay:get-cameras', {}],
      ['Sessions tab (200 rows)', 'relay:list-sessions', { limit: 200 }],
    ];
    const rows: string[] = [];
    for (const [name, channel, arg] of cases) {
      const ms: number[] = [];
      let bytes = 0;
      let total = 0;
      for (let i = 0; i < REPEAT; i++) {
        const r = await client.call(channel, arg);
        ms.push(r.ms);
        bytes = r.bytes;
        total = (r.value as { total?: number }).total ?? (Array.isArray(r.value) ? r.value.length : 0);
      }
      rows.push(`| ${name} | ${total} | ${f1(percentile(ms, 50))} | ${f1(percentile(ms, 95))} | ${(bytes / 1024).toFixed(0)} KB |`);
    }
    client.close();
    const rssOpen = await host.rss();
    await page.close();

    const body = `${MESSAGES.toLocaleString('en')} camera mails (half with a ${(snapshotJpeg().length / 1024).toFixed(0)} KB JPEG snapshot) from ${CAMERAS} cameras, each sending from its own loopback address, stored through SMTP in ${f1(fillS)} s (${(stored / fillS).toFixed(0)} msg/s, one pooled connection per camera); ${stored.toLocaleString('en')} stored.

Over the contract (the web host's WebSocket, a second client while the inbox is open in Chromium; ${REPEAT} calls each):

| call | result | p50 (ms) | p95 (ms) | answer |
|---|---:|---:|---:|---:|
${rows.join('\n')}

The virtualised list in Chromium (headless, 1440 × 900): ${rowsInDom} message rows in the DOM for ${stored.toLocaleString('en')} messages, ${domNodes} DOM nodes in the page; after a jump to each of 25 positions from top to bottom, a real row is on screen (measured in the page, frame by frame) after p50 **${f1(percentile(scrollMs, 50))} ms**, p95 ${f1(percentile(scrollMs, 95))} ms, worst ${f1(Math.max(...scrollMs))} ms (the 100-row page of the new position is fetched on arrival). Scrolling down as a reader does (300 frames of 240 px, about 1,150 rows, from the middle): ${glide.withPlaceholder} of ${glide.frames} frames showed a placeholder row (the neighbouring pages are fetched ahead), frame time p50 ${f1(percentile(glide.gaps.slice(1), 50))} ms, p95 ${f1(percentile(glide.gaps.slice(1), 95))} ms. Page JS heap after a GC: ${mb(jsHeap)} MB.

RSS of the app's process (web host, all services, relay; measured in that process after a GC): ${mb(rssEmpty.rss)} MB before the mail, **${mb(filled.rss)} MB with ${stored.toLocaleString('en')} messages stored** (JS heap ${mb(filled.heapUsed)} MB, external ${mb(filled.external)} MB), **${mb(rssOpen.rss)} MB with the inbox open** after the scroll and the calls above (JS heap ${mb(rssOpen.heapUsed)} MB) (target < 300 MB).

Load average when the run ended: ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} (1/5/15 min) on ${cpus().length} cores; other work shares this machine, so the latencies are upper bounds.

Run: \`npm run build:renderer && npm run bench -- inbox\` (INBOX_BENCH_MESSAGES changes the count).`;
    console.log(body);
    writeResultsSection('inbox', 'Relay inbox at 10,000 messages', body);
  } finally {
    await browser.close();
    await host.stop();
  }
}

await main();
