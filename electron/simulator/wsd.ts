/**
 * The camera's WS-Discovery responder (docs/camera.md §3.2): answers Probe with ProbeMatch (type
 * dn:NetworkVideoTransmitter, XAddrs of the ONVIF device service, name and hardware scopes) on its own ip:port;
 * joins 239.255.255.250:3702 and sends Hello/Bye only when multicast is enabled (network namespaces only).
 */
import { randomUUID } from 'node:crypto';
import type { RemoteInfo, Socket } from 'node:dgram';
import { XMLParser } from 'fast-xml-parser';
import { esc } from './forms';
import { bindUdp, closeUdp, sendUdp, SSDP_GROUP, type DeviceInfo } from './ssdp';
import type { SimWsdOptions } from './types';
import { silentLogger, type Logger } from '../services/common/logger';

/** WS-Discovery port. */
export const WSD_PORT = 3702;

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false });
const NS = 'xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl"';

/** The ONVIF scopes a camera announces. */
export function wsdScopes(d: DeviceInfo): string[] {
  return [
    'onvif://www.onvif.org/type/video_encoder',
    'onvif://www.onvif.org/type/Network_Video_Transmitter',
    `onvif://www.onvif.org/hardware/${encodeURIComponent(d.model)}`,
    `onvif://www.onvif.org/name/${encodeURIComponent(d.deviceName())}`,
    'onvif://www.onvif.org/location/',
    'onvif://www.onvif.org/Profile/Streaming',
  ];
}

/** The device service address a ProbeMatch carries (port omitted when 80). */
export function xaddr(d: DeviceInfo): string {
  return `http://${d.ip}${d.httpPort === 80 ? '' : `:${d.httpPort}`}/onvif/device_service`;
}

function text(n: unknown): string {
  return typeof n === 'string' ? n : n && typeof n === 'object' && '#text' in n ? String((n as Record<string, unknown>)['#text']) : '';
}

/** True when a Probe's Types (QNames, any prefix) ask for something this camera is. */
export function typesMatch(types: string): boolean {
  const wanted = types.split(/\s+/).filter(Boolean).map((q) => q.slice(q.indexOf(':') + 1));
  return wanted.every((w) => w === 'NetworkVideoTransmitter' || w === 'Device');
}

/** True when every requested scope is a prefix-match (RFC 3986 rule of WS-Discovery) of one of ours. */
export function scopesMatch(requested: string, ours: string[]): boolean {
  const req = requested.split(/\s+/).filter(Boolean);
  return req.every((r) => ours.some((o) => o === r || o.startsWith(r.endsWith('/') ? r : r + '/')));
}

/** The WS-Discovery answerer of one camera. */
export class WsdResponder {
  private uni?: Socket;
  private multi?: Socket;
  private seq = 1;
  private readonly log: Logger;
  /** Bound unicast port. */
  port = 0;

  constructor(
    private readonly dev: DeviceInfo,
    private readonly opts: SimWsdOptions,
  ) {
    this.log = dev.logger ?? silentLogger;
  }

  private endpoint(): string {
    return `<a:EndpointReference><a:Address>urn:uuid:${this.dev.uuid}</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types><d:Scopes>${esc(wsdScopes(this.dev).join(' '))}</d:Scopes><d:XAddrs>${esc(xaddr(this.dev))}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>`;
  }

  private envelope(action: string, relatesTo: string | undefined, body: string): Buffer {
    const rel = relatesTo ? `<a:RelatesTo>${esc(relatesTo)}</a:RelatesTo>` : '';
    return Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><s:Envelope ${NS}><s:Header><a:MessageID>urn:uuid:${randomUUID()}</a:MessageID>${rel}<a:To>${relatesTo ? 'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous' : 'urn:schemas-xmlsoap-org:ws:2005:04:discovery'}</a:To><a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/${action}</a:Action><d:AppSequence InstanceId="1" MessageNumber="${this.seq++}"/></s:Header><s:Body>${body}</s:Body></s:Envelope>`,
    );
  }

  /** Binds; with multicast, joins the group and sends Hello. */
  async start(): Promise<void> {
    this.uni = await bindUdp(this.dev.ip, this.opts.port ?? WSD_PORT, (m, r) => this.onMessage(m, r));
    this.port = this.uni.address().port;
    if (this.opts.multicast) {
      this.multi = await bindUdp('0.0.0.0', this.port, (m, r) => this.onMessage(m, r));
      this.multi.addMembership(SSDP_GROUP, this.dev.ip);
      this.uni.setMulticastInterface(this.dev.ip);
      await sendUdp(this.uni, this.envelope('Hello', undefined, `<d:Hello>${this.endpoint()}</d:Hello>`), WSD_PORT, SSDP_GROUP);
    }
  }

  /** Sends Bye (multicast only) and closes. */
  async stop(): Promise<void> {
    if (this.opts.multicast && this.uni) {
      await sendUdp(this.uni, this.envelope('Bye', undefined, `<d:Bye><a:EndpointReference><a:Address>urn:uuid:${this.dev.uuid}</a:Address></a:EndpointReference></d:Bye>`), WSD_PORT, SSDP_GROUP).catch((e) =>
        this.log.warn(`wsd bye from ${this.dev.ip} failed`, String(e)),
      );
    }
    await Promise.all([closeUdp(this.uni), closeUdp(this.multi)]);
    this.uni = this.multi = undefined;
  }

  private onMessage(msg: Buffer, rinfo: RemoteInfo): void {
    let doc: Record<string, unknown>;
    try {
      doc = parser.parse(msg.toString('utf8')) as Record<string, unknown>;
    } catch {
      return;
    }
    const env = doc.Envelope as Record<string, unknown> | undefined;
    const probe = (env?.Body as Record<string, unknown> | undefined)?.Probe;
    if (probe === undefined) return;
    const p = (probe && typeof probe === 'object' ? probe : {}) as Record<string, unknown>;
    if (!typesMatch(text(p.Types)) || !scopesMatch(text(p.Scopes), wsdScopes(this.dev))) return;
    const messageId = text((env?.Header as Record<string, unknown> | undefined)?.MessageID);
    const reply = this.envelope('ProbeMatches', messageId || undefined, `<d:ProbeMatches><d:ProbeMatch>${this.endpoint()}</d:ProbeMatch></d:ProbeMatches>`);
    if (this.uni) sendUdp(this.uni, reply, rinfo.port, rinfo.address).catch((e) => this.log.warn(`wsd reply from ${this.dev.ip} failed`, String(e)));
  }
}
