// Points code comments and notes at the docs that live in the repository: the design notes outside it
// (SARIX.md, ARCHITECTURE.md under ../shared/design) became docs/camera.md (same section numbers) and
// docs/architecture.md (rules 1–15 are §2.N, lessons 16–21 are §3.N), and references to the issue tracker, which a
// clone does not have, go. Repeatable: run `node scripts/cite-docs.mjs` after merging work written with the old
// citations; it changes nothing twice and prints the files it rewrote. `--check` only lists them (exit 1 if any).
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';

const ROOTS = ['electron', 'shared', 'renderer', 'tests', 'bench', 'scripts', 'kb', 'README.md', 'eslint.config.js'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'dist-web', 'dist-cli', 'out', 'artifacts', '.tmp']);
const EXTENSIONS = new Set(['.ts', '.tsx', '.mjs', '.js', '.md']);
const SELF = join('scripts', 'cite-docs.mjs');

/** [pattern, replacement] in order; each must be idempotent (its output never matches again). */
const RULES = [
  [/`?\.\.\/shared\/design\/SARIX\.md`?/g, '`docs/camera.md`'],
  [/`?\.\.\/shared\/design\/ARCHITECTURE\.md`?/g, '`docs/architecture.md`'],
  [/`?shared\/design\/SARIX\.md`?/g, '`docs/camera.md`'],
  [/`?shared\/design\/ARCHITECTURE\.md`?/g, '`docs/architecture.md`'],
  [/\b(?:ARCHITECTURE|docs\/architecture)\.md (?:rule|§) ?(\d+)(?![.\d])/g, (_m, n) => `docs/architecture.md §${Number(n) <= 15 ? 2 : 3}.${n}`],
  [/(?<![/\w])ARCHITECTURE\.md\b/g, 'docs/architecture.md'],
  [/(?<![/\w])SARIX\.md\b/g, 'docs/camera.md'],
  // The tracker is not in the repository.
  [/the silent failure issue \d+ forbids/g, 'a silent failure'],
  [/ \(issue \d+\)/g, ''],
  [/\(issue \d+\)/g, ''],
  [/\(issue \d+, /g, '('],
  [/, issue \d+(?: rules)?\)/g, ')'],
  [/; issue \d+ "[^"]*"\)/g, ')'],
  [/\(issue \d+: ([^)]*)\)/g, '($1)'],
  [/\(issue \d+ ([^)]*)\)/g, '($1)'],
];

function* files(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isFile()) {
    if (EXTENSIONS.has(extname(path)) && path !== SELF) yield path;
    return;
  }
  for (const e of readdirSync(path)) if (!SKIP_DIRS.has(e)) yield* files(join(path, e));
}

const isCheck = process.argv.includes('--check');
const changed = [];
for (const root of ROOTS) {
  for (const f of files(root)) {
    const before = readFileSync(f, 'utf8');
    let after = before;
    for (const [re, to] of RULES) after = after.replace(re, to);
    if (after === before) continue;
    changed.push(f);
    if (!isCheck) writeFileSync(f, after);
  }
}
for (const f of changed) console.log(`${isCheck ? 'needs' : 'rewrote'} ${f}`);
if (isCheck && changed.length) process.exitCode = 1;
