/**
 * Network-address rules shared by commissioning and the doctor: is a host an IP literal,
 * which scope an address belongs to, and whether an SMTP server value is acceptable for a legacy Sarix camera
 * (which only sends plain SMTP to a LOCAL server, docs/camera.md §1). Pure: name resolution is done by the caller
 * (an injected resolver) and the resolved addresses are passed in. Named net-address.ts, not net.ts: the lint
 * rule that bans the node `net` module would also match an import of "./net".
 */
import ipaddr from 'ipaddr.js';
import { sub, type FailureParams } from '../i18n/messages';
import { refusal, type KeyedRefusal } from './refusal';

/** Where an address lives, as far as "is this server on the camera's local network" is concerned. */
export type AddressScope = 'loopback' | 'private' | 'link-local' | 'unique-local' | 'public' | 'unusable';

/** Scopes that count as local for the camera's SMTP server (docs/camera.md §1). */
export const LOCAL_SCOPES: readonly AddressScope[] = ['loopback', 'private', 'link-local', 'unique-local'];

/** The explanation shown whenever a public SMTP host is refused (docs/camera.md §1). */
export const PUBLIC_SMTP_EXPLANATION =
  'Legacy Sarix cameras can only send e-mail through a LOCAL network SMTP server: plain SMTP on port 25, with no login and no TLS. ' +
  'Public servers such as Gmail or Office 365 cannot be used directly. Point the camera at a local relay instead ' +
  "(for example this app's embedded relay on this computer's LAN address), and let the relay forward to the public server with TLS and a login.";

/**
 * Mail domains of public providers that are refused by name without a lookup: a technician typing one of these
 * is the exact mistake the product exists to catch, and the answer must not depend on DNS working on site.
 */
export const PUBLIC_MAIL_DOMAINS: readonly string[] = [
  'gmail.com',
  'googlemail.com',
  'google.com',
  'office365.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'yahoo.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'gmx.com',
  'gmx.net',
  'mail.ru',
  'yandex.com',
  'zoho.com',
  'protonmail.com',
  'sendgrid.net',
  'mailgun.org',
  'amazonaws.com',
];

/** An IP literal after parsing: its family and canonical text (IPv4-mapped IPv6 becomes the IPv4 address). */
export interface ParsedIp {
  family: 4 | 6;
  address: string;
}

/**
 * Parses an IP literal strictly: IPv4 only in dotted four-part decimal (no `127.1`, no hex, no leading zeros), IPv6 with an
 * optional `[...]` and zone id. Returns null for anything else (host names included).
 */
export function parseIp(text: string): ParsedIp | null {
  const s = text.trim().replace(/^\[(.*)\]$/, '$1');
  if (s === '') return null;
  if (ipaddr.IPv4.isValidFourPartDecimal(s)) return { family: 4, address: ipaddr.IPv4.parse(s).toString() };
  if (s.includes(':') && ipaddr.IPv6.isValid(s)) {
    const v6 = ipaddr.IPv6.parse(s);
    if (v6.isIPv4MappedAddress()) return { family: 4, address: v6.toIPv4Address().toString() };
    return { family: 6, address: v6.toString() };
  }
  return null;
}

/** True when the text is an IPv4 or IPv6 literal. */
export function isIpLiteral(text: string): boolean {
  return parseIp(text) !== null;
}

/** The scope of an IP literal, or null when the text is not an IP address. */
export function addressScope(text: string): AddressScope | null {
  const p = parseIp(text);
  if (!p) return null;
  const addr = ipaddr.parse(p.address);
  const range = addr.range();
  switch (range) {
    case 'loopback':
      return 'loopback';
    case 'private':
      return 'private';
    case 'linkLocal':
      return 'link-local';
    case 'uniqueLocal':
      return 'unique-local';
    case 'unicast':
    case 'carrierGradeNat':
    case '6to4':
    case 'teredo':
    case 'rfc6052':
    case 'rfc6145':
      // CGNAT (100.64/10) belongs to the provider, not the site: a camera cannot count on reaching it.
      return 'public';
    default:
      // unspecified, multicast, broadcast, reserved, documentation/benchmarking ranges: no mail server lives there.
      return 'unusable';
  }
}

/** True when the address is loopback, RFC 1918 private, link-local or IPv6 unique-local. */
export function isLocalAddress(text: string): boolean {
  const scope = addressScope(text);
  return scope !== null && LOCAL_SCOPES.includes(scope);
}

/** True when the text is a syntactically valid DNS host name (RFC 1123 labels, at most 253 characters). */
export function isHostName(text: string): boolean {
  const s = text.trim().replace(/\.$/, '');
  if (s.length === 0 || s.length > 253) return false;
  if (isIpLiteral(s)) return false;
  const labels = s.split('.');
  if (labels.every((l) => /^\d+$/.test(l))) return false; // "127.1" and friends are not names either
  return labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i.test(l));
}

/** The public mail domain a host name belongs to, if any (`smtp.gmail.com` → `gmail.com`). */
export function publicMailDomainOf(host: string): string | undefined {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return PUBLIC_MAIL_DOMAINS.find((d) => h === d || h.endsWith('.' + d));
}

/** Why an SMTP server value was refused. */
export type SmtpHostProblem = 'empty' | 'has-port' | 'syntax' | 'public-provider' | 'public-address' | 'unusable-address' | 'unresolved';

/** The verdict on an SMTP server value for a legacy Sarix camera. */
export type SmtpHostVerdict =
  | {
      ok: true;
      host: string;
      kind: 'ip' | 'name';
      /** The local addresses the value stands for (the literal itself, or what the name resolved to). */
      addresses: string[];
      /** Set when the value is acceptable but worth a word (loopback on a real camera points at the camera). */
      warning?: string;
    }
  | { ok: false; host: string; problem: SmtpHostProblem; message: string; key: string; params?: KeyedRefusal['params'] };

/** True when the value is a host name whose verdict depends on what it resolves to. */
export function smtpHostNeedsLookup(host: string): boolean {
  const h = host.trim();
  return isHostName(h) && publicMailDomainOf(h) === undefined;
}

const LOOPBACK_WARNING =
  'A loopback address on a real camera points at the camera itself; use it only with the practice camera, and give a real camera the LAN address of the relay.';

/**
 * Judges an SMTP server value. IP literals are judged directly; for a host name pass the addresses it resolved
 * to (all must be local: the camera may pick any of them). A name of a public mail provider is refused without
 * a lookup. Every refusal carries a message that says what to do.
 */
export function checkSmtpHost(value: string, resolved?: readonly string[]): SmtpHostVerdict {
  const host = value.trim();
  // Keyed (shared/i18n smtpHost.*): the English stays `message`; callers pass the key on so it shows in the UI language.
  const refuse = (problem: SmtpHostProblem, key: string, params?: FailureParams): SmtpHostVerdict => ({ host, problem, ...refusal(key, params) });
  const why = sub('mailServers.public.explanation');
  if (host === '') return refuse('empty', 'smtpHost.empty');
  if (/^[^:[\]]+:\d+$/.test(host) || /^\[.*\]:\d+$/.test(host)) {
    return refuse('has-port', 'smtpHost.hasPort', { host });
  }
  const ip = parseIp(host);
  if (ip) {
    const scope = addressScope(ip.address)!;
    if (scope === 'public') return refuse('public-address', 'smtpHost.publicAddress', { host, why });
    if (scope === 'unusable') return refuse('unusable-address', 'smtpHost.unusable', { host });
    return { ok: true, host, kind: 'ip', addresses: [ip.address], ...(scope === 'loopback' ? { warning: LOOPBACK_WARNING } : {}) };
  }
  if (!isHostName(host)) {
    return refuse('syntax', 'smtpHost.syntax', { host });
  }
  const provider = publicMailDomainOf(host);
  if (provider) return refuse('public-provider', 'smtpHost.publicProvider', { host, provider, why });
  const addrs = (resolved ?? []).map((a) => parseIp(a)?.address).filter((a): a is string => a !== undefined);
  if (addrs.length === 0) {
    return refuse('unresolved', 'smtpHost.unresolved', { host });
  }
  const publicOnes = addrs.filter((a) => !isLocalAddress(a));
  if (publicOnes.length > 0) {
    return refuse('public-address', 'smtpHost.notLocal', { host, addresses: publicOnes.join(', '), why });
  }
  const allLoopback = addrs.every((a) => addressScope(a) === 'loopback');
  return { ok: true, host, kind: 'name', addresses: addrs, ...(allLoopback ? { warning: LOOPBACK_WARNING } : {}) };
}
