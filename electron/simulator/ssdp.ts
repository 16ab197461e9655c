/**
 * The camera's SSDP responder (docs/camera.md §3.1): answers M-SEARCH for ssdp:all, upnp:rootdevice, the Pelco camera
 * type and its uuid, unicast on its own ip:port; joins 239.255.255.250 and sends NOTIFY alive/byebye only when
 * multicast is explicitly enabled (network namespaces only: never multicast from the machine's root namespace).
 */
import { createSocket, type Socket, type RemoteInfo } from 'node:dgram';
import { createHash } from 'node:crypto';
import type { Logger } from '../services/common/logger';
import { silentLogger } from '../services/common/logger';
import { esc } from './forms';
import type { SimSsdpOptions } from './types';

/** SSDP multicast group and port. */
export const SSDP_GROUP = '239.255.255.250';
/** SSDP port. */
export const SSDP_PORT = 1900;
/** The Pelco camera device type. */
export const PELCO_CAMERA_TYPE = 'urn:schemas-pelco-com:device:Camera:1';
/** Description XML path [A]. */
export const DESCRIPTION_PATH = '/description.xml';

/** Camera facts the discovery responders announce. */
export interface DeviceInfo {
  ip: string;
  httpPort: number;
  uuid: string;
  model: string;
  deviceName(): string;
  mac: string;
  serial: string;
  firmware: string;
  logger?: Logger;
}

/** A stable uuid for a camera, derived from its MAC (UPnP device UDNs must not change across reboots). */
export function cameraUuid(mac: string): string {
  const h = createHash('sha1').update(`pelco-sarix-${mac}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${mac.replace(/:/g, '').toLowerCase()}`;
}

/** The UPnP description XML (manufacturer Pelco, modelName, friendlyName, serialNumber, non-standard <MAC>). */
export function descriptionXml(d: DeviceInfo): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<root xmlns="urn:schemas-upnp-org:device-1-0">
<specVersion><major>1</major><minor>0</minor></specVersion>
<URLBase>http://${d.ip}:${d.httpPort}</URLBase>
<device>
<deviceType>${PELCO_CAMERA_TYPE}</deviceType>
<friendlyName>${esc(d.deviceName())}</friendlyName>
<manufacturer>Pelco</manufacturer>
<manufacturerURL>http://www.pelco.com</manufacturerURL>
<modelDescription>Sarix IP Camera</modelDescription>
<modelName>${esc(d.model)}</modelName>
<modelNumber>${esc(d.model)}</modelNumber>
<serialNumber>${esc(d.serial)}</serialNumber>
<firmwareVersion>${esc(d.firmware)}</firmwareVersion>
<MAC>${esc(d.mac)}</MAC>
<UDN>uuid:${d.uuid}</UDN>
<presentationURL>http://${d.ip}:${d.httpPort}/liveview</presentationURL>
<serviceList>
<service><serviceType>urn:schemas-pelco-com:service:PelcoConfiguration:1</serviceType><serviceId>urn:pelco-com:serviceId:PelcoConfiguration-1</serviceId><SCPDURL>/PelcoConfiguration.xml</SCPDURL><controlURL>/control/PelcoConfiguration-1</controlURL><eventSubURL>/event/PelcoConfiguration-1</eventSubURL></service>
</serviceList>
</device>
</root>
`;
}

/** Parses an SSDP datagram into its start line and upper-cased headers. */
export function parseSsdp(text: string): { startLine: string; headers: Record<string, string> } {
  const lines = text.split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toUpperCase()] = l.slice(i + 1).trim();
  }
  return { startLine: (lines[0] ?? '').trim(), headers };
}

/** The SSDP answerer of one camera. */
export class SsdpResponder {
  private uni?: Socket;
  private multi?: Socket;
  private readonly log: Logger;
  private readonly pendingTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly dev: DeviceInfo,
    private readonly opts: SimSsdpOptions,
  ) {
    this.log = dev.logger ?? silentLogger;
  }

  /** Bound unicast port. */
  port = 0;

  private get location(): string {
    return `http://${this.dev.ip}:${this.dev.httpPort}${DESCRIPTION_PATH}`;
  }

  private targets(): { nt: string; usn: string }[] {
    const u = `uuid:${this.dev.uuid}`;
    return [
      { nt: 'upnp:rootdevice', usn: `${u}::upnp:rootdevice` },
      { nt: u, usn: u },
      { nt: PELCO_CAMERA_TYPE, usn: `${u}::${PELCO_CAMERA_TYPE}` },
    ];
  }

  /** Binds the sockets; with multicast, joins the group and sends NOTIFY ssdp:alive. */
  async start(): Promise<void> {
    const port = this.opts.port ?? SSDP_PORT;
    this.uni = await bindUdp(this.dev.ip, port, (m, r) => this.onMessage(m, r, false));
    this.port = this.uni.address().port;
    if (this.opts.multicast) {
      // The group socket binds the wildcard address (Linux delivers group datagrams only to sockets bound to it or
      // to the group); replies go out of the unicast socket so they carry the camera's own source address.
      this.multi = await bindUdp('0.0.0.0', this.port, (m, r) => this.onMessage(m, r, true));
      this.multi.addMembership(SSDP_GROUP, this.dev.ip);
      this.uni.setMulticastInterface(this.dev.ip);
      this.uni.setMulticastTTL(2);
    }
    await this.notify('ssdp:alive');
  }

  /** Sends NOTIFY ssdp:byebye (multicast when enabled, and to the unicast targets) and closes. */
  async stop(): Promise<void> {
    for (const t of this.pendingTimers) clearTimeout(t);
    this.pendingTimers.clear();
    try {
      await this.notify('ssdp:byebye');
    } catch (e) {
      this.log.warn(`ssdp byebye from ${this.dev.ip} failed`, String(e));
    }
    await Promise.all([closeUdp(this.uni), closeUdp(this.multi)]);
    this.uni = this.multi = undefined;
  }

  private async notify(nts: 'ssdp:alive' | 'ssdp:byebye'): Promise<void> {
    const dests = [...(this.opts.notifyTargets ?? [])];
    if (this.opts.multicast) dests.push({ address: SSDP_GROUP, port: SSDP_PORT });
    if (!this.uni || dests.length === 0) return;
    for (const { nt, usn } of this.targets()) {
      const lines = ['NOTIFY * HTTP/1.1', `HOST: ${SSDP_GROUP}:${SSDP_PORT}`, `NT: ${nt}`, `NTS: ${nts}`, `USN: ${usn}`];
      if (nts === 'ssdp:alive') lines.push(`CACHE-CONTROL: max-age=${this.opts.maxAgeS ?? 1800}`, `LOCATION: ${this.location}`, 'SERVER: Linux/2.6 UPnP/1.0 Pelco-Sarix/1.0');
      const msg = Buffer.from(lines.join('\r\n') + '\r\n\r\n');
      for (const d of dests) await sendUdp(this.uni, msg, d.port, d.address);
    }
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo, viaGroup: boolean): void {
    const { startLine, headers } = parseSsdp(msg.toString('utf8'));
    if (!/^M-SEARCH\s+\*\s+HTTP\/1\.1$/i.test(startLine)) return;
    if ((headers.MAN ?? '').replace(/"/g, '') !== 'ssdp:discover') return;
    const st = headers.ST ?? '';
    const all = this.targets();
    const matches = st === 'ssdp:all' ? all : all.filter((t) => t.nt === st);
    if (matches.length === 0) return;
    const reply = () => {
      if (!this.uni) return;
      for (const m of matches) {
        const lines = [
          'HTTP/1.1 200 OK',
          `CACHE-CONTROL: max-age=${this.opts.maxAgeS ?? 1800}`,
          `DATE: ${new Date().toUTCString()}`,
          'EXT:',
          `LOCATION: ${this.location}`,
          'SERVER: Linux/2.6 UPnP/1.0 Pelco-Sarix/1.0',
          `ST: ${m.nt}`,
          `USN: ${m.usn}`,
        ];
        sendUdp(this.uni, Buffer.from(lines.join('\r\n') + '\r\n\r\n'), rinfo.port, rinfo.address).catch((e) => this.log.warn(`ssdp reply from ${this.dev.ip} failed`, String(e)));
      }
    };
    // Multicast searches are answered after a random delay within MX (UPnP 1.0 §1.2.3), capped so tests stay fast.
    const mx = Math.min(Number(headers.MX ?? '1') || 1, 5);
    if (!viaGroup) return reply();
    const t = setTimeout(() => {
      this.pendingTimers.delete(t);
      reply();
    }, Math.floor(Math.random() * Math.min(mx * 1000, 300)));
    this.pendingTimers.add(t);
  }
}

/** Binds a UDP socket (SO_REUSEADDR, so several simulated cameras can share a port on different addresses). */
export function bindUdp(address: string, port: number, onMessage: (m: Buffer, r: RemoteInfo) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = createSocket({ type: 'udp4', reuseAddr: true });
    s.once('error', (e: NodeJS.ErrnoException) => {
      s.close();
      reject(new Error(`UDP ${address}:${port} cannot be bound (${e.code ?? e.message}). Choose another port or address.`));
    });
    s.on('message', onMessage);
    s.bind({ address, port, exclusive: false }, () => {
      s.removeAllListeners('error');
      s.on('error', () => {});
      resolve(s);
    });
  });
}

/** Sends one datagram. */
export function sendUdp(s: Socket, msg: Buffer, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => s.send(msg, port, address, (e) => (e ? reject(e) : resolve())));
}

/** Closes a socket if open. */
export function closeUdp(s: Socket | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (!s) return resolve();
    try {
      s.close(() => resolve());
    } catch {
      resolve();
    }
  });
}
