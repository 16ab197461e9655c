/**
 * Commissioning benchmark: a batch of 50 simulated cameras with 30 ms injected latency per HTTP request,
 * concurrency 10. Target: the batch completes in under 5 s. Reports requests per camera and per-camera times.
 * Run A is the batch (site profile applied, no test e-mail); run B adds the test run through the
 * embedded relay (each camera on its own loopback address, as on a site: its mail comes from that address). Loopback only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { silentLogger } from '../electron/services/common/logger';
import { CommissioningService, EmbeddedTestRelay, type JobResult } from '../electron/services/commissioning/index';
import { RelayService } from '../electron/services/relay/index';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { SimFleetOptions } from '../electron/simulator/index';
import { percentile, writeResultsSection } from './lib/results';

const COUNT = 50;
const LATENCY_MS = 30;
const CONCURRENCY = 10;
const TARGET_MS = 5000;
const profile = { smtpServer: '192.168.1.10', ntpServer: '192.168.1.1', to: 'alarms@site.invalid', from: 'cams@site.invalid', subject: 'Bench sabotage' };
const resolveHost = async (h: string): Promise<string[]> => {
  throw new Error(`the benchmark resolves no names (${h})`);
};

interface Figures {
  wallMs: number;
  /** CPU of this process (driver, relay and the simulated cameras together) per camera. */
  cpuPerCameraMs: number;
  passed: number;
  failed: number;
  reqMean: number;
  reqMin: number;
  reqMax: number;
  camP50: number;
  camP95: number;
  firstError?: string;
}

function figures(job: JobResult, wallMs: number, cpu: NodeJS.CpuUsage): Figures {
  const req = job.results.map((r) => r.requests);
  const dur = job.results.map((r) => r.durationMs);
  const err = job.results.find((r) => r.error)?.error;
  return {
    wallMs,
    cpuPerCameraMs: (cpu.user + cpu.system) / 1000 / job.results.length,
    passed: job.passed,
    failed: job.failed,
    reqMean: req.reduce((a, b) => a + b, 0) / req.length,
    reqMin: Math.min(...req),
    reqMax: Math.max(...req),
    camP50: percentile(dur, 50),
    camP95: percentile(dur, 95),
    ...(err ? { firstError: `${err.code}: ${err.message}` } : {}),
  };
}

/** A simulated fleet in a child process (see commissioning-fleet.ts). */
interface FleetProcess {
  urls: string[];
  stop(): Promise<void>;
}

async function startFleetProcess(opts: Omit<SimFleetOptions, 'resolver' | 'logger' | 'now'>): Promise<FleetProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'commissioning-fleet.ts'), JSON.stringify(opts)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const urls = await new Promise<string[]>((resolve, reject) => {
    lines.once('line', (l) => resolve((JSON.parse(l) as { urls: string[] }).urls));
    child.once('exit', (code) => reject(new Error(`the fleet process exited with ${code} before it was ready`)));
  });
  return {
    urls,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_r, reject) => (t = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(t);
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sarix-bench-commissioning-'));
  const relay = new RelayService({ dataDir: join(dir, 'relay'), logger: silentLogger });
  const fleets: FleetProcess[] = [];
  try {
    const relayPort = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: [] })).port;
    const testRelay = new EmbeddedTestRelay(relay, { listenAddress: '127.0.0.1', port: relayPort });

    // A: the batch of the issue, cameras on their own loopback addresses.
    const fleetA = await startFleetProcess({ count: COUNT, baseAddress: '127.0.30.1', faults: { latencyMs: LATENCY_MS }, smtpPort: relayPort });
    fleets.push(fleetA);
    const svcA = new CommissioningService({ logger: silentLogger, backupDir: join(dir, 'backups-a'), resolveHost, relay: testRelay });
    const targetsA = fleetA.urls.map((url) => ({ url, username: 'admin', password: 'admin' }));
    let t = performance.now();
    let cpu0 = process.cpuUsage();
    const jobA = await withDeadline(svcA.run(targetsA, profile, { testMode: 'skip', concurrency: CONCURRENCY }), 120_000, 'run A');
    const a = figures(jobA, performance.now() - t, process.cpuUsage(cpu0));
    await fleetA.stop();
    fleets.pop();

    // B: the full plan including the test e-mail through the embedded relay.
    const fleetB = await startFleetProcess({ count: COUNT, baseAddress: '127.0.31.1', faults: { latencyMs: LATENCY_MS }, smtpPort: relayPort });
    fleets.push(fleetB);
    const svcB = new CommissioningService({
      logger: silentLogger,
      backupDir: join(dir, 'backups-b'),
      resolveHost,
      relay: testRelay,
      // The simulator's own test hook: the cameras run in another process, so the practice helper cannot reach them.
      triggerTest: async ({ url }) => {
        const r = await fetch(`${url}/__sim/trigger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ behaviour: 'camera-sabotage', strength: 'partial' }) });
        const body = (await r.json()) as { detected?: boolean; reason?: string };
        return { detected: body.detected === true, reason: body.reason };
      },
    });
    const targetsB = fleetB.urls.map((url) => ({ url, username: 'admin', password: 'admin' }));
    t = performance.now();
    cpu0 = process.cpuUsage();
    const jobB = await withDeadline(svcB.run(targetsB, profile, { testMode: 'auto', concurrency: CONCURRENCY, testTimeoutMs: 30_000 }), 180_000, 'run B');
    const b = figures(jobB, performance.now() - t, process.cpuUsage(cpu0));
    const latencies = jobB.results.map((r) => r.latencyMs).filter((x): x is number => x !== undefined);

    const row = (name: string, f: Figures) =>
      `| ${name} | ${Math.round(f.wallMs)} ms | ${f.passed}/${COUNT} | ${f.reqMean.toFixed(1)} (${f.reqMin}–${f.reqMax}) | ${Math.round(f.camP50)} / ${Math.round(f.camP95)} ms | ${Math.round(f.cpuPerCameraMs)} ms |`;
    const load = loadavg()[0].toFixed(1);
    const verdict = a.wallMs < TARGET_MS && a.passed === COUNT ? 'MET' : 'NOT MET';
    const body = [
      `${COUNT} simulated cameras, ${LATENCY_MS} ms injected latency per HTTP request, concurrency ${CONCURRENCY}. Target: batch under ${TARGET_MS / 1000} s → **${verdict}** (run A).`,
      '',
      '| run | wall time | passed | HTTP requests per camera, mean (min–max) | per-camera time p50 / p95 | CPU per camera (driver + relay; cameras run in a child process) |',
      '|---|---|---|---|---|---|',
      row('A: site profile (SMTP/NTP, source, handler, Camera Sabotage), no test e-mail', a),
      row('B: full plan with the test e-mail through the relay', b),
      '',
      `Load average at the end: ${load} on ${cpus().length} cores (other work on the machine inflates wall times; CPU per camera is the steadier figure).`,
      `Run B test e-mail latency (trigger → relay event): p50 ${Math.round(percentile(latencies, 50))} ms, p95 ${Math.round(percentile(latencies, 95))} ms; each camera sends from its own address, so test runs proceed in parallel up to the concurrency.`,
      ...(a.firstError ? [`Run A first error: ${a.firstError}`] : []),
      ...(b.firstError ? [`Run B first error: ${b.firstError}`] : []),
      '',
      'Command: `node --import tsx bench/commissioning.bench.ts` (or `npm run bench -- commissioning`).',
    ].join('\n');
    console.log(body);
    writeResultsSection('commissioning', 'Commissioning batch', body);
  } finally {
    for (const f of fleets) await f.stop().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
