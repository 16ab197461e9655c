/**
 * A step-by-step commissioning session (the wizard's machine side): one camera, opened by logging in and reading
 * it, then each step of the plan previewed (the camera's current values and the planned change), applied and
 * verified one at a time, the test run, and a safe end. The session is pulled by id, so a reloaded UI carries on.
 * Here live the shapes (zod, shared with the contract) and the pure rules: what each step is for, the pre-flight
 * verdicts, which cause a silent test points to first, and the scene-sensitivity input rule.
 */
import { z } from 'zod';
import { BehaviourStateSchema, checkSensitivity, EventHandlerSchema, EventSourceSchema, GeneralSettingsSchema, SENSITIVITY_MAX, type RuleProblem } from './camera';
import { CameraResultSchema, ChangeSchema, SiteProfileSchema } from './commissioning';
import { ArticleIdSchema, type ArticleId } from './diagnostics';

/** The steps a session applies one at a time, in the job's order (docs/camera.md §1). */
export const SESSION_STEP_IDS = ['smtp-ntp', 'source', 'handler', 'behaviour'] as const;
/** One configuration step of a session. */
export const SessionStepIdSchema = z.enum(SESSION_STEP_IDS);
/** One configuration step of a session. */
export type SessionStepId = z.infer<typeof SessionStepIdSchema>;

/** Why a step matters (one line) and the knowledge-base article behind it. */
export const STEP_GUIDE: Record<SessionStepId | 'camera' | 'test' | 'scene', { why: string; article: ArticleId }> = {
  camera: { why: 'Everything below is read from the camera first and backed up before the first change, so it can be put back exactly.', article: 'factory-defaults' },
  'smtp-ntp': {
    why: 'A legacy Sarix camera mails only through a LOCAL server on port 25 without login or TLS; a correct clock keeps time filters and e-mail dates right.',
    article: 'local-relay',
  },
  source: { why: 'The camera sends e-mail only for an event source, and a handler can list only a source that already exists.', article: 'setup-order' },
  handler: { why: 'The Send Email handler says who gets the alert; each handler has one To and one From, and a camera takes at most 20 handlers.', article: 'setup-order' },
  behaviour: { why: 'The behaviour must be active to fire; sensitivity 10 makes the hand-over-the-lens test certain to be detected.', article: 'setup-order' },
  test: { why: 'Only an e-mail that really arrives proves the camera, the network and the relay work together.', article: 'smtp-transcript' },
  scene: { why: 'Sensitivity 10 alarms on every shadow in daily use; set what the scene needs (1 least, 10 most sensitive).', article: 'setup-order' },
};

/** Where a configuration step stands in a session. */
export const SessionStepStatusSchema = z.enum(['pending', 'done', 'unchanged', 'failed', 'rolled-back']);

/** One value the camera holds now, as the step shows it. */
export const CurrentValueSchema = z.object({ label: z.string(), value: z.string() });
/** One value the camera holds now. */
export type CurrentValue = z.infer<typeof CurrentValueSchema>;

/** One configuration step: the camera's current values, the planned change, and how it went. */
export const SessionStepSchema = z.object({
  id: SessionStepIdSchema,
  title: z.string(),
  status: SessionStepStatusSchema,
  current: z.array(CurrentValueSchema),
  /** The exact change applying it would make now (empty: the camera already matches). */
  changes: z.array(ChangeSchema),
  why: z.string(),
  article: ArticleIdSchema,
  detail: z.string().optional(),
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
});
/** One line of what happened during the test. */
export type TestEvent = z.infer<typeof TestEventSchema>;

/** The cause a silent test points to, most likely first. */
export const TestCauseSchema = z.object({
  kind: z.enum(['not-detected', 'relay-stopped', 'refused', 'mismatch', 'connected-no-mail', 'wrong-port', 'no-connection']),
  message: z.string(),
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
  z.object({ kind: z.literal('start-relay'), label: z.string(), listenAddress: z.string(), port: z.number().int(), allow: z.array(z.string()) }),
  z.object({ kind: z.literal('restart-relay'), label: z.string(), listenAddress: z.string(), port: z.number().int(), allow: z.array(z.string()) }),
  z.object({ kind: z.literal('allow-client'), label: z.string(), entry: z.string() }),
]);
/** A fix the pre-flight offers. */
export type PreflightFix = z.infer<typeof PreflightFixSchema>;

/** One pre-flight check. */
export const PreflightCheckSchema = z.object({
  id: z.enum(['relay-running', 'relay-reachable', 'relay-allows', 'camera-answers', 'ntp-answers']),
  title: z.string(),
  /** `fail` blocks the first change; `warn` is shown but does not; `skipped` waits on another check's fix. */
  verdict: z.enum(['pass', 'warn', 'fail', 'skipped']),
  message: z.string(),
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
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
/** A session as the UI pulls it. */
export type SessionView = z.infer<typeof SessionViewSchema>;

// ---------------------------------------------------------------- the safe end

/** The scene sensitivity as typed: a whole number 1–10, refused otherwise with a message (never clamped). */
export function parseSceneSensitivity(text: string): { value: number; problem?: undefined } | { value?: undefined; problem: RuleProblem } {
  const t = text.trim();
  const field = 'Scene sensitivity';
  if (t === '') return { problem: { field, message: 'Enter the sensitivity the scene needs: a whole number from 1 (least sensitive) to 10 (most sensitive).' } };
  const n = /^[+-]?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
  if (Number.isNaN(n)) return { problem: { field, message: `"${t}" is not a number: enter a whole number from 1 to 10.` } };
  const p = checkSensitivity(field, n);
  return p ? { problem: { field, message: `${p.message} The camera refuses it; nothing is rounded or clamped.` } } : { value: n };
}

/** The warning recorded when the technician confirms leaving the behaviour at the test sensitivity. */
export function stayAtTestSensitivityWarning(behaviour: string): string {
  return `${behaviour} was left at sensitivity ${SENSITIVITY_MAX} (confirmed by the technician): expect false alarms on shadows and lighting changes.`;
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
  const relayAt = e.relay.address ? `${e.relay.address}:${e.relay.port}` : 'the relay';
  if (e.notDetected) out.push({ kind: 'not-detected', message: `The camera did not detect the event: ${e.notDetected}`, article: 'setup-order' });
  if (!e.relay.isListening) out.push({ kind: 'relay-stopped', message: 'The relay is not running, so nothing could receive the e-mail. Start the relay, then press Try again.', article: 'local-relay' });
  const refused = e.sessions.filter((s) => s.refused).length || e.refusals.length;
  if (refused) {
    out.push({
      kind: 'refused',
      message: `The relay refused ${e.cameraIp} ${refused === 1 ? 'once' : `${refused} times`}: ${e.refusals[0] ?? `${e.cameraIp} is not on its allow-list`}. The camera does not send a refused e-mail again: allow ${e.cameraIp}, then press Try again.`,
      article: 'local-relay',
    });
  }
  for (const m of e.otherMessages) {
    out.push({ kind: 'mismatch', message: `Mail from ${e.cameraIp} arrived but did not match (From "${m.from}", Subject "${m.subject}"): check the handler's From and Subject on the camera.`, article: 'setup-order' });
  }
  const accepted = e.sessions.filter((s) => !s.refused);
  if (accepted.length > 0 && e.otherMessages.length === 0 && accepted.every((s) => s.accepted === 0)) {
    out.push({ kind: 'connected-no-mail', message: `${e.cameraIp} connected to the relay but sent no message: open the SMTP session on the Relay page to see where it stopped.`, article: 'smtp-transcript' });
  }
  if (e.relay.isListening && e.sessions.length === 0 && e.refusals.length === 0) {
    if (e.isRealCamera && e.relay.port !== 25) {
      out.push({ kind: 'wrong-port', message: `The relay listens on port ${e.relay.port}, but a Sarix camera always sends to port 25 (it has no port setting). Start the relay on port 25.`, article: 'port-25' });
    }
    out.push({
      kind: 'no-connection',
      message: `Nothing from ${e.cameraIp} reached ${relayAt} during the wait. Check the camera's SMTP server is ${e.relay.address ?? "this computer's address"}, that the camera can route to it (same subnet), and that no firewall on this computer blocks TCP ${e.relay.port ?? 25}; then cover the lens fully for several seconds.`,
      article: 'port-25',
    });
  }
  return out;
}
