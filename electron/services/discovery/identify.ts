/**
 * Identity of a device from its web server: the Sarix fingerprint on `/liveview` and the UPnP description
 * (manufacturer, model, name, serial, MAC, UUID, firmware). Every path assumption about the camera lives here,
 * so a capture from a real camera corrects it in one place (docs/camera.md §8).
 */
import { XMLParser } from 'fast-xml-parser';
import { hasSarixFingerprint } from '../../../shared/domain/discovery';
import type { DiscoveryHttpClient, HttpAnswer } from './http-client';

/** The page that carries the Sarix fingerprint (docs/camera.md §3.4). */
export const FINGERPRINT_PATH = '/liveview';
/**
 * Where a UPnP description may live when no SSDP LOCATION is known (sweep, manual add). The exact path of real
 * Sarix firmware is an assumption [A]; the first entry is the one the simulator announces.
 */
export const DESCRIPTION_PATHS = ['/description.xml', '/upnp/description.xml', '/rootDesc.xml', '/upnp/BasicDevice.xml'];
/** The Pelco camera device type (root or embedded under a Basic:1 root; docs/camera.md §3.1). */
export const PELCO_CAMERA_DEVICE_TYPE = 'urn:schemas-pelco-com:device:Camera:1';
/** Same-host redirects followed at most (login pages); other hosts never. */
const MAX_REDIRECTS = 2;

/** Fields read from a UPnP description. */
export interface DescriptionInfo {
  manufacturer: string | null;
  model: string | null;
  name: string | null;
  serial: string | null;
  mac: string | null;
  uuid: string | null;
  firmware: string | null;
  deviceType: string | null;
  presentationUrl: string | null;
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true });

type XmlNode = Record<string, unknown>;

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && '#text' in (v as XmlNode)) return text((v as XmlNode)['#text']);
  return null;
}

function asArray(v: unknown): XmlNode[] {
  if (Array.isArray(v)) return v.filter((x): x is XmlNode => !!x && typeof x === 'object');
  return v && typeof v === 'object' ? [v as XmlNode] : [];
}

function allDevices(dev: XmlNode): XmlNode[] {
  const out = [dev];
  const list = dev.deviceList as XmlNode | undefined;
  if (list) for (const child of asArray(list.device)) out.push(...allDevices(child));
  return out;
}

/**
 * Parses a UPnP device description. The Pelco camera device wins over the root when it is embedded under a
 * Basic:1 root; the root's fields fill gaps. Returns null when the text is not a device description.
 */
export function parseDescription(xml: string): DescriptionInfo | null {
  let doc: XmlNode;
  try {
    doc = parser.parse(xml) as XmlNode;
  } catch {
    return null;
  }
  const root = doc?.root as XmlNode | undefined;
  const rootDev = root && typeof root === 'object' ? (root.device as XmlNode | undefined) : undefined;
  if (!rootDev || typeof rootDev !== 'object') return null;
  const devices = allDevices(rootDev);
  const cam = devices.find((d) => text(d.deviceType) === PELCO_CAMERA_DEVICE_TYPE) ?? rootDev;
  const f = (k: string) => text(cam[k]) ?? text(rootDev[k]);
  return {
    manufacturer: f('manufacturer'),
    model: f('modelName') ?? f('modelNumber'),
    name: f('friendlyName'),
    serial: f('serialNumber'),
    mac: f('MAC') ?? f('mac') ?? f('macAddress'),
    uuid: f('UDN'),
    firmware: f('firmwareVersion') ?? f('softwareVersion') ?? f('FirmwareVersion'),
    deviceType: text(cam.deviceType),
    presentationUrl: f('presentationURL'),
  };
}

/** What an HTTP identity probe found. */
export interface HttpIdentity {
  /** The web UI base URL (`http://ip[:port]/`). */
  webUrl: string;
  hasSarixFingerprint: boolean;
  description: DescriptionInfo | null;
  /** True when anything answered HTTP at all. */
  isReachable: boolean;
  /** True when a web server accepted the connection but did not answer in time (worth one retry). */
  isSlow: boolean;
}

/** The base URL of a host's web UI. */
export function baseUrl(ip: string, port: number): string {
  const host = ip.includes(':') ? `[${ip}]` : ip;
  return port === 80 ? `http://${host}/` : `http://${host}:${port}/`;
}

/** GET that follows at most MAX_REDIRECTS redirects, and only on the same host and port. */
async function getSameHost(client: DiscoveryHttpClient, url: string, o: { timeoutMs: number; signal: AbortSignal }): Promise<HttpAnswer> {
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    const r = await client.get(current.href, o);
    const loc = r.headers.location;
    if (r.status < 300 || r.status >= 400 || !loc || hop >= MAX_REDIRECTS) return r;
    const next = new URL(loc, current);
    if (next.host !== current.host || next.protocol !== 'http:') return r;
    current = next;
  }
}

/**
 * Probes one host's web server: GET /liveview (fingerprint) and, at the same time, the description (the SSDP
 * LOCATION when known, else DESCRIPTION_PATHS until one parses). A network failure of /liveview means "not
 * reachable" unless an SSDP LOCATION vouches for the host; the signal aborts everything.
 */
export async function identifyHttp(
  client: DiscoveryHttpClient,
  ip: string,
  port: number,
  o: { timeoutMs: number; signal: AbortSignal; location?: string | null },
): Promise<HttpIdentity> {
  const webUrl = baseUrl(ip, port);
  const candidates: string[] = [];
  if (o.location) {
    // A LOCATION on another host is not fetched (never talk to hosts the user did not aim at).
    try {
      const loc = new URL(o.location);
      if (loc.protocol === 'http:' && loc.hostname === ip) candidates.push(loc.href);
    } catch {}
  } else {
    for (const p of DESCRIPTION_PATHS) candidates.push(new URL(p, webUrl).href);
  }
  const settle = (p: Promise<HttpAnswer>) => p.then((r) => ({ r, e: null }), (e: unknown) => ({ r: null, e }));
  const fetchLive = () => settle(getSameHost(client, new URL(FINGERPRINT_PATH, webUrl).href, o));
  if (o.location && candidates.length > 0) {
    // SSDP gave the description's address: a Pelco description is identity enough, which halves the requests
    // of a large multicast scan; the web fingerprint is read only when the description does not say Pelco.
    const got = await settle(getSameHost(client, candidates[0], o));
    if (o.signal.aborted) throw o.signal.reason ?? new Error('aborted');
    const d = got.r && got.r.status === 200 ? parseDescription(got.r.body) : null;
    if (d && d.manufacturer && /\bpelco\b/i.test(d.manufacturer)) return { webUrl, hasSarixFingerprint: false, description: d, isReachable: true, isSlow: false };
    const live = await fetchLive();
    if (o.signal.aborted) throw o.signal.reason ?? new Error('aborted');
    return { webUrl, hasSarixFingerprint: live.r !== null && live.r.status < 500 && hasSarixFingerprint(live.r.body), description: d, isReachable: got.r !== null || live.r !== null, isSlow: !d && (isSlowError(got.e) || isSlowError(live.e)) };
  }
  // Both first requests go out together: the first camera of a sweep is reported one round trip sooner.
  const liveP = fetchLive();
  const firstDescP = candidates.length > 0 ? settle(getSameHost(client, candidates[0], o)) : null;
  const live = await liveP;
  if (o.signal.aborted) {
    await firstDescP;
    throw o.signal.reason ?? new Error('aborted');
  }
  let isReachable = live.r !== null;
  const fingerprint = live.r !== null && live.r.status < 500 && hasSarixFingerprint(live.r.body);
  if (!isReachable && !o.location) {
    await firstDescP;
    return { webUrl, hasSarixFingerprint: false, description: null, isReachable: false, isSlow: isSlowError(live.e) };
  }
  for (let i = 0; i < candidates.length; i++) {
    const got = i === 0 && firstDescP ? await firstDescP : await settle(getSameHost(client, candidates[i], o));
    if (o.signal.aborted) throw o.signal.reason ?? new Error('aborted');
    // The description host may be down while the M-SEARCH answered; keep what is known.
    if (!got.r) {
      if (isSlowError(got.e)) return { webUrl, hasSarixFingerprint: fingerprint, description: null, isReachable, isSlow: true };
      break;
    }
    isReachable = true;
    if (got.r.status !== 200) continue;
    const d = parseDescription(got.r.body);
    if (d) return { webUrl, hasSarixFingerprint: fingerprint, description: d, isReachable, isSlow: false };
  }
  return { webUrl, hasSarixFingerprint: fingerprint, description: null, isReachable, isSlow: isSlowError(live.e) };
}

function isSlowError(e: unknown): boolean {
  return !!e && typeof e === 'object' && (e as { isConnected?: unknown }).isConnected === true;
}
