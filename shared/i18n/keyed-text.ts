/**
 * Keyed lines of text that travel inside results (a doctor check's message and fix, the relay's advice, the mail-server
 * finder's verdicts): the English text stays in the result as it always was (logs, JSON output, tests, older
 * clients), and a `KeyedText` next to it names the catalog key and parameters, so each host shows the line in the
 * technician's language (renderer: useTranslation's language; CLI: --lang). Failures use messages.ts instead.
 */
import { z } from 'zod';
import type { MessageParamValues, SubMessage } from '../ipc/result';
import type { Language } from './languages';
import { localizeError, msg, type FailureParams } from './messages';

/** A catalog key with its parameters (a parameter may itself be a keyed sub-message). */
export interface KeyedText {
  key: string;
  params?: MessageParamValues;
}

const FlatParamSchema = z.union([z.string(), z.number(), z.boolean()]);
/** A catalog key with its parameters, as it crosses IPC. */
export const KeyedTextSchema = z.object({
  key: z.string().min(1).max(200),
  params: z.record(z.string(), z.union([FlatParamSchema, z.object({ key: z.string().min(1).max(200), params: z.record(z.string(), FlatParamSchema).optional() })])).optional(),
});

/** A line as the code names it: its catalog key and parameters (sub-messages from `sub()` allowed). */
export type KeyedLine = readonly [key: string, params?: FailureParams];

/** Plain JSON parameters (dates as ISO strings, no undefined), as they travel. */
function plainParams(params: FailureParams | undefined): MessageParamValues | undefined {
  if (!params) return undefined;
  const out: MessageParamValues = {};
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    out[k] = v instanceof Date ? v.toISOString() : (v as string | number | boolean | SubMessage);
  }
  return out;
}

/** The keyed form of a line (what travels next to its English text). */
export function textKey([key, params]: KeyedLine): KeyedText {
  const p = plainParams(params);
  return p && Object.keys(p).length > 0 ? { key, params: p } : { key };
}

/** The English text of a line (the machine side's default wording, byte for byte what the results always said). */
export function englishOf([key, params]: KeyedLine): string {
  return msg(key, params);
}

/** A line in a language: from its key when it has one, else the (English) text as sent. */
export function localizeText(language: Language, text: string, keyed: KeyedText | undefined): string {
  if (!keyed || language === 'en') return text;
  return localizeError(language, { message: text, key: keyed.key, params: keyed.params });
}

/**
 * An error as a message parameter: a keyed failure stays keyed (shown in the same language as the line around it)
 * when its own parameters are plain, else its English text.
 */
export function errorParam(e: unknown): string | SubMessage {
  if (typeof e === 'object' && e !== null && typeof (e as { key?: unknown }).key === 'string') {
    const { key, params } = e as { key: string; params?: MessageParamValues };
    const isFlat = !params || Object.values(params).every((v) => typeof v !== 'object');
    if (isFlat) return params ? { key, params: params as SubMessage['params'] } : { key };
  }
  return e instanceof Error ? e.message : String(e);
}
