/**
 * The machine side's wizard texts (step titles, why lines, test events, causes, failures) arrive in English with
 * their catalog key and parameters next to them; this shows them in the UI language.
 */
import type { KeyedTextValue } from '../../../../shared/domain/commissioning';
import { localizeError } from '../../../../shared/i18n/messages';
import { uiLanguage } from '../../i18n';

/** A machine-side text in the UI language: from its catalog key when it came with one, else as sent. */
export function shown(text: string, i18n?: KeyedTextValue): string {
  return i18n ? localizeError(uiLanguage(), { message: text, key: i18n.key, params: i18n.params }) : text;
}
