/**
 * The machine side's user-facing messages, keyed in the shared catalogs. A failure carries its catalog key and
 * parameters next to the English text: the English stays the message (logs, tests, older clients), and each host
 * shows it in the technician's language from the key (renderer: ErrorAlert; CLI: main.ts).
 */
import { AppFailure, type AppError, type ErrorCode, type Result } from '../ipc/result';
import { translate, type MessageParams } from './i18n';

export type { MessageParams } from './i18n';
import type { Language } from './languages';

/** The English text of a catalog message (the machine side's default wording). */
export function msg(key: string, params?: MessageParams): string {
  return translate('en', key, params);
}

/** Plain JSON parameters as they travel across IPC (dates as ISO strings, no undefined). */
function plain(params: MessageParams | undefined): Record<string, string | number | boolean> | undefined {
  if (!params) return undefined;
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

/**
 * A keyed failure: `errors.<CODE>.<id>` in the catalogs, its English text as the message. The code stays the
 * stable switch for programs; the key is the stable handle for the wording.
 */
export function failure(code: ErrorCode, key: string, params?: MessageParams, details?: unknown): AppFailure {
  const f = new AppFailure(code, msg(key, params), details);
  f.key = key;
  f.params = plain(params);
  return f;
}

/** The message of an error in a language: from its key when it has one, else its (English) text as sent. */
export function localizeError(language: Language, e: Pick<AppError, 'message' | 'key' | 'params'>): string {
  if (!e.key) return e.message;
  const text = translate(language, e.key, e.params);
  return text === e.key ? e.message : text;
}

/** A failed Result with a keyed message (the Result form of failure()). */
export function keyedErr<T = never>(code: ErrorCode, key: string, params?: MessageParams, details?: unknown): Result<T> {
  return { ok: false, error: failure(code, key, params, details).toAppError() };
}
