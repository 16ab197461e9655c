/**
 * Discovery domain: device and interface types, and the pure rules behind a scan result: merging observations
 * from several methods into one entry per device (MAC, else UUID, else IP), Sarix classification, the
 * vulnerable-firmware flag (docs/camera.md §2), interface classification, CIDR parsing and offline marking.
 */
import { z } from 'zod';
import ipaddr from 'ipaddr.js';
import { FIRST_PATCHED_FIRMWARE, isVulnerableFirmware } from './camera';
import { isHostName, parseIp } from './net-address';
import { sub } from '../i18n/messages';
import type { SubMessage } from '../ipc/result';
import { refusal, type KeyedRefusal } from './refusal';

/** Methods the user can choose for a scan. */
export const SCAN_METHODS = ['ssdp', 'wsd', 'mdns', 'sweep', 'defaults'] as const;
/** A method the user can choose for a scan. */
export type ScanMethod = (typeof SCAN_METHODS)[number];
/** Methods that send multicast and therefore run once per chosen interface. */
export const MULTICAST_METHODS: readonly ScanMethod[] = ['ssdp', 'wsd', 'mdns'];

/** How a device was seen (finer than ScanMethod: SSDP has three ways, plus explicit hosts and manual add). */
export const SeenBySchema = z.enum(['ssdp', 'ssdp-notify', 'ssdp-unicast', 'wsd', 'mdns', 'sweep', 'hosts', 'defaults', 'manual']);
/** How a device was seen. */
export type SeenBy = z.infer<typeof SeenBySchema>;

/** Why a device counts as a Sarix camera. */
export const SarixEvidenceSchema = z.enum(['manufacturer', 'fingerprint', 'mac-oui']);
/** Why a device counts as a Sarix camera. */
export type SarixEvidence = z.infer<typeof SarixEvidenceSchema>;

/** The vulnerable-firmware warning attached to a device. */
export const FirmwareAdvisorySchema = z.object({
  isVulnerable: z.boolean(),
  message: z.string(),
  cves: z.array(z.string()),
});
/** The vulnerable-firmware warning attached to a device. */
export type FirmwareAdvisory = z.infer<typeof FirmwareAdvisorySchema>;

/** One discovered device (Sarix camera or other), merged across methods. Times are epoch milliseconds. */
export const DeviceSchema = z.object({
  id: z.string(),
  ip: z.string(),
  mac: z.string().nullable(),
  uuid: z.string().nullable(),
  manufacturer: z.string().nullable(),
  model: z.string().nullable(),
  name: z.string().nullable(),
  firmware: z.string().nullable(),
  serial: z.string().nullable(),
  webUrl: z.string().nullable(),
  methods: z.array(SeenBySchema),
  interfaces: z.array(z.string()),
  firstSeen: z.number(),
  lastSeen: z.number(),
  isOnline: z.boolean(),
  isSarix: z.boolean(),
  sarixEvidence: z.array(SarixEvidenceSchema),
  firmwareAdvisory: FirmwareAdvisorySchema.nullable(),
});
/** One discovered device. */
export type Device = z.infer<typeof DeviceSchema>;

/** What one method learnt about one device at one moment; every identity field is optional. */
export interface Observation {
  ip: string;
  method: SeenBy;
  at: number;
  mac?: string | null;
  uuid?: string | null;
  manufacturer?: string | null;
  model?: string | null;
  name?: string | null;
  firmware?: string | null;
  serial?: string | null;
  webUrl?: string | null;
  /** The interface (name) the observation came in on, when known. */
  interface?: string | null;
  /** True when the web UI carried the Sarix fingerprint (`Sarix&trade;` on /liveview). */
  hasSarixFingerprint?: boolean;
}

/** A keyed message used as a value of another (shared/ipc/result.ts SubMessage): a method's name in a scan problem. */
const SubMessageSchema: z.ZodType<SubMessage> = z.lazy(() => z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), SubMessageSchema])).optional() }));

/** A problem a scan hit: returned with the result and printed by the CLI, never swallowed. */
export const ScanProblemSchema = z.object({
  code: z.enum(['NO_INTERFACE', 'UNKNOWN_INTERFACE', 'MULTICAST_SEND_FAILED', 'PERMISSION', 'PORT_IN_USE', 'SOCKET_ERROR', 'BAD_HOST', 'HOST_UNREACHABLE', 'TIMEOUT']),
  method: z.string(),
  interface: z.string().nullable(),
  message: z.string(),
  /** Catalog key of `message` (shared/i18n `scan.problem.*`), so the UI and the CLI can show it in their language. */
  key: z.string().optional(),
  /** The values `key` interpolates; a value may be a keyed sub-message (a method's name). */
  params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.lazy(() => SubMessageSchema)])).optional(),
});
/** A problem a scan hit. */
export type ScanProblem = z.infer<typeof ScanProblemSchema>;

/** How an interface is classified; only `physical` ones are chosen by default. */
export const InterfaceKindSchema = z.enum(['physical', 'loopback', 'vpn', 'virtual']);
/** How an interface is classified. */
export type InterfaceKind = z.infer<typeof InterfaceKindSchema>;

/** A network interface with an IPv4 address. */
export const NetworkInterfaceSchema = z.object({
  name: z.string(),
  address: z.string(),
  netmask: z.string(),
  cidr: z.string(),
  mac: z.string().nullable(),
  kind: InterfaceKindSchema,
  isDefaultSelected: z.boolean(),
});
/** A network interface with an IPv4 address. */
export type NetworkInterfaceInfo = z.infer<typeof NetworkInterfaceSchema>;

/** Pelco's MAC prefix (docs/camera.md §2). */
export const PELCO_OUI = '00:0b:ab';
/** A device unseen for this long is marked offline. */
export const OFFLINE_AFTER_MS = 45_000;
/** Sarix Professional firmware before this version has known CVEs (docs/camera.md §2); the rule lives in camera.ts. */
export const FIRST_FIXED_FIRMWARE = FIRST_PATCHED_FIRMWARE;
/** The CVEs fixed in FIRST_FIXED_FIRMWARE. */
export const FIRMWARE_CVES = ['CVE-2018-7228', 'CVE-2018-7229', 'CVE-2018-7781', 'CVE-2018-7782'];

/** Normalises a MAC address to lower-case colon form, or null when it is not one. */
export function normalizeMac(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const hex = raw.trim().toLowerCase().replace(/[^0-9a-f]/g, '');
  if (hex.length !== 12 || !/^[0-9a-f]+$/.test(hex)) return null;
  if (hex === '000000000000' || hex === 'ffffffffffff') return null;
  return hex.match(/../g)!.join(':');
}

/** Normalises a UPnP/WS-Discovery UUID (`uuid:`/`urn:uuid:` prefixes and `::` suffixes stripped), or null. */
export function normalizeUuid(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let s = raw.trim().toLowerCase();
  s = s.replace(/^urn:/, '').replace(/^uuid:/, '');
  s = s.split('::')[0];
  return s.length > 0 ? s : null;
}

/**
 * The vulnerable-firmware flag of a Sarix camera: firmware that reads older than 3.29.69 is flagged
 * (docs/camera.md §2). Null when the firmware is unknown or unreadable, or the device is not a Sarix camera.
 */
export function firmwareAdvisory(firmware: string | null, isSarix: boolean): FirmwareAdvisory | null {
  if (!isSarix || !firmware) return null;
  if (!/\d/.test(firmware)) return null;
  const isVulnerable = isVulnerableFirmware(firmware);
  return isVulnerable
    ? {
        isVulnerable,
        message: `Firmware ${firmware} is older than ${FIRST_FIXED_FIRMWARE} and has known vulnerabilities (${FIRMWARE_CVES.join(', ')}); plan a firmware upgrade.`,
        cves: [...FIRMWARE_CVES],
      }
    : { isVulnerable, message: `Firmware ${firmware} is ${FIRST_FIXED_FIRMWARE} or newer.`, cves: [] };
}

/** Why a device counts as Sarix: a Pelco manufacturer, the Sarix web fingerprint or Pelco's MAC prefix. */
export function sarixEvidence(d: { manufacturer: string | null; mac: string | null }, hasFingerprint: boolean): SarixEvidence[] {
  const out: SarixEvidence[] = [];
  if (d.manufacturer && /\bpelco\b/i.test(d.manufacturer)) out.push('manufacturer');
  if (hasFingerprint) out.push('fingerprint');
  if (d.mac && d.mac.startsWith(PELCO_OUI)) out.push('mac-oui');
  return out;
}

/** True when the HTML of a camera page carries the Sarix fingerprint (`Sarix&trade;`, also as ™ or &#8482;). */
export function hasSarixFingerprint(html: string): boolean {
  return /Sarix\s*(?:&trade;|™|&#8482;|&#x2122;)/i.test(html);
}

function matchesDevice(d: Device, o: { mac: string | null; uuid: string | null; ip: string }): 'mac' | 'uuid' | 'ip' | null {
  if (o.mac && d.mac) return o.mac === d.mac ? 'mac' : null;
  if (o.uuid && d.uuid) return o.uuid === d.uuid ? 'uuid' : null;
  return d.ip === o.ip ? 'ip' : null;
}

/** What mergeObservation did. */
export interface MergeOutcome {
  devices: Device[];
  device: Device;
  isNew: boolean;
  /** True when anything visible changed (fields, methods, online state), false for a plain "seen again". */
  isChanged: boolean;
}

/**
 * Merges one observation into the device list: the entry with the same MAC, else the same UUID, else the same IP
 * (a conflicting MAC or UUID never merges). Newer non-empty fields win; methods accumulate; the device is online.
 * `fingerprints` holds the ids of devices whose web UI carried the Sarix fingerprint (kept by the caller).
 * Pure: returns a new list.
 */
export function mergeObservation(devices: readonly Device[], obs: Observation, fingerprints: ReadonlySet<string> = new Set()): MergeOutcome {
  const mac = normalizeMac(obs.mac);
  const uuid = normalizeUuid(obs.uuid);
  const key = { mac, uuid, ip: obs.ip };
  let idx = devices.findIndex((d) => matchesDevice(d, key) === 'mac');
  if (idx < 0) idx = devices.findIndex((d) => matchesDevice(d, key) === 'uuid');
  if (idx < 0) idx = devices.findIndex((d) => matchesDevice(d, key) === 'ip');
  const prev = idx >= 0 ? devices[idx] : null;
  const id = prev?.id ?? (mac ? `mac:${mac}` : uuid ? `uuid:${uuid}` : `ip:${obs.ip}`);
  const pick = (v: string | null | undefined, old: string | null | undefined): string | null => {
    const t = typeof v === 'string' ? v.trim() : '';
    return t.length > 0 ? t : (old ?? null);
  };
  const base = {
    id,
    ip: obs.ip,
    mac: mac ?? prev?.mac ?? null,
    uuid: uuid ?? prev?.uuid ?? null,
    manufacturer: pick(obs.manufacturer, prev?.manufacturer),
    model: pick(obs.model, prev?.model),
    name: pick(obs.name, prev?.name),
    firmware: pick(obs.firmware, prev?.firmware),
    serial: pick(obs.serial, prev?.serial),
    webUrl: pick(obs.webUrl, prev?.webUrl),
    methods: prev ? (prev.methods.includes(obs.method) ? prev.methods : [...prev.methods, obs.method]) : [obs.method],
    interfaces: prev ? (obs.interface && !prev.interfaces.includes(obs.interface) ? [...prev.interfaces, obs.interface] : prev.interfaces) : obs.interface ? [obs.interface] : [],
    firstSeen: prev ? Math.min(prev.firstSeen, obs.at) : obs.at,
    lastSeen: prev ? Math.max(prev.lastSeen, obs.at) : obs.at,
    isOnline: true,
  };
  const evidence = sarixEvidence(base, obs.hasSarixFingerprint === true || fingerprints.has(id));
  const isSarix = evidence.length > 0;
  const device: Device = { ...base, isSarix, sarixEvidence: evidence, firmwareAdvisory: firmwareAdvisory(base.firmware, isSarix) };
  const next = [...devices];
  if (idx >= 0) next[idx] = device;
  else next.push(device);
  return { devices: next, device, isNew: !prev, isChanged: !prev || !sameVisible(prev, device) };
}

function sameVisible(a: Device, b: Device): boolean {
  const strip = (d: Device) => JSON.stringify({ ...d, lastSeen: 0, firstSeen: 0 });
  return strip(a) === strip(b);
}

/** Marks devices unseen for `offlineAfterMs` as offline; returns the new list and the devices that changed. */
export function markOffline(devices: readonly Device[], now: number, offlineAfterMs = OFFLINE_AFTER_MS): { devices: Device[]; changed: Device[] } {
  const changed: Device[] = [];
  const next = devices.map((d) => {
    if (d.isOnline && now - d.lastSeen >= offlineAfterMs) {
      const off = { ...d, isOnline: false };
      changed.push(off);
      return off;
    }
    return d;
  });
  return { devices: next, changed };
}

/** Splits devices into Sarix cameras and other devices (never mislabelled). */
export function splitDevices(devices: readonly Device[]): { cameras: Device[]; otherDevices: Device[] } {
  return { cameras: devices.filter((d) => d.isSarix), otherDevices: devices.filter((d) => !d.isSarix) };
}

/**
 * Classifies an interface by name: loopback, VPN (tun/tap/wg/utun/ppp/ipsec, Windows VPN adapters), virtual
 * (docker/veth/vbox/vmnet/virbr/br-/Hyper-V vEthernet/...) or physical. Only physical ones are chosen by default.
 */
export function classifyInterface(name: string, isInternal: boolean, address?: string): InterfaceKind {
  const n = name.toLowerCase();
  if (isInternal || n === 'lo' || n.startsWith('lo0') || /loopback/.test(n) || (address ?? '').startsWith('127.')) return 'loopback';
  if (/^(tun|tap|wg|utun|ppp|ipsec|gpd|zt|tailscale)\d*/.test(n) || /vpn|wireguard|openvpn|anyconnect|fortinet|globalprotect/.test(n)) return 'vpn';
  if (/^(docker|veth|vbox|vboxnet|vmnet|virbr|br-|lxc|lxd|cni|flannel|cali|podman|vnet|dummy|bridge)/.test(n) || /vethernet|virtualbox|vmware|hyper-v/.test(n)) return 'virtual';
  return 'physical';
}

/** Parses dotted IPv4 text into a 32-bit number, or null. */
export function ipv4ToInt(ip: string): number | null {
  const parts = ip.trim().split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** Formats a 32-bit number as dotted IPv4. */
export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** The largest range a sweep accepts (a /20): bigger ranges take too long on a real site. */
export const MAX_SWEEP_HOSTS = 4096;

/** A parsed sweep range. */
export interface SweepRange {
  cidr: string;
  first: string;
  last: string;
  count: number;
}

/**
 * Parses `A.B.C.D/N` (or a single address) into the host addresses to sweep: network and broadcast addresses
 * are left out for prefixes up to /30. Returns an error message that says what to type when the text is bad.
 */
export function parseCidr(text: string): { ok: true; range: SweepRange; hosts: () => string[] } | KeyedRefusal {
  const m = /^\s*([0-9.]+)(?:\/(\d{1,2}))?\s*$/.exec(text);
  const base = m ? ipv4ToInt(m[1]) : null;
  const prefix = m?.[2] !== undefined ? Number(m[2]) : 32;
  if (!m || base === null || prefix > 32) {
    return refusal('errors.VALIDATION.sweepRange', { text });
  }
  const size = 2 ** (32 - prefix);
  const network = Math.floor(base / size) * size;
  const skipEdges = prefix <= 30;
  const first = network + (skipEdges ? 1 : 0);
  const last = network + size - 1 - (skipEdges ? 1 : 0);
  const count = last - first + 1;
  if (count > MAX_SWEEP_HOSTS) {
    return refusal('errors.VALIDATION.sweepTooLarge', { text, count, max: MAX_SWEEP_HOSTS, example: intToIpv4(network) });
  }
  return {
    ok: true,
    range: { cidr: `${intToIpv4(network)}/${prefix}`, first: intToIpv4(first), last: intToIpv4(last), count },
    hosts: () => Array.from({ length: count }, (_, i) => intToIpv4(first + i)),
  };
}

/** What a scan's host list accepts, said after every refusal. */
export const SCAN_HOST_ACCEPTED = 'Accepted: IPv4 addresses like 10.1.2.3 or host names like cam-lobby.site.local, comma-separated.';

/** IPv4 ranges that never hold a device to probe: a unicast M-SEARCH or HTTP probe there is meaningless or a broadcast. */
const NOT_A_DEVICE_RANGES = new Set(['unspecified', 'broadcast', 'multicast', 'reserved']);

/**
 * Checks one entry of a scan's host list (`sarix discover --hosts`, the UI's host field). A numeric entry must be
 * a four-part decimal IPv4 address (each part 0-255, no leading zeros) of a device, not a broadcast, multicast,
 * unspecified or reserved address; anything else must be an RFC 1123 host name. The refusal names the entry and
 * says what is accepted, so `999.0.0.1` is a clear error instead of a name lookup that silently finds nothing.
 */
export function checkScanHost(text: string): { ok: true; kind: 'ipv4' | 'name'; host: string } | KeyedRefusal {
  const t = text.trim();
  const host = `${t.slice(0, 80)}${t.length > 80 ? '…' : ''}`;
  // The catalog's errors.VALIDATION.scanHost ends with SCAN_HOST_ACCEPTED; `why` is keyed so it shows in the same language.
  const bad = (why: SubMessage) => refusal('errors.VALIDATION.scanHost', { host, why });
  const ip = parseIp(t);
  if (ip?.family === 6) return bad(sub('scan.host.ipv6'));
  if (ip) {
    const range = ipaddr.IPv4.parse(ip.address).range();
    if (NOT_A_DEVICE_RANGES.has(range)) return bad(sub('scan.host.notDevice', { range }));
    return { ok: true, kind: 'ipv4', host: ip.address };
  }
  if (/^[\d.]+$/.test(t)) return bad(sub('scan.host.badIpv4'));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return bad(sub('scan.host.url'));
  if (/^[\d.]+\/\d+$/.test(t)) return bad(sub('scan.host.range'));
  if (/:\d+$/.test(t)) return bad(sub('scan.host.port'));
  if (isHostName(t)) return { ok: true, kind: 'name', host: t.replace(/\.$/, '') };
  return bad(sub('scan.host.notHost'));
}

/** The CIDR of an interface address and netmask (`192.168.1.10` + `255.255.255.0` → `192.168.1.0/24`). */
export function cidrOf(address: string, netmask: string): string {
  const a = ipv4ToInt(address) ?? 0;
  const m = ipv4ToInt(netmask) ?? 0;
  const prefix = m.toString(2).replace(/0/g, '').length;
  return `${intToIpv4((a & m) >>> 0)}/${prefix}`;
}

/**
 * The factory-default addresses of Sarix cameras (docs/camera.md §2): 192.168.0.20 upward (`count` of them); the
 * caller adds link-local neighbours from the ARP table.
 */
export function factoryDefaultAddresses(count = 16): string[] {
  const start = ipv4ToInt('192.168.0.20')!;
  return Array.from({ length: Math.max(0, Math.min(count, 235)) }, (_, i) => intToIpv4(start + i));
}
