/**
 * ONVIF WS-Discovery (docs/camera.md §3.2): a multicast Probe for NetworkVideoTransmitter out of one interface, and the
 * ProbeMatches parsed with fast-xml-parser. Hand-written over dgram for per-interface control (the onvif
 * package's probe reports send failures as an empty list, a silent failure).
 */
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';
import { bindSocket, growReceiveBuffer, sendTo, waitFor } from './ssdp';

/** The WS-Discovery multicast group. */
export const WSD_GROUP = '239.255.255.250';
/** The WS-Discovery port. */
export const WSD_PORT = 3702;

/** Builds a Probe for ONVIF video transmitters with the given message id. */
export function buildProbe(messageId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" ' +
    'xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:dn="http://www.onvif.org/ver10/network/wsdl">' +
    '<s:Header>' +
    '<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>' +
    `<a:MessageID>uuid:${messageId}</a:MessageID>` +
    '<a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>' +
    '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>' +
    '</s:Header>' +
    '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body>' +
    '</s:Envelope>'
  );
}

/** One ProbeMatch. */
export interface WsdMatch {
  /** Endpoint reference (`urn:uuid:...`). */
  endpoint: string | null;
  xaddrs: string[];
  scopes: string[];
  types: string | null;
  /** From the `onvif://www.onvif.org/name/...` scope. */
  name: string | null;
  /** From the `.../hardware/...` scope. */
  hardware: string | null;
  /** From a `.../mfr/...` or `.../manufacturer/...` scope, when the device sends one. */
  manufacturer: string | null;
  relatesTo: string | null;
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true });

function str(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (v && typeof v === 'object' && '#text' in v) return str((v as Record<string, unknown>)['#text']);
  return null;
}

function scope(scopes: string[], ...keys: string[]): string | null {
  for (const s of scopes) {
    for (const k of keys) {
      const prefix = `onvif://www.onvif.org/${k}/`;
      if (s.toLowerCase().startsWith(prefix)) {
        try {
          return decodeURIComponent(s.slice(prefix.length)).replace(/_/g, ' ') || null;
        } catch {
          return s.slice(prefix.length) || null;
        }
      }
    }
  }
  return null;
}

/** Parses a ProbeMatches envelope; empty for anything else (a Probe, a Hello, garbage). */
export function parseProbeMatches(xml: string): WsdMatch[] {
  let doc: Record<string, unknown>;
  try {
    doc = parser.parse(xml) as Record<string, unknown>;
  } catch {
    return [];
  }
  const env = doc?.Envelope as Record<string, unknown> | undefined;
  const body = env?.Body as Record<string, unknown> | undefined;
  const pm = body?.ProbeMatches as Record<string, unknown> | undefined;
  if (!pm) return [];
  const header = env?.Header as Record<string, unknown> | undefined;
  const relatesTo = str(header?.RelatesTo);
  const list = Array.isArray(pm.ProbeMatch) ? pm.ProbeMatch : pm.ProbeMatch ? [pm.ProbeMatch] : [];
  return list
    .filter((m): m is Record<string, unknown> => !!m && typeof m === 'object')
    .map((m) => {
      const scopes = (str(m.Scopes) ?? '').split(/\s+/).filter(Boolean);
      return {
        endpoint: str((m.EndpointReference as Record<string, unknown> | undefined)?.Address),
        xaddrs: (str(m.XAddrs) ?? '').split(/\s+/).filter(Boolean),
        scopes,
        types: str(m.Types),
        name: scope(scopes, 'name'),
        hardware: scope(scopes, 'hardware'),
        manufacturer: scope(scopes, 'mfr', 'manufacturer'),
        relatesTo,
      };
    });
}

/**
 * Sends a Probe out of one interface (twice, UDP may drop one), collects ProbeMatches that answer it for
 * `timeoutMs`, then closes. Throws the bind or first-send error.
 */
export async function wsdProbe(
  iface: { address: string },
  o: { timeoutMs: number; signal: AbortSignal; port?: number; group?: string },
  h: { onMatch(m: WsdMatch, fromIp: string): void; onError(e: NodeJS.ErrnoException): void },
): Promise<void> {
  const port = o.port ?? WSD_PORT;
  const group = o.group ?? WSD_GROUP;
  const id = randomUUID();
  const sock = await bindSocket({ address: iface.address, port: 0 });
  try {
    growReceiveBuffer(sock);
    sock.on('error', (e) => h.onError(e));
    sock.on('message', (buf, rinfo) => {
      for (const m of parseProbeMatches(buf.toString('utf8'))) {
        // Answers to someone else's probe are ignored; a missing RelatesTo is tolerated (some firmware omits it).
        if (m.relatesTo && !m.relatesTo.toLowerCase().includes(id)) continue;
        h.onMatch(m, rinfo.address);
      }
    });
    sock.setMulticastInterface(iface.address);
    sock.setMulticastTTL(2);
    const probe = buildProbe(id);
    await sendTo(sock, probe, port, group);
    const gap = Math.min(400, o.timeoutMs / 3);
    await waitFor(gap, o.signal);
    if (!o.signal.aborted) await sendTo(sock, probe, port, group).catch((e: NodeJS.ErrnoException) => h.onError(e));
    await waitFor(o.timeoutMs - gap, o.signal);
  } finally {
    sock.close();
  }
}
