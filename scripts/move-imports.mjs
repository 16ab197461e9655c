// Rewrites relative imports that point at moved modules, across electron/ shared/ renderer/ tests/ bench/ scripts/.
// Run it after merging a branch written against the old layout: `node scripts/move-imports.mjs` (the moves of the
// composition change are built in), or name moves yourself: `node scripts/move-imports.mjs old/path=new/path ...`
// (paths from the repository root, without .ts). Names inside the imports are not touched: a type that moved to
// another module (see MOVED_NAMES) still has to be re-imported by hand; the script lists where.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Modules moved by the composition change (electron/core/ is gone). */
const MOVES = {
  'electron/core/logger': 'electron/services/common/logger',
  'electron/core/secret-box': 'electron/services/common/secret-box',
  'electron/core/settings-store': 'electron/services/common/settings-store',
  'electron/core/version': 'electron/services/app/version',
  'electron/core/dispatch': 'electron/composition/dispatch',
  'electron/core/event-hub': 'electron/composition/event-hub',
  'electron/core/practice': 'electron/composition/practice',
  'electron/core/core': 'electron/composition/create-services',
  'electron/core/relay-profile': 'electron/services/relay/relay-setup-store',
  'shared/ipc/channels/relay-profile': 'shared/domain/relay-views',
};

/** Names that now live in another module than the one they were imported from. */
const MOVED_NAMES = {
  'shared/ipc/channels/relay': { MessageDetail: 'shared/domain/relay-views', MessageDetailSchema: 'shared/domain/relay-views', MessageReceivedSchema: 'shared/domain/relay-views (ReceivedMessageSchema)' },
  'shared/ipc/channels/discovery': { ScanOptions: 'shared/domain/scan', ScanOptionsSchema: 'shared/domain/scan', OperationSummarySchema: 'shared/domain/scan (ScanSummarySchema)' },
  'shared/ipc/channels/commissioning': { RollbackResultSchema: 'shared/domain/commissioning-job', CommissioningOperationSchema: 'shared/domain/commissioning-job' },
  'shared/ipc/channels/practice': { PracticeState: 'shared/domain/practice', PracticeStateSchema: 'shared/domain/practice' },
  'shared/ipc/channels/app': { HostKind: 'shared/domain/app (HostKindSchema)', AppInfoSchema: 'shared/domain/app' },
};

const root = process.cwd();
const given = process.argv.slice(2).map((a) => a.split('='));
const moves = new Map((given.length ? given : Object.entries(MOVES)).map(([o, n]) => [resolve(root, o), resolve(root, n)]));
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d)) {
    if (['node_modules', '.git', 'out', 'dist', 'dist-web', '.tmp'].includes(e)) continue;
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|tsx|mjs)$/.test(e)) files.push(p);
  }
};
for (const d of ['electron', 'shared', 'renderer', 'tests', 'bench', 'scripts']) if (existsSync(d)) walk(resolve(root, d));

let changed = 0;
const notes = [];
for (const f of files) {
  const src = readFileSync(f, 'utf8');
  const out = src.replace(/((?:from|import)\s*\(?\s*['"])(\.{1,2}\/[^'"]+)(['"])/g, (m, a, spec, b) => {
    const target = resolve(dirname(f), spec).replace(/\.(ts|tsx|js)$/, '');
    const names = MOVED_NAMES[relative(root, target)];
    if (names) for (const [n, where] of Object.entries(names)) if (new RegExp(`\\b${n}\\b`).test(src)) notes.push(`${relative(root, f)}: ${n} now comes from ${where}`);
    const moved = moves.get(target);
    if (!moved) return m;
    let rel = relative(dirname(f), moved);
    if (!rel.startsWith('.')) rel = './' + rel;
    return a + rel + b;
  });
  if (out !== src) {
    writeFileSync(f, out);
    changed++;
  }
}
console.log(`rewrote imports in ${changed} file(s)`);
for (const n of [...new Set(notes)]) console.log(`  check: ${n}`);
