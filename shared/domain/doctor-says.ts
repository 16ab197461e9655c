/** How a doctor check says its message and fix: English text plus the catalog keys (split out so verdicts and the catalog share it without an import cycle). */
import { englishOf, textKey, type KeyedLine } from '../i18n/keyed-text';
import type { CheckOutcome } from './diagnostics';

/**
 * The message and fix of an outcome from the catalogs (`doctor.msg.*`, `doctor.fix.*`): the English text the
 * result always carried, plus the keys each host needs to show it in the technician's language.
 */
export function says(message: KeyedLine, fix?: KeyedLine): Pick<CheckOutcome, 'message' | 'fix' | 'messageText' | 'fixText'> {
  const out: Pick<CheckOutcome, 'message' | 'fix' | 'messageText' | 'fixText'> = { message: englishOf(message), messageText: textKey(message) };
  if (fix) {
    out.fix = englishOf(fix);
    out.fixText = textKey(fix);
  }
  return out;
}

