/**
 * The storage path alone, for the relay benchmark: the relay's own durable writes (DurableWriter.placeFile: one
 * copy into a slab, then in a writer thread create in new/ as 0000 + shared directory fsync in parallel with
 * write + chmod 0600 + fsync + close),
 * driven directly with the benchmark message, `inFlight` writes (at least one per thread) at a time, no SMTP at all. Run as a child process
 * by bench/relay.bench.ts:
 *   node --import tsx bench/lib/storage-ceiling.ts DIR MESSAGE_FILE THREADS DURATION_MS IN_FLIGHT
 * and prints one JSON line (StorageResult).
 */
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DurableWriter, sharedDirSync } from '../../electron/services/relay/durable-writer';

export interface StorageResult {
  threads: number;
  files: number;
  elapsedMs: number;
  /** This process's CPU per file, µs (the writer threads' system calls included). */
  cpuUs: number;
  /** Machine-wide CPU per file, µs (kernel threads and any other load included), when /proc/stat is readable. */
  machineCpuUs?: number;
}

/** CPU time of the whole machine (all processes and kernel threads) so far, ms; undefined off Linux. */
function machineBusyMs(): number | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return ((total - f[3] - f[4]) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

async function storageOnly(dir: string, message: Buffer, threads: number, durationMs: number, inFlight: number): Promise<StorageResult> {
  const base = join(dir, `storage-${threads}-${process.pid}`);
  mkdirSync(join(base, 'tmp'), { recursive: true });
  mkdirSync(join(base, 'new'), { recursive: true });
  const dfd = openSync(join(base, 'new'), 'r');
  const shared = sharedDirSync(dfd);
  const writer = new DurableWriter(threads);
  const noop = async () => undefined;
  let n = 0;
  let files = 0;
  // Warm-up: start every writer thread before the clock starts.
  await Promise.all(Array.from({ length: threads }, (_, i) => writer.placeFile(join(base, 'new', `w${i}`), [message], message.length, noop, shared)));
  const busy0 = machineBusyMs();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + durationMs;
  await Promise.all(
    Array.from({ length: Math.max(inFlight, threads) }, async () => {
      while (performance.now() < end) {
        const name = String(++n);
        await writer.placeFile(join(base, 'new', name), [message], message.length, noop, shared);
        files++;
      }
    }),
  );
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const busy1 = machineBusyMs();
  await writer.close();
  closeSync(dfd);
  await rm(base, { recursive: true, force: true });
  return {
    threads,
    files,
    elapsedMs,
    cpuUs: (cpu.user + cpu.system) / Math.max(1, files),
    machineCpuUs: busy0 !== undefined && busy1 !== undefined ? ((busy1 - busy0) * 1000) / Math.max(1, files) : undefined,
  };
}

const [dir, messageFile, threads, durationMs, inFlight] = process.argv.slice(2);
if (dir && messageFile) {
  const r = await storageOnly(dir, readFileSync(messageFile), Number(threads), Number(durationMs), Number(inFlight));
  console.log(JSON.stringify(r));
}
