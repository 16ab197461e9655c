/**
 * The embedded SMTP relay: its data types (zod, shared with the IPC contract) and its pure policy:
 * who may send (allow-list CIDR match), which messages are forwarded (rules), how retries back off, what the
 * retention keeps, how a search matches, and the quirk diagnosis of one SMTP session from its transcript.
 * Pure: no node:*, no I/O; the service in electron/services/relay does the protocol and the disk.
 */
// Long on purpose: the relay's schemas and its pure policy (allow-list, open-relay guard, forwarding rules, backoff, retention) are tested as one table (relay.test.ts); the inbox, search, cameras, diagnosis and push rules already have their own files.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { refusal, type KeyedRefusal } from './refusal';

/** Default size limit of one message: 32 MiB. */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;
/** Default SMTP port: the camera has no port setting and always uses 25 (docs/camera.md §1). */
export const DEFAULT_RELAY_PORT = 25;

/** A message id: the unique part of the Maildir file name (safe in a path and a URL). */
export const MessageIdSchema = z.string().regex(/^[0-9]{13}\.P[0-9]+Q[0-9]+R[0-9a-f]{8}$/, 'not a relay message id');

/** Upstream connection security. */
export const ForwardSecuritySchema = z.enum(['none', 'starttls', 'tls']);
/** Upstream connection security. */
export type ForwardSecurity = z.infer<typeof ForwardSecuritySchema>;

/** Which messages are forwarded: all, or those with a recipient matching a pattern (`*` wildcard, case-insensitive). */
export const ForwardRuleSchema = z.object({
  match: z.enum(['all', 'recipient']).default('all'),
  /** Recipient pattern for `match: 'recipient'`, e.g. `*@alarms.local` or `cam-*@site.example`. */
  pattern: z.string().max(320).optional(),
  /** Send to these addresses instead of the camera's recipients (e.g. the customer's real mailbox). */
  to: z.array(z.string().email()).max(20).optional(),
});
/** One forwarding rule. */
export type ForwardRule = z.infer<typeof ForwardRuleSchema>;

/** Forwarding configuration (the password never travels back to the UI). */
export const ForwardConfigSchema = z.object({
  host: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535),
  security: ForwardSecuritySchema,
  user: z.string().max(320).optional(),
  password: z.string().max(1024).optional(),
  /** Certificate verification: on by default; turning it off is a deliberate, visible choice. */
  verifyCertificate: z.boolean().default(true),
  /** PEM of a CA (or the server's own self-signed certificate) to trust instead of the system store. */
  caPem: z.string().max(65536).optional(),
  /** Server name to verify the certificate against, when it differs from host. */
  servername: z.string().max(253).optional(),
  rules: z.array(ForwardRuleSchema).max(50).default([{ match: 'all' }]),
  /** Rewrite the sender (envelope and From header) to this address; Gmail and Microsoft 365 require their own. */
  rewriteFrom: z.string().email().optional(),
  /** Retry for at most this long before giving up on a message (default 2 days). */
  maxAgeMs: z.number().int().min(60_000).max(30 * 24 * 3600_000).default(2 * 24 * 3600_000),
  /**
   * Send the login over an upstream without TLS anyway. AUTH PLAIN/LOGIN is only base64, so anyone on the path
   * reads the password; refused unless set (see plainPasswordRisk).
   */
  allowPasswordWithoutTls: z.boolean().default(false),
});
/** Forwarding configuration. */
export type ForwardConfig = z.infer<typeof ForwardConfigSchema>;
/** Forwarding configuration as given by a caller (defaults not applied yet). */
export type ForwardConfigInput = z.input<typeof ForwardConfigSchema>;

/** Forwarding as shown to the UI: no password. */
export const ForwardViewSchema = ForwardConfigSchema.omit({ password: true, caPem: true }).extend({ hasPassword: z.boolean(), hasCa: z.boolean() });
/** Forwarding as shown to the UI. */
export type ForwardView = z.infer<typeof ForwardViewSchema>;

/** The UI view of a forwarding configuration: everything but the password and CA, only whether they are set. */
export function forwardView(f: ForwardConfig, hasPassword = !!f.password): ForwardView {
  return {
    host: f.host,
    port: f.port,
    security: f.security,
    user: f.user,
    verifyCertificate: f.verifyCertificate,
    servername: f.servername,
    rules: f.rules,
    rewriteFrom: f.rewriteFrom,
    maxAgeMs: f.maxAgeMs,
    allowPasswordWithoutTls: f.allowPasswordWithoutTls,
    hasPassword,
    hasCa: !!f.caPem,
  };
}

/**
 * Why a forwarding configuration would send its login in clear, or undefined when it would not: a user or
 * password with security "none" and no explicit allowPasswordWithoutTls.
 */
export function plainPasswordRisk(f: Pick<ForwardConfig, 'host' | 'port' | 'security' | 'user' | 'password' | 'allowPasswordWithoutTls'>): string | undefined {
  return plainPasswordRefusal(f)?.message;
}

/** plainPasswordRisk with its catalog key and parameters next to the English (for failure(code, key, params)). */
export function plainPasswordRefusal(f: Pick<ForwardConfig, 'host' | 'port' | 'security' | 'user' | 'password' | 'allowPasswordWithoutTls'>): KeyedRefusal | undefined {
  if (f.security !== 'none' || !(f.user || f.password) || f.allowPasswordWithoutTls) return undefined;
  return refusal('errors.VALIDATION.plainPassword', { host: f.host, port: f.port });
}

/** Retention: keep at most this many messages, none older than this, at most this much; pinned messages are always kept. */
export const RetentionSchema = z.object({
  maxCount: z.number().int().min(1).max(1_000_000).default(10_000),
  maxAgeDays: z.number().int().min(1).max(3650).default(90),
  /** Stored mail in MiB (message sizes as received); the oldest unpinned mail goes first. */
  maxTotalMb: z.number().int().min(1).max(10_000_000).default(4096),
});
/** Retention policy. */
export type Retention = z.infer<typeof RetentionSchema>;

/** Options of `relay:start`. */
export const RelayStartOptionsSchema = z.object({
  listenAddress: z.string().min(1),
  port: z.number().int().min(0).max(65535).default(DEFAULT_RELAY_PORT),
  /** Listening on every interface (0.0.0.0 / ::) must be asked for explicitly (never silently). */
  allowAllInterfaces: z.boolean().default(false),
  allow: z.array(z.string()).max(4096).default([]),
  acceptAnyAuth: z.boolean().default(true),
  maxMessageBytes: z.number().int().min(1024).max(1024 * 1024 * 1024).default(DEFAULT_MAX_MESSAGE_BYTES),
  maxClients: z.number().int().min(1).max(10_000).default(100),
  maxRecipients: z.number().int().min(1).max(1000).default(100),
  idleTimeoutMs: z.number().int().min(1000).max(3600_000).default(60_000),
  retention: RetentionSchema.prefault({}),
  forward: ForwardConfigSchema.optional(),
});
/** Options of `relay:start` after defaults. */
export type RelayStartOptions = z.infer<typeof RelayStartOptionsSchema>;
/** Options of `relay:start` as a caller writes them. */
export type RelayStartInput = z.input<typeof RelayStartOptionsSchema>;

/** Relay state (`relay:get-state`). */
export const RelayStateSchema = z.object({
  status: z.enum(['stopped', 'starting', 'listening', 'stopping']),
  listenAddress: z.string().optional(),
  port: z.number().int().optional(),
  allow: z.array(z.string()),
  acceptAnyAuth: z.boolean(),
  maxMessageBytes: z.number().int(),
  messageCount: z.number().int(),
  queueLength: z.number().int(),
  activeSessions: z.number().int(),
  forward: ForwardViewSchema.optional(),
  dataDir: z.string(),
  startedAt: z.string().optional(),
});
/** Relay state. */
export type RelayState = z.infer<typeof RelayStateSchema>;

/** One attachment of a stored message. */
export const AttachmentInfoSchema = z.object({ filename: z.string(), contentType: z.string(), size: z.number().int() });
/** One attachment of a stored message. */
export type AttachmentInfo = z.infer<typeof AttachmentInfoSchema>;

/** The summary index entry of one stored message. */
export const MessageSummarySchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  /** Envelope sender (MAIL FROM). */
  from: z.string(),
  /** Envelope recipients (RCPT TO). */
  to: z.array(z.string()),
  headerFrom: z.string(),
  subject: z.string(),
  date: z.string().optional(),
  messageId: z.string(),
  clientIp: z.string(),
  heloName: z.string(),
  /** The camera that sent it, when known (name or IP). */
  camera: z.string().optional(),
  size: z.number().int(),
  attachments: z.array(AttachmentInfoSchema),
  pinned: z.boolean(),
  sessionId: z.string(),
});
/** The summary index entry of one stored message. */
export type MessageSummary = z.infer<typeof MessageSummarySchema>;

/** Search over stored messages (`relay:list-messages`); all given fields must match. */
export const MessageQuerySchema = z.object({
  /** Camera name or client IP (substring, case-insensitive). */
  camera: z.string().max(200).optional(),
  /** Envelope or header sender (substring). */
  sender: z.string().max(320).optional(),
  /** Subject (substring). */
  subject: z.string().max(500).optional(),
  /** Received at or after (ISO). */
  since: z.string().datetime({ offset: true }).optional(),
  /** Received before (ISO). */
  until: z.string().datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  offset: z.number().int().min(0).default(0),
});
/** Search over stored messages. */
export type MessageQuery = z.infer<typeof MessageQuerySchema>;

/** One queued forward. */
export const QueueItemSchema = z.object({
  id: z.string(),
  messageId: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  state: z.enum(['queued', 'sending', 'expired']),
  attempts: z.number().int(),
  createdAt: z.string(),
  nextAttemptAt: z.string().optional(),
  lastError: z.string().optional(),
  /** Where it goes: the SMTP upstream or a push target (ntfy, webhook); absent in items queued before push targets. */
  target: z.object({ id: z.string(), kind: z.enum(['smtp', 'ntfy', 'webhook']), label: z.string(), isConfigured: z.boolean() }).optional(),
});
/** One queued forward. */
export type QueueItem = z.infer<typeof QueueItemSchema>;

/** One line of an SMTP session transcript: C = client command, S = server reply, I = relay note. */
export const TranscriptLineSchema = z.object({ at: z.string(), dir: z.enum(['C', 'S', 'I']), line: z.string() });
/** One line of an SMTP session transcript. */
export type TranscriptLine = z.infer<typeof TranscriptLineSchema>;

/** Codes of the quirks the relay recognises in a session. */
export const QuirkCodeSchema = z.enum(['auth-not-offered', 'tls-attempted', 'empty-helo', 'bare-lf', 'too-large', 'not-allowed', 'early-talker']);
/** A recognised quirk with a one-line fix for the technician. */
export const QuirkSchema = z.object({ code: QuirkCodeSchema, title: z.string(), fix: z.string() });
/** A recognised quirk. */
export type Quirk = z.infer<typeof QuirkSchema>;

/** Facts about a session that the transcript alone does not show. */
export const SessionFlagsSchema = z.object({
  bareLf: z.boolean().default(false),
  emptyHelo: z.boolean().default(false),
  tooLarge: z.boolean().default(false),
  notAllowed: z.boolean().default(false),
});
/** Facts about a session that the transcript alone does not show. */
export type SessionFlags = z.infer<typeof SessionFlagsSchema>;

/** One SMTP session as listed (`relay:get-sessions`). */
export const SessionSummarySchema = z.object({
  id: z.string(),
  clientIp: z.string(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  heloName: z.string().optional(),
  accepted: z.number().int(),
  refused: z.boolean(),
  quirks: z.array(QuirkSchema),
});
/** One SMTP session as listed. */
export type SessionSummary = z.infer<typeof SessionSummarySchema>;

/** Upstream presets with a short guide. */
export const FORWARD_PRESETS = {
  gmail: {
    label: 'Gmail (app password)',
    host: 'smtp.gmail.com',
    port: 587,
    security: 'starttls' as ForwardSecurity,
    guide:
      'Turn on 2-Step Verification for the Google account, then create an app password (Google Account > Security > App passwords) and use it here with the full Gmail address as login. Set "Rewrite sender" to that address: Gmail replaces other From addresses.',
  },
  m365: {
    label: 'Microsoft 365',
    host: 'smtp.office365.com',
    port: 587,
    security: 'starttls' as ForwardSecurity,
    guide:
      'In the Microsoft 365 admin center enable "Authenticated SMTP" for the sending mailbox (Users > Mail > Manage email apps), then log in with that mailbox address and its password (or an app password with MFA). Set "Rewrite sender" to the mailbox address: Microsoft 365 refuses other senders (SendAsDenied).',
  },
} as const;

/** A parsed allow-list entry. */
export type AllowEntry = { kind: 'cidr'; text: string; range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

/** Parses one allow-list entry (an IP or a CIDR); returns an error message that says what to type otherwise. */
export function parseAllowEntry(text: string): { ok: true; entry: AllowEntry } | { ok: false; error: string; key: string; params?: KeyedRefusal['params'] } {
  const t = text.trim();
  try {
    if (t.includes('/')) {
      const range = ipaddr.parseCIDR(t);
      const normal = `${range[0].toString()}/${range[1]}`;
      return { ok: true, entry: { kind: 'cidr', text: normal, range } };
    }
    const addr = ipaddr.parse(t);
    const bits = addr.kind() === 'ipv4' ? 32 : 128;
    return { ok: true, entry: { kind: 'cidr', text: addr.toString(), range: [addr, bits] } };
  } catch {
    // `error` keeps its English text; the key travels next to it so a service's failure shows in the UI language.
    const { message, ...keyed } = refusal('errors.VALIDATION.allowEntry', { text: text.slice(0, 80) });
    return { ...keyed, error: message };
  }
}

/** Normalises an address for comparison: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) becomes plain IPv4. */
export function normaliseIp(ip: string): string {
  try {
    const a = ipaddr.parse(ip.replace(/%.*$/, ''));
    if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) return (a as ipaddr.IPv6).toIPv4Address().toString();
    return a.toString();
  } catch {
    return ip;
  }
}

/**
 * Is this client allowed to hand mail to the relay? Only when its address is inside one of the entries.
 * An empty allow-list admits nobody: the relay must never become an open relay.
 */
export function isClientAllowed(clientIp: string, allow: readonly AllowEntry[]): boolean {
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.parse(normaliseIp(clientIp));
  } catch {
    return false;
  }
  for (const e of allow) {
    const [net, bits] = e.range;
    if (net.kind() !== addr.kind()) continue;
    if (addr.match(net, bits)) return true;
  }
  return false;
}

/** Address blocks that never leave the site: loopback, RFC 1918, link-local, IPv6 unique-local and link-local. */
const LOCAL_BLOCKS: ReadonlyArray<[string, number]> = [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
];

/** Is an allow-list entry entirely inside local (non-internet) address space? */
export function isLocalAllowEntry(e: AllowEntry): boolean {
  const [net, bits] = e.range;
  return LOCAL_BLOCKS.some(([base, len]) => {
    const b = ipaddr.parse(base);
    return b.kind() === net.kind() && bits >= len && net.match(b, len);
  });
}

/**
 * The open-relay guard: with forwarding on, every allow-list entry must be local address space, or
 * anyone on the internet who reaches the port could send mail through the technician's upstream account.
 * Returns the offending entries (empty = safe).
 */
export function openRelayRisks(allow: readonly AllowEntry[], forwarding: boolean): string[] {
  if (!forwarding) return [];
  return allow.filter((e) => !isLocalAllowEntry(e)).map((e) => e.text);
}

/** Does a listen address mean "every interface"? Those need an explicit opt-in. */
export function isWildcardAddress(address: string): boolean {
  const a = address.trim().replace(/^\[|\]$/g, '');
  return a === '0.0.0.0' || a === '::' || a === '0:0:0:0:0:0:0:0' || a === '*' || a === '';
}

/** A `*` wildcard pattern as a case-insensitive whole-string RegExp. */
function globToRegExp(pattern: string): RegExp {
  const esc = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${esc}$`, 'i');
}

/**
 * Which recipients to forward a message to under the rules: the first matching rule wins; `to` in a rule
 * replaces the camera's recipients. Returns null when no rule matches (the message stays local only).
 */
export function planForward(recipients: readonly string[], rules: readonly ForwardRule[]): string[] | null {
  for (const r of rules) {
    if (r.match === 'all') return r.to && r.to.length ? [...r.to] : [...recipients];
    if (!r.pattern) continue;
    const re = globToRegExp(r.pattern);
    const hits = recipients.filter((x) => re.test(x));
    if (hits.length) return r.to && r.to.length ? [...r.to] : hits;
  }
  return null;
}

/** Retry delay after `attempts` failed tries: 30 s doubling, capped at 1 h, with ±10 % jitter from `rand` (0..1). */
export function backoffMs(attempts: number, rand = 0.5): number {
  const base = Math.min(3600_000, 30_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.9 + 0.2 * Math.min(1, Math.max(0, rand))));
}

/** Has a queued forward outlived its maximum age? */
export function isForwardExpired(createdAtMs: number, nowMs: number, maxAgeMs: number): boolean {
  return nowMs - createdAtMs > maxAgeMs;
}

/**
 * Which messages retention removes: unpinned ones older than maxAgeDays, then the oldest beyond maxCount, then the
 * oldest until the rest fits in maxTotalMb (pinned messages count toward the size but are never removed).
 */
export function retentionVictims(messages: ReadonlyArray<{ id: string; receivedAtMs: number; pinned: boolean; size?: number }>, policy: Retention, nowMs: number): string[] {
  return retentionVictimsBy(messages, (m) => m.receivedAtMs, policy, nowMs);
}

/**
 * `retentionVictims` over any collection, with the receive time read through `timeOf`. Once the store is full it
 * runs after every message and usually removes one, so it does not sort the whole store: two passes, the second
 * keeping only the few oldest candidates (by time, then id: the same order and result as a full sort).
 * `messages` is iterated more than once: give an array or an object whose iterator starts over (not a Map's
 * `values()` iterator itself).
 */
export function retentionVictimsBy<M extends { id: string; pinned: boolean; size?: number }>(messages: Iterable<M>, timeOf: (m: M) => number, policy: Retention, nowMs: number): string[] {
  const out: string[] = [];
  const cutoff = nowMs - policy.maxAgeDays * 86400_000;
  let kept = 0;
  let bytes = 0;
  for (const m of messages) {
    if (!m.pinned && timeOf(m) < cutoff) out.push(m.id);
    else {
      kept++;
      bytes += m.size ?? 0;
    }
  }
  const maxBytes = (policy.maxTotalMb ?? Infinity) * 1024 * 1024;
  const excess = kept - policy.maxCount;
  if (excess <= 0 && bytes <= maxBytes) return out;
  // The victims are a prefix of the unpinned survivors in (time, id) order; how long a prefix the size limit needs
  // is known only while removing, so take a few more until it is enough (each try is one pass).
  for (let want = Math.max(excess, 1); ; want *= 4) {
    const oldest = oldestCandidates(messages, timeOf, cutoff, want);
    let e = excess;
    let b = bytes;
    const picked: string[] = [];
    for (const c of oldest) {
      if (e <= 0 && b <= maxBytes) break;
      picked.push(c.m.id);
      e--;
      b -= c.m.size ?? 0;
    }
    if ((e <= 0 && b <= maxBytes) || oldest.length < want) return out.concat(picked);
  }
}

/** The `want` oldest unpinned messages not older than `cutoff`, oldest first (ties by id). */
function oldestCandidates<M extends { id: string; pinned: boolean }>(messages: Iterable<M>, timeOf: (m: M) => number, cutoff: number, want: number): Array<{ m: M; t: number }> {
  const before = (a: { m: M; t: number }, b: { m: M; t: number }) => a.t < b.t || (a.t === b.t && a.m.id < b.m.id);
  const best: Array<{ m: M; t: number }> = [];
  if (want >= 256) {
    // Many at once (retention lowered by hand): a plain sort.
    for (const m of messages) if (!m.pinned && timeOf(m) >= cutoff) best.push({ m, t: timeOf(m) });
    return best.sort((a, b) => (before(a, b) ? -1 : 1)).slice(0, want);
  }
  for (const m of messages) {
    if (m.pinned) continue;
    const t = timeOf(m);
    if (t < cutoff) continue;
    const c = { m, t };
    // Stores keep mail in arrival order, so after the first `want` nearly every message fails this one test.
    if (best.length >= want && !before(c, best[best.length - 1])) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(c, best[mid])) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, c);
    if (best.length > want) best.pop();
  }
  return best;
}

/** Does a stored message match a search? */
export function messageMatches(m: MessageSummary, q: Omit<MessageQuery, 'limit' | 'offset'>): boolean {
  const has = (hay: string, needle?: string) => !needle || hay.toLowerCase().includes(needle.toLowerCase());
  if (!has(`${m.camera ?? ''} ${m.clientIp} ${m.heloName}`, q.camera)) return false;
  if (!has(`${m.from} ${m.headerFrom}`, q.sender)) return false;
  if (!has(m.subject, q.subject)) return false;
  const t = Date.parse(m.receivedAt);
  if (q.since && t < Date.parse(q.since)) return false;
  if (q.until && t >= Date.parse(q.until)) return false;
  return true;
}

const QUIRKS: Record<z.infer<typeof QuirkCodeSchema>, { title: string; fix: string }> = {
  'not-allowed': {
    title: 'Client is not on the allow-list',
    fix: "Add this device's IP address to the relay allow-list (Relay > Allowed senders), or check the camera's IP settings.",
  },
  'auth-not-offered': {
    title: 'Client sent AUTH although the relay did not offer it',
    fix: 'Turn on "Accept any login" in the relay settings, or clear the user name and password in the sender.',
  },
  'tls-attempted': {
    title: 'Client tried to start TLS',
    fix: 'Turn off TLS/SSL in the sender: the local relay speaks plain SMTP only (the relay forwards upstream with TLS).',
  },
  'empty-helo': {
    title: 'Client greeted with an empty HELO/EHLO',
    fix: 'Harmless: the relay accepted it. Give the device a host name if the upstream server complains.',
  },
  'bare-lf': {
    title: 'Client ends lines with a bare LF instead of CRLF',
    fix: 'Harmless: the relay repaired the line endings. Update the device firmware if other servers reject its mail.',
  },
  'too-large': {
    title: 'Message was over the size limit',
    fix: 'Raise the relay size limit, or lower the snapshot resolution / turn off Attach Raw Event Data in the Send Email handler.',
  },
  'early-talker': {
    title: 'Client spoke before the server greeting',
    fix: 'Wait for the 220 greeting before sending commands; a camera doing this needs a firmware update.',
  },
};

/** The quirk record for a code. */
export function quirkOf(code: z.infer<typeof QuirkCodeSchema>): Quirk {
  return { code, ...QUIRKS[code] };
}

/**
 * Diagnoses a session from its transcript and flags: each recognised quirk once, in a stable order, with a
 * one-line fix for the technician (troubleshooting data).
 */
export function diagnoseSession(lines: ReadonlyArray<Pick<TranscriptLine, 'dir' | 'line'>>, flags: Partial<SessionFlags> = {}): Quirk[] {
  const found = new Set<z.infer<typeof QuirkCodeSchema>>();
  if (flags.notAllowed) found.add('not-allowed');
  let authOffered = false;
  for (const l of lines) {
    if (l.dir === 'S') {
      if (/^250[- ](?:\d\.\d\.\d )?AUTH\b/i.test(l.line)) authOffered = true;
      if (/^421\b.*talk too soon/i.test(l.line)) found.add('early-talker');
      if (/^552\b/.test(l.line)) found.add('too-large');
      continue;
    }
    if (l.dir !== 'C') continue;
    const cmd = l.line.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
    if (cmd === 'AUTH' && !authOffered) found.add('auth-not-offered');
    if (cmd === 'STARTTLS') found.add('tls-attempted');
    if ((cmd === 'HELO' || cmd === 'EHLO') && l.line.trim().split(/\s+/).length < 2) found.add('empty-helo');
    // A TLS ClientHello sent straight at the plain port starts with the handshake record bytes 0x16 0x03.
    // Transcripts show control characters escaped, so accept both the raw and the escaped form.
    if ((l.line.charCodeAt(0) === 0x16 && l.line.charCodeAt(1) === 0x03) || l.line.startsWith('\\x16\\x03')) found.add('tls-attempted');
  }
  if (flags.emptyHelo) found.add('empty-helo');
  if (flags.bareLf) found.add('bare-lf');
  if (flags.tooLarge) found.add('too-large');
  const order = QuirkCodeSchema.options;
  return order.filter((c) => found.has(c)).map(quirkOf);
}

/**
 * Rewrites the From header of a raw message head (the part before the first empty line) to `newFrom`,
 * keeping the original sender as Reply-To when none is set. Used by the forwarder's sender rewrite.
 */
export function rewriteFromHeader(head: string, newFrom: string): string {
  const lines = head.split(/\r?\n/);
  const out: string[] = [];
  let original = '';
  let hasReplyTo = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^from:/i.test(l)) {
      original = l.slice(5).trim();
      while (i + 1 < lines.length && /^[ \t]/.test(lines[i + 1])) original += ' ' + lines[++i].trim();
      out.push(`From: ${newFrom}`);
      continue;
    }
    if (/^reply-to:/i.test(l)) hasReplyTo = true;
    out.push(l);
  }
  if (!original) out.unshift(`From: ${newFrom}`);
  else if (!hasReplyTo) out.push(`Reply-To: ${original}`);
  return out.join('\r\n');
}
