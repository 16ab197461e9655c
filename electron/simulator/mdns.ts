/**
 * Optional mDNS/DNS-SD advertisement with bonjour-service (docs/camera.md §3.3: legacy Sarix is not known to advertise,
 * so this is off by default). mDNS is multicast: enable it only inside a network namespace.
 */
import type { Bonjour, Service } from 'bonjour-service';
import { lazyModule } from '../services/common/lazy-module';
import type { DeviceInfo } from './ssdp';
import { silentLogger } from '../services/common/logger';


/** bonjour-service is loaded when mDNS is first used (common/lazy-module.ts). */
const bonjourLib = lazyModule<typeof import('bonjour-service')>('bonjour-service');
/** Publishes `_http._tcp` and `_onvif._tcp` for one camera on its own interface address. */
export class MdnsAdvertiser {
  private bonjour?: Bonjour;
  private services: Service[] = [];

  constructor(private readonly dev: DeviceInfo) {}

  /** Starts advertising. */
  async start(): Promise<void> {
    const log = this.dev.logger ?? silentLogger;
    // These options go through to multicast-dns (bonjour-service types them narrowly): send on the camera's interface.
    const mdnsOpts = { interface: this.dev.ip, bind: '0.0.0.0', multicast: true } as unknown as ConstructorParameters<typeof Bonjour>[0];
    this.bonjour = new (bonjourLib().Bonjour)(mdnsOpts, (e: unknown) => log.warn(`mdns on ${this.dev.ip} failed`, String(e)));
    const txt = { model: this.dev.model, mac: this.dev.mac, vendor: 'Pelco', fw: this.dev.firmware };
    const name = `${this.dev.deviceName()} ${this.dev.mac.slice(-8).replace(/:/g, '')}`;
    const host = `sarix-${this.dev.mac.replace(/:/g, '').toLowerCase()}.local`;
    this.services.push(this.bonjour.publish({ name, type: 'http', port: this.dev.httpPort, host, txt, disableIPv6: true }));
    this.services.push(this.bonjour.publish({ name, type: 'onvif', port: this.dev.httpPort, host, txt, disableIPv6: true }));
    await Promise.all(this.services.map((s) => new Promise<void>((resolve) => (s.published ? resolve() : s.once('up', () => resolve())))));
  }

  /** Sends goodbye packets and closes the socket. */
  async stop(): Promise<void> {
    const b = this.bonjour;
    if (!b) return;
    this.bonjour = undefined;
    await new Promise<void>((resolve) => b.unpublishAll(() => resolve()));
    await new Promise<void>((resolve) => b.destroy(() => resolve()));
  }
}
