/**
 * The camera's SOAP surfaces: the Pelco API (SOAP 1.1, `POST /control/PelcoConfiguration-1`, docs/camera.md §5) and the
 * ONVIF device service (SOAP 1.2, `/onvif/device_service`) with WS-Security UsernameToken checked against the
 * camera clock. Requests are parsed with fast-xml-parser; responses are small templates.
 */
import { createHash } from 'node:crypto';
import { isIP } from 'node:net';
import { XMLParser } from 'fast-xml-parser';
import { esc } from './forms';

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, trimValues: true });

type XmlNode = Record<string, unknown>;

/** Text content of a parsed node (plain string or `#text` when the element had attributes). */
export function xmlText(n: unknown): string {
  if (typeof n === 'string') return n;
  if (typeof n === 'number' || typeof n === 'boolean') return String(n);
  if (n && typeof n === 'object' && '#text' in n) return String((n as XmlNode)['#text']);
  return '';
}

/** Parses a SOAP envelope: header node and the first body element's local name and node. */
export function parseEnvelope(xml: string): { header: XmlNode; action: string; body: XmlNode } | undefined {
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch {
    return undefined;
  }
  const env = doc.Envelope as XmlNode | undefined;
  if (!env || typeof env !== 'object') return undefined;
  const bodyNode = env.Body as XmlNode | undefined;
  if (!bodyNode || typeof bodyNode !== 'object') return undefined;
  const action = Object.keys(bodyNode).find((k) => !k.startsWith('@'));
  if (!action) return undefined;
  const b = bodyNode[action];
  return { header: (env.Header as XmlNode) ?? {}, action, body: b && typeof b === 'object' ? (b as XmlNode) : {} };
}

/** What the SOAP handlers need from the camera. */
export interface SoapContext {
  model: string;
  firmware: string;
  serial: string;
  mac: string;
  ip: string;
  deviceName(): string;
  location(): string;
  ntpServer(): string;
  timeZone(): string;
  /** Sets the NTP server (ONVIF SetNTP; kept in sync with the web form). Returns an error text when refused. */
  setNtpServer(server: string): string | undefined;
  /** Camera clock, ms since epoch (host clock + skew). */
  cameraNow(): number;
  restart(): void;
  /** The device service address (http://ip:port/onvif/device_service). */
  deviceXAddr(): string;
  users(): { name: string; password: string }[];
  wsSecurityWindowS: number;
}

/** A SOAP answer. */
export interface SoapResult {
  status: number;
  contentType: string;
  body: string;
}

/** The Pelco service namespace of PelcoConfiguration. */
export const PELCO_CONFIG_NS = 'urn:schemas-pelco-com:service:PelcoConfiguration:1';

function soap11(inner: string): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>${inner}</s:Body></s:Envelope>`;
}

function pelcoFault(name: 'ActionNotImplementedFault' | 'InvalidArgumentFault', detail: string): SoapResult {
  return {
    status: 500,
    contentType: 'text/xml; charset="utf-8"',
    body: soap11(`<s:Fault><faultcode>s:Client</faultcode><faultstring>${name}</faultstring><detail><${name} xmlns="${PELCO_CONFIG_NS}"><description>${esc(detail)}</description></${name}></detail></s:Fault>`),
  };
}

/** Offset of a time zone from UTC at a moment, in minutes. */
export function zoneOffsetMinutes(timeZone: string, at: number): number {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(new Date(at)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(part);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/** Answers one Pelco API request (auth already checked). `soapAction` is the SOAPAction header. */
export function pelcoConfiguration(ctx: SoapContext, soapAction: string | undefined, xml: string): SoapResult {
  const env = parseEnvelope(xml);
  if (!env) return pelcoFault('InvalidArgumentFault', 'The request is not a SOAP envelope.');
  const headerAction = soapAction?.replace(/"/g, '').split('#')[1];
  const action = headerAction || env.action;
  const ok = (inner: string): SoapResult => ({ status: 200, contentType: 'text/xml; charset="utf-8"', body: soap11(`<u:${action}Response xmlns:u="${PELCO_CONFIG_NS}">${inner}</u:${action}Response>`) });
  switch (action) {
    case 'GetModelName':
      return ok(`<modelName>${esc(ctx.model)}</modelName>`);
    case 'GetLocation':
      return ok(`<location>${esc(ctx.location())}</location>`);
    case 'GetConfiguration': {
      const now = ctx.cameraNow();
      const tz = ctx.timeZone();
      const std = Math.min(zoneOffsetMinutes(tz, Date.UTC(new Date(now).getUTCFullYear(), 0, 1)), zoneOffsetMinutes(tz, Date.UTC(new Date(now).getUTCFullYear(), 6, 1)));
      const cur = zoneOffsetMinutes(tz, now);
      return ok(
        `<pelcoConfig><friendlyName>${esc(ctx.deviceName())}</friendlyName><modelName>${esc(ctx.model)}</modelName><serialNumber>${esc(ctx.serial)}</serialNumber>` +
          `<firmwareVersion>${esc(ctx.firmware)}</firmwareVersion><macAddress>${esc(ctx.mac)}</macAddress><ipAddress>${esc(ctx.ip)}</ipAddress>` +
          `<ntpAddress>${esc(ctx.ntpServer())}</ntpAddress><gmtOffset>${std}</gmtOffset><dstOffset>${cur - std}</dstOffset><timeZone>${esc(tz)}</timeZone></pelcoConfig>`,
      );
    }
    case 'Restart':
      setImmediate(() => ctx.restart());
      return ok('');
    default:
      return pelcoFault('ActionNotImplementedFault', `Action ${action} is not implemented by PelcoConfiguration.`);
  }
}

// ---------------------------------------------------------------- ONVIF

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';

function soap12(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="${SOAP12}" xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error"><SOAP-ENV:Body>${inner}</SOAP-ENV:Body></SOAP-ENV:Envelope>`;
}

function onvifFault(status: number, code: 'Sender' | 'Receiver', sub: string, reason: string): SoapResult {
  return {
    status,
    contentType: 'application/soap+xml; charset=utf-8',
    body: soap12(`<SOAP-ENV:Fault><SOAP-ENV:Code><SOAP-ENV:Value>SOAP-ENV:${code}</SOAP-ENV:Value><SOAP-ENV:Subcode><SOAP-ENV:Value>${sub}</SOAP-ENV:Value></SOAP-ENV:Subcode></SOAP-ENV:Code><SOAP-ENV:Reason><SOAP-ENV:Text xml:lang="en">${esc(reason)}</SOAP-ENV:Text></SOAP-ENV:Reason></SOAP-ENV:Fault>`),
  };
}

/** Result of the WS-Security check. */
export type WsseCheck = { ok: true; user: string } | { ok: false; reason: string };

/** Verifies a WS-Security UsernameToken (PasswordDigest or PasswordText) against users and the camera clock. */
export function checkUsernameToken(header: XmlNode, users: { name: string; password: string }[], cameraNow: number, windowS: number, seenNonces: Set<string>): WsseCheck {
  const sec = header.Security as XmlNode | undefined;
  const tok = sec?.UsernameToken as XmlNode | undefined;
  if (!tok) return { ok: false, reason: 'No WS-Security UsernameToken.' };
  const name = xmlText(tok.Username);
  const pwNode = tok.Password;
  const pw = xmlText(pwNode);
  const type = pwNode && typeof pwNode === 'object' ? String((pwNode as XmlNode)['@Type'] ?? '') : '';
  const u = users.find((x) => x.name === name);
  if (!u) return { ok: false, reason: 'Unknown user.' };
  if (type.endsWith('#PasswordText')) return pw === u.password ? { ok: true, user: name } : { ok: false, reason: 'Wrong password.' };
  const nonce = xmlText(tok.Nonce);
  const created = xmlText(tok.Created);
  const t = Date.parse(created);
  if (!nonce || !created || Number.isNaN(t)) return { ok: false, reason: 'UsernameToken lacks Nonce or Created.' };
  // Replay protection and the skew window: WS-Security fails when the camera clock is far off (docs/camera.md §5).
  if (Math.abs(t - cameraNow) > windowS * 1000) return { ok: false, reason: `Created ${created} is outside the camera clock window (${new Date(cameraNow).toISOString()} ± ${windowS}s).` };
  const digest = createHash('sha1').update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(u.password, 'utf8')])).digest('base64');
  if (digest !== pw) return { ok: false, reason: 'Wrong password digest.' };
  const key = `${nonce}|${created}`;
  if (seenNonces.has(key)) return { ok: false, reason: 'Nonce already used.' };
  seenNonces.add(key);
  if (seenNonces.size > 2000) seenNonces.clear();
  return { ok: true, user: name };
}

function dateTimeXml(ms: number): string {
  const d = new Date(ms);
  return `<tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time><tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date>`;
}

function posixTz(offsetMin: number): string {
  // POSIX TZ has the sign inverted: UTC+1 is "GMT-1".
  if (offsetMin === 0) return 'GMT0';
  const sign = offsetMin > 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `GMT${sign}${Math.floor(a / 60)}${a % 60 ? ':' + String(a % 60).padStart(2, '0') : ''}`;
}

/** Answers one ONVIF device-service request. `httpUser` is set when the request carried valid HTTP auth. */
export function onvifDevice(ctx: SoapContext, xml: string, httpUser: string | undefined, seenNonces: Set<string>): SoapResult {
  const env = parseEnvelope(xml);
  if (!env) return onvifFault(400, 'Sender', 'ter:WellFormed', 'The request is not a well-formed SOAP envelope.');
  const ok = (inner: string): SoapResult => ({ status: 200, contentType: 'application/soap+xml; charset=utf-8', body: soap12(`<tds:${env.action}Response>${inner}</tds:${env.action}Response>`) });
  // GetSystemDateAndTime is allowed before authentication (the client needs the camera clock to build the digest).
  if (env.action !== 'GetSystemDateAndTime' && !httpUser) {
    const chk = checkUsernameToken(env.header, ctx.users(), ctx.cameraNow(), ctx.wsSecurityWindowS, seenNonces);
    if (!chk.ok) return onvifFault(400, 'Sender', 'ter:NotAuthorized', `Sender not Authorized: ${chk.reason}`);
  }
  switch (env.action) {
    case 'GetSystemDateAndTime': {
      const now = ctx.cameraNow();
      const off = zoneOffsetMinutes(ctx.timeZone(), now);
      return ok(
        `<tds:SystemDateAndTime><tt:DateTimeType>${ctx.ntpServer() ? 'NTP' : 'Manual'}</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
          `<tt:TimeZone><tt:TZ>${posixTz(off)}</tt:TZ></tt:TimeZone><tt:UTCDateTime>${dateTimeXml(now)}</tt:UTCDateTime><tt:LocalDateTime>${dateTimeXml(now + off * 60_000)}</tt:LocalDateTime></tds:SystemDateAndTime>`,
      );
    }
    case 'GetDeviceInformation':
      return ok(`<tds:Manufacturer>Pelco</tds:Manufacturer><tds:Model>${esc(ctx.model)}</tds:Model><tds:FirmwareVersion>${esc(ctx.firmware)}</tds:FirmwareVersion><tds:SerialNumber>${esc(ctx.serial)}</tds:SerialNumber><tds:HardwareId>${esc(ctx.model)}</tds:HardwareId>`);
    case 'GetNTP': {
      const s = ctx.ntpServer();
      const manual = s === '' ? '' : isIP(s) === 4 ? `<tt:NTPManual><tt:Type>IPv4</tt:Type><tt:IPv4Address>${esc(s)}</tt:IPv4Address></tt:NTPManual>` : `<tt:NTPManual><tt:Type>DNS</tt:Type><tt:DNSname>${esc(s)}</tt:DNSname></tt:NTPManual>`;
      return ok(`<tds:NTPInformation><tt:FromDHCP>false</tt:FromDHCP>${manual}</tds:NTPInformation>`);
    }
    case 'SetNTP': {
      const fromDhcp = xmlText(env.body.FromDHCP) === 'true';
      const manual = env.body.NTPManual;
      const first = (Array.isArray(manual) ? manual[0] : manual) as XmlNode | undefined;
      if (Array.isArray(manual) && manual.length > 1) return onvifFault(400, 'Sender', 'ter:InvalidArgVal', 'This camera holds one NTP server; send one NTPManual entry.');
      if (fromDhcp) return onvifFault(400, 'Sender', 'ter:InvalidArgVal', 'NTP from DHCP is not supported; set FromDHCP false and give NTPManual.');
      const server = first ? xmlText(first.IPv4Address) || xmlText(first.DNSname) || xmlText(first.IPv6Address) : '';
      const err = ctx.setNtpServer(server);
      if (err) return onvifFault(400, 'Sender', 'ter:InvalidArgVal', err);
      return ok('');
    }
    case 'GetNetworkInterfaces':
      return ok(
        `<tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled><tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>${esc(ctx.mac)}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>` +
          `<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>${esc(ctx.ip)}</tt:Address><tt:PrefixLength>24</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4></tds:NetworkInterfaces>`,
      );
    case 'GetCapabilities':
      // Device capabilities only: this camera model exposes no ONVIF media/PTZ in the simulator. Clients that try
      // GetServices first (absent here, as on early ONVIF firmware; see README) fall back to this.
      return ok(
        `<tds:Capabilities><tt:Device><tt:XAddr>${esc(ctx.deviceXAddr())}</tt:XAddr><tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration><tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>` +
          `<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>true</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade></tt:System>` +
          `<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2><tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration><tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token><tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security></tt:Device></tds:Capabilities>`,
      );
    default:
      return onvifFault(400, 'Receiver', 'ter:ActionNotSupported', `${env.action} is not supported by this device.`);
  }
}
