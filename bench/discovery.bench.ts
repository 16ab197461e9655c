/**
 * Discovery benchmark:
 *  1. 250 simulated cameras in a network namespace, found by SSDP multicast from another namespace (target < 3 s);
 *  2. an HTTP sweep of a /24 (254 addresses) on loopback 127.0.2.0/24 with 200 simulated cameras (target < 5 s);
 *  3. the first camera reported (target < 500 ms), from both runs.
 * Cameras run in a separate process (the simulator fixture) so they do not share the scanner's event loop.
 * Multicast happens only inside the namespaces created here. Bounded: the whole run is killed after 4 minutes.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile, writeResultsSection } from './lib/results';
import type { ProbeInput, ProbeOutput } from './lib/discovery-probe';
import { canUseNetns, createTopology, runIn, startIn, type Background, type DiscoveryTopology } from '../electron/services/discovery/testing-netns';
import { startLocal } from '../electron/testing/netns';
import type { FixtureSpec } from '../electron/services/discovery/netns-camera-fixture';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixture = join(here, '..', 'electron', 'services', 'discovery', 'netns-camera-fixture.ts');
const probe = join(here, 'lib', 'discovery-probe.ts');
const RUNS = 3;
const HARD_LIMIT_MS = 240_000;

const cleanups: Array<() => Promise<unknown>> = [];
const hardStop = setTimeout(() => {
  process.stderr.write('discovery bench: hard time limit reached, stopping\n');
  void Promise.allSettled(cleanups.map((c) => c())).then(() => process.exit(1));
}, HARD_LIMIT_MS);
hardStop.unref();

/** Starts the fixture in the root namespace (loopback only: multicast off). */
function startLocalFixture(spec: FixtureSpec): Background {
  return startLocal(process.execPath, ['--import', 'tsx', fixture, JSON.stringify(spec)], { stop: 'stdin', matchStderr: true });
}

async function probeIn(ns: string | null, input: ProbeInput): Promise<ProbeOutput> {
  const args = ['--import', 'tsx', probe, JSON.stringify(input)];
  const r = ns
    ? await runIn(ns, process.execPath, args, 60_000)
    : await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const c = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        c.stdout.on('data', (d) => (stdout += d));
        c.stderr.on('data', (d) => (stderr += d));
        const k = setTimeout(() => c.kill('SIGKILL'), 60_000);
        c.on('close', (code) => (clearTimeout(k), resolve({ code, stdout, stderr })));
      });
  if (r.code !== 0) throw new Error(`probe failed (${r.code}): ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as ProbeOutput;
}

const fmt = (v: number | null) => (v === null ? 'n/a' : `${Math.round(v)} ms`);

async function ssdpInNamespace(): Promise<ProbeOutput[] | string> {
  if (!canUseNetns()) return 'skipped: needs root and iproute2 to create network namespaces';
  const local = Array.from({ length: 250 }, (_, i) => `10.199.1.${i + 3}`);
  let topo: DiscoveryTopology | null = null;
  let cams: Background | null = null;
  try {
    topo = await createTopology('bench', local, ['10.199.2.11']);
    cleanups.push(() => topo!.destroy());
    cams = startIn(topo.local, process.execPath, ['--import', 'tsx', fixture, JSON.stringify({ fleet: { baseAddress: '10.199.1.3', count: 250, httpPort: 80, wsd: false, mdns: false } } satisfies FixtureSpec)]);
    const c = cams;
    cleanups.push(() => c.stop());
    await cams.waitForLine(/^READY /, 120_000);
    const runs: ProbeOutput[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await probeIn(topo.client, { options: { methods: ['ssdp'], timeoutMs: 3000 }, expect: 250 }));
    return runs;
  } finally {
    await cams?.stop();
    await topo?.destroy();
  }
}

async function sweepOnLoopback(): Promise<ProbeOutput[]> {
  const cams = startLocalFixture({ fleet: { baseAddress: '127.0.2.1', count: 200, httpPort: 28080, multicast: false, wsd: false, mdns: false, ssdpPort: 0 } });
  cleanups.push(() => cams.stop());
  try {
    await cams.waitForLine(/^READY /, 120_000);
    const runs: ProbeOutput[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await probeIn(null, { options: { methods: ['sweep'], sweep: '127.0.2.0/24', httpPort: 28080 }, expect: 200 }));
    return runs;
  } finally {
    await cams.stop();
  }
}

function table(runs: ProbeOutput[]): string {
  const rows = runs.map((r, i) => `| ${i + 1} | ${r.cameras} | ${r.others} | ${fmt(r.firstMs)} | ${fmt(r.allMs)} | ${fmt(r.identifiedMs)} | ${fmt(r.totalMs)} | ${r.errors.length} |`);
  return ['| run | cameras | others | first camera | all cameras found | all identified | scan end | errors |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}

const med = (runs: ProbeOutput[], k: 'firstMs' | 'allMs' | 'identifiedMs' | 'totalMs') => percentile(runs.map((r) => r[k] ?? Infinity), 50);

async function main(): Promise<void> {
  const ssdp = await ssdpInNamespace();
  const sweep = await sweepOnLoopback();
  const lines: string[] = [];
  lines.push('### 250 cameras by SSDP multicast (cameras and scanner in separate network namespaces, bridged)');
  if (typeof ssdp === 'string') lines.push(ssdp);
  else {
    lines.push(table(ssdp), '', `Median: all 250 found in **${fmt(med(ssdp, 'allMs'))}** (target < 3000 ms), all identified (model, MAC, firmware read) in ${fmt(med(ssdp, 'identifiedMs'))}; first camera ${fmt(med(ssdp, 'firstMs'))}. The scan itself listens for its whole window (3 s) for late answers.`);
  }
  lines.push('', '### HTTP sweep of 127.0.2.0/24 (254 addresses, 200 cameras, concurrency 64)');
  lines.push(table(sweep), '', `Median: sweep completed in **${fmt(med(sweep, 'totalMs'))}** (target < 5000 ms); all 200 identified ${fmt(med(sweep, 'allMs'))}; first camera ${fmt(med(sweep, 'firstMs'))}.`);
  lines.push('', `Load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${cpus().length} cores (other work shares this machine).`);
  const firsts = [...(typeof ssdp === 'string' ? [] : ssdp), ...sweep].map((r) => r.firstMs ?? Infinity);
  lines.push('', `### First camera reported`, '', `Worst of all runs: **${fmt(Math.max(...firsts))}** (target < 500 ms).`);
  lines.push('', `Run: \`node --import tsx bench/discovery.bench.ts\` (root needed for the namespace part), ${RUNS} runs each.`);
  const body = lines.join('\n');
  process.stdout.write(body + '\n');
  writeResultsSection('discovery', 'Discovery', body);
}

main()
  .then(() => process.exit(0))
  .catch(async (e) => {
    process.stderr.write(`discovery bench failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    await Promise.allSettled(cleanups.map((c) => c()));
    process.exit(1);
  });
