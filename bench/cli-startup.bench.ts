/**
 * CLI start-up: how long `sarix --help` takes as a whole process, the way a technician runs it. Target: `npx sarix
 * --help` under 250 ms right after `npm ci` (the build from `prepare` is current). Compared with the same command
 * from the TypeScript sources through tsx (SARIX_FROM_SOURCE=1, what every run cost before the build) and with an
 * empty `node -e 0` (the floor no CLI can go below). Each command runs 5 times after one warm-up; the median
 * counts. Timing is informative only, never a pass/fail test.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { percentile, writeResultsSection } from './lib/results';

const RUNS = 5;

function time(label: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): { label: string; median: number; min: number; max: number } {
  const walls: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${label} exited ${r.status}: ${r.stderr}`);
    if (i > 0) walls.push(ms);
  }
  return { label, median: percentile(walls, 50), min: Math.min(...walls), max: Math.max(...walls) };
}

function main(): void {
  const build = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`the CLI build failed: ${build.stderr}`);
  const rows = [
    time('`npx sarix --help` (built CLI)', 'npx', ['sarix', '--help']),
    time('`node bin/sarix.js --help` (built CLI)', process.execPath, ['bin/sarix.js', '--help']),
    time('`node bin/sarix.js --help` from the sources through tsx', process.execPath, ['bin/sarix.js', '--help'], { SARIX_FROM_SOURCE: '1' }),
    time('`node -e 0` (the floor)', process.execPath, ['-e', '0']),
  ];
  const load = loadavg().map((l) => l.toFixed(1)).join(' / ');
  const body = [
    '| command | median | min | max |',
    '|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${Math.round(r.median)} ms | ${Math.round(r.min)} ms | ${Math.round(r.max)} ms |`),
    '',
    `Target: \`npx sarix --help\` under 250 ms → **${rows[0].median < 250 ? 'MET' : 'NOT MET'}**. Load average at the end: ${load} (1/5/15 min) on this machine; under load every row grows, the ratios less.`,
    '',
    'Run: `node --import tsx bench/cli-startup.bench.ts` (or `npm run bench -- cli-startup`); 5 runs each after one warm-up, whole-process wall time.',
  ].join('\n');
  console.log(body);
  writeResultsSection('cli-startup', 'CLI start-up', body);
}

main();
