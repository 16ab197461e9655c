import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The built CLI (scripts/build-cli.mjs): `sarix --help` must load the command list only, never the services.
describe('built sarix CLI', () => {
  let main: string;
  beforeAll(() => {
    const r = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { encoding: 'utf8', timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    const current = JSON.parse(readFileSync('dist-cli/current.json', 'utf8')) as { build: string; inputs: string[] };
    expect(current.inputs).toContain('electron/cli/main.ts');
    main = join('dist-cli', current.build, 'main.js');
  }, 120_000);

  /** Every file the entry loads before any command runs: its static imports, transitively (dynamic ones are lazy). */
  function staticClosure(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s[^;]*?from\s+"(\.[^"]+)";?$/gms)) staticClosure(join(dirname(file), m[1]), seen);
    for (const m of text.matchAll(/^import\s+"(\.[^"]+)";?$/gm)) staticClosure(join(dirname(file), m[1]), seen);
    return seen;
  }

  it('loads no service, composition or simulator code for --help; each command comes in its own chunk', () => {
    const eager = [...staticClosure(main)].map((f) => readFileSync(f, 'utf8')).join('\n');
    // esbuild marks each bundled source with a "// path" comment; only the version reader may come along.
    const sources = [...eager.matchAll(/^\/\/ (electron\/\S+\.ts)$/gm)].map((m) => m[1]);
    expect(sources).toContain('electron/cli/main.ts');
    expect(sources.filter((f) => /^electron\/(services|composition|simulator|server)\//.test(f))).toEqual(['electron/services/app/version.ts']);
    const lazy = [...readFileSync(main, 'utf8').matchAll(/await import\("(\.[^"]+)"\)/g)].map((m) => m[1]);
    expect(lazy.length).toBeGreaterThanOrEqual(8);
  });

  it('runs: --help lists the commands, --version prints the version', () => {
    const run = (arg: string) =>
      spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(join(process.cwd(), main)).href)}); process.exitCode = await m.runCli([${JSON.stringify(arg)}]);`], { encoding: 'utf8', timeout: 30_000 });
    const help = run('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^\s+demo\b/m);
    expect(help.stdout).toMatch(/^\s+doctor\b/m);
    expect(run('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
