/**
 * Child process of bench/commissioning.bench.ts: runs a simulated fleet apart from the driver under test (real
 * cameras are separate devices; in one process the simulator's CPU would be billed to the commissioning batch).
 * Reads its SimFleetOptions as JSON from argv[2], prints one JSON line `{"urls":[...]}` when ready, stops on
 * SIGTERM or when the parent goes away.
 */
import { startFleet, type SimFleetOptions } from '../electron/simulator/index';

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as SimFleetOptions;
  const fleet = await startFleet({ ...opts, resolver: async () => '127.0.0.1' });
  process.stdout.write(JSON.stringify({ urls: fleet.cameras.map((c) => c.url) }) + '\n');
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('disconnect', () => resolve());
    process.stdin.once('end', () => resolve());
    process.stdin.resume();
  });
  await fleet.stop();
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
    process.exit(1);
  },
);
