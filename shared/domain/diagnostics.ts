/**
 * The doctor's vocabulary: check ids and their catalog, verdicts, the request and report shapes and the
 * knowledge-base article shapes. The pure verdict rules that judge what a probe saw live in doctor-verdicts.ts and
 * are re-exported here, so callers import everything about the doctor from this one module.
 */
import { z } from 'zod';
import { KeyedTextSchema, type KeyedLine, type KeyedText } from '../i18n/keyed-text';
import { says } from './doctor-says';
import { isHostName, isIpLiteral } from './net-address';

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
  /** The catalog key of the message, so each host shows it in the technician's language (shared/i18n/keyed-text.ts). */
  messageText: KeyedTextSchema.optional(),
  /** The catalog key of the fix. */
  fixText: KeyedTextSchema.optional(),
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
  /** The catalog key of the message (set by `says`). */
  messageText?: KeyedText;
  /** The catalog key of the fix (set by `says`). */
  fixText?: KeyedText;
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
    ...(o.messageText ? { messageText: o.messageText } : {}),
    ...(o.fixText && o.fix ? { fixText: o.fixText } : {}),
    article: o.article ?? c.article,
    details: o.details ?? {},
    durationMs: Math.max(0, durationMs),
  };
}

/** A skipped check with the reason (and what to do to run it). */
export function skipped(id: CheckId, message: KeyedLine, fix?: KeyedLine): CheckResult {
  return checkResult(id, { verdict: 'skipped', ...says(message, fix) });
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
    /** Chosen by the caller so it can match the run's events, which may arrive before `doctor:start` answers. */
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

export * from './doctor-verdicts';
export { says } from './doctor-says';
