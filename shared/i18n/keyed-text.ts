/**
 * Keyed lines of text that travel inside results (a doctor check's message and fix, the relay's advice, the mail-server
 * finder's verdicts): the English text stays in the result as it always was (logs, JSON output, tests, older
 * clients), and a `KeyedText` next to it names the catalog key and parameters, so each host shows the line in the
 * technician's language (renderer: useTranslation's language; CLI: --lang). Failures use messages.ts instead.
 */
import { z } from 'zod';
import { translate, type MessageParams } from './i18n';
import type { Language } from './languages';

/** A parameter of a keyed line: a plain value, or a keyed part shown in the same language (parts may nest). */
export type KeyedParam = string | number | boolean | KeyedText;

/** A catalog key with its parameters (the form that travels next to the English text). */
export interface KeyedText {
  key: string;
  params?: Record<string, KeyedParam>;
}

const KeySchema = z.string().min(1).max(200);
const KeyedParamSchema: z.ZodType<KeyedParam> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), KeyedTextSchema]));
/** A catalog key with its parameters, as it crosses IPC. */
export const KeyedTextSchema: z.ZodType<KeyedText> = z.lazy(() => z.object({ key: KeySchema, params: z.record(z.string(), KeyedParamSchema).optional() }));

/** A line as the code names it: its catalog key and parameters (undefined ones are dropped, dates travel as ISO text). */
export type KeyedLine = readonly [key: string, params?: Record<string, KeyedParam | Date | null | undefined>];

/** A keyed part to use as a parameter of another line (it is translated along with it). */
export function part(key: string, params?: KeyedLine[1]): KeyedText {
  return textKey([key, params]);
}

function isKeyed(v: unknown): v is KeyedText {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && typeof (v as KeyedText).key === 'string';
}

/** Formats a line in a language, its keyed parts first (depth first, so parts may nest). */
function render(language: Language, key: string, params: KeyedLine[1] | KeyedText['params']): string {
  if (!params) return translate(language, key);
  const flat: MessageParams = {};
  for (const [k, v] of Object.entries(params)) flat[k] = isKeyed(v) ? render(language, v.key, v.params) : v;
  return translate(language, key, flat);
}

/** The keyed form of a line (what travels next to its English text). */
export function textKey([key, params]: KeyedLine): KeyedText {
  if (!params) return { key };
  const p: Record<string, KeyedParam> = {};
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) p[k] = v instanceof Date ? v.toISOString() : v;
  return Object.keys(p).length > 0 ? { key, params: p } : { key };
}

/** The English text of a line (the machine side's default wording, byte for byte what the results always said). */
export function englishOf([key, params]: KeyedLine): string {
  return render('en', key, params);
}

/** A line in a language: from its key when it has one, else the (English) text as sent. */
export function localizeText(language: Language, text: string, keyed: KeyedText | undefined): string {
  if (!keyed || language === 'en') return text;
  const out = render(language, keyed.key, keyed.params);
  return out === keyed.key ? text : out;
}

/** An error as a message parameter: a keyed failure stays keyed (shown in the language of the line around it), else its English text. */
export function errorParam(e: unknown): KeyedParam {
  if (isKeyed(e)) return e.params ? { key: e.key, params: e.params } : { key: e.key };
  return e instanceof Error ? e.message : String(e);
}
