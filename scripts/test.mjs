// `npm test`: the whole gate, in order — typecheck, lint, import cycles, workflow lint (actionlint), CLI build,
// unit/integration tests (vitest), renderer build, E2E in Chromium through the web host, electronegativity security
// lint, packaging smoke.
// Ends with the plain line "N passed, N failed" (vitest's own summary is not read by CI): every vitest test
// counts once, every other step counts as one check.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick'); // skip the slow packaging smoke (local use)
mkdirSync('.tmp', { recursive: true });
let passed = 0;
let failed = 0;
const failures = [];

function step(name, cmd, cmdArgs, opts = {}) {
  const t0 = Date.now();
  console.log(`\n▶ ${name}: ${cmd} ${cmdArgs.join(' ')}`);
  const r = spawnSync(cmd, cmdArgs, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : process.env.FORCE_COLOR }, ...opts });
  const ok = r.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  return ok;
}

function check(name, cmd, cmdArgs) {
  if (step(name, cmd, cmdArgs)) passed++;
  else {
    failed++;
    failures.push(name);
  }
}

function vitestRun(name, extra) {
  const out = join('.tmp', `vitest-${name}.json`);
  rmSync(out, { force: true });
  const ok = step(name, 'npx', ['vitest', 'run', ...extra, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]);
  if (!existsSync(out)) {
    failed++;
    failures.push(`${name} (vitest produced no report)`);
    return;
  }
  const rep = JSON.parse(readFileSync(out, 'utf8'));
  passed += rep.numPassedTests;
  failed += rep.numFailedTests;
  for (const f of rep.testResults ?? []) for (const a of f.assertionResults ?? []) if (a.status === 'failed') failures.push(`${name}: ${a.fullName}`);
  // A file that failed to load has no assertion results: count it once.
  for (const f of rep.testResults ?? []) {
    if (f.status === 'failed' && (f.assertionResults ?? []).length === 0) {
      failed++;
      failures.push(`${name}: ${f.name} did not run (${(f.message ?? '').split('\n')[0]})`);
    }
  }
  if (!ok && rep.numFailedTests === 0 && !failures.some((x) => x.startsWith(name))) {
    failed++;
    failures.push(`${name} exited with an error`);
  }
}

check('typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
check('typecheck shared/ (no node, no DOM)', 'npx', ['tsc', '--noEmit', '-p', 'shared/tsconfig.json']);
check('lint', 'npx', ['eslint', '.', '--max-warnings=0']);
check('import cycles (madge)', 'node', ['scripts/check-cycles.mjs']);
check('workflow lint (actionlint)', 'node', ['scripts/lint-workflows.mjs']);
// The CLI tests start bin/sarix.js, which runs this build (and the sources through tsx only when it is stale).
check('build CLI (esbuild)', 'node', ['scripts/build-cli.mjs']);
vitestRun('unit', []);
check('build renderer', 'npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
vitestRun('e2e', ['-c', 'vitest.e2e.config.ts']);
check('security lint (electronegativity)', 'node', ['scripts/electronegativity.mjs']);
if (!quick) check('packaging smoke (electron-builder --linux dir)', 'node', ['scripts/dist-smoke.mjs']);

if (failures.length) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
