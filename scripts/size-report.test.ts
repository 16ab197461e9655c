import { describe, expect, it } from 'vitest';
import { measure, REASON_MARKER, sizeReport } from './size-report.mjs';

describe('size report', () => {
  it('finds a long function and the reason line a long file gives at its top', () => {
    const body = Array.from({ length: 85 }, (_, i) => `  const x${i} = ${i};`).join('\n');
    const m = measure('a.ts', `/** A file. */\n${REASON_MARKER} one table, tested as one.\nexport function big(): void {\n${body}\n}\n`);
    expect(m.functions).toEqual([{ name: 'big', line: 3, lines: 87 }]);
    expect(m.reason).toBe('one table, tested as one.');
    expect(measure('b.ts', 'export const a = 1;\n').reason).toBeUndefined();
  });

  it('every long file or function in the simulator, the test tools, scripts, benchmarks and shared/ is split or says why', () => {
    const open = sizeReport(['electron/simulator', 'electron/testing', 'scripts', 'bench', 'shared']).filter((r) => !r.reason);
    expect(open.map((r) => `${r.path}: ${r.isLong ? `${r.lines} lines ` : ''}${r.functions.map((f) => `${f.name} ${f.lines}`).join(', ')}`)).toEqual([]);
  });
});
