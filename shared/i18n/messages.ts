/**
 * The machine side's user-facing messages, keyed in the shared catalogs. A failure carries its catalog key and
 * parameters next to the English text: the English stays the message (logs, tests, older clients), and each host
 * shows it in the technician's language from the key (renderer: ErrorAlert; CLI: main.ts).
 */
import { AppFailure, type AppError, type ErrorCode, type MessageParamValues, type Result, type SubMessage } from '../ipc/result';
import { translate, type MessageParams } from './i18n';

export type { MessageParams } from './i18n';
import type { Language } from './languages';

/** Parameters of a keyed failure: plain values, or sub-messages (keyed text that is translated along with it). */
export type FailureParams = Record<string, MessageParams[string] | SubMessage>;

/** A keyed message to use as a parameter of another one. */
export function sub(key: string, params?: SubMessage['params']): SubMessage {
  return params ? { key, params } : { key };
}

function isSubMessage(v: unknown): v is SubMessage {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && typeof (v as SubMessage).key === 'string';
}

/** Formats a message in a language, sub-messages first (they may nest: a rule's field label inside its problem). */
function render(language: Language, key: string, params?: FailureParams | MessageParamValues): string {
  if (!params) return translate(language, key);
  const flat: MessageParams = {};
  for (const [k, v] of Object.entries(params)) flat[k] = isSubMessage(v) ? render(language, v.key, v.params) : v;
  return translate(language, key, flat);
}

/** The English text of a catalog message (the machine side's default wording). */
export function msg(key: string, params?: FailureParams): string {
  return render('en', key, params);
}

/** Plain JSON parameters as they travel across IPC (dates as ISO strings, no undefined). */
function plain(params: FailureParams | undefined): MessageParamValues | undefined {
  if (!params) return undefined;
  const out: MessageParamValues = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

/**
 * A keyed failure: `errors.<CODE>.<id>` in the catalogs, its English text as the message. The code stays the
 * stable switch for programs; the key is the stable handle for the wording.
 */
export function failure(code: ErrorCode, key: string, params?: FailureParams, details?: unknown): AppFailure {
  const f = new AppFailure(code, msg(key, params), details);
  f.key = key;
  f.params = plain(params);
  return f;
}

/** The message of an error in a language: from its key when it has one, else its (English) text as sent. */
export function localizeError(language: Language, e: Pick<AppError, 'message' | 'key' | 'params'>): string {
  if (!e.key) return e.message;
  const text = render(language, e.key, e.params);
  return text === e.key ? e.message : text;
}

/** A failed Result with a keyed message (the Result form of failure()). */
export function keyedErr<T = never>(code: ErrorCode, key: string, params?: FailureParams, details?: unknown): Result<T> {
  return { ok: false, error: failure(code, key, params, details).toAppError() };
}

/** A keyed message as it travels next to its English text (a wizard line, a test event): hosts show it from the key. */
export interface KeyedText {
  key: string;
  params?: MessageParamValues;
}

/** The English text of a catalog message together with its key and plain parameters (see KeyedText). */
export function keyedText(key: string, params?: FailureParams): { text: string; i18n: KeyedText } {
  const p = plain(params);
  return { text: msg(key, params), i18n: p ? { key, params: p } : { key } };
}

/** A failure (or any keyed text) as a parameter of another message: its key, so it is shown in the same language, else its text. */
export function asParam(e: { message: string; key?: string; params?: MessageParamValues }): string | SubMessage {
  if (!e.key) return e.message;
  return e.params ? { key: e.key, params: e.params } : { key: e.key };
}

/** A failure from a field rule (RuleProblem): keyed when the rule keyed it, else its English text as sent. */
export function ruleFailure(code: ErrorCode, p: { message: string; key?: string; params?: FailureParams }, details?: unknown): AppFailure {
  return p.key ? failure(code, p.key, p.params, details) : new AppFailure(code, p.message, details);
}
