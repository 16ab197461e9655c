/**
 * CLI start-up: how long `sarix --help` takes as a whole process, the way a technician runs it. Target: `npx sarix
 * --help` under 250 ms right after `npm ci` on a fresh clone (the build from `prepare` is current). Compared with
 * `npx node -e 0` (what npx itself costs before any CLI runs), with the same command from the TypeScript sources
 * through tsx (SARIX_FROM_SOURCE=1, what every run cost before the build) and with an empty `node -e 0` (the floor
 * no Node program can go below). Each command runs 5 times after one warm-up; the median counts. Wall time and the
 * CPU time of the whole process tree (the children's user + system time the kernel accounts when they are reaped,
 * steadier than wall time on a shared machine) are both recorded. Timing is informative only, never a test.
 *
 * CLI_BENCH_DIR=/path/to/fresh-clone measures that checkout as it is (no rebuild: `npm ci` built it through
 * `prepare`); without it the bench rebuilds this checkout's CLI first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { percentile, writeResultsSection } from './lib/results';

const RUNS = 5;
/** Clock ticks per second of /proc's times (USER_HZ, 100 on every Linux we ship to). */
const TICKS_PER_S = 100;

interface Row {
  label: string;
  median: number;
  min: number;
  max: number;
  cpuMedian?: number;
}

/** The CPU time (ms) of this process's reaped children so far, from /proc/self/stat; undefined off Linux. */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name (which may hold spaces) start at ")"; cutime and cstime are fields 16 and 17.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / TICKS_PER_S;
  } catch {
    return undefined;
  }
}

function time(cwd: string, label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Row {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const c0 = childrenCpuMs();
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = performance.now() - t0;
    const c1 = childrenCpuMs();
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
    if (i === 0) continue;
    walls.push(ms);
    if (c0 !== undefined && c1 !== undefined) cpus.push(c1 - c0);
  }
  return { label, median: percentile(walls, 50), min: Math.min(...walls), max: Math.max(...walls), cpuMedian: cpus.length ? percentile(cpus, 50) : undefined };
}

function main(): void {
  const fresh = process.env.CLI_BENCH_DIR;
  const cwd = resolve(fresh ?? '.');
  if (fresh) {
    if (!existsSync(join(cwd, 'dist-cli', 'current.json'))) throw new Error(`${cwd} has no CLI build; run npm ci there first (prepare builds it).`);
  } else {
    const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`the CLI build failed: ${build.stderr}`);
  }
  const rows = [
    time(cwd, '`npx sarix --help` (built CLI)', 'npx', ['sarix', '--help']),
    time(cwd, '`npx node -e 0` (what npx costs before any CLI runs)', 'npx', ['node', '-e', '0']),
    time(cwd, '`node bin/sarix.js --help` (built CLI)', process.execPath, ['bin/sarix.js', '--help']),
    time(cwd, '`node bin/sarix.js --help` from the sources through tsx', process.execPath, ['bin/sarix.js', '--help'], { SARIX_FROM_SOURCE: '1' }),
    time(cwd, '`node -e 0` (the floor)', process.execPath, ['-e', '0']),
  ];
  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  const ms = (v: number | undefined) => (v === undefined ? '–' : `${Math.round(v)} ms`);
  const [npxSarix, npxFloor, built, , nodeFloor] = rows;
  const body = [
    `Checkout: ${fresh ? 'a fresh clone right after `ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci` (built by `prepare`)' : 'this one, rebuilt with `npm run build:cli`'}.`,
    '',
    '| command | wall median | wall min | wall max | CPU median (process tree) |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${ms(r.median)} | ${ms(r.min)} | ${ms(r.max)} | ${ms(r.cpuMedian)} |`),
    '',
    `Target: \`npx sarix --help\` under 250 ms → **${npxSarix.median < 250 ? 'MET' : 'NOT MET'}** on this run. npx alone (\`npx node -e 0\`) takes ${ms(npxFloor.median)} wall, ${ms(npxFloor.cpuMedian)} CPU here: npm loads itself before it looks up the command, so no CLI run through npx can be faster than that row. What the CLI adds over a bare Node start: ${ms(built.median - nodeFloor.median)} wall, ${built.cpuMedian !== undefined && nodeFloor.cpuMedian !== undefined ? ms(built.cpuMedian - nodeFloor.cpuMedian) : '–'} CPU.`,
    '',
    `Load average at the end: ${load} (1/5/15 min) on this machine's cores; other work inflates every wall time, the CPU column less.`,
    '',
    'Run: `node --import tsx bench/cli-startup.bench.ts` (or `npm run bench -- cli-startup`); `CLI_BENCH_DIR=DIR` measures another checkout, e.g. a fresh clone after `npm ci`. 5 runs each after one warm-up, whole process.',
  ].join('\n');
  console.log(body);
  writeResultsSection('cli-startup', 'CLI start-up', body);
}

main();
