/**
 * Records a benchmark's last results in bench/RESULTS.md, one section per benchmark, with machine and date.
 * Each benchmark replaces only its own section (between its markers), so benchmarks can run separately.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS = join(dirname(fileURLToPath(import.meta.url)), '..', 'RESULTS.md');

/** One line describing this machine, for the results file. */
export function machineLine(): string {
  const c = cpus();
  return `${platform()} ${release()}, ${c.length} × ${c[0]?.model.trim() ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
}

/** Replaces the section `id` of bench/RESULTS.md with a title and markdown body. */
export function writeResultsSection(id: string, title: string, body: string): void {
  const head = '# Benchmark results\n\nWritten by `npm run bench`; each section holds the last run of one benchmark.\n';
  let text = existsSync(RESULTS) ? readFileSync(RESULTS, 'utf8') : head;
  const start = `<!-- bench:${id}:start -->`;
  const end = `<!-- bench:${id}:end -->`;
  const section = `${start}\n## ${title}\n\n_Last run: ${new Date().toISOString()} on ${machineLine()}_\n\n${body.trim()}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) text = text.slice(0, i) + section + text.slice(j + end.length);
  else text = text.trimEnd() + '\n\n' + section + '\n';
  writeFileSync(RESULTS, text);
}

/** Percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
