/**
 * The driver is proven against generated firmware variants only if it cannot see how they are generated: no
 * product file reachable from the driver imports the simulator (docs/architecture.md §3.21).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function resolveTs(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = resolve(dirname(from), spec);
  for (const c of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) if (existsSync(c) && c.endsWith('.ts')) return c;
  return undefined;
}

/** Every product file reachable by relative imports from the given files. */
function reachable(entries: string[]): Map<string, string> {
  const seen = new Map<string, string>();
  const todo: Array<[string, string]> = entries.map((e) => [e, 'entry']);
  while (todo.length) {
    const [file, via] = todo.pop()!;
    if (seen.has(file)) continue;
    seen.set(file, via);
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const next = resolveTs(file, m[1] ?? m[2]);
      if (next && !next.endsWith('.test.ts')) todo.push([next, relative(root, file)]);
    }
  }
  return seen;
}

describe('driver independence', () => {
  it('nothing the camera driver or commissioning imports reaches electron/simulator', () => {
    const dirs = ['electron/services/camera', 'electron/services/commissioning'];
    const entries = dirs.flatMap((d) => readdirSync(join(root, d)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(root, d, f)));
    const files = reachable(entries);
    expect(files.size).toBeGreaterThan(20);
    const leaks = [...files].filter(([f]) => relative(root, f).startsWith('electron/simulator')).map(([f, via]) => `${relative(root, f)} (imported by ${via})`);
    expect(leaks).toEqual([]);
  });

  it('the check would see a leak (it follows imports)', () => {
    const files = reachable([join(root, 'electron/simulator/index.ts')]);
    expect([...files.keys()].some((f) => f.endsWith('variants/spec.ts'))).toBe(true);
  });
});
