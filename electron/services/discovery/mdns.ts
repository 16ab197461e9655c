/**
 * mDNS / DNS-SD browsing with bonjour-service (docs/camera.md §3.3): one Bonjour instance per interface with
 * `{interface: ip, bind: '0.0.0.0'}` so queries leave through that NIC without a multicast route
 * (TOOLCHAIN-NOTES §4), browsing the service types cameras and other video devices advertise.
 */
import type { Bonjour, Service } from 'bonjour-service';
import { lazyModule } from '../common/lazy-module';
import { waitFor } from './ssdp';


/** bonjour-service is loaded when mDNS is first used (common/lazy-module.ts). */
const bonjourLib = lazyModule<typeof import('bonjour-service')>('bonjour-service');
/** DNS-SD service types browsed (web UI, RTSP, ONVIF-style, Axis-style video). */
export const MDNS_TYPES = ['http', 'rtsp', 'onvif', 'axis-video'];

/** One advertised service. */
export interface MdnsSighting {
  ip: string;
  port: number;
  type: string;
  name: string;
  host: string | null;
  txt: Record<string, string>;
  /**
   * False when the service lists several addresses and none is the one the answer came from: its TXT identity
   * (MAC, model) cannot be tied to this address. bonjour-service publishes every address of the host, so a
   * multi-homed host (or several devices simulated on one host) lists addresses that are not this service's.
   */
  isAttributed: boolean;
}

function txtOf(s: Service): Record<string, string> {
  const out: Record<string, string> = {};
  const t = (s.txt ?? {}) as Record<string, unknown>;
  for (const [k, v] of Object.entries(t)) out[k.toLowerCase()] = Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  return out;
}

/**
 * Browses for `timeoutMs` out of one interface; every IPv4 address of every service found is reported.
 * Socket errors (send failures) arrive through onError; bonjour-service only reports them as warnings.
 */
export async function mdnsBrowse(
  iface: { address: string },
  o: { timeoutMs: number; signal: AbortSignal; types?: string[] },
  h: { onService(s: MdnsSighting): void; onError(e: NodeJS.ErrnoException): void },
): Promise<void> {
  const bonjour = new (bonjourLib().Bonjour)({ interface: iface.address, bind: '0.0.0.0' } as unknown as ConstructorParameters<typeof Bonjour>[0], (e: NodeJS.ErrnoException) => h.onError(e));
  try {
    const server = (bonjour as unknown as { server?: { mdns?: { on(ev: string, fn: (e: NodeJS.ErrnoException) => void): void } } }).server;
    server?.mdns?.on('warning', (e) => h.onError(e));
    server?.mdns?.on('error', (e) => h.onError(e));
    for (const type of o.types ?? MDNS_TYPES) {
      bonjour.find({ type }, (s: Service) => {
        const v4 = (s.addresses ?? []).filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip));
        const from = s.referer?.address;
        const ips = v4.length > 1 && from && v4.includes(from) ? [from] : v4;
        for (const ip of ips) h.onService({ ip, port: s.port, type, name: s.name, host: s.host ?? null, txt: txtOf(s), isAttributed: ips.length === 1 });
      });
    }
    await waitFor(o.timeoutMs, o.signal);
  } finally {
    await new Promise<void>((resolve) => {
      try {
        bonjour.destroy(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
