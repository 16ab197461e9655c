/**
 * The camera's machine interfaces (docs/camera.md §5): the Pelco SOAP 1.1 API (HTTP Basic/Digest) and the ONVIF device
 * service (SOAP 1.2, WS-Security UsernameToken signed with the CAMERA's clock, because the token is refused when
 * `Created` is far from the camera's own time). Hand-written envelopes for the handful of calls the product
 * needs: the `onvif` package's Cam runs a dozen discovery calls on connect that a Sarix camera does not all answer.
 */
import { createHash, randomBytes } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { failure } from '../../../shared/i18n/messages';
import { AppFailure, type SubMessage } from '../../../shared/ipc/result';
import type { FirmwareProfile } from './firmware-profile';
import type { WebResponse } from './web-session';

type XmlNode = Record<string, unknown>;

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: true, parseTagValue: false, trimValues: true });

/** Text of a parsed XML node ('' when absent). */
export function xmlText(n: unknown): string {
  if (typeof n === 'string') return n;
  if (typeof n === 'number' || typeof n === 'boolean') return String(n);
  if (n && typeof n === 'object' && '#text' in n) return String((n as XmlNode)['#text']);
  return '';
}

/** Something that can POST to the camera (the web session). */
export interface ApiTransport {
  api(path: string, body: string, headers: Record<string, string>): Promise<WebResponse>;
}

/** A SOAP fault or HTTP refusal from a machine interface. */
export class SoapFault extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly fault: string,
  ) {
    super(message);
    this.name = 'SoapFault';
  }
}

function parseBody(xml: string): XmlNode | undefined {
  try {
    const doc = parser.parse(xml) as XmlNode;
    const env = doc.Envelope as XmlNode | undefined;
    return env && typeof env === 'object' ? ((env.Body as XmlNode) ?? undefined) : undefined;
  } catch {
    return undefined;
  }
}

function faultText(body: XmlNode | undefined): string {
  const f = body?.Fault as XmlNode | undefined;
  if (!f) return '';
  const reason = f.Reason as XmlNode | undefined;
  const sub = ((f.Code as XmlNode | undefined)?.Subcode as XmlNode | undefined)?.Value;
  return [xmlText(f.faultstring), xmlText(reason?.Text), xmlText(sub)].filter(Boolean).join(': ');
}

/** The Pelco SOAP API of one camera. */
export class PelcoSoap {
  constructor(
    private readonly t: ApiTransport,
    private readonly profile: FirmwareProfile,
  ) {}

  /** Calls one action; returns the `<ActionResponse>` node. Throws SoapFault on a fault or HTTP error. */
  async call(service: string, action: string, argsXml = ''): Promise<XmlNode> {
    const ns = this.profile.pelcoSoap.namespace(service);
    const xml =
      `<?xml version="1.0" encoding="utf-8"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">` +
      `<s:Body><u:${action} xmlns:u="${ns}">${argsXml}</u:${action}></s:Body></s:Envelope>`;
    const r = await this.t.api(this.profile.pelcoSoap.controlPath(service), xml, {
      'Content-Type': 'text/xml; charset="utf-8"',
      SOAPAction: this.profile.pelcoSoap.soapAction(service, action),
    });
    const body = parseBody(r.body);
    if (r.status === 401) throw new SoapFault('The camera refused the user name or password for its Pelco API.', 401, 'Unauthorized');
    if (r.status !== 200 || !body || body.Fault) throw new SoapFault(faultText(body) || `HTTP ${r.status}`, r.status, faultText(body));
    const resp = body[`${action}Response`];
    return resp && typeof resp === 'object' ? (resp as XmlNode) : {};
  }
}

/** What ONVIF GetDeviceInformation answers. */
export interface OnvifDeviceInfo {
  manufacturer: string;
  model: string;
  firmware: string;
  serial: string;
}

/** The ONVIF device service of one camera, signing with the camera clock once it is known. */
export class OnvifDevice {
  /** camera clock minus local clock, ms; learnt from GetSystemDateAndTime. */
  private skewMs: number | undefined;

  constructor(
    private readonly t: ApiTransport,
    private readonly profile: FirmwareProfile,
    private readonly creds: { username: string; password: string },
    private readonly now: () => number,
  ) {}

  private security(): string {
    const nonce = randomBytes(16);
    const created = new Date(this.now() + (this.skewMs ?? 0)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(this.creds.password, 'utf8')])).digest('base64');
    const x = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
    return (
      `<Security s:mustUnderstand="1" xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><UsernameToken>` +
      `<Username>${x(this.creds.username)}</Username>` +
      `<Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</Password>` +
      `<Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</Nonce>` +
      `<Created xmlns="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">${created}</Created></UsernameToken></Security>`
    );
  }

  /** Calls one device-service action; `signed` adds the UsernameToken. Returns the response node. */
  async call(action: string, inner = '', signed = true): Promise<XmlNode> {
    const xml =
      `<?xml version="1.0" encoding="UTF-8"?>\n<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema">` +
      `<s:Header>${signed ? this.security() : ''}</s:Header><s:Body><tds:${action}>${inner}</tds:${action}></s:Body></s:Envelope>`;
    const r = await this.t.api(this.profile.onvif.devicePath, xml, {
      'Content-Type': `application/soap+xml; charset=utf-8; action="http://www.onvif.org/ver10/device/wsdl/${action}"`,
    });
    const body = parseBody(r.body);
    if (r.status !== 200 || !body || body.Fault) throw new SoapFault(faultText(body) || `HTTP ${r.status}`, r.status, faultText(body));
    const resp = body[`${action}Response`];
    return resp && typeof resp === 'object' ? (resp as XmlNode) : {};
  }

  /** The camera's UTC clock (unsigned call, as ONVIF allows), and the skew it implies. */
  async systemDateAndTime(): Promise<{ cameraMs: number; localMs: number; skewMs: number }> {
    const before = this.now();
    const resp = await this.call('GetSystemDateAndTime', '', false);
    const after = this.now();
    const utc = ((resp.SystemDateAndTime as XmlNode | undefined)?.UTCDateTime ?? {}) as XmlNode;
    const d = (utc.Date ?? {}) as XmlNode;
    const t = (utc.Time ?? {}) as XmlNode;
    const n = (v: unknown) => Number(xmlText(v));
    const cameraMs = Date.UTC(n(d.Year), n(d.Month) - 1, n(d.Day), n(t.Hour), n(t.Minute), n(t.Second));
    if (!Number.isFinite(cameraMs)) throw new SoapFault('GetSystemDateAndTime answered without a UTC date and time.', 200, 'Malformed');
    // The camera stamped its answer somewhere between our send and receive: take the midpoint.
    const localMs = Math.round((before + after) / 2);
    this.skewMs = cameraMs - localMs;
    return { cameraMs, localMs, skewMs: this.skewMs };
  }

  /** Learns the skew first if needed, so WS-Security `Created` matches the camera clock. */
  private async ensureSkew(): Promise<void> {
    if (this.skewMs === undefined) await this.systemDateAndTime();
  }

  /** GetDeviceInformation. */
  async deviceInformation(): Promise<OnvifDeviceInfo> {
    await this.ensureSkew();
    const r = await this.call('GetDeviceInformation');
    return { manufacturer: xmlText(r.Manufacturer), model: xmlText(r.Model), firmware: xmlText(r.FirmwareVersion), serial: xmlText(r.SerialNumber) };
  }

  /** The first network interface's MAC (GetNetworkInterfaces). */
  async mac(): Promise<string> {
    await this.ensureSkew();
    const r = await this.call('GetNetworkInterfaces');
    const ni = r.NetworkInterfaces;
    const first = (Array.isArray(ni) ? ni[0] : ni) as XmlNode | undefined;
    return xmlText((first?.Info as XmlNode | undefined)?.HwAddress);
  }

  /** SetNTP with one manual server (IPv4 literal or DNS name). */
  async setNtp(server: string): Promise<void> {
    await this.ensureSkew();
    const x = server.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string);
    const manual = /^\d+\.\d+\.\d+\.\d+$/.test(server) ? `<tt:Type>IPv4</tt:Type><tt:IPv4Address>${x}</tt:IPv4Address>` : `<tt:Type>DNS</tt:Type><tt:DNSname>${x}</tt:DNSname>`;
    await this.call('SetNTP', `<tds:FromDHCP>false</tds:FromDHCP><tds:NTPManual>${manual}</tds:NTPManual>`);
  }
}

/** Turns a SoapFault from a step that must succeed into an AppFailure. */
export function soapFailure(what: SubMessage, e: unknown, baseUrl: string): AppFailure {
  if (e instanceof AppFailure) return e;
  if (e instanceof SoapFault) {
    if (e.status === 401 || /NotAuthorized/i.test(e.fault)) {
      return failure('AUTH_FAILED', 'errors.AUTH_FAILED.soap', { what, url: baseUrl, reason: e.message });
    }
    return failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.soapAnswer', { what, url: baseUrl, reason: e.message }, { status: e.status, fault: e.fault });
  }
  return failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.formEdit', { what, reason: (e as Error).message ?? String(e) });
}
