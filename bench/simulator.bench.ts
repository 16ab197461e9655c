/**
 * Simulator benchmark: a fleet of 200 cameras in one process. Targets: starts in under 5 s, stays under
 * 300 MB RSS. Also measures one login + settings page per camera and the stop time. Loopback only.
 */
import { performance } from 'node:perf_hooks';
import { startFleet } from '../electron/simulator/index';
import { snapshotJpeg } from '../electron/simulator/jpeg';
import { percentile, writeResultsSection } from './lib/results';

const COUNT = 200;
const mb = (b: number) => Math.round((b / 2 ** 20) * 10) / 10;

async function main(): Promise<void> {
  const rss0 = process.memoryUsage().rss;
  let t = performance.now();
  snapshotJpeg();
  const jpegMs = performance.now() - t;

  t = performance.now();
  const fleet = await startFleet({ count: COUNT, baseAddress: '127.0.20.1', httpPort: 0, prefillHandlers: 5 });
  const startMs = performance.now() - t;
  const rssStarted = process.memoryUsage().rss;

  const lat: number[] = [];
  t = performance.now();
  // One technician-like visit per camera: login, then the handlers page. 20 cameras at a time.
  for (let i = 0; i < COUNT; i += 20) {
    await Promise.all(
      fleet.cameras.slice(i, i + 20).map(async (c) => {
        const t0 = performance.now();
        const login = await fetch(`${c.url}/auth/validate`, { method: 'POST', body: new URLSearchParams({ username: 'admin', password: 'admin' }), redirect: 'manual' });
        const cookie = login.headers
          .getSetCookie()
          .map((x) => x.split(';')[0])
          .join('; ');
        const page = await fetch(`${c.url}/setup/events/handlers`, { headers: { cookie }, redirect: 'manual' });
        if (page.status !== 200) throw new Error(`${c.url} answered ${page.status}`);
        await page.text();
        lat.push(performance.now() - t0);
      }),
    );
  }
  const visitMs = performance.now() - t;
  const rssVisited = process.memoryUsage().rss;

  t = performance.now();
  await fleet.stop();
  const stopMs = performance.now() - t;

  // The same fleet with the unicast SSDP and WS-Discovery responders on (two UDP sockets more per camera).
  t = performance.now();
  const withDiscovery = await startFleet({ count: COUNT, baseAddress: '127.0.21.1', httpPort: 0, ssdp: { port: 0 }, wsd: { port: 0 } });
  const startDiscMs = performance.now() - t;
  const rssDisc = process.memoryUsage().rss;
  await withDiscovery.stop();

  const ok = startMs < 5000 && startDiscMs < 5000 && mb(Math.max(rssStarted, rssVisited, rssDisc)) < 300;
  const rows = [
    ['cameras', String(COUNT)],
    ['fleet start', `${Math.round(startMs)} ms (target < 5000 ms)`],
    ['RSS before / after start / after visits', `${mb(rss0)} / ${mb(rssStarted)} / ${mb(rssVisited)} MB (target < 300 MB)`],
    ['login + handlers page per camera (20 in parallel)', `p50 ${Math.round(percentile(lat, 50))} ms, p95 ${Math.round(percentile(lat, 95))} ms, all ${COUNT} in ${Math.round(visitMs)} ms`],
    ['fleet stop', `${Math.round(stopMs)} ms`],
    ['fleet start with SSDP + WS-Discovery responders (unicast)', `${Math.round(startDiscMs)} ms, RSS ${mb(rssDisc)} MB`],
    ['snapshot JPEG encode (once per process)', `${Math.round(jpegMs)} ms`],
    ['targets met', ok ? 'yes' : 'NO'],
  ];
  const table = ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
  console.log(table);
  writeResultsSection('simulator', 'Simulator: 200-camera fleet in one process', `Command: \`node --import tsx bench/simulator.bench.ts\`\n\n${table}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
