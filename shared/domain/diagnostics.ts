/**
 * The doctor (issue 7): check ids, verdicts, the request and report shapes, and the pure verdict rules that
 * turn what a probe saw (SMTP replies, an NTP answer, camera readings) into pass / warn / fail with a one-line
 * fix and a knowledge-base article. The services do the I/O; every judgement lives here so it can be table-tested.
 */
import { z } from 'zod';
import { FIRST_PATCHED_FIRMWARE, isVulnerableFirmware, MAX_HANDLERS } from './camera';
import { isHostName, isIpLiteral, parseIp } from './net-address';

/** The outcome of one check. */
export const VerdictSchema = z.enum(['pass', 'warn', 'fail', 'skipped']);
/** The outcome of one check. */
export type Verdict = z.infer<typeof VerdictSchema>;

/** Knowledge-base article ids; each has a file `kb/<id>.md` (a test checks both directions). */
export const ARTICLE_IDS = [
  'local-relay',
  'setup-order',
  'port-25',
  'forward-gmail',
  'forward-microsoft-365',
  'smtp-transcript',
  'ntp-clock-skew',
  'factory-defaults',
  'firmware-security',
  'smtp-relay-permissions',
] as const;
/** A knowledge-base article id. */
export const ArticleIdSchema = z.enum(ARTICLE_IDS);
/** A knowledge-base article id. */
export type ArticleId = z.infer<typeof ArticleIdSchema>;

/** Which part of the chain a check looks at. */
export const CheckGroupSchema = z.enum(['camera', 'smtp', 'ntp', 'relay']);
/** Which part of the chain a check looks at. */
export type CheckGroup = z.infer<typeof CheckGroupSchema>;

/**
 * Every check the doctor runs, in the order it runs them: the camera first (it tells which SMTP and NTP server
 * to probe), then the SMTP server, the NTP server and the relay. Ids are stable (the JSON output and the UI key on them).
 */
export const CHECK_CATALOG = {
  'camera-reachable': { group: 'camera', title: 'Camera reachable', article: 'factory-defaults' },
  'camera-login': { group: 'camera', title: 'Camera login', article: 'factory-defaults' },
  'camera-clock': { group: 'camera', title: 'Camera clock vs this laptop', article: 'ntp-clock-skew' },
  'camera-firmware': { group: 'camera', title: 'Camera firmware', article: 'firmware-security' },
  'camera-handlers': { group: 'camera', title: 'Event handlers used', article: 'setup-order' },
  'camera-smtp-server': { group: 'camera', title: "Camera's SMTP server", article: 'local-relay' },
  'camera-sabotage': { group: 'camera', title: 'Camera Sabotage behaviour', article: 'setup-order' },
  'smtp-resolve': { group: 'smtp', title: 'SMTP server name resolves', article: 'local-relay' },
  'smtp-local': { group: 'smtp', title: 'SMTP server is local', article: 'local-relay' },
  'smtp-connect': { group: 'smtp', title: 'SMTP port reachable', article: 'port-25' },
  'smtp-greeting': { group: 'smtp', title: 'SMTP banner and EHLO', article: 'smtp-transcript' },
  'smtp-sender': { group: 'smtp', title: 'MAIL FROM without login or TLS', article: 'local-relay' },
  'smtp-recipient': { group: 'smtp', title: 'RCPT TO (relaying to the recipient)', article: 'smtp-transcript' },
  'smtp-send-test': { group: 'smtp', title: 'Test message (DATA)', article: 'smtp-transcript' },
  'ntp-resolve': { group: 'ntp', title: 'NTP server name resolves', article: 'ntp-clock-skew' },
  'ntp-answer': { group: 'ntp', title: 'NTP server answers SNTP', article: 'ntp-clock-skew' },
  'ntp-laptop-clock': { group: 'ntp', title: "This laptop's clock vs NTP", article: 'ntp-clock-skew' },
  'relay-listening': { group: 'relay', title: 'Relay listening', article: 'local-relay' },
  'relay-allow-list': { group: 'relay', title: "Camera's IP on the relay allow-list", article: 'local-relay' },
  'relay-port-privilege': { group: 'relay', title: 'Port 25 privilege on this OS', article: 'port-25' },
} as const satisfies Record<string, { group: CheckGroup; title: string; article: ArticleId }>;

/** A check id. */
export type CheckId = keyof typeof CHECK_CATALOG;
/** Every check id, in run order. */
export const CHECK_IDS = Object.keys(CHECK_CATALOG) as [CheckId, ...CheckId[]];
/** A check id. */
export const CheckIdSchema = z.enum(CHECK_IDS);

/** One finished check: verdict, one-line message and fix, the article that explains it, details for the log. */
export const CheckResultSchema = z.object({
  id: CheckIdSchema,
  group: CheckGroupSchema,
  title: z.string(),
  verdict: VerdictSchema,
  message: z.string(),
  /** One line in plain words; empty when there is nothing to fix. */
  fix: z.string(),
  article: ArticleIdSchema,
  details: z.record(z.string(), z.unknown()),
  durationMs: z.number().nonnegative(),
});
/** One finished check. */
export type CheckResult = z.infer<typeof CheckResultSchema>;

/** What a check body returns; the runner adds id, group, title, article and duration. */
export interface CheckOutcome {
  verdict: Verdict;
  message: string;
  fix?: string;
  /** Overrides the catalog article when a different one explains this outcome better. */
  article?: ArticleId;
  details?: Record<string, unknown>;
}

/** Builds a full result from a catalog id and an outcome. */
export function checkResult(id: CheckId, o: CheckOutcome, durationMs = 0): CheckResult {
  const c = CHECK_CATALOG[id];
  return {
    id,
    group: c.group,
    title: c.title,
    verdict: o.verdict,
    message: o.message,
    fix: o.fix ?? '',
    article: o.article ?? c.article,
    details: o.details ?? {},
    durationMs: Math.max(0, durationMs),
  };
}

/** A skipped check with the reason (and what to do to run it). */
export function skipped(id: CheckId, message: string, fix = ''): CheckResult {
  return checkResult(id, { verdict: 'skipped', message, fix });
}

const HostSchema = z
  .string()
  .trim()
  .min(1, 'host is empty')
  .max(253)
  .refine((h) => isIpLiteral(h) || isHostName(h), 'must be an IP address or a DNS host name');

/** A server to probe: host (name or IP literal) and port (the port exists for tests and relays on other ports). */
export function hostPortSchema(defaultPort: number) {
  return z.object({ host: HostSchema, port: z.number().int().min(1).max(65535).default(defaultPort) }).strict();
}

/** Camera access for the camera checks. The password never appears in a result or a log. */
export const DoctorCameraSchema = z
  .object({
    url: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .refine((u) => normalizeCameraUrl(u) !== null, 'must be http://HOST[:PORT] or a bare IP address or host name'),
    username: z.string().min(1).max(64),
    password: z.string().max(128),
  })
  .strict();

/** The arguments of one doctor run. */
export const DoctorRunRequestSchema = z
  .object({
    /** Chosen by the caller so it can match `doctor:check-finished` events before the run returns. */
    operationId: z
      .string()
      .regex(/^[A-Za-z0-9._-]{1,64}$/)
      .optional(),
    smtpServer: hostPortSchema(25).optional(),
    ntpServer: hostPortSchema(123).optional(),
    camera: DoctorCameraSchema.optional(),
    to: z.email().max(254).optional(),
    sendTest: z.boolean().default(false),
  })
  .strict();
/** The arguments of one doctor run (after defaults). */
export type DoctorRunRequest = z.infer<typeof DoctorRunRequestSchema>;

/** Counts per verdict. */
export const VerdictCountsSchema = z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int(), skipped: z.number().int() });
/** Counts per verdict. */
export type VerdictCounts = z.infer<typeof VerdictCountsSchema>;

/** What a doctor run returns. */
export const DoctorReportSchema = z.object({
  operationId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  checks: z.array(CheckResultSchema),
  counts: VerdictCountsSchema,
  /** 0 when nothing failed, 1 when a check failed (the CLI's exit code). */
  exitCode: z.union([z.literal(0), z.literal(1)]),
});
/** What a doctor run returns. */
export type DoctorReport = z.infer<typeof DoctorReportSchema>;

/** Counts verdicts and derives the exit code: 1 as soon as one check failed. */
export function summarize(checks: readonly Pick<CheckResult, 'verdict'>[]): { counts: VerdictCounts; exitCode: 0 | 1 } {
  const counts: VerdictCounts = { pass: 0, warn: 0, fail: 0, skipped: 0 };
  for (const c of checks) counts[c.verdict]++;
  return { counts, exitCode: counts.fail > 0 ? 1 : 0 };
}

/** Front matter of a knowledge-base article. */
export const ArticleFrontMatterSchema = z
  .object({
    id: ArticleIdSchema,
    title: z.string().min(3).max(120),
    /** The checks this article explains. */
    checks: z.array(CheckIdSchema).default([]),
    summary: z.string().min(10).max(300),
  })
  .strict();
/** Front matter of a knowledge-base article. */
export type ArticleFrontMatter = z.infer<typeof ArticleFrontMatterSchema>;

/** An article as listed. */
export const ArticleSummarySchema = z.object({ id: ArticleIdSchema, title: z.string(), summary: z.string(), checks: z.array(CheckIdSchema) });
/** An article as listed. */
export type ArticleSummary = z.infer<typeof ArticleSummarySchema>;
/** An article with its markdown body. */
export const ArticleSchema = ArticleSummarySchema.extend({ markdown: z.string() });
/** An article with its markdown body. */
export type Article = z.infer<typeof ArticleSchema>;

/**
 * Normalizes what a technician types as the camera address: `192.168.0.20`, `cam1.site.lan:8080` or
 * `http://…` become `http://host[:port]`. Returns null when it is not a usable http(s) address.
 */
export function normalizeCameraUrl(input: string): string | null {
  // Parsed by hand: shared/ has no URL global (lib ES2022 only), and only scheme, host and port matter here.
  const m = /^(?:(https?):\/\/)?(\[[^\]]+\]|[^\s/:?#@[\]]+)(?::(\d{1,5}))?\/?$/i.exec(input.trim());
  if (!m) return null;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const bracketed = m[2].startsWith('[');
  const host = bracketed ? m[2].slice(1, -1) : m[2];
  if (bracketed ? !(isIpLiteral(host) && host.includes(':')) : !(isIpLiteral(host) || isHostName(host))) return null;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return null;
  return `${scheme}://${bracketed ? `[${host}]` : host.toLowerCase()}${port !== undefined ? `:${port}` : ''}`;
}

// ---------------------------------------------------------------- SMTP

/** One SMTP reply: code, optional enhanced status (RFC 3463) and the text lines without the code. */
export interface SmtpReply {
  code: number;
  enhanced?: string;
  lines: string[];
}

/** What an SMTP reply means for a camera that can neither log in nor start TLS. */
export type SmtpReplyMeaning =
  | 'ok'
  | 'needs-starttls'
  | 'needs-auth'
  | 'relay-denied'
  | 'sender-rejected'
  | 'recipient-rejected'
  | 'temporary'
  | 'service-unavailable'
  | 'rejected';

/** Parses the text after the code into an enhanced status code when one leads it (`5.7.0 Must issue…`). */
export function splitEnhanced(text: string): { enhanced?: string; text: string } {
  const m = /^([245]\.\d{1,3}\.\d{1,3})\s+(.*)$/.exec(text);
  return m ? { enhanced: m[1], text: m[2] } : { text };
}

/**
 * Interprets a reply to MAIL FROM, RCPT TO or DATA. The wording of real servers varies, so the enhanced code
 * decides first (RFC 3463/RFC 4954: 5.7.0 + STARTTLS, 5.7.0/5.7.11/5.7.57 auth, 5.7.1 relay), then the text.
 */
export function classifySmtpReply(stage: 'mail' | 'rcpt' | 'data', r: SmtpReply): SmtpReplyMeaning {
  const text = r.lines.join(' ').toLowerCase();
  if (r.code >= 200 && r.code < 400) return 'ok';
  if (r.code === 421) return 'service-unavailable';
  if (/starttls|tls required|must issue a starttls|encryption required|secure connection/.test(text)) return 'needs-starttls';
  if (r.code === 530 || r.code === 535 || r.code === 538 || r.enhanced === '5.7.57' || r.enhanced === '5.7.11' || /authenticat|auth required|login required|not authenticated/.test(text)) {
    return 'needs-auth';
  }
  if (r.code >= 400 && r.code < 500) return 'temporary';
  if (stage === 'rcpt' && (/relay|not permitted|not allowed to send/.test(text) || r.enhanced === '5.7.1')) return 'relay-denied';
  if (stage === 'rcpt' && (r.code === 550 || r.code === 551 || r.code === 553 || r.code === 554)) return 'recipient-rejected';
  if (stage === 'mail' && (r.code === 550 || r.code === 553 || r.code === 554 || r.code === 501)) return 'sender-rejected';
  if (r.code === 554) return 'service-unavailable';
  return 'rejected';
}

/** What the server advertised in its EHLO reply. */
export interface EhloCapabilities {
  starttls: boolean;
  auth: string[];
  size?: number;
  pipelining: boolean;
  eightBitMime: boolean;
  /** Every keyword line as the server sent it (the first line, the greeting, excluded). */
  extensions: string[];
}

/** Parses the lines of a 250 EHLO reply (first line is the server's greeting). */
export function parseEhlo(lines: readonly string[]): EhloCapabilities {
  const ext = lines.slice(1).map((l) => l.trim()).filter(Boolean);
  const kw = (l: string) => l.split(/[\s=]/)[0].toUpperCase();
  const auth = new Set<string>();
  let size: number | undefined;
  for (const l of ext) {
    const k = kw(l);
    // "AUTH=LOGIN PLAIN" is the pre-RFC 4954 form still sent by some servers.
    if (k === 'AUTH') for (const m of l.slice(5).trim().split(/\s+/)) if (m) auth.add(m.toUpperCase());
    if (k === 'SIZE') {
      const n = Number(l.split(/\s+/)[1]);
      if (Number.isFinite(n)) size = n;
    }
  }
  return {
    starttls: ext.some((l) => kw(l) === 'STARTTLS'),
    auth: [...auth],
    ...(size !== undefined ? { size } : {}),
    pipelining: ext.some((l) => kw(l) === 'PIPELINING'),
    eightBitMime: ext.some((l) => kw(l) === '8BITMIME'),
    extensions: ext,
  };
}

/** Formats a reply as it appeared on the wire, for messages (`530 5.7.0 Must issue a STARTTLS command first`). */
export function formatReply(r: SmtpReply): string {
  return `${r.code}${r.enhanced ? ' ' + r.enhanced : ''} ${r.lines.join(' / ')}`.trim();
}

/** The verdict on the MAIL FROM reply (the first command where a server demands AUTH or STARTTLS). */
export function senderOutcome(r: SmtpReply, from: string): CheckOutcome {
  const said = formatReply(r);
  switch (classifySmtpReply('mail', r)) {
    case 'ok':
      return { verdict: 'pass', message: `Accepted MAIL FROM:<${from}> with no login and no TLS, as the camera sends it (${said}).` };
    case 'needs-starttls':
      return {
        verdict: 'fail',
        message: `The server demands STARTTLS before accepting mail (${said}); the camera cannot do TLS.`,
        fix: 'Point the camera at a local relay that accepts plain SMTP (this app\'s relay), and let the relay forward with TLS.',
        article: 'local-relay',
      };
    case 'needs-auth':
      return {
        verdict: 'fail',
        message: `The server demands a login before accepting mail (${said}); the camera cannot log in.`,
        fix: "Allow the camera's IP to send without a login on this server, or use a local relay that forwards with the login.",
        article: 'local-relay',
      };
    case 'temporary':
      return { verdict: 'warn', message: `The server deferred MAIL FROM (${said}); the camera does not retry.`, fix: 'Run the doctor again; if it repeats, read the server log for the reason.', article: 'smtp-transcript' };
    default:
      return {
        verdict: 'fail',
        message: `The server refused the sender <${from}> (${said}).`,
        fix: "Use a From address the server accepts (the handler's From field), or allow it on the server.",
        article: 'smtp-transcript',
      };
  }
}

/** The verdict on the RCPT TO reply: accepted, relaying refused, or another refusal. */
export function recipientOutcome(r: SmtpReply, to: string, client?: string): CheckOutcome {
  const said = formatReply(r);
  const who = client ? `this laptop (${client})` : 'this laptop';
  switch (classifySmtpReply('rcpt', r)) {
    case 'ok':
      return { verdict: 'pass', message: `Accepted RCPT TO:<${to}> from ${who} without a login (${said}).` };
    case 'relay-denied':
      return {
        verdict: 'fail',
        message: `The server refuses to relay to <${to}> for ${who} (${said}); unless its allow-list has the camera's IP, the camera's mail is lost the same way.`,
        fix: "Add the camera's IP address (and this laptop's, for the test) to the server's relay allow-list.",
        article: 'local-relay',
      };
    case 'needs-auth':
      return {
        verdict: 'fail',
        message: `The server only relays after a login (${said}); the camera cannot log in.`,
        fix: "Allow unauthenticated relay for the camera's IP, or use a local relay that forwards with the login.",
        article: 'local-relay',
      };
    case 'needs-starttls':
      return { verdict: 'fail', message: `The server demands STARTTLS (${said}); the camera cannot do TLS.`, fix: 'Use a local relay that accepts plain SMTP.', article: 'local-relay' };
    case 'temporary':
      return { verdict: 'warn', message: `The server deferred the recipient (${said}); the camera does not retry.`, fix: 'Run the doctor again; if it repeats, read the server log for the reason.', article: 'smtp-transcript' };
    default:
      return {
        verdict: 'fail',
        message: `The server refused the recipient <${to}> (${said}).`,
        fix: 'Check the To address for typos, or ask the mail administrator why the server refuses it.',
        article: 'smtp-transcript',
      };
  }
}

/** The verdict on the EHLO step: what the server advertises and whether that will trouble the camera. */
export function greetingOutcome(banner: SmtpReply, ehlo: SmtpReply | undefined, usedHelo: boolean, caps: EhloCapabilities | undefined): CheckOutcome {
  const details = { banner: formatReply(banner), ehlo: ehlo ? formatReply(ehlo) : undefined, usedHelo, capabilities: caps };
  if (banner.code !== 220) {
    return {
      verdict: 'fail',
      message: `The server greeted with ${formatReply(banner)} instead of 220: it does not accept mail now.`,
      fix: 'Check that the mail service is running and accepts connections from this network.',
      details,
    };
  }
  if (!ehlo || ehlo.code !== 250) {
    return {
      verdict: 'fail',
      message: `The server refused EHLO and HELO${ehlo ? ` (${formatReply(ehlo)})` : ''}.`,
      fix: 'Read the transcript in the details; the server refuses this client before any mail is sent.',
      details,
    };
  }
  const notes: string[] = [];
  if (caps?.starttls) notes.push('offers STARTTLS');
  if (caps && caps.auth.length > 0) notes.push(`offers AUTH ${caps.auth.join(' ')}`);
  const offers = notes.length ? `; it ${notes.join(' and ')}, which the camera ignores (only a demand for them is a problem)` : '';
  return { verdict: 'pass', message: `Banner 220 and ${usedHelo ? 'HELO' : 'EHLO'} accepted${offers}.`, details };
}

// ---------------------------------------------------------------- clocks and NTP

/**
 * Clock thresholds. ONVIF logins use a WS-Security UsernameToken whose Created time the camera checks against
 * its own clock; common implementations reject tokens more than 5 minutes off (Apache WSS4J's default
 * time-to-live is 300 s). Anything over a few seconds already makes e-mail timestamps misleading.
 */
export const CLOCK_WARN_MS = 5_000;
/** Above this skew ONVIF logins are likely refused. */
export const CLOCK_FAIL_MS = 300_000;

/** Formats a signed millisecond offset for people (`+2.4 s`, `−3 min 10 s`, `+1 h 2 min`). */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const a = Math.abs(ms);
  // Round once per unit before splitting, so 3599.9 s reads "1 h 0 min", never "59 min 60 s".
  if (Math.round(a) < 1000) return `${sign}${Math.round(a)} ms`;
  const tenths = Math.round(a / 100) / 10;
  if (tenths < 60) return `${sign}${tenths.toFixed(1)} s`;
  const s = Math.round(a / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round(a / 60_000);
  if (m < 1440) return `${sign}${Math.floor(m / 60)} h ${m % 60} min`;
  return `${sign}${(a / 86_400_000).toFixed(1)} days`;
}

/** The verdict on a clock difference: `what` names the clock, `against` the reference (positive = ahead). */
export function clockOutcome(offsetMs: number, what: string, against: string, fix: string): CheckOutcome {
  const a = Math.abs(offsetMs);
  const dir = offsetMs >= 0 ? 'ahead of' : 'behind';
  const msg = `${what} is ${formatOffset(offsetMs).slice(1)} ${dir} ${against}`;
  const details = { offsetMs: Math.round(offsetMs) };
  if (a <= CLOCK_WARN_MS) return { verdict: 'pass', message: `${msg}.`, details };
  if (a <= CLOCK_FAIL_MS) return { verdict: 'warn', message: `${msg}: e-mail timestamps will be off.`, fix, details, article: 'ntp-clock-skew' };
  return { verdict: 'fail', message: `${msg}: ONVIF logins are likely refused and timestamps are wrong.`, fix, details, article: 'ntp-clock-skew' };
}

/** NTP kiss codes (RFC 4330 §8) that a technician may see, in plain words. */
export const KISS_CODES: Readonly<Record<string, string>> = {
  DENY: 'the server denies access to this client',
  RSTR: 'the server restricts access to this client',
  RATE: 'this client asks too often (rate limited)',
  INIT: 'the server has not synchronised yet',
  STEP: 'the server is stepping its clock',
};

/** What an SNTP answer looked like, as the verdict rules need it. */
export interface SntpReading {
  stratum: number;
  leap: number;
  offsetMs: number;
  roundTripMs: number;
  refId: string;
  kissCode?: string;
}

/** The verdict on the server's answer itself (not on the laptop's clock). */
export function ntpAnswerOutcome(r: SntpReading, server: string): CheckOutcome {
  const details = { ...r, offsetMs: Math.round(r.offsetMs), roundTripMs: Math.round(r.roundTripMs * 10) / 10 };
  if (r.kissCode !== undefined) {
    const why = KISS_CODES[r.kissCode] ?? 'the server refused to serve time';
    return {
      verdict: 'fail',
      message: `${server} sent a kiss-of-death "${r.kissCode}": ${why}.`,
      fix: 'Use another NTP server on the site network, or allow the camera and this laptop on this one.',
      details,
    };
  }
  if (r.stratum >= 16 || r.leap === 3) {
    return {
      verdict: 'warn',
      message: `${server} answers but is not synchronised itself (stratum ${r.stratum}, leap ${r.leap}).`,
      fix: 'Let the NTP server synchronise to a reference first, or point the camera at one that is.',
      details,
    };
  }
  return {
    verdict: 'pass',
    message: `${server} answers: stratum ${r.stratum}, round trip ${details.roundTripMs} ms, reference ${r.refId || 'unknown'}.`,
    details,
  };
}

// ---------------------------------------------------------------- camera

/** The verdict on the firmware version: a warning when it reads older than the first fixed release. */
export function firmwareOutcome(version: string | undefined, model?: string): CheckOutcome {
  const label = `${model ? model + ' ' : ''}firmware ${version ?? '(unknown)'}`;
  if (!version || !/\d/.test(version)) {
    return {
      verdict: 'warn',
      message: `Could not read the firmware version (${version || 'none'}).`,
      fix: `Read the version on the camera page System > General and compare it with ${FIRST_PATCHED_FIRMWARE}.`,
      details: { version },
    };
  }
  if (isVulnerableFirmware(version)) {
    return {
      verdict: 'warn',
      message: `${label} is older than ${FIRST_PATCHED_FIRMWARE}, which has known vulnerabilities (CVE-2018-7228/7229/7781/7782).`,
      fix: 'Plan a firmware update from Pelco; until then keep the camera off untrusted networks and change the default password.',
      details: { version, firstPatched: FIRST_PATCHED_FIRMWARE },
    };
  }
  return { verdict: 'pass', message: `${label}.`, details: { version } };
}

/** The verdict on the handler count, knowing whether a Send Email handler exists already. */
export function handlersOutcome(used: number, sendEmailHandlers: number): CheckOutcome {
  const details = { used, max: MAX_HANDLERS, free: Math.max(0, MAX_HANDLERS - used), sendEmailHandlers };
  const count = `${used}/${MAX_HANDLERS} handlers used`;
  if (sendEmailHandlers === 0) {
    if (used >= MAX_HANDLERS) {
      return { verdict: 'fail', message: `${count} and none sends e-mail: the camera will refuse a new Send Email handler.`, fix: 'Delete an unused handler, then add the Send Email handler.', details };
    }
    return { verdict: 'fail', message: `${count}, none of them sends e-mail: no notification can leave the camera.`, fix: 'Add a Send Email handler linked to the event source (source first, then handler).', details };
  }
  if (used >= MAX_HANDLERS) {
    return { verdict: 'warn', message: `${count} (all): e-mail is set up, but no further handler can be added.`, fix: 'Delete unused handlers before adding another one.', details };
  }
  return { verdict: 'pass', message: `${count}, ${sendEmailHandlers} Send Email handler${sendEmailHandlers === 1 ? '' : 's'}.`, details };
}

/** The verdict on Camera Sabotage: it must be active to trigger the test; sensitivity 10 only for the test. */
export function sabotageOutcome(active: boolean, sensitivity: number | undefined): CheckOutcome {
  const details = { active, sensitivity };
  if (!active) {
    return {
      verdict: 'fail',
      message: 'Camera Sabotage is not active: covering the lens will not trigger an event.',
      fix: 'Tick "Activate Behavior" for Camera Sabotage under Analytics, then set Sensitivity 10 for the test.',
      details,
    };
  }
  if (sensitivity === 10) {
    return { verdict: 'pass', message: 'Camera Sabotage is active at sensitivity 10 (the test setting); set it back once the e-mail arrives.', details };
  }
  return {
    verdict: 'warn',
    message: `Camera Sabotage is active at sensitivity ${sensitivity ?? 'unknown'}: a partial cover may not trigger it during the test.`,
    fix: 'For the on-site test set Sensitivity to 10, then back to what the scene needs once the e-mail arrives.',
    details,
  };
}

/** Sender address used when the camera's handler does not give one (the domain follows the recipient's). */
export function probeSender(to: string | undefined): string {
  const domain = to?.split('@')[1];
  return `sarix-camera@${domain && (isHostName(domain) || parseIp(domain)) ? domain : 'localhost'}`;
}
