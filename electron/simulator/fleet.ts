/** A fleet of simulated cameras: N cameras on consecutive IPv4 addresses (same port each) or on one address. */
import { isIPv4 } from 'node:net';
import { SimCamera, startCameraImpl } from './camera';
import { macForAddress } from './identity';
import type { SimCameraOptions } from './types';

/** Options of a fleet. Camera options apply to every camera; `perCamera` adjusts one by index. */
export interface SimFleetOptions extends Omit<SimCameraOptions, 'address' | 'httpPort' | 'mac' | 'serial' | 'deviceName'> {
  /** Number of cameras (1–5000). */
  count: number;
  /** First address (default 127.0.1.1); camera i gets base + i. */
  baseAddress?: string;
  /** HTTP port of every camera (default 0 = a free port each). With `sameAddress`, camera i uses httpPort + i. */
  httpPort?: number;
  /** Put every camera on `baseAddress`, on different ports. */
  sameAddress?: boolean;
  /** Per-camera overrides (model, firmware, formVariant, ...). */
  perCamera?: (index: number) => Partial<SimCameraOptions>;
  /** How many cameras start at once (default 50). */
  concurrency?: number;
}

/** A running fleet. */
export interface SimFleet {
  readonly cameras: SimCamera[];
  /** The camera at an address (first one when several share it). */
  byIp(ip: string): SimCamera | undefined;
  /** Stops every camera (each says byebye). */
  stop(): Promise<void>;
}

/** Models a fleet cycles through, so a site looks mixed. */
export const FLEET_MODELS = ['IXE20DN', 'IME329-1ES', 'IX30DN', 'IMP519-1ES', 'ID20DN', 'IE10DN'] as const;

/** The IPv4 address `n` steps after `base` (throws when it leaves the address space). */
export function addAddress(base: string, n: number): string {
  if (!isIPv4(base)) throw new Error(`"${base}" is not an IPv4 address; use one like 127.0.1.1.`);
  const v = base.split('.').reduce((a, o) => a * 256 + Number(o), 0) + n;
  if (v > 0xffffffff) throw new Error(`Address ${base} + ${n} runs past 255.255.255.255.`);
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.');
}

/** Starts a fleet; if any camera cannot start, the started ones are stopped and the error names the address. */
export async function startFleetImpl(o: SimFleetOptions): Promise<SimFleet> {
  if (!Number.isInteger(o.count) || o.count < 1 || o.count > 5000) throw new Error(`A fleet needs 1 to 5000 cameras (got ${o.count}).`);
  const base = o.baseAddress ?? '127.0.1.1';
  const last = addAddress(base, o.sameAddress ? 0 : o.count - 1);
  if (base.startsWith('127.') && !last.startsWith('127.')) throw new Error(`${o.count} cameras from ${base} would leave the loopback range 127.0.0.0/8; use a lower --base-address or fewer cameras.`);
  const { count, baseAddress: _b, httpPort, sameAddress, perCamera, concurrency, ...common } = o;
  if (sameAddress && httpPort && httpPort + count - 1 > 65535) throw new Error(`Ports ${httpPort}..${httpPort + count - 1} run past 65535.`);
  const cameras: SimCamera[] = new Array(count);
  const batch = Math.max(1, concurrency ?? 50);
  try {
    for (let start = 0; start < count; start += batch) {
      const jobs: Promise<void>[] = [];
      for (let i = start; i < Math.min(count, start + batch); i++) {
        const address = sameAddress ? base : addAddress(base, i);
        const port = sameAddress ? (httpPort ? httpPort + i : 0) : (httpPort ?? 0);
        const opts: SimCameraOptions = {
          ...common,
          address,
          httpPort: port,
          model: common.model ?? FLEET_MODELS[i % FLEET_MODELS.length],
          // One address with many ports: salt the MAC with the index so every camera stays unique.
          mac: sameAddress ? macForAddress(addAddress('0.0.0.0', i + 1)) : macForAddress(address),
          ...perCamera?.(i),
        };
        jobs.push(
          startCameraImpl(opts).then((c) => {
            cameras[i] = c;
          }),
        );
      }
      const results = await Promise.allSettled(jobs);
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) throw failed.reason;
    }
  } catch (e) {
    await Promise.allSettled(cameras.filter(Boolean).map((c) => c.stop()));
    throw e;
  }
  return {
    cameras,
    byIp: (ip) => cameras.find((c) => c.ip === ip),
    stop: async () => {
      await Promise.allSettled(cameras.map((c) => c.stop()));
    },
  };
}
