/**
 * Guided commissioning: the site profile a technician enters, the fixed plan of steps
 * (docs/camera.md §1 setup order), per-step results and changes, the per-camera result, and the pure rules:
 * profile validation, matching the test e-mail to the camera, and the likely causes of a failed test.
 */
import { z } from 'zod';
import { AnalyticsSettingsSchema, BehaviourStateSchema, checkEmailAddress, checkName, checkSensitivity, EventHandlerSchema, keyedProblem, EventSourceSchema, GeneralSettingsSchema, RawFormSchema, type RuleProblem } from './camera';
import { isHostName, parseIp } from './net-address';
import { msg } from '../i18n/messages';
import { TestStartSchema } from './test-queue';

/** The steps, in the order they run (docs/camera.md §1). */
export const STEP_IDS = ['credentials', 'smtp-ntp', 'source', 'handler', 'sabotage', 'test-run', 'restore-sensitivity', 'final-smtp'] as const;
/** One step id. */
export type StepId = (typeof STEP_IDS)[number];

/** The catalog keys of the step titles (shared/i18n: stable handles for the wording in every language). */
export const STEP_TITLE_KEYS: Record<StepId, string> = {
  credentials: 'commissioning.step.credentials',
  'smtp-ntp': 'commissioning.step.smtp-ntp',
  source: 'commissioning.step.source',
  handler: 'commissioning.step.handler',
  sabotage: 'commissioning.step.sabotage',
  'test-run': 'commissioning.step.test-run',
  'restore-sensitivity': 'commissioning.step.restore-sensitivity',
  'final-smtp': 'commissioning.step.final-smtp',
};

/** Human titles of the steps (English; hosts show STEP_TITLE_KEYS in the technician's language). */
export const STEP_TITLES = Object.fromEntries(STEP_IDS.map((id) => [id, msg(STEP_TITLE_KEYS[id])])) as Record<StepId, string>;

/** Where a step stands. `planned` is a dry-run answer; `rolled-back` means it was applied then undone. */
export const StepStatusSchema = z.enum(['pending', 'running', 'done', 'unchanged', 'planned', 'skipped', 'failed', 'rolled-back']);
/** Where a step stands. */
export type StepStatus = z.infer<typeof StepStatusSchema>;

/** A value as shown in a change (settings are strings, numbers, booleans or lists). */
export const ChangeValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.string()), z.null()]);
/** One exact change a step makes (what --dry-run prints). */
export const ChangeSchema = z.object({ field: z.string(), from: ChangeValueSchema, to: ChangeValueSchema });
/** One exact change a step makes. */
export type Change = z.infer<typeof ChangeSchema>;

/** The result of one step. */
export const StepResultSchema = z.object({
  id: z.enum(STEP_IDS),
  title: z.string(),
  status: StepStatusSchema,
  durationMs: z.number(),
  changes: z.array(ChangeSchema),
  /** One line for the technician (what happened or what to do). */
  detail: z.string().optional(),
});
/** The result of one step. */
export type StepResult = z.infer<typeof StepResultSchema>;

/** The site profile applied to every camera of a job. */
export const SiteProfileSchema = z.object({
  /** The SMTP server the camera keeps after commissioning (a LOCAL server or relay, docs/camera.md §1). */
  smtpServer: z.string().min(1),
  ntpServer: z.string().min(1),
  to: z.string().min(1),
  from: z.string().min(1),
  subject: z.string().max(128).default('Sarix camera alert: Camera Sabotage'),
  message: z.string().max(1000).default('Camera Sabotage was detected. This e-mail was set up and tested with Sarix Commissioner.'),
  /**
   * Camera Sabotage sensitivity after the test (default: the value found before the test). Any number parses:
   * `checkSiteProfile` refuses what is not a whole number 1–10 with a message that says so (never clamped).
   */
  sceneSensitivity: z.number().optional(),
  sourceName: z.string().default('Sabotage'),
  handlerName: z.string().default('SabotageMail'),
  jpegSnapshot: z.boolean().default(true),
  rawEventData: z.boolean().default(true),
});
/** The site profile after defaults. */
export type SiteProfile = z.infer<typeof SiteProfileSchema>;
/** The site profile as a caller writes it. */
export type SiteProfileInput = z.input<typeof SiteProfileSchema>;

/** One camera to commission (the password never leaves the machine side in answers). */
export const CameraTargetSchema = z.object({
  url: z.string().min(1),
  username: z.string().min(1),
  password: z.string(),
  /** A label from the batch file (optional). */
  name: z.string().optional(),
});
/** One camera to commission. */
export type CameraTarget = z.infer<typeof CameraTargetSchema>;

/** How the test run is done. */
export const TestModeSchema = z.enum(['auto', 'skip']);

/** Options of one commissioning job. */
export const CommissionOptionsSchema = z.object({
  dryRun: z.boolean().default(false),
  /** 'skip' leaves the test out (the SMTP server is set to the final one directly). */
  testMode: TestModeSchema.default('auto'),
  /** How long the test run waits for the e-mail. */
  testTimeoutMs: z.number().int().min(1000).max(30 * 60_000).default(120_000),
  /** Cameras commissioned at once in a batch. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /**
   * When a camera's test starts once its turn comes (tests run one at a time, in the order of the targets, which
   * the technician can change while the job runs): `auto` at once; `technician` a real camera waits until the
   * technician says they stand at it (practice cameras trigger themselves either way).
   */
  testStart: TestStartSchema.default('auto'),
});
/** Options of one job after defaults. */
export type CommissionOptions = z.infer<typeof CommissionOptionsSchema>;

/** The e-mail the test run received (what the relay saw). */
export const TestMessageSchema = z.object({
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), size: z.number() })),
  /** The relay's id of the stored message (to fetch its snapshot for the hand-over report). */
  relayId: z.string().optional(),
  /** The Message-ID header. */
  messageId: z.string().optional(),
  /** The relay's SMTP session id (its transcript). */
  sessionId: z.string().optional(),
  /** When the relay stored it (ISO). */
  receivedAt: z.string().optional(),
});
/** The e-mail the test run received. */
export type TestMessage = z.infer<typeof TestMessageSchema>;

const ParamValueSchema = z.union([z.string(), z.number(), z.boolean()]);
/**
 * A message's catalog key and parameters (shared/i18n), sent next to its English text so the renderer and the CLI
 * can show it in the technician's language; a parameter may itself be a keyed message.
 */
export const KeyedTextSchema = z.object({
  key: z.string(),
  // A sub-message's own parameters may nest further (a rule's field label inside its problem).
  params: z.record(z.string(), z.union([ParamValueSchema, z.object({ key: z.string(), params: z.record(z.string(), z.any()).optional() })])).optional(),
});
/** A keyed message next to its English text. */
export type KeyedTextValue = z.infer<typeof KeyedTextSchema>;
/** A failure as a result or a session keeps it: code, English message, and its catalog key when it has one. */
export const KeyedErrorSchema = z.object({ code: z.string(), message: z.string(), key: z.string().optional(), params: KeyedTextSchema.shape.params });

/** What one camera's commissioning ended with. */
export const CameraResultSchema = z.object({
  operationId: z.string(),
  url: z.string(),
  label: z.string().optional(),
  camera: z.object({ ip: z.string(), model: z.string(), mac: z.string(), firmware: z.string(), name: z.string() }).optional(),
  /** pass: every step done and the e-mail arrived; fail: stopped (and rolled back); planned: dry run. */
  verdict: z.enum(['pass', 'fail', 'planned']),
  steps: z.array(StepResultSchema),
  /** What the plan sets on the camera (the profile as applied), for the site journal and the report. */
  applied: z
    .object({ smtpServer: z.string(), ntpServer: z.string(), to: z.string(), from: z.string(), subject: z.string(), sourceName: z.string(), handlerName: z.string(), behaviour: z.string() })
    .optional(),
  /** When the test event was triggered (ISO). */
  testEventAt: z.string().optional(),
  latencyMs: z.number().optional(),
  message: TestMessageSchema.optional(),
  sensitivityRestoredTo: z.number().optional(),
  /** The camera's place among the tests of its job (1 = tested first), when its test ran. */
  testedAs: z.number().int().optional(),
  error: KeyedErrorSchema.optional(),
  /** True when applied steps were undone after a failure and the camera reads back as before. */
  rolledBack: z.boolean(),
  /**
   * How the camera was left, decided by reading it back (never by which error path ran): `unchanged` nothing was
   * written to it; `commissioned` the plan passed; `restored` changes were made and the camera reads back exactly
   * as the backup; `differs` it still differs (see warnings); `unknown` it could not be read back; `planned` dry run.
   */
  endState: z.enum(['unchanged', 'commissioned', 'restored', 'differs', 'unknown', 'planned']).optional(),
  backupFile: z.string().optional(),
  warnings: z.array(z.string()),
  /** HTTP requests this camera took (benchmarks). */
  requests: z.number().int(),
  durationMs: z.number(),
});
/** What one camera's commissioning ended with. */
export type CameraResult = z.infer<typeof CameraResultSchema>;

/** A backup written by the first version: interpreted values only (kept readable; not restorable exactly). */
export const CameraBackupV1Schema = z.object({
  version: z.literal(1),
  savedAt: z.string(),
  url: z.string(),
  mac: z.string(),
  model: z.string(),
  general: GeneralSettingsSchema,
  /** The source and handler named by the profile as they were, or null when absent (rollback deletes them). */
  sourceName: z.string(),
  source: EventSourceSchema.nullable(),
  handlerName: z.string(),
  handler: EventHandlerSchema.nullable(),
  analytics: AnalyticsSettingsSchema,
});

/**
 * What is saved before any change, per camera (restored by rollback). The `forms` are the camera's forms exactly
 * as read (raw values, docs/camera.md §4): the undo writes back those and nothing else. The interpreted values
 * beside them are for people (reports, the dry run), never for the restore.
 */
export const CameraBackupV2Schema = z.object({
  version: z.literal(2),
  savedAt: z.string(),
  url: z.string(),
  mac: z.string(),
  model: z.string(),
  sourceName: z.string(),
  handlerName: z.string(),
  general: GeneralSettingsSchema,
  source: EventSourceSchema.nullable(),
  handler: EventHandlerSchema.nullable(),
  behaviour: BehaviourStateSchema,
  forms: z.object({ general: RawFormSchema, behaviour: RawFormSchema, source: RawFormSchema.nullable(), handler: RawFormSchema.nullable() }),
});
/** A backup with raw forms. */
export type CameraBackupV2 = z.infer<typeof CameraBackupV2Schema>;

/** What is saved before any change, per camera (restored by rollback). */
export const CameraBackupSchema = z.discriminatedUnion('version', [CameraBackupV1Schema, CameraBackupV2Schema]);
/** What is saved before any change. */
export type CameraBackup = z.infer<typeof CameraBackupSchema>;

/** Checks a site profile (not the SMTP locality, which needs name resolution: see checkSmtpHost). */
export function checkSiteProfile(p: SiteProfile): RuleProblem[] {
  const hostProblem = (field: string, v: string): RuleProblem | null => (parseIp(v) || isHostName(v) ? null : keyedProblem(field, 'commissioning.rule.host', { value: v }));
  const out: Array<RuleProblem | null> = [
    hostProblem('NTP server', p.ntpServer.trim()),
    checkEmailAddress('To', p.to),
    checkEmailAddress('From', p.from),
    checkName('Source name', p.sourceName),
    checkName('Handler name', p.handlerName),
    p.sceneSensitivity !== undefined ? checkSensitivity('Scene sensitivity', p.sceneSensitivity) : null,
    /[\r\n]/.test(p.subject) ? keyedProblem('Subject', 'commissioning.rule.subjectLines') : null,
    p.subject.trim() === '' ? keyedProblem('Subject', 'commissioning.rule.subjectEmpty') : null,
  ];
  return out.filter((x): x is RuleProblem => x !== null);
}

/** The relay message fields the matcher looks at. */
export interface RelayMessageLike {
  clientIp: string;
  from: string;
  headerFrom?: string;
  subject: string;
}

/** Strips an IPv4-mapped IPv6 prefix so `::ffff:10.0.0.5` equals `10.0.0.5`. */
export function plainIp(ip: string): string {
  return parseIp(ip)?.address ?? ip.trim().toLowerCase();
}

/** True when a relay message is this camera's test e-mail: same client IP, the handler's From and Subject. */
export function isTestMessage(m: RelayMessageLike, want: { cameraIp: string; from: string; subject: string }): boolean {
  if (plainIp(m.clientIp) !== plainIp(want.cameraIp)) return false;
  const from = want.from.trim().toLowerCase();
  const froms = [m.from, m.headerFrom ?? ''].map((f) => f.toLowerCase());
  if (!froms.some((f) => f === from || f.includes(`<${from}>`) || f.endsWith(` ${from}`))) return false;
  return m.subject.trim() === want.subject.trim();
}

/** Facts known when a test run timed out, for the likely causes. */
export interface TestFailureFacts {
  cameraIp: string;
  relayAddress: string;
  relayPort: number;
  /** Refusals the relay logged for this camera's IP while waiting. */
  refusals: string[];
  /** Messages from this camera's IP that did not match (From/Subject differ). */
  otherMessages: Array<{ from: string; subject: string }>;
  /** True when the trigger was automatic (simulator) and reported no detection. */
  triggerNotDetected?: string;
}

/** The likely causes of a failed test run, most likely first, each saying what to do. */
export function likelyTestCauses(f: TestFailureFacts): string[] {
  const out: string[] = [];
  if (f.triggerNotDetected) out.push(`The camera did not detect the event: ${f.triggerNotDetected}`);
  for (const r of f.refusals) out.push(`The relay refused ${f.cameraIp}: ${r}. Add the camera's address to the relay's allow-list.`);
  for (const m of f.otherMessages) out.push(`Mail from ${f.cameraIp} arrived but did not match (From "${m.from}", Subject "${m.subject}"): another handler may have sent it; check the handler's From and Subject.`);
  if (f.refusals.length === 0 && f.otherMessages.length === 0) {
    out.push(`Nothing reached the relay from ${f.cameraIp}. Check that the camera can reach ${f.relayAddress} on TCP ${f.relayPort} (same subnet, no firewall on this computer blocking port ${f.relayPort}).`);
    out.push('Cover the lens fully for several seconds: Camera Sabotage needs a clear change of the scene.');
    out.push("Check the handler's time filter (days and hours) on Events > Handlers: outside it the camera sends nothing.");
    out.push('Check the camera clock and NTP server: a wrong camera time can put the event outside the time filter.');
  }
  return out;
}
