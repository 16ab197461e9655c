/**
 * The site journal: what was done on a site, one entry per event, kept append-only so it can be handed over,
 * merged and turned into the hand-over report. Entries are zod schemas (they are written to disk, exported,
 * imported and validated again), plus the pure rules around them: the site's folder name, the redaction of SMTP
 * transcripts, and the export file's shape. Pure: no node:*, no I/O.
 */
import { z } from 'zod';
import { ChangeValueSchema, StepStatusSchema } from './commissioning';
import { FoundBySchema, ServerStatusSchema, VerdictLevelSchema } from './mail-servers';
import { TranscriptLineSchema, type TranscriptLine } from './relay';

/** Who a site belongs to and who works on it (Settings > Site; printed on the report's cover). */
export const SiteDetailsSchema = z.object({
  name: z.string().trim().min(1, 'the site needs a name').max(80),
  address: z.string().max(200).default(''),
  customer: z.string().max(120).default(''),
  integrator: z.string().max(120).default(''),
  technician: z.string().max(80).default(''),
});
/** Site details after defaults. */
export type SiteDetails = z.infer<typeof SiteDetailsSchema>;

/** The name used when the technician has not named the site yet. */
export const UNNAMED_SITE = 'Unnamed site';

/**
 * The folder name of a site: lower-case ASCII letters, digits and dashes (accents dropped, so "Köln Süd" is
 * `koln-sud`); the same on every OS and safe in a path. Two names that differ only in accents or punctuation
 * share one journal, on purpose: a technician who types the name again slightly differently finds the same site.
 */
export function siteSlug(name: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
  return s || 'unnamed-site';
}

/** The camera as the journal names it. */
export const JournalCameraSchema = z.object({
  ip: z.string(),
  model: z.string(),
  mac: z.string(),
  firmware: z.string(),
  name: z.string(),
});
/** The camera as the journal names it. */
export type JournalCamera = z.infer<typeof JournalCameraSchema>;

/** A file on the technician's computer and its SHA-256 (backups). */
export const HashedFileSchema = z.object({ file: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });

/** The picture kept as evidence: a scaled copy of the test e-mail's snapshot, stored beside the journal by hash. */
export const EvidencePictureSchema = z.object({
  /** SHA-256 of the stored (scaled) JPEG; its file is `snapshots/<sha256>.jpg`. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  bytes: z.number().int().nonnegative(),
  /** The attachment as the camera sent it. */
  original: z.object({ filename: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/), bytes: z.number().int().nonnegative() }),
});
/** The evidence picture. */
export type EvidencePicture = z.infer<typeof EvidencePictureSchema>;

/** One change as the change log shows it: which step, which field, before and after, and what became of it. */
export const LoggedChangeSchema = z.object({ step: z.string(), field: z.string(), from: ChangeValueSchema, to: ChangeValueSchema, status: StepStatusSchema });
/** One change in the change log. */
export type LoggedChange = z.infer<typeof LoggedChangeSchema>;

/** What the plan set on the camera (the site profile as applied). */
export const AppliedSettingsSchema = z.object({
  smtpServer: z.string(),
  ntpServer: z.string(),
  to: z.string(),
  from: z.string(),
  subject: z.string(),
  sourceName: z.string(),
  handlerName: z.string(),
  behaviour: z.string(),
});
/** What the plan set on the camera. */
export type AppliedSettings = z.infer<typeof AppliedSettingsSchema>;

/** The test e-mail as evidence. */
export const TestEvidenceSchema = z.object({
  /** When the test event was triggered (ISO). */
  eventAt: z.string(),
  /** When the relay stored the e-mail (ISO). */
  receivedAt: z.string(),
  latencyMs: z.number().nonnegative(),
  /** The Message-ID header of the test e-mail. */
  messageId: z.string(),
  /** The relay's id of the stored message. */
  relayMessageId: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  /** The e-mail's Date header (the camera clock), ISO, when it had one. */
  dateHeader: z.string().optional(),
  snapshot: EvidencePictureSchema.optional(),
  /** The SMTP session the camera sent it in, redacted. */
  transcript: z.object({ sessionId: z.string(), clientIp: z.string(), lines: z.array(TranscriptLineSchema) }).optional(),
});
/** The test e-mail as evidence. */
export type TestEvidence = z.infer<typeof TestEvidenceSchema>;

/** The relay's forwarding of a message upstream. */
export const ForwardOutcomeSchema = z.enum(['queued', 'delivered', 'expired']);

/** The relay as configured (never a secret: no password, no login, no CA). */
export const RelaySetupSchema = z.object({
  status: z.string(),
  listenAddress: z.string().optional(),
  port: z.number().int().optional(),
  allow: z.array(z.string()),
  forward: z.object({ host: z.string(), port: z.number().int(), security: z.enum(['none', 'starttls', 'tls']), verifyCertificate: z.boolean() }).optional(),
  queueLength: z.number().int().nonnegative(),
  queue: z.array(z.object({ state: z.string(), attempts: z.number().int(), lastError: z.string().optional() })).default([]),
});
/** The relay as configured. */
export type RelaySetup = z.infer<typeof RelaySetupSchema>;

/**
 * One server of a mail-server search as the journal keeps it: where it is, what runs there, how it was found and
 * whether the camera may use it (docs/camera.md §1: plain SMTP on 25 to a local server, no login, no TLS). The
 * SMTP transcript stays out: the verdict in plain words is the evidence the report needs.
 */
export const FoundMailServerSchema = z.object({
  /** The name (or address) shown for the server. */
  host: z.string(),
  address: z.string().optional(),
  port: z.number().int(),
  /** What to enter in the camera's SMTP server field (a name that resolves from the camera's DNS, else the address). */
  useHost: z.string().optional(),
  /** The mail software named in the greeting (e.g. Postfix, Exchange). */
  software: z.string().optional(),
  isLocal: z.boolean(),
  /** mx and srv: the site's DNS; subnet: the opt-in probe. */
  foundBy: z.array(FoundBySchema),
  status: ServerStatusSchema,
  level: VerdictLevelSchema,
  /** True when the camera can send through it as it is (a local server that takes its mail without a login or TLS). */
  isUsableByCamera: z.boolean(),
  headline: z.string(),
  fix: z.string(),
  caveat: z.string().optional(),
});
/** One server of a mail-server search. */
export type FoundMailServer = z.infer<typeof FoundMailServerSchema>;

/** Who owns an open item. */
export const ItemOwnerSchema = z.enum(['technician', 'integrator', 'customer']);
/** Who owns an open item. */
export type ItemOwner = z.infer<typeof ItemOwnerSchema>;

const base = {
  /** Format version of the entry. */
  v: z.literal(1),
  /** Unique id (merging two journals keeps one of each). */
  id: z.string().min(8).max(64),
  /** When it happened (ISO, UTC). */
  at: z.string(),
  /** The technician named in Settings at the time. */
  by: z.string().max(80),
};

/** Every kind of journal entry. */
export const JournalEntrySchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('site'), site: SiteDetailsSchema }),
  z.object({
    ...base,
    kind: z.literal('found'),
    camera: z.object({ ip: z.string(), mac: z.string(), model: z.string(), name: z.string(), firmware: z.string(), methods: z.array(z.string()) }),
  }),
  z.object({
    ...base,
    kind: z.literal('commissioning'),
    operationId: z.string(),
    url: z.string(),
    label: z.string().optional(),
    camera: JournalCameraSchema.optional(),
    /** pass, fail, or planned (a dry run: nothing changed). */
    verdict: z.enum(['pass', 'fail', 'planned']),
    /** Whether the plan included the test e-mail. */
    tested: z.boolean(),
    settings: AppliedSettingsSchema.optional(),
    sensitivityBefore: z.number().int().optional(),
    sensitivityLeft: z.number().int().optional(),
    steps: z.array(z.object({ id: z.string(), status: StepStatusSchema, detail: z.string().optional() })),
    changes: z.array(LoggedChangeSchema),
    test: TestEvidenceSchema.optional(),
    backup: HashedFileSchema.optional(),
    rolledBack: z.boolean(),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    warnings: z.array(z.string()),
    durationMs: z.number().nonnegative(),
  }),
  z.object({
    ...base,
    /** A test e-mail run on its own (the wizard's test step, first or again), recorded as a commissioning's test is. */
    kind: z.literal('test'),
    operationId: z.string(),
    origin: z.enum(['wizard']),
    url: z.string(),
    label: z.string().optional(),
    camera: JournalCameraSchema.optional(),
    attempt: z.number().int().positive(),
    verdict: z.enum(['pass', 'fail', 'stopped']),
    latencyMs: z.number().nonnegative().optional(),
    /** The evidence when the e-mail arrived. */
    test: TestEvidenceSchema.optional(),
    /** Why no e-mail came (a failed run). */
    cause: z.string().optional(),
  }),
  z.object({
    ...base,
    kind: z.literal('rollback'),
    url: z.string(),
    mac: z.string(),
    backup: HashedFileSchema.optional(),
    backupSavedAt: z.string().optional(),
    verified: z.boolean(),
    differences: z.array(z.string()),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  }),
  z.object({
    ...base,
    kind: z.literal('doctor'),
    operationId: z.string(),
    cameraUrl: z.string().optional(),
    cameraMac: z.string().optional(),
    counts: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int(), skipped: z.number().int() }),
    checks: z.array(z.object({ id: z.string(), verdict: z.enum(['pass', 'warn', 'fail', 'skipped']), message: z.string(), fix: z.string() })),
    /** Camera clock minus this laptop's, ms (camera-clock check). */
    cameraVsLaptopMs: z.number().optional(),
    /** This laptop's clock minus the NTP server's, ms (ntp-laptop-clock check). */
    laptopVsNtpMs: z.number().optional(),
  }),
  z.object({
    ...base,
    kind: z.literal('forward'),
    relayMessageId: z.string(),
    outcome: ForwardOutcomeSchema,
    attempts: z.number().int().nonnegative(),
    lastError: z.string().optional(),
  }),
  z.object({ ...base, kind: z.literal('relay'), relay: RelaySetupSchema }),
  z.object({
    ...base,
    kind: z.literal('mail-servers'),
    /** The finder's operation id (`at` is when the search finished). */
    operationId: z.string(),
    startedAt: z.string(),
    /** The site mail domains asked about in DNS (empty: DNS not used or none known). */
    domains: z.array(z.string()),
    /** The subnets probed (empty: no probe). */
    subnets: z.array(z.string()),
    isCancelled: z.boolean(),
    summary: z.string(),
    recommended: z.object({ host: z.string(), address: z.string(), software: z.string().optional() }).optional(),
    servers: z.array(FoundMailServerSchema),
  }),
  z.object({
    ...base,
    kind: z.literal('note'),
    text: z.string().min(1).max(1000),
    owner: ItemOwnerSchema,
    /** The camera it is about (MAC), if any. */
    cameraMac: z.string().optional(),
    /** A note can close an earlier one by its id. */
    closes: z.string().optional(),
  }),
]);
/** One journal entry. */
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
/** The kinds of entries. */
export type JournalKind = JournalEntry['kind'];
/** One entry of a kind. */
export type JournalEntryOf<K extends JournalKind> = Extract<JournalEntry, { kind: K }>;
/** What a caller passes to record(): the entry without the fields the journal fills in. */
export type JournalInput = { [K in JournalKind]: Omit<JournalEntryOf<K>, 'v' | 'id' | 'at' | 'by'> & { at?: string; by?: string } }[JournalKind];

/** The export file of one site: every entry and every evidence picture, so a colleague can finish the job. */
export const SiteExportSchema = z.object({
  format: z.literal('sarix-site-export'),
  version: z.literal(1),
  exportedAt: z.string(),
  appVersion: z.string(),
  site: SiteDetailsSchema,
  entries: z.array(z.unknown()),
  /** Evidence pictures by SHA-256, base64. */
  pictures: z.record(z.string().regex(/^[0-9a-f]{64}$/), z.string()),
});
/** The export file of one site. */
export type SiteExport = z.infer<typeof SiteExportSchema>;

/**
 * Redacts an SMTP transcript for the report: the argument of AUTH and every line the client sends in answer to a
 * 334 challenge (base64 user names and passwords, RFC 4954 §4) become `[redacted]`, and any of the given secrets
 * is blanked wherever it appears. Cameras never log in (docs/camera.md §6), but NVRs and test tools on the same
 * relay do, and the relay records their commands.
 */
export function redactTranscript(lines: readonly TranscriptLine[], secrets: readonly string[] = []): TranscriptLine[] {
  const out: TranscriptLine[] = [];
  let inAuth = false;
  const blank = (s: string) => secrets.filter((x) => x.length >= 3).reduce((acc, x) => acc.split(x).join('[redacted]'), s);
  for (const l of lines) {
    let line = l.line;
    if (l.dir === 'C') {
      const m = /^(\s*AUTH\s+\S+)(\s+.*)?$/i.exec(line);
      if (m) {
        line = m[2] ? `${m[1]} [redacted]` : m[1];
        inAuth = true;
      } else if (inAuth) {
        line = line.trim() === '*' ? line : '[redacted]';
      }
    } else if (l.dir === 'S') {
      inAuth = /^334\b/.test(line);
    }
    // smtp-server's own log of a login names the user; the password never appears there, but a secret might.
    out.push({ ...l, line: blank(line) });
  }
  return out;
}
