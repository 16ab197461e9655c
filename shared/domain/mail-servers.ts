/**
 * The mail-server finder's domain: which site mail servers exist and whether a legacy Sarix camera may use one
 * (docs/camera.md §1: plain SMTP to TCP 25 on a LOCAL server, no AUTH, no TLS, the server keyed on the camera's
 * IP; §6: a refused message is not retried). Here live the request/report/progress shapes (zod, shared with the
 * IPC contract and the hand-over report), the banner → software table (data), the subnet expansion and the pure
 * verdict rules: what to tell the technician about each server, and which host name to put in the camera's field.
 * Pure: the service in electron/services/mailservers does DNS, sockets and files.
 */
// Long on purpose: the finder's schemas (shared with the IPC contract, the journal and the report), the banner table and the verdict rules are imported together by the finder service, the CLI, the contract and the wizard; each section (subnets, recipients, name advice, verdicts) is marked below and every function is short.
import ipaddr from 'ipaddr.js';
import { z } from 'zod';
import { ArticleIdSchema, classifySmtpReply, formatReply, type ArticleId, type SmtpReply } from './diagnostics';
import { checkSmtpHost, isHostName, isLocalAddress, parseIp, PUBLIC_SMTP_EXPLANATION, publicMailDomainOf } from './net-address';

/** The knowledge-base article on receive connectors and relay permissions (Exchange, Postfix, NAS). */
export const RELAY_PERMISSIONS_ARTICLE = 'smtp-relay-permissions' satisfies ArticleId;

/** The outside recipient tried when the caller gives none: RFC 2606 reserves example.com, and the dialogue ends with RSET. */
export const DEFAULT_OUTSIDE_RECIPIENT = 'relay-test@example.com';

/** Bounds of the opt-in subnet probe: a technician's laptop must never flood a site network. */
export const PROBE_LIMITS = {
  maxAddresses: 1024,
  concurrency: { min: 1, max: 64, default: 16 },
  ratePerSecond: { min: 1, max: 200, default: 20 },
  timeLimitMs: { min: 1_000, max: 600_000, default: 120_000 },
} as const;

// ---------------------------------------------------------------- software named in the banner

/** One mail-server product recognisable from its SMTP greeting, with the relay fix in its own terms. */
export interface MailSoftware {
  id: string;
  /** How the technician and IT call it. */
  label: string;
  /** Matched against the 220 banner and the first EHLO line. */
  pattern: RegExp;
  /** What to ask IT for, in this product's terms; `{range}` is replaced by the camera range. */
  relayFix: string;
  /** What to ask for when the server demands TLS on port 25, when the product has its own words for it. */
  tlsFix?: string;
}

/**
 * Banner patterns, most specific first (a NAS runs Postfix underneath, IIS and Exchange share "Microsoft ESMTP
 * MAIL Service"; the IIS SMTP service adds ", Version:"). Greeting texts are the products' defaults; an
 * administrator can change them, so an unknown banner is normal and gets the generic fix.
 */
export const MAIL_SOFTWARE: readonly MailSoftware[] = [
  { id: 'sarix-relay', label: "This app's relay", pattern: /Sarix Commissioner relay/i, relayFix: "add {range} to the relay's allow-list (Relay > Allowed senders)" },
  { id: 'exchange-online', label: 'Microsoft 365 (Exchange Online)', pattern: /\.outlook\.com\b|\.protection\.outlook\.com/i, relayFix: 'point the camera at a local relay instead; Microsoft 365 is not a local server' },
  { id: 'iis-smtp', label: 'IIS SMTP service', pattern: /Microsoft ESMTP MAIL Service, Version:/i, relayFix: 'ask IT to allow {range} under SMTP Virtual Server > Properties > Access > Relay restrictions' },
  {
    id: 'exchange',
    label: 'Exchange',
    pattern: /Microsoft ESMTP MAIL Service|Microsoft Exchange/i,
    relayFix: 'ask IT to add {range} to an anonymous relay connector (a receive connector for those addresses with Anonymous users and the Ms-Exch-SMTP-Accept-Any-Recipient permission)',
    tlsFix: 'ask IT to turn RequireTLS off on the receive connector that serves {range}',
  },
  { id: 'synology', label: 'Synology NAS mail server', pattern: /Synology|MailPlus|DiskStation|RackStation|\bDS\d{3,4}\+?\b/i, relayFix: 'ask the NAS administrator to add {range} to MailPlus Server > Mail Delivery > Relay Control > Trusted List (Mail Server package: tick "Ignore authorization for LAN connections")' },
  { id: 'qnap', label: 'QNAP NAS mail server', pattern: /QNAP|\bTS-\d{3,4}\b|\bNAS[0-9A-F]{6}\b/i, relayFix: 'ask the NAS administrator to add {range} to the trusted (relay) networks of the mail server app running on the NAS' },
  { id: 'zimbra', label: 'Zimbra', pattern: /Zimbra/i, relayFix: 'ask IT to add {range} to the MTA trusted networks (zimbraMtaMyNetworks)' },
  {
    id: 'postfix',
    label: 'Postfix',
    pattern: /\bPostfix\b/i,
    relayFix: 'ask IT to add {range} to mynetworks in /etc/postfix/main.cf and reload Postfix',
    tlsFix: 'ask IT to set smtpd_tls_security_level = may (not encrypt) on port 25 so {range} can send without TLS',
  },
  { id: 'exim', label: 'Exim', pattern: /\bExim\b/i, relayFix: 'ask IT to add {range} to relay_from_hosts (Debian: dc_relay_nets) and restart Exim' },
  { id: 'sendmail', label: 'Sendmail', pattern: /\bSendmail\b/i, relayFix: 'ask IT to add "Connect:{range} RELAY" to /etc/mail/access and rebuild the access map' },
  { id: 'hmailserver', label: 'hMailServer', pattern: /hMailServer/i, relayFix: 'ask IT to add an IP range for {range} (Settings > Advanced > IP Ranges) that allows delivery to external addresses without SMTP authentication' },
  { id: 'mdaemon', label: 'MDaemon', pattern: /MDaemon/i, relayFix: 'ask IT to add {range} to the trusted IP addresses (Security > Relay/Trusts/Auth)' },
  { id: 'kerio', label: 'Kerio Connect', pattern: /Kerio/i, relayFix: 'ask IT to allow relaying for an IP address group with {range} (SMTP Server > Relay Control)' },
  { id: 'mailenable', label: 'MailEnable', pattern: /MailEnable/i, relayFix: 'ask IT to allow relay for {range} (SMTP connector > Relay > privileged IP ranges)' },
  { id: 'domino', label: 'HCL Domino', pattern: /Domino/i, relayFix: 'ask IT to allow {range} to relay to external domains (Configuration > Router/SMTP > Restrictions and Controls)' },
  { id: 'opensmtpd', label: 'OpenSMTPD', pattern: /OpenSMTPD/i, relayFix: 'ask IT to add a "match from src" rule for {range} with a relay action in smtpd.conf' },
  { id: 'haraka', label: 'Haraka', pattern: /Haraka/i, relayFix: 'ask IT to add {range} to config/relay_acl_allow' },
  {
    id: 'gateway',
    label: 'Router or firewall mail service',
    pattern: /FortiMail|Sophos|WatchGuard|SonicWall|MikroTik|pfSense|OPNsense|Zyxel|DrayTek/i,
    relayFix: "ask the network administrator to allow {range} to relay without a login in the device's mail settings",
  },
];

/** The generic fix when the software is not recognised. */
export const GENERIC_RELAY_FIX = "ask the mail administrator to let {range} send without a login (the server's relay or trusted-network list)";
/** The generic fix for a server that demands TLS on port 25. */
export const GENERIC_TLS_FIX = 'ask the mail administrator to accept plain SMTP (no TLS) on port 25 from {range}';

/** Recognises the mail software from the 220 banner and the first EHLO line; undefined when nothing matches. */
export function identifyMailSoftware(banner?: string, ehloGreeting?: string): MailSoftware | undefined {
  const text = `${banner ?? ''}\n${ehloGreeting ?? ''}`;
  return MAIL_SOFTWARE.find((s) => s.pattern.test(text));
}

/**
 * The server's own name from its greeting: RFC 5321 §4.3.1 puts the server's identity (its domain name) first
 * in the 220 text. Only a dotted host name counts (a bare "localhost" or an address literal names nothing).
 */
export function bannerHostName(bannerText: string | undefined): string | undefined {
  const first = bannerText?.trim().split(/\s+/)[0]?.replace(/\.$/, '').toLowerCase();
  if (!first || !isHostName(first) || !first.includes('.')) return undefined;
  return first;
}

/** The mail domain a server host name suggests (`mail.site.lan` → `site.lan`); undefined with fewer than two labels left. */
export function domainOfHost(host: string | undefined): string | undefined {
  const labels = host?.toLowerCase().split('.') ?? [];
  return labels.length >= 3 ? labels.slice(1).join('.') : undefined;
}

// ---------------------------------------------------------------- subnets

/** A CIDR block the probe may walk: IPv4 only, a local range, and small enough. */
export type SubnetCheck = { ok: true; cidr: string; addresses: number } | { ok: false; message: string };

/** Checks one `--subnet` value: an IPv4 CIDR of a local range (private, link-local, loopback) with at most `max` hosts. */
export function checkSubnet(text: string, max: number = PROBE_LIMITS.maxAddresses): SubnetCheck {
  const s = text.trim();
  let parsed: [ipaddr.IPv4 | ipaddr.IPv6, number];
  try {
    parsed = ipaddr.parseCIDR(s);
  } catch {
    return { ok: false, message: `"${s}" is not a CIDR block: write it like 192.168.1.0/24.` };
  }
  const [addr, prefix] = parsed;
  if (addr.kind() !== 'ipv4') return { ok: false, message: `${s} is IPv6: the probe walks IPv4 subnets only (an IPv6 subnet is far too large to walk).` };
  if (!ipaddr.IPv4.isValidFourPartDecimal(s.split('/')[0])) return { ok: false, message: `"${s}" is not a CIDR block: write it like 192.168.1.0/24.` };
  const network = ipaddr.IPv4.networkAddressFromCIDR(s).toString();
  const broadcast = ipaddr.IPv4.broadcastAddressFromCIDR(s).toString();
  if (!isLocalAddress(network) || !isLocalAddress(broadcast)) {
    return { ok: false, message: `${s} is not a local network range: the probe only walks private, link-local or loopback subnets (the camera's own network).` };
  }
  const addresses = hostCount(prefix);
  if (addresses > max) return { ok: false, message: `${s} has ${addresses} addresses, more than the ${max} the probe walks: give the camera subnet itself (for example a /24).` };
  return { ok: true, cidr: `${network}/${prefix}`, addresses };
}

function hostCount(prefix: number): number {
  const size = 2 ** (32 - prefix);
  // /31 and /32 have no network or broadcast address to leave out (RFC 3021).
  return prefix >= 31 ? size : size - 2;
}

/** The host addresses of a checked IPv4 CIDR, ascending, without the network and broadcast addresses (except /31, /32). */
export function subnetAddresses(cidr: string): string[] {
  const [addr, prefix] = ipaddr.parseCIDR(cidr);
  const base = ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${prefix}`).toByteArray();
  const start = ((base[0] << 24) >>> 0) + (base[1] << 16) + (base[2] << 8) + base[3];
  const size = 2 ** (32 - prefix);
  const first = prefix >= 31 ? 0 : 1;
  const last = prefix >= 31 ? size - 1 : size - 2;
  const out: string[] = [];
  for (let i = first; i <= last; i++) {
    const n = start + i;
    out.push([(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));
  }
  return out;
}

// ---------------------------------------------------------------- request

const IpSchema = z
  .string()
  .trim()
  .refine((s) => parseIp(s) !== null, 'must be an IP address')
  .transform((s) => parseIp(s)!.address);

const DnsServerSchema = z.object({ address: IpSchema, port: z.number().int().min(1).max(65535).default(53) }).strict();

const DomainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .refine((d) => isHostName(d) && d.includes('.') === true, 'must be a DNS domain such as site.lan')
  .transform((d) => d.replace(/\.$/, ''));

/** A mail-server search: DNS lookups of the site's mail domain, and (opt-in) a probe of the camera subnets. */
export const FindMailServersRequestSchema = z
  .object({
    /** Chosen by the caller so it can match progress events (and cancel) before the search returns. */
    operationId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .optional(),
    /** Camera subnets to probe on TCP `port`; empty = no probe (the probe is opt-in). */
    subnets: z
      .array(
        z.string().transform((s, ctx) => {
          const c = checkSubnet(s);
          if (c.ok) return c.cidr;
          ctx.addIssue({ code: 'custom', message: c.message });
          return z.NEVER;
        }),
      )
      .max(16)
      .default([]),
    /** The camera always uses 25 (docs/camera.md §1); another port exists for tests and relays on other ports. */
    port: z.number().int().min(1).max(65535).default(25),
    /** The camera's address: named in the verdicts (the probe itself runs from this laptop). */
    cameraIp: IpSchema.optional(),
    /** The camera's DNS server (its network settings): names are checked against it. */
    cameraDns: DnsServerSchema.optional(),
    /** Bind the probe to this address of the laptop (one in the camera's range tests what the camera would meet). */
    sourceAddress: IpSchema.optional(),
    /** Look these mail domains up instead of the laptop's search domain. */
    domains: z.array(DomainSchema).max(8).optional(),
    /** Ask this DNS server for MX/SRV records instead of the laptop's own. */
    dnsServer: DnsServerSchema.optional(),
    /** Look the site's mail domain up in DNS (MX, `_submission._tcp` SRV). */
    useDns: z.boolean().default(true),
    /** Test each local server found with the camera's dialogue (off: only list what DNS says). */
    probeServers: z.boolean().default(true),
    /** The recipient the camera will mail (its Send Email handler's To). */
    to: z.email().max(254).optional(),
    /** The sender to try (the handler's From); default sarix-camera@<site domain>. */
    from: z.email().max(254).optional(),
    /** Send a real test message (DATA) to `to` through each server that accepts it. */
    sendTest: z.boolean().default(false),
    limits: z
      .object({
        concurrency: z.number().int().min(PROBE_LIMITS.concurrency.min).max(PROBE_LIMITS.concurrency.max).default(PROBE_LIMITS.concurrency.default),
        ratePerSecond: z.number().int().min(PROBE_LIMITS.ratePerSecond.min).max(PROBE_LIMITS.ratePerSecond.max).default(PROBE_LIMITS.ratePerSecond.default),
        timeLimitMs: z.number().int().min(PROBE_LIMITS.timeLimitMs.min).max(PROBE_LIMITS.timeLimitMs.max).default(PROBE_LIMITS.timeLimitMs.default),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    const total = r.subnets.reduce((n, s) => {
      const c = checkSubnet(s, Infinity);
      return n + (c.ok ? c.addresses : 0);
    }, 0);
    if (total > PROBE_LIMITS.maxAddresses) {
      ctx.addIssue({ code: 'custom', path: ['subnets'], message: `the subnets hold ${total} addresses together, more than the ${PROBE_LIMITS.maxAddresses} the probe walks: give only the camera subnets` });
    }
    if (r.sendTest && !r.to) ctx.addIssue({ code: 'custom', path: ['sendTest'], message: 'a test message needs a recipient (to)' });
  });
/** A mail-server search (after defaults). */
export type FindMailServersRequest = z.infer<typeof FindMailServersRequestSchema>;
/** A mail-server search as a caller writes it. */
export type FindMailServersRequestInput = z.input<typeof FindMailServersRequestSchema>;

// ---------------------------------------------------------------- report

/** One SMTP reply as recorded (the code, the enhanced status, the text lines). */
export const SmtpReplySchema = z.object({ code: z.number().int(), enhanced: z.string().optional(), lines: z.array(z.string()) });

/** How a server came to be listed. */
export const FoundBySchema = z.enum(['mx', 'srv', 'subnet']);
/** How a server came to be listed. */
export type FoundBy = z.infer<typeof FoundBySchema>;

/** Where a candidate DNS name for a server came from. */
export const NameSourceSchema = z.enum(['mx', 'srv', 'ptr', 'banner']);
/** Where a candidate DNS name came from. */
export type NameSource = z.infer<typeof NameSourceSchema>;

/** A DNS name known for a server, and what the camera's DNS and this laptop's hosts file say about it. */
export const ServerNameSchema = z.object({
  name: z.string(),
  source: NameSourceSchema,
  /** For MX names: the domain and the preference. For SRV names: the domain and the advertised port. */
  domain: z.string().optional(),
  preference: z.number().int().optional(),
  srvPort: z.number().int().optional(),
  /** Addresses the camera's DNS server returned (empty when it did not resolve). */
  cameraDnsAddresses: z.array(z.string()).default([]),
  cameraDnsError: z.string().optional(),
  /** Addresses in this laptop's hosts file for the name. */
  hostsFileAddresses: z.array(z.string()).default([]),
});
/** A DNS name known for a server. */
export type ServerName = z.infer<typeof ServerNameSchema>;

/** The advice for the camera's SMTP server field: a name that resolves from the camera's DNS, else the address. */
export const NameAdviceSchema = z.object({
  /** What to enter in the camera's SMTP server field. */
  host: z.string(),
  isName: z.boolean(),
  status: z.enum(['name-resolves', 'different-address', 'hosts-file-only', 'not-in-camera-dns', 'no-name', 'unchecked']),
  message: z.string(),
});
/** The advice for the camera's SMTP server field. */
export type NameAdvice = z.infer<typeof NameAdviceSchema>;

/** What the camera-like dialogues saw (the probe runs from this laptop; `probedFrom` is the address it used). */
export const ServerProbeSchema = z.object({
  probedFrom: z.string().optional(),
  connect: z.object({ ok: z.boolean(), code: z.string().optional(), message: z.string().optional() }),
  banner: SmtpReplySchema.optional(),
  ehlo: SmtpReplySchema.optional(),
  usedHelo: z.boolean().default(false),
  offersStarttls: z.boolean().default(false),
  authMechanisms: z.array(z.string()).default([]),
  from: z.string(),
  mailFrom: SmtpReplySchema.optional(),
  siteRecipient: z.object({ address: z.string(), reply: SmtpReplySchema.optional() }).optional(),
  outsideRecipient: z.object({ address: z.string(), reply: SmtpReplySchema.optional() }).optional(),
  /** Only when a test message was asked for: the reply to the end of DATA. */
  testMessage: z.object({ to: z.string(), reply: SmtpReplySchema.optional() }).optional(),
  stoppedAt: z.object({ step: z.string(), reason: z.string() }).optional(),
  transcript: z.array(z.string()),
});
/** What the camera-like dialogues saw. */
export type ServerProbe = z.infer<typeof ServerProbeSchema>;

/** The verdict on one server, from the camera's point of view. */
export const ServerStatusSchema = z.enum(['accepts', 'site-only', 'needs-auth', 'needs-tls', 'refused', 'deferred', 'not-smtp', 'unreachable', 'unresolved', 'not-usable', 'not-probed']);
/** The verdict on one server. */
export type ServerStatus = z.infer<typeof ServerStatusSchema>;

/** How good a server is for the camera: good (use it), warn (usable with a caveat or a fix), bad (not as it is), info. */
export const VerdictLevelSchema = z.enum(['good', 'warn', 'bad', 'info']);
/** How good a server is for the camera. */
export type VerdictLevel = z.infer<typeof VerdictLevelSchema>;

/** The verdict in plain words, with the fix and the article. */
export const ServerVerdictSchema = z.object({
  status: ServerStatusSchema,
  level: VerdictLevelSchema,
  headline: z.string(),
  /** One line; empty when there is nothing to fix. */
  fix: z.string(),
  /** What the verdict cannot know (the probe ran from this laptop, not from the camera's address). */
  caveat: z.string().optional(),
  article: ArticleIdSchema,
});
/** The verdict in plain words. */
export type ServerVerdict = z.infer<typeof ServerVerdictSchema>;

/** One server found. */
export const MailServerFindingSchema = z.object({
  /** The name or address shown for the server. */
  host: z.string(),
  /** Absent for a public provider refused by name (never looked up). */
  address: z.string().optional(),
  port: z.number().int(),
  isLocal: z.boolean(),
  foundBy: z.array(FoundBySchema),
  names: z.array(ServerNameSchema),
  software: z.object({ id: z.string(), label: z.string() }).optional(),
  probe: ServerProbeSchema.optional(),
  /** True/false once the outside recipient was tried; absent when it was not reached. */
  relaysOutside: z.boolean().optional(),
  name: NameAdviceSchema,
  verdict: ServerVerdictSchema,
});
/** One server found. */
export type MailServerFinding = z.infer<typeof MailServerFindingSchema>;

/** One DNS question asked about the site's mail domain. */
export const DnsLookupSchema = z.object({
  type: z.enum(['MX', 'SRV']),
  name: z.string(),
  answers: z.array(z.string()),
  error: z.string().optional(),
});
/** One DNS question asked. */
export type DnsLookup = z.infer<typeof DnsLookupSchema>;

/** Where the site's mail domain and DNS servers came from. */
export const SiteDnsSchema = z.object({
  domains: z.array(z.string()),
  /** 'system': the laptop's search/DHCP domain; 'given': the caller's; 'off': DNS not used; 'none': the system has none. */
  source: z.enum(['system', 'given', 'off', 'none']),
  /** Where the system values were read (resolv.conf, the Windows registry), when from the system. */
  from: z.string().optional(),
  servers: z.array(z.string()),
  note: z.string().optional(),
});
/** Where the site's mail domain came from. */
export type SiteDns = z.infer<typeof SiteDnsSchema>;

/** What the opt-in subnet probe did. */
export const SubnetScanSchema = z.object({
  subnets: z.array(z.string()),
  port: z.number().int(),
  planned: z.number().int(),
  tried: z.number().int(),
  answered: z.number().int(),
  stoppedBecause: z.enum(['cancelled', 'time-limit']).optional(),
  limits: z.object({ concurrency: z.number().int(), ratePerSecond: z.number().int(), timeLimitMs: z.number().int() }),
});
/** What the subnet probe did. */
export type SubnetScan = z.infer<typeof SubnetScanSchema>;

/** The result of a search: stable and JSON-serialisable (it feeds the hand-over report's relay section). */
export const MailServerReportSchema = z.object({
  operationId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  site: SiteDnsSchema,
  cameraIp: z.string().optional(),
  /** The DNS server names were checked against, and whether it is the camera's (given) or this laptop's (assumed). */
  cameraDns: z.object({ server: z.string(), isAssumed: z.boolean() }).optional(),
  sourceAddress: z.string().optional(),
  lookups: z.array(DnsLookupSchema),
  scan: SubnetScanSchema.optional(),
  /** Local servers first, best verdict first; public ones last ("not usable by the camera"). */
  servers: z.array(MailServerFindingSchema),
  /** The server to put in the camera's field, when one accepts the camera's mail. */
  recommended: z.object({ host: z.string(), address: z.string(), software: z.string().optional() }).optional(),
  summary: z.string(),
  isCancelled: z.boolean(),
});
/** The result of a search. */
export type MailServerReport = z.infer<typeof MailServerReportSchema>;

/** Progress of a running search, pushed while it runs. */
export const MailServerProgressSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('step'), step: z.enum(['site-domain', 'dns', 'scan', 'test']), message: z.string() }),
  z.object({ kind: z.literal('scan'), tried: z.number().int(), planned: z.number().int(), answered: z.number().int(), address: z.string() }),
  z.object({ kind: z.literal('server'), finding: MailServerFindingSchema }),
]);
/** Progress of a running search. */
export type MailServerProgress = z.infer<typeof MailServerProgressSchema>;

/** One progress step of one search, keyed by its operation id (the service event; the contract reuses it). */
export const MailServerSearchProgressedSchema = z.object({ operationId: z.string(), progress: MailServerProgressSchema });
/** One progress step of one search. */
export type MailServerSearchProgressed = z.infer<typeof MailServerSearchProgressedSchema>;

// ---------------------------------------------------------------- recipients

/** The two recipients tried: one of the site's own mailboxes, and one outside address (relaying). */
export function testRecipients(siteDomain: string | undefined, to: string | undefined): { site: string; outside: string; toIsSite: boolean } {
  const toDomain = to?.split('@')[1]?.toLowerCase();
  const toIsSite = !!to && !!siteDomain && toDomain === siteDomain.toLowerCase();
  // RFC 5321 §4.5.1: every SMTP server must accept "Postmaster" (with its domain, or bare when we know no domain).
  const site = toIsSite ? to! : siteDomain ? `postmaster@${siteDomain}` : 'postmaster';
  const outside = to && !toIsSite ? to : DEFAULT_OUTSIDE_RECIPIENT;
  return { site, outside, toIsSite };
}

// ---------------------------------------------------------------- name advice

/** What the name advice needs: the server's address, its candidate names (best first) and who checked them. */
export interface NameAdviceInput {
  address: string;
  names: readonly ServerName[];
  /** The DNS server names were resolved through, and whether it is only assumed to be the camera's. */
  checkedWith?: { server: string; isAssumed: boolean };
}

function dnsLabel(c: { server: string; isAssumed: boolean }): string {
  return c.isAssumed ? `this laptop's DNS server ${c.server} (the camera's was not given)` : `the camera's DNS server ${c.server}`;
}

/**
 * Prefers a name to an address (the camera's field holds the DNS name of the server; docs/camera.md §1), but only a
 * name that the camera's DNS server resolves to this very server. A name known only to this laptop's hosts file,
 * or unknown to the camera's DNS server, would leave the camera unable to send: then the address is advised.
 */
export function adviseName(i: NameAdviceInput): NameAdvice {
  const useAddress = (status: NameAdvice['status'], message: string): NameAdvice => ({ host: i.address, isName: false, status, message });
  if (i.names.length === 0) return useAddress('no-name', `No DNS name found for ${i.address}: enter the address on the camera.`);
  if (!i.checkedWith) {
    return useAddress('unchecked', `${i.names[0].name} could not be checked against the camera's DNS (no DNS server known): enter ${i.address}, or give the camera's DNS server to check the name.`);
  }
  const via = dnsLabel(i.checkedWith);
  const good = i.names.find((n) => n.cameraDnsAddresses.includes(i.address) && checkSmtpHost(n.name, n.cameraDnsAddresses).ok);
  if (good) return { host: good.name, isName: true, status: 'name-resolves', message: `${good.name} resolves to ${i.address} from ${via}: enter ${good.name} on the camera.` };
  const n = i.names[0];
  // A DNS server that does not answer this laptop (or refuses it) says nothing about the name: it was not checked.
  const unanswered = i.names.every((x) => x.cameraDnsAddresses.length === 0 && /^(ETIMEOUT|ECONNREFUSED|EREFUSED|ECANCELLED)$/.test(x.cameraDnsError ?? ''));
  if (unanswered) {
    return useAddress(
      'unchecked',
      `${via[0].toUpperCase()}${via.slice(1)} did not answer this laptop (${n.cameraDnsError}), so ${n.name} could not be checked: enter ${i.address} on the camera, or check that DNS server address.`,
    );
  }
  if (n.cameraDnsAddresses.length > 0) {
    return useAddress('different-address', `${n.name} resolves to ${n.cameraDnsAddresses.join(', ')} from ${via}, not to ${i.address}: enter ${i.address} on the camera, or ask IT to correct the DNS record.`);
  }
  const hosts = i.names.find((x) => x.hostsFileAddresses.length > 0);
  if (hosts) {
    return useAddress(
      'hosts-file-only',
      `${hosts.name} resolves only on this laptop (a hosts-file entry), not from ${via}: the camera cannot use the name. Enter ${i.address}, or ask IT to add ${hosts.name} to the site DNS.`,
    );
  }
  return useAddress('not-in-camera-dns', `${n.name} does not resolve from ${via}${n.cameraDnsError ? ` (${n.cameraDnsError})` : ''}: enter ${i.address} on the camera, or ask IT to add the name to that DNS server.`);
}

// ---------------------------------------------------------------- verdicts

/** What the verdict rules need about one server. */
export interface VerdictInput {
  /** The name or address shown (the advised host when it is a name). */
  display: string;
  address?: string;
  port: number;
  software?: Pick<MailSoftware, 'label' | 'relayFix' | 'tlsFix'>;
  probe?: ServerProbe;
  /** Why a server is not usable (public), when it is not. */
  notUsableReason?: string;
  /** Why a name gave no address. */
  unresolvedReason?: string;
  /** Why the server was not tested (testing off, the search cancelled). */
  notTestedReason?: string;
  cameraIp?: string;
  /** The port an SRV record advertises for the server (submission, 587 as a rule), when DNS named it that way. */
  srvPort?: number;
  /** The camera range for the fix ("10.0.0.0/24"), when known. */
  cameraRange?: string;
  siteDomain?: string;
  toIsSite: boolean;
  /** What to enter on the camera. */
  useHost: string;
}

function rangeText(v: VerdictInput): string {
  if (v.cameraRange) return `the camera range (${v.cameraRange})`;
  if (v.cameraIp) return `the camera's address (${v.cameraIp})`;
  return "the cameras' addresses";
}

function fixFor(v: VerdictInput, kind: 'relay' | 'tls' = 'relay'): string {
  const template = kind === 'tls' ? (v.software?.tlsFix ?? GENERIC_TLS_FIX) : (v.software?.relayFix ?? GENERIC_RELAY_FIX);
  return template.replace('{range}', rangeText(v));
}

/** "this laptop (10.0.0.50)": who the server actually talked to. */
function clientText(p: ServerProbe | undefined): string {
  return p?.probedFrom ? `this laptop (${p.probedFrom})` : 'this laptop';
}

function cameraText(v: VerdictInput): string {
  return v.cameraIp ? `the camera (${v.cameraIp})` : 'the camera';
}

/** The caveat every positive verdict carries: the probe ran from this laptop, not from the camera's address. */
function laptopCaveat(v: VerdictInput): string | undefined {
  const from = v.probe?.probedFrom;
  if (v.cameraIp && from === v.cameraIp) return undefined;
  return `Tested from ${clientText(v.probe)}, not from ${cameraText(v)}: a server that trusts some addresses only may treat the camera differently. Make sure ${rangeText(v)} is allowed, then send the camera's test e-mail.`;
}

/** Turns what the dialogues saw into a verdict with the fix, in plain words. */
export function judgeServer(v: VerdictInput): ServerVerdict {
  const who = `${v.software?.label ?? 'The mail server'} at ${v.display}`;
  const article = RELAY_PERMISSIONS_ARTICLE;
  const verdict = (status: ServerStatus, level: VerdictLevel, headline: string, fix = '', extra: Partial<ServerVerdict> = {}): ServerVerdict => ({ status, level, headline, fix, article, ...extra });
  if (v.notUsableReason) {
    return verdict('not-usable', 'info', `${v.display} is not usable by the camera: ${v.notUsableReason}`, "Point the camera at a local relay (this app's relay) that forwards to it with TLS and a login.", { article: 'local-relay' });
  }
  if (v.unresolvedReason) return verdict('unresolved', 'bad', `${v.display} does not resolve: ${v.unresolvedReason}`, 'Ask IT which mail server the name should point at; meanwhile try the subnet probe.');
  const p = v.probe;
  if (v.notTestedReason || !p) {
    return verdict('not-probed', 'info', `${who} was not tested (${v.notTestedReason ?? 'no test ran'}).`, 'Run the search again with testing on to see whether it accepts the camera.');
  }
  const client = clientText(p);
  const portNote = v.port === 25 ? '' : ` on port ${v.port}`;
  if (!p.connect.ok) {
    // RFC 6186 submission servers listen on 587 and want a login as a rule; the camera only ever uses 25.
    const srv = v.srvPort && v.srvPort !== v.port ? ` DNS advertises it for mail submission on port ${v.srvPort}, which the camera cannot use (it only speaks to port 25, without a login).` : '';
    return verdict('unreachable', 'bad', `${who} does not answer${portNote} from ${client} (${p.connect.code ?? 'no connection'}).${srv}`, "Check that the mail service runs and that its firewall allows port 25 from the camera's network.", { article: 'port-25' });
  }
  if (!p.banner || (p.banner.code === 220 && !p.ehlo)) {
    const why = p.stoppedAt ? `${p.stoppedAt.step}: ${p.stoppedAt.reason}` : 'no SMTP greeting';
    return verdict('not-smtp', 'bad', `${v.address ?? v.display}:${v.port} accepts connections but did not hold an SMTP conversation (${why}).`, 'This is not a usable mail server for the camera; pick another one.', { article: 'smtp-transcript' });
  }
  if (p.banner.code !== 220) return verdict('refused', 'bad', `${who} turned ${client} away at the greeting (${formatReply(p.banner)}).`, fixFor(v));
  if (!p.ehlo || p.ehlo.code !== 250) return verdict('refused', 'bad', `${who} refused EHLO and HELO from ${client}${p.ehlo ? ` (${formatReply(p.ehlo)})` : ''}.`, fixFor(v), { article: 'smtp-transcript' });
  if (!p.mailFrom) return verdict('not-smtp', 'bad', `${who} stopped answering after EHLO${p.stoppedAt ? ` (${p.stoppedAt.reason})` : ''}.`, 'Read the transcript; a server that hangs on plain clients will lose the camera\'s mail too.', { article: 'smtp-transcript' });
  const blocked = (r: SmtpReply, stage: 'mail' | 'rcpt'): ServerVerdict | undefined => {
    const said = formatReply(r);
    switch (classifySmtpReply(stage, r)) {
      case 'needs-auth':
        return verdict('needs-auth', 'bad', `${who} refuses ${client} without a login (${said}); the camera cannot log in, so ${cameraText(v)} will be refused the same way.`, fixFor(v));
      case 'needs-starttls':
        return verdict('needs-tls', 'bad', `${who} demands TLS from ${client} (${said}); the camera cannot do TLS.`, `${fixFor(v, 'tls')}, or point the camera at this app's relay.`);
      case 'temporary':
      case 'service-unavailable':
        return verdict('deferred', 'warn', `${who} deferred the test (${said}); the camera does not retry a deferred message.`, 'Run the search again; if it repeats, ask IT to read the server log for the reason.', { article: 'smtp-transcript' });
      default:
        return undefined;
    }
  };
  const mf = blocked(p.mailFrom, 'mail');
  if (mf) return mf;
  if (classifySmtpReply('mail', p.mailFrom) !== 'ok') {
    return verdict('refused', 'bad', `${who} refused the sender <${p.from}> (${formatReply(p.mailFrom)}).`, "Use a From address in the site's mail domain on the camera's Send Email handler, or ask IT why the server refuses it.", { article: 'smtp-transcript' });
  }
  const site = p.siteRecipient?.reply;
  const outside = p.outsideRecipient?.reply;
  if (!site) return verdict('not-smtp', 'bad', `${who} stopped answering after MAIL FROM${p.stoppedAt ? ` (${p.stoppedAt.reason})` : ''}.`, 'Read the transcript in the details.', { article: 'smtp-transcript' });
  const siteBlock = blocked(site, 'rcpt');
  if (siteBlock) return siteBlock;
  const siteOk = classifySmtpReply('rcpt', site) === 'ok';
  const outsideBlock = outside ? blocked(outside, 'rcpt') : undefined;
  if (outsideBlock && outsideBlock.status !== 'deferred') return outsideBlock;
  const outsideOk = outside ? classifySmtpReply('rcpt', outside) === 'ok' : false;
  const caveat = laptopCaveat(v);
  if (siteOk && outsideOk) {
    return verdict('accepts', 'good', `${who} accepts mail without a login or TLS, to site and outside addresses: use ${v.useHost}.`, '', caveat ? { caveat } : {});
  }
  if (siteOk) {
    const said = outside ? formatReply(outside) : 'not tried';
    if (v.toIsSite) {
      return verdict('site-only', 'good', `${who} accepts mail for ${p.siteRecipient!.address} without a login: use ${v.useHost}. It does not relay to outside addresses (${said}), so keep the camera's recipients in ${v.siteDomain ?? 'the site domain'}.`, '', caveat ? { caveat } : {});
    }
    return verdict(
      'site-only',
      'warn',
      `${who} takes mail for the site's own mailboxes but refuses to relay to ${p.outsideRecipient?.address ?? 'outside addresses'} for ${client} (${said}).`,
      `To mail outside addresses, ${fixFor(v)}; or keep the camera's recipients in the site's domain.`,
      caveat ? { caveat } : {},
    );
  }
  const said = formatReply(site);
  return verdict('refused', 'bad', `${who} refused the recipient <${p.siteRecipient!.address}> from ${client} (${said}).`, fixFor(v), { article: 'smtp-transcript' });
}

/** The verdict for a name that points at a public address or a public provider (never connected to). */
export function publicReason(name: string, addresses: readonly string[]): string {
  const provider = publicMailDomainOf(name);
  if (provider) return `it is a public mail service (${provider}). ${PUBLIC_SMTP_EXPLANATION}`;
  return `it resolves to ${addresses.join(', ')}, which is not on the local network. ${PUBLIC_SMTP_EXPLANATION}`;
}

const LEVEL_ORDER: Record<VerdictLevel, number> = { good: 0, warn: 1, bad: 2, info: 3 };

/** Orders findings: local before public, then best verdict first, then by address. */
export function compareFindings(a: MailServerFinding, b: MailServerFinding): number {
  if (a.isLocal !== b.isLocal) return a.isLocal ? -1 : 1;
  const l = LEVEL_ORDER[a.verdict.level] - LEVEL_ORDER[b.verdict.level];
  if (l !== 0) return l;
  const mx = (f: MailServerFinding) => Math.min(...f.names.filter((n) => n.source === 'mx').map((n) => n.preference ?? 65535), 65536);
  if (mx(a) !== mx(b)) return mx(a) - mx(b);
  return (a.address ?? a.host).localeCompare(b.address ?? b.host, 'en', { numeric: true });
}

/** The one-line summary of a search. */
export function summarizeFindings(servers: readonly MailServerFinding[], isCancelled: boolean): { summary: string; recommended?: MailServerReport['recommended'] } {
  const best = servers.find((s) => s.isLocal && s.verdict.level === 'good' && s.address);
  const tail = isCancelled ? ' (the search was cancelled; the list may be incomplete)' : '';
  if (best) {
    const sw = best.software ? `${best.software.label}, ` : '';
    return {
      summary: `Use ${best.name.host} (${sw}${best.address}) as the camera's SMTP server${tail}.`,
      recommended: { host: best.name.host, address: best.address!, ...(best.software ? { software: best.software.label } : {}) },
    };
  }
  const local = servers.filter((s) => s.isLocal);
  if (local.length === 0) {
    return { summary: `No local mail server found${tail}: use this app's relay, or ask IT for the site's mail server and test it with sarix doctor.` };
  }
  return { summary: `No local mail server takes the camera's mail as it is${tail}: apply a fix below, or use this app's relay.` };
}
