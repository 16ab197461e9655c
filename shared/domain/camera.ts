/**
 * Camera domain: what the driver reads from and writes to a Sarix camera, as zod schemas (they cross
 * the IPC boundary) plus the pure field rules of docs/camera.md §4 with messages that say what to do.
 */
import { z } from 'zod';
import { keyedText, sub, type FailureParams } from '../i18n/messages';
import type { SubMessage } from '../ipc/result';

/** The most event handlers a camera accepts (docs/camera.md §1, §4). */
export const MAX_HANDLERS = 20;
/** Sensitivity range of the analytics profile and of each behaviour. */
export const SENSITIVITY_MIN = 1;
/** Highest sensitivity; the on-site test uses it (docs/camera.md §1). */
export const SENSITIVITY_MAX = 10;
/** Pelco's MAC prefix (docs/camera.md §2). */
export const PELCO_MAC_PREFIX = '00:0B:AB';
/** Oldest Sarix Professional firmware without the 2018 CVEs (docs/camera.md §2). */
export const FIRST_PATCHED_FIRMWARE = '3.29.69';

/** Behaviours of the analytics page, by visible name (docs/camera.md §4). */
export const BEHAVIOURS = [
  'Camera Sabotage',
  'Adaptive Motion',
  'Directional Motion',
  'Abandoned Object',
  'Object Counting',
  'Object Removal',
  'Loitering Detection',
  'Stopped Vehicle',
] as const;
/** One behaviour name. */
export type BehaviourName = (typeof BEHAVIOURS)[number];

/** Who the camera says it is. */
export const CameraIdentitySchema = z.object({
  model: z.string(),
  firmware: z.string(),
  mac: z.string(),
  serial: z.string(),
  name: z.string(),
  /** Where each part came from (pelco-soap, onvif, description, web), for the log and the report. */
  sources: z.array(z.string()),
});
/** Who the camera says it is. */
export type CameraIdentity = z.infer<typeof CameraIdentitySchema>;

/** The camera clock against ours. */
export const ClockReadingSchema = z.object({
  cameraTime: z.string(),
  localTime: z.string(),
  /** camera minus local, ms (positive: the camera runs ahead). */
  skewMs: z.number(),
  via: z.enum(['onvif', 'http-date']),
});
/** The camera clock against ours. */
export type ClockReading = z.infer<typeof ClockReadingSchema>;

/** System > General values the product cares about. */
export const GeneralSettingsSchema = z.object({
  deviceName: z.string(),
  smtpServer: z.string(),
  ntpServer: z.string(),
});
/** System > General values the product cares about. */
export type GeneralSettings = z.infer<typeof GeneralSettingsSchema>;

/** Source types (docs/camera.md §4). */
export const SourceTypeSchema = z.enum(['alarm', 'system', 'timer', 'analytics', 'unknown']);
/** An event source as read from Events > Sources. */
export const EventSourceSchema = z.object({
  name: z.string(),
  type: SourceTypeSchema,
  /** Analytics sources: fires on any behaviour. */
  anyBehaviour: z.boolean().optional(),
  /** Analytics sources: the chosen behaviours. */
  behaviours: z.array(z.string()).optional(),
});
/** An event source. */
export type EventSource = z.infer<typeof EventSourceSchema>;

/** Handler types (docs/camera.md §4). */
export const HandlerTypeSchema = z.enum(['send-email', 'ftp', 'sd-card', 'relay', 'unknown']);
/** An event handler as read from Events > Handlers. */
export const EventHandlerSchema = z.object({
  name: z.string(),
  type: HandlerTypeSchema,
  to: z.string().optional(),
  from: z.string().optional(),
  subject: z.string().optional(),
  message: z.string().optional(),
  jpegSnapshot: z.boolean().optional(),
  rawEventData: z.boolean().optional(),
  sources: z.array(z.string()),
});
/** An event handler. */
export type EventHandler = z.infer<typeof EventHandlerSchema>;

/** What a Send Email handler should look like (the commissioning input). */
export const EmailHandlerSpecSchema = z.object({
  name: z.string(),
  to: z.string(),
  from: z.string(),
  subject: z.string(),
  message: z.string(),
  jpegSnapshot: z.boolean(),
  rawEventData: z.boolean(),
  sources: z.array(z.string()).min(1),
});
/** What a Send Email handler should look like. */
export type EmailHandlerSpec = z.infer<typeof EmailHandlerSpecSchema>;

/** The analytics profile. */
export const AnalyticsProfileSchema = z.object({
  sceneType: z.string(),
  background: z.string(),
  fineTuning: z.string(),
  sensitivity: z.number().int(),
});
/** One behaviour's state. */
export const BehaviourStateSchema = z.object({ name: z.string(), active: z.boolean(), sensitivity: z.number().int() });
/** One behaviour's state. */
export type BehaviourState = z.infer<typeof BehaviourStateSchema>;
/** The Analytics page: profile and behaviours. */
export const AnalyticsSettingsSchema = z.object({ profile: AnalyticsProfileSchema, behaviours: z.array(BehaviourStateSchema) });
/** The Analytics page: profile and behaviours. */
export type AnalyticsSettings = z.infer<typeof AnalyticsSettingsSchema>;

/** A rule violation: which field, and a message that says what to do (with its catalog key for other languages). */
export interface RuleProblem {
  field: string;
  message: string;
  /** The catalog key of the message (shared/i18n) and its parameters: the renderer and the CLI show it from these. */
  key?: string;
  params?: Record<string, string | number | boolean | SubMessage>;
}

/** The catalog keys of the field labels the rules name, so a keyed problem shows the label in the same language. */
const FIELD_KEYS: Record<string, string> = {
  'Source name': 'commissioning.field.sourceName',
  'Handler name': 'commissioning.field.handlerName',
  To: 'commissioning.field.to',
  From: 'commissioning.field.from',
  Subject: 'commissioning.field.subject',
  'NTP server': 'commissioning.field.ntpServer',
  'SMTP server': 'commissioning.field.smtpServer',
  'Scene sensitivity': 'commissioning.field.sceneSensitivity',
};

/** A rule problem from the catalogs: the English text as its message, the key and parameters next to it. */
export function keyedProblem(field: string, key: string, params: Record<string, string | number | boolean> = {}): RuleProblem {
  const all: FailureParams = { field: FIELD_KEYS[field] ? sub(FIELD_KEYS[field]) : field, ...params };
  const { text, i18n } = keyedText(key, all);
  return { field, message: text, key, ...(i18n.params ? { params: i18n.params } : {}) };
}

/** Source, handler and user names: 2–23 alphanumeric characters (docs/camera.md §4). */
export function checkName(field: string, value: string): RuleProblem | null {
  if (/^[A-Za-z0-9]{2,23}$/.test(value)) return null;
  if (value.length < 2 || value.length > 23) {
    return keyedProblem(field, 'commissioning.rule.nameLength', { value, length: value.length });
  }
  return keyedProblem(field, 'commissioning.rule.nameChars', { value });
}

/**
 * E-mail address syntax the camera's To/From fields need: one plain address, local@domain, no display name,
 * no list (each Send Email handler has exactly one To and one From, docs/camera.md §1).
 */
export function checkEmailAddress(field: string, value: string): RuleProblem | null {
  const v = value.trim();
  if (v === '') return keyedProblem(field, 'commissioning.rule.emailEmpty');
  if (/[,;]/.test(v)) return keyedProblem(field, 'commissioning.rule.emailSeveral', { value: v });
  if (/[<>"\s]/.test(v)) return keyedProblem(field, 'commissioning.rule.emailBare', { value: v });
  const m = /^([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64})@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$/.exec(v);
  if (!m || m[1].startsWith('.') || m[1].endsWith('.') || m[1].includes('..') || v.length > 254) {
    return keyedProblem(field, 'commissioning.rule.emailInvalid', { value: v });
  }
  return null;
}

/** Sensitivity must be a whole number 1–10 (docs/camera.md §4). */
export function checkSensitivity(field: string, value: number): RuleProblem | null {
  if (Number.isInteger(value) && value >= SENSITIVITY_MIN && value <= SENSITIVITY_MAX) return null;
  return keyedProblem(field, 'commissioning.rule.sensitivity', { min: SENSITIVITY_MIN, max: SENSITIVITY_MAX, value: String(value) });
}

/** The handler count in words, e.g. "12 of 20 handlers used". */
export function handlerUsage(used: number): string {
  return `${used} of ${MAX_HANDLERS} handlers used`;
}

/** Whether one more handler fits; the refusal says how many are used and what to do. */
export function checkHandlerRoom(used: number, adding = 1): RuleProblem | null {
  if (used + adding <= MAX_HANDLERS) return null;
  return keyedProblem('handlers', 'commissioning.rule.handlerRoom', { used, max: MAX_HANDLERS });
}

/** A handler can only list sources that exist already (docs/camera.md §4: the source is created first). */
export function checkSourcesExist(handlerSources: readonly string[], existing: readonly string[]): RuleProblem | null {
  const missing = handlerSources.filter((s) => !existing.includes(s));
  if (missing.length === 0) return null;
  return { field: 'sources', message: `Create the source${missing.length > 1 ? 's' : ''} ${missing.map((s) => `"${s}"`).join(', ')} on Events > Sources before the handler that uses ${missing.length > 1 ? 'them' : 'it'}.` };
}

/** Checks a Send Email handler spec; returns every problem found. */
export function checkEmailHandlerSpec(spec: EmailHandlerSpec): RuleProblem[] {
  const out: Array<RuleProblem | null> = [
    checkName('Handler name', spec.name),
    checkEmailAddress('To', spec.to),
    checkEmailAddress('From', spec.from),
    spec.subject.length > 128 ? { field: 'Subject', message: 'Subject is longer than 128 characters; shorten it.' } : null,
    /[\r\n]/.test(spec.subject) ? { field: 'Subject', message: 'Subject must be a single line.' } : null,
    ...spec.sources.map((s) => checkName('Source name', s)),
  ];
  return out.filter((p): p is RuleProblem => p !== null);
}

/** Normalises a MAC to upper-case colon form, or null when it is not a MAC. */
export function normalizeMac(value: string): string | null {
  const hex = value.replace(/[^0-9a-f]/gi, '');
  if (hex.length !== 12 || !/^[0-9a-f:.-]+$/i.test(value.trim())) return null;
  return hex.toUpperCase().match(/../g)!.join(':');
}

/** True when a firmware version reads older than the first one without the 2018 CVEs. */
export function isVulnerableFirmware(version: string): boolean {
  const parse = (v: string) => (v.match(/\d+/g) ?? []).map(Number);
  const a = parse(version);
  const b = parse(FIRST_PATCHED_FIRMWARE);
  if (a.length === 0) return false;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x < y;
  }
  return false;
}

/**
 * One control of a camera form exactly as read (docs/camera.md §4): its name, its raw value (an option's
 * `value`, never its text), whether it was ticked, and for drop-downs the chosen options with their visible
 * text. The undo writes back exactly these raw values and nothing it did not read.
 */
export const RawControlSchema = z.object({
  name: z.string(),
  kind: z.string(),
  /** The label a person reads (for messages only; never used to restore). */
  label: z.string(),
  value: z.string(),
  checked: z.boolean().optional(),
  /** Drop-downs: the chosen options, raw value and visible text. */
  selected: z.array(z.object({ value: z.string(), text: z.string() })).optional(),
  /** A hidden value that looked like a session token was not stored (the current page's is used). */
  redacted: z.boolean().optional(),
});
/** One control of a camera form exactly as read. */
export type RawControl = z.infer<typeof RawControlSchema>;

/** A camera form exactly as read: which page (general, behaviour, source, handler), which item, and every control. */
export const RawFormSchema = z.object({
  page: z.enum(['general', 'behaviour', 'source', 'handler']),
  /** The behaviour, source or handler name. */
  item: z.string().optional(),
  /** Where it was read (a first guess for the restore; the page is found again by navigation). */
  path: z.string(),
  controls: z.array(RawControlSchema),
});
/** A camera form exactly as read. */
export type RawForm = z.infer<typeof RawFormSchema>;

/** Which form of the camera: System > General, one behaviour, one source, one handler. */
export type FormRef = { page: 'general' } | { page: 'behaviour' | 'source' | 'handler'; item: string };
