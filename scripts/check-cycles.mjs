// Import cycles (docs/architecture.md §3.18): fails when a module reaches itself through runtime imports (static
// or dynamic) in electron/, shared/ or renderer/src/. Type-only imports are left out: TypeScript erases them, so
// they cannot change load order. Run by `npm test` and `npm run lint:cycles`; madge does the graph.
import madge from 'madge';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The runtime import cycles among the .ts/.tsx files under `dirs` (each cycle as a list of paths). */
export async function findCycles(dirs, baseDir = process.cwd()) {
  const graph = await madge(dirs.map((d) => resolve(baseDir, d)), {
    baseDir,
    fileExtensions: ['ts', 'tsx'],
    excludeRegExp: [/node_modules/],
    detectiveOptions: { ts: { skipTypeImports: true }, tsx: { skipTypeImports: true } },
  });
  return graph.circular();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cycles = await findCycles(['electron', 'shared', 'renderer/src']);
  if (cycles.length) {
    console.error(`${cycles.length} import cycle(s):`);
    for (const c of cycles) console.error(`  ${[...c, c[0]].join(' -> ')}`);
    console.error('Break each by moving the shared part into a module both can import (types to shared/domain, helpers to electron/services/common).');
    process.exitCode = 1;
  } else {
    console.log('no import cycles');
  }
}
