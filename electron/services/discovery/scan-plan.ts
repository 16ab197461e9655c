/**
 * What one scan will do, decided and validated before anything is sent: interfaces, methods, the sweep's host list,
 * explicit hosts, port and listening window. Bad options throw VALIDATION here, so a scan never half-starts.
 */
import { checkScanHost, ipv4ToInt, parseCidr, type Device, type NetworkInterfaceInfo, type ScanMethod } from '../../../shared/domain/discovery';
import type { ScanOptions } from '../../../shared/domain/scan';
import { failure } from '../../../shared/i18n/messages';
import { chooseInterfaces } from './interfaces';

/** Default multicast listening window. */
export const DEFAULT_TIMEOUT_MS = 3000;

/** The decided shape of one scan. */
export interface ScanPlan {
  /** Every IPv4 interface of this machine (for the "no interface" explanations). */
  all: NetworkInterfaceInfo[];
  /** The interfaces multicast methods run on. */
  ifaces: NetworkInterfaceInfo[];
  methods: Set<ScanMethod>;
  sweepHosts: string[];
  hosts: string[];
  httpPort: number;
  timeoutMs: number;
}

/** Decides and validates a scan from its options and this machine's interfaces. */
export function planScan(options: ScanOptions, all: NetworkInterfaceInfo[]): ScanPlan {
  const ifaces = chooseInterfaces(all, options.interfaces);
  let sweepHosts: string[] = [];
  if (options.sweep) {
    const r = parseCidr(options.sweep);
    if (!r.ok) throw failure('VALIDATION', r.key, r.params, { sweep: options.sweep });
    sweepHosts = r.hosts();
  }
  // Default: a targeted scan (sweep range or hosts given) probes only those; otherwise multicast on the NICs.
  const isTargeted = !!options.sweep || (options.hosts?.length ?? 0) > 0;
  const methods = new Set<ScanMethod>(options.methods ?? (isTargeted ? (options.sweep ? ['sweep'] : []) : ['ssdp', 'wsd', 'mdns']));
  if (methods.has('sweep') && !options.sweep) {
    // No range given: sweep the chosen interfaces' own subnets (each within the sweep size limit).
    for (const i of ifaces) {
      const r = parseCidr(i.cidr);
      if (r.ok) sweepHosts.push(...r.hosts());
    }
  }
  const hosts: string[] = [];
  for (const h of options.hosts ?? []) {
    const c = checkScanHost(h);
    if (!c.ok) throw failure('VALIDATION', c.key, c.params, { host: h });
    hosts.push(c.host);
  }
  return { all, ifaces, methods, sweepHosts: [...new Set(sweepHosts)], hosts, httpPort: options.httpPort ?? 80, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

/** Orders devices by IPv4 address. */
export function byIp(a: Device, b: Device): number {
  return (ipv4ToInt(a.ip) ?? 0) - (ipv4ToInt(b.ip) ?? 0) || a.ip.localeCompare(b.ip);
}

/** Port of an http URL (80 when absent), or null when it is not one. */
export function portOf(url: string | null): number | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:') return null;
    return u.port ? Number(u.port) : 80;
  } catch {
    return null;
  }
}
