/**
 * Machine-side texts in the UI language. The machine side sends each user-facing text in English and, where it is
 * keyed, its catalog key and parameters next to it (`{ key, params }`; a parameter may itself be a keyed message).
 * The UI shows the catalog's wording in its language, and the English as sent when there is no key or the key is
 * unknown here (an older or newer machine side). Pure: it takes the UI's `t`.
 */
import type { TFunction } from 'i18next';

/** A text's catalog key and parameters, as the machine side sends them next to the English. */
export interface KeyedText {
  key: string;
  params?: Record<string, unknown>;
}

function isKeyed(v: unknown): v is KeyedText {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && typeof (v as KeyedText).key === 'string';
}

function resolveParams(t: TFunction, params: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params ?? {})) out[k] = isKeyed(v) ? t(v.key, resolveParams(t, v.params)) : v;
  return out;
}

/** A machine-side text in the UI language: from its key when it has a known one, else the English as sent. */
export function localText(t: TFunction, english: string, keyed: KeyedText | undefined | null): string {
  if (!keyed?.key) return english;
  const text = t(keyed.key, resolveParams(t, keyed.params));
  return text === keyed.key ? english : text;
}

/** A problem or error with an optional key (RuleProblem, AppError) in the UI language. */
export function localMessage(t: TFunction, p: { message: string; key?: string; params?: Record<string, unknown> }): string {
  return localText(t, p.message, p.key ? { key: p.key, params: p.params } : undefined);
}
