import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../shared/i18n/i18n';
import { localMessage, localText } from './localized';

const de = createI18n('de').t;

describe('machine-side texts in the UI language', () => {
  it('a keyed text shows the catalog wording, keyed parameters in the same language', () => {
    expect(localText(de, 'Warning: yes', { key: 'wizard.outcome.warning', params: { warning: { key: 'wizard.value.yes' } } })).toBe('Warnung: ja');
  });
  it('without a key, or with a key this UI does not know, the English is shown as sent', () => {
    expect(localText(de, 'Sent as is', undefined)).toBe('Sent as is');
    expect(localText(de, 'Sent as is', { key: 'commissioning.fromANewerMachineSide' })).toBe('Sent as is');
    expect(localMessage(de, { message: 'Plain problem' })).toBe('Plain problem');
    expect(localMessage(de, { message: 'Enter who gets the alerts.', key: 'site.problems.to' })).toBe('Geben Sie ein, wer die Alarme erhält.');
  });
});
