/**
 * A step-by-step commissioning session (the wizard's machine side): one camera, opened by logging in and reading
 * it, then each step of the plan previewed (the camera's current values and the planned change), applied and
 * verified one at a time, the test run, and a safe end. The session is pulled by id, so a reloaded UI carries on.
 * Here live the shapes (zod, shared with the contract) and the pure rules: what each step is for, the pre-flight
 * verdicts, which cause a silent test points to first, and the scene-sensitivity input rule.
 */
import { z } from 'zod';
import { BehaviourStateSchema, checkSensitivity, EventHandlerSchema, EventSourceSchema, GeneralSettingsSchema, keyedProblem, SENSITIVITY_MAX, type RuleProblem } from './camera';
import { asParam, keyedText, msg, sub } from '../i18n/messages';
import { CameraResultSchema, ChangeSchema, KeyedErrorSchema, KeyedTextSchema, SiteProfileSchema } from './commissioning';
import { ArticleIdSchema, type ArticleId } from './diagnostics';

/** The steps a session applies one at a time, in the job's order (docs/camera.md §1). */
export const SESSION_STEP_IDS = ['smtp-ntp', 'source', 'handler', 'behaviour'] as const;
/** One configuration step of a session. */
export const SessionStepIdSchema = z.enum(SESSION_STEP_IDS);
/** One configuration step of a session. */
export type SessionStepId = z.infer<typeof SessionStepIdSchema>;

/** Why a step matters (one line, English), its catalog key (the renderer shows that), and the knowledge-base article. */
export const STEP_GUIDE: Record<SessionStepId | 'camera' | 'test' | 'scene', { why: string; whyKey: string; article: ArticleId }> = {
  camera: { why: msg('commissioning.why.camera'), whyKey: 'commissioning.why.camera', article: 'factory-defaults' },
  'smtp-ntp': { why: msg('commissioning.why.smtp-ntp'), whyKey: 'commissioning.why.smtp-ntp', article: 'local-relay' },
  source: { why: msg('commissioning.why.source'), whyKey: 'commissioning.why.source', article: 'setup-order' },
  handler: { why: msg('commissioning.why.handler'), whyKey: 'commissioning.why.handler', article: 'setup-order' },
  behaviour: { why: msg('commissioning.why.behaviour'), whyKey: 'commissioning.why.behaviour', article: 'setup-order' },
  test: { why: msg('commissioning.why.test'), whyKey: 'commissioning.why.test', article: 'smtp-transcript' },
  scene: { why: msg('commissioning.why.scene'), whyKey: 'commissioning.why.scene', article: 'setup-order' },
};

/** Where a configuration step stands in a session. */
export const SessionStepStatusSchema = z.enum(['pending', 'done', 'unchanged', 'failed', 'rolled-back']);

/** One value the camera holds now, as the step shows it (the keys, when present, show it in other languages). */
export const CurrentValueSchema = z.object({ label: z.string(), value: z.string(), labelI18n: KeyedTextSchema.optional(), valueI18n: KeyedTextSchema.optional() });
/** One value the camera holds now. */
export type CurrentValue = z.infer<typeof CurrentValueSchema>;

/** One configuration step: the camera's current values, the planned change, and how it went. */
export const SessionStepSchema = z.object({
  id: SessionStepIdSchema,
  title: z.string(),
  titleI18n: KeyedTextSchema.optional(),
  status: SessionStepStatusSchema,
  current: z.array(CurrentValueSchema),
  /** The exact change applying it would make now (empty: the camera already matches). */
  changes: z.array(ChangeSchema),
  why: z.string(),
  whyI18n: KeyedTextSchema.optional(),
  article: ArticleIdSchema,
  detail: z.string().optional(),
  detailI18n: KeyedTextSchema.optional(),
});
/** One configuration step. */
export type SessionStep = z.infer<typeof SessionStepSchema>;

/**
 * The profile of a session: the site profile plus the behaviour the test uses. Addresses may still be empty when
 * the session opens (the wizard asks for them in later steps); each step checks its own fields before it applies.
 */
export const SessionProfileSchema = SiteProfileSchema.extend({
  smtpServer: z.string().max(253),
  ntpServer: z.string().max(253),
  to: z.string().max(254),
  from: z.string().max(254),
  behaviour: z.string().default('Camera Sabotage'),
});
/** The profile of a session. */
export type SessionProfile = z.infer<typeof SessionProfileSchema>;
/** The profile of a session as a caller writes it. */
export type SessionProfileInput = z.input<typeof SessionProfileSchema>;

/**
 * Profile fields a session lets the technician change while its steps are not applied yet. Written out without the
 * profile's defaults: a patch that leaves a field out must leave it as it is (a default would overwrite it).
 */
export const SessionProfilePatchSchema = z
  .object({
    smtpServer: z.string().max(253),
    ntpServer: z.string().max(253),
    to: z.string().max(254),
    from: z.string().max(254),
    subject: z.string().max(128),
    message: z.string().max(1000),
    sceneSensitivity: z.number(),
    sourceName: z.string().max(64),
    handlerName: z.string().max(64),
    jpegSnapshot: z.boolean(),
    rawEventData: z.boolean(),
    behaviour: z.string().max(64),
  })
  .partial()
  .strict();
/** A change of the session profile. */
export type SessionProfilePatch = z.infer<typeof SessionProfilePatchSchema>;

/** One line of what the relay saw from the camera during the test (shown live). */
export const TestEventSchema = z.object({
  at: z.string(),
  kind: z.enum(['triggered', 'not-detected', 'connected', 'refused', 'closed', 'message', 'mismatch', 'timeout', 'stopped']),
  text: z.string(),
  /** The text's catalog key and parameters (hosts show it in the technician's language). */
  i18n: KeyedTextSchema.optional(),
});
/** One line of what happened during the test. */
export type TestEvent = z.infer<typeof TestEventSchema>;

/** The cause a silent test points to, most likely first. */
export const TestCauseSchema = z.object({
  kind: z.enum(['not-detected', 'relay-stopped', 'refused', 'mismatch', 'connected-no-mail', 'wrong-port', 'no-connection']),
  message: z.string(),
  /** The message's catalog key and parameters. */
  i18n: KeyedTextSchema.optional(),
  article: ArticleIdSchema,
});
/** One cause a silent test points to. */
export type TestCause = z.infer<typeof TestCauseSchema>;

/** The test e-mail as the relay stored it. */
export const TestMailSchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  receivedAt: z.string(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), size: z.number(), index: z.number().int() })),
});

/** The test step of a session. */
export const SessionTestSchema = z.object({
  status: z.enum(['idle', 'waiting', 'passed', 'failed', 'stopped']),
  attempt: z.number().int(),
  /** True for a practice camera: the app fires the behaviour itself; a real camera needs a hand over the lens. */
  isAutomatic: z.boolean(),
  /** The instruction for the technician while waiting. */
  instruction: z.string(),
  instructionI18n: KeyedTextSchema.optional(),
  startedAt: z.number().optional(),
  /** When the wait ends (ms since the epoch; "wait longer" moves it). */
  deadline: z.number().optional(),
  events: z.array(TestEventSchema),
  mail: TestMailSchema.optional(),
  latencyMs: z.number().optional(),
  causes: z.array(TestCauseSchema),
});
/** The test step of a session. */
export type SessionTest = z.infer<typeof SessionTestSchema>;

// ---------------------------------------------------------------- pre-flight

/** A fix the pre-flight offers in place; the UI runs it only when the technician presses it. */
export const PreflightFixSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('start-relay'), label: z.string(), labelI18n: KeyedTextSchema.optional(), listenAddress: z.string(), port: z.number().int(), allow: z.array(z.string()) }),
  z.object({ kind: z.literal('restart-relay'), label: z.string(), labelI18n: KeyedTextSchema.optional(), listenAddress: z.string(), port: z.number().int(), allow: z.array(z.string()) }),
  z.object({ kind: z.literal('allow-client'), label: z.string(), labelI18n: KeyedTextSchema.optional(), entry: z.string() }),
]);
/** A fix the pre-flight offers. */
export type PreflightFix = z.infer<typeof PreflightFixSchema>;

/** One pre-flight check. */
export const PreflightCheckSchema = z.object({
  id: z.enum(['relay-running', 'relay-reachable', 'relay-allows', 'camera-answers', 'ntp-answers']),
  title: z.string(),
  titleI18n: KeyedTextSchema.optional(),
  /** `fail` blocks the first change; `warn` is shown but does not; `skipped` waits on another check's fix. */
  verdict: z.enum(['pass', 'warn', 'fail', 'skipped']),
  message: z.string(),
  /** The message's catalog key and parameters (hosts show it in the technician's language). */
  messageI18n: KeyedTextSchema.optional(),
  fix: PreflightFixSchema.optional(),
  article: ArticleIdSchema,
});
/** One pre-flight check. */
export type PreflightCheck = z.infer<typeof PreflightCheckSchema>;

/** The pre-flight answer: every check, and whether changes may start (no check failed). */
export const PreflightReportSchema = z.object({ checks: z.array(PreflightCheckSchema), isReady: z.boolean(), checkedAt: z.number() });
/** The pre-flight answer. */
export type PreflightReport = z.infer<typeof PreflightReportSchema>;

/** Where the session stands. */
export const SessionPhaseSchema = z.enum(['open', 'finished', 'aborted']);

/** A session as the UI pulls it (never a password). */
export const SessionViewSchema = z.object({
  id: z.string(),
  createdAt: z.number(),
  updatedAt: z.number(),
  url: z.string(),
  username: z.string(),
  phase: SessionPhaseSchema,
  /** What runs now (e.g. "Applying: Set SMTP and NTP servers"); absent when idle. */
  busy: z.string().optional(),
  busyI18n: KeyedTextSchema.optional(),
  camera: z.object({ ip: z.string(), model: z.string(), mac: z.string(), firmware: z.string(), name: z.string() }),
  /** Behaviours the camera lists on its Analytics page. */
  behaviours: z.array(z.string()),
  handlersUsed: z.number().int(),
  profile: SessionProfileSchema,
  /** Where the camera sends during the test (the relay), when known. */
  testSmtp: z.object({ address: z.string(), port: z.number().int() }).optional(),
  current: z.object({ general: GeneralSettingsSchema, source: EventSourceSchema.nullable(), handler: EventHandlerSchema.nullable(), behaviour: BehaviourStateSchema }),
  steps: z.array(SessionStepSchema),
  test: SessionTestSchema,
  /** The scene sensitivity found before the test (the default of the last step). */
  sensitivityBefore: z.number().int(),
  backupFile: z.string().optional(),
  /** True once anything was written to the camera. */
  hasChanges: z.boolean(),
  /** The last pre-flight (the first change needs it to have passed). */
  preflight: PreflightReportSchema.optional(),
  /** The outcome once finished or aborted (the same shape as a one-shot job's result). */
  result: CameraResultSchema.optional(),
  warnings: z.array(z.string()),
  /** The last failure of an action (the session stays usable unless the phase says otherwise). */
  error: KeyedErrorSchema.optional(),
});
/** A session as the UI pulls it. */
export type SessionView = z.infer<typeof SessionViewSchema>;

// ---------------------------------------------------------------- the safe end

/** The scene sensitivity as typed: a whole number 1–10, refused otherwise with a message (never clamped). */
export function parseSceneSensitivity(text: string): { value: number; problem?: undefined } | { value?: undefined; problem: RuleProblem } {
  const t = text.trim();
  const field = 'Scene sensitivity';
  if (t === '') return { problem: keyedProblem(field, 'commissioning.rule.sceneEmpty') };
  const n = /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(n)) return { problem: keyedProblem(field, 'commissioning.rule.sceneNotNumber', { text: t }) };
  const p = checkSensitivity(field, n);
  return p ? { problem: sceneRefused(p) } : { value: n };
}

/** A sensitivity problem with the reason it is refused, not rounded (the wizard's field and the session's failure). */
export function sceneRefused(p: RuleProblem): RuleProblem {
  const { text, i18n } = keyedText('commissioning.rule.sceneRefused', { problem: asParam(p) });
  return { field: p.field, message: text, key: i18n.key, ...(i18n.params ? { params: i18n.params } : {}) };
}

/** The warning recorded when the technician confirms leaving the behaviour at the test sensitivity. */
export function stayAtTestSensitivityWarning(behaviour: string): string {
  return msg('commissioning.warning.leftAtTen', { behaviour, sensitivity: SENSITIVITY_MAX });
}

// ---------------------------------------------------------------- a silent test

/** What the relay recorded for the camera's IP while the test waited. */
export interface TestEvidence {
  cameraIp: string;
  /** True when the camera is a real one (not a practice camera on loopback): it sends to port 25 only. */
  isRealCamera: boolean;
  relay: { isListening: boolean; address?: string; port?: number };
  /** Sessions from the camera's IP during the wait. */
  sessions: Array<{ refused: boolean; accepted: number }>;
  refusals: string[];
  /** Mail from the camera's IP that did not match the handler's From and Subject. */
  otherMessages: Array<{ from: string; subject: string }>;
  /** An automatic trigger (practice camera) that reported no detection, with its reason. */
  notDetected?: string;
}

/**
 * The causes a test without an e-mail points to, the one the evidence supports most first: the trigger was not
 * detected; the relay stopped; the relay refused the camera (allow-list; the camera does not retry, docs/camera.md
 * §6); mail arrived that did not match; the camera connected but sent nothing; the relay is not on port 25 (a real
 * camera has no port setting); and last, no connection at all (wrong SMTP server or routing).
 */
export function rankTestCauses(e: TestEvidence): TestCause[] {
  const out: TestCause[] = [];
  const cause = (kind: TestCause['kind'], article: ArticleId, key: string, params?: Parameters<typeof keyedText>[1]) => {
    const { text, i18n } = keyedText(key, params);
    out.push({ kind, message: text, i18n, article });
  };
  const relayAt = e.relay.address ? `${e.relay.address}:${e.relay.port}` : sub('commissioning.cause.theRelay');
  if (e.notDetected) cause('not-detected', 'setup-order', 'commissioning.cause.notDetected', { reason: e.notDetected });
  if (!e.relay.isListening) cause('relay-stopped', 'local-relay', 'commissioning.cause.relayStopped');
  const refused = e.sessions.filter((s) => s.refused).length || e.refusals.length;
  if (refused) {
    cause('refused', 'local-relay', 'commissioning.cause.refused', { ip: e.cameraIp, count: refused, reason: e.refusals[0] ?? sub('commissioning.cause.notAllowed', { ip: e.cameraIp }) });
  }
  for (const m of e.otherMessages) cause('mismatch', 'setup-order', 'commissioning.cause.mismatch', { ip: e.cameraIp, from: m.from, subject: m.subject });
  const accepted = e.sessions.filter((s) => !s.refused);
  if (accepted.length > 0 && e.otherMessages.length === 0 && accepted.every((s) => s.accepted === 0)) {
    cause('connected-no-mail', 'smtp-transcript', 'commissioning.cause.connectedNoMail', { ip: e.cameraIp });
  }
  if (e.relay.isListening && e.sessions.length === 0 && e.refusals.length === 0) {
    if (e.isRealCamera && e.relay.port !== 25) cause('wrong-port', 'port-25', 'commissioning.cause.wrongPort', { port: String(e.relay.port) });
    cause('no-connection', 'port-25', 'commissioning.cause.noConnection', {
      ip: e.cameraIp,
      relayAt,
      address: e.relay.address ?? sub('commissioning.cause.thisComputer'),
      port: String(e.relay.port ?? 25),
    });
  }
  return out;
}
