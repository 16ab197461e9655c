/**
 * Benchmark helper process: runs one discovery scan with the given options (inside a network namespace for the
 * multicast figures) and prints one JSON line of timings. Usage: node --import tsx discovery-probe.ts '<json>'
 */
import { silentLogger } from '../../electron/services/common/logger';
import { DiscoveryService, type ScanOptions } from '../../electron/services/discovery/index';
import type { Device } from '../../shared/domain/discovery';

/** Input of one probe run. */
export interface ProbeInput {
  options: ScanOptions;
  /** Number of Sarix cameras expected (the time until the last of them is reported is measured). */
  expect: number;
  ports?: { ssdp?: number; wsd?: number };
}

/** Output of one probe run (milliseconds from the scan start). */
export interface ProbeOutput {
  firstMs: number | null;
  allMs: number | null;
  /** When every expected camera also had its identity (model read from the description). */
  identifiedMs: number | null;
  totalMs: number;
  cameras: number;
  others: number;
  errors: string[];
  warnings: string[];
}

async function main(): Promise<void> {
  const input = JSON.parse(process.argv[2] ?? '{}') as ProbeInput;
  const svc = new DiscoveryService({ logger: silentLogger, ports: input.ports });
  const seen = new Set<string>();
  let firstMs: number | null = null;
  let allMs: number | null = null;
  let identifiedMs: number | null = null;
  const identified = new Set<string>();
  const t0 = performance.now();
  const onDevice = ({ device: d }: { device: Device }) => {
    if (d.isSarix && d.model && !identified.has(d.id)) {
      identified.add(d.id);
      if (identified.size === input.expect) identifiedMs = performance.now() - t0;
    }
    if (!d.isSarix || seen.has(d.id)) return;
    seen.add(d.id);
    const t = performance.now() - t0;
    if (firstMs === null) firstMs = t;
    if (seen.size === input.expect) allMs = t;
  };
  svc.events.on('device-found', onDevice);
  svc.events.on('device-updated', onDevice);
  const r = await svc.scan(input.options);
  const out: ProbeOutput = {
    firstMs,
    allMs,
    identifiedMs,
    totalMs: performance.now() - t0,
    cameras: r.cameras.length,
    others: r.otherDevices.length,
    errors: r.errors.map((e) => e.message),
    warnings: r.warnings.map((e) => e.message),
  };
  await svc.dispose();
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((e) => {
  process.stderr.write(`probe failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
