/**
 * Keyed refusals of the shared input checks (a sweep range, a scan host, an allow-list entry, an SMTP host): the
 * English text stays the `message` the checks always returned, and the catalog key and parameters travel next to it,
 * so a service turns it into failure(code, key, params) and each host shows it in the technician's language.
 */
import { keyedText, type FailureParams } from '../i18n/messages';
import type { MessageParamValues } from '../ipc/result';

/** A refused input: its English text, with its catalog key and parameters (see failure() in shared/i18n/messages.ts). */
export interface KeyedRefusal {
  ok: false;
  message: string;
  key: string;
  params?: MessageParamValues;
}

/** A refusal from the catalogs (the English text is the catalog's wording). */
export function refusal(key: string, params?: FailureParams): KeyedRefusal {
  const { text, i18n } = keyedText(key, params);
  return { ok: false, message: text, key, ...(i18n.params ? { params: i18n.params } : {}) };
}
