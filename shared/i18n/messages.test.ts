import { describe, expect, it } from 'vitest';
import { isAppFailure } from '../ipc/result';
import { localizeError, failure, keyedErr } from './messages';
import { localesFromEnv, pickLanguage, resolveLanguage } from './languages';

describe('keyed failures', () => {
  it('keep the English text as the message and carry the key and parameters', () => {
    const f = failure('AUTH_FAILED', 'errors.AUTH_FAILED.camera', { origin: 'http://10.0.0.5' });
    expect(isAppFailure(f)).toBe(true);
    expect(f.message).toBe('The camera at http://10.0.0.5 refused the user name or password. Check them (legacy factory login is admin/admin; newer firmware has no user until one is created).');
    expect(f.toAppError()).toEqual({ code: 'AUTH_FAILED', message: f.message, key: 'errors.AUTH_FAILED.camera', params: { origin: 'http://10.0.0.5' } });
  });
  it('are shown in German from their key, and in English as sent when they have none', () => {
    const e = keyedErr('UNAVAILABLE', 'errors.UNAVAILABLE.notInHost', { name: 'updates:install-from-file' });
    expect(e.ok).toBe(false);
    if (e.ok) return;
    expect(localizeError('de', e.error)).toBe('updates:install-from-file ist in diesem Host nicht verfügbar.');
    expect(localizeError('en', e.error)).toBe('updates:install-from-file is not available in this host.');
    expect(localizeError('de', { message: 'Plain English.', key: undefined })).toBe('Plain English.');
    // A key the catalogs do not know (an older or newer peer) falls back to the text that came with it.
    expect(localizeError('de', { message: 'As sent.', key: 'errors.NOPE.gone' })).toBe('As sent.');
  });
});

describe('language choice', () => {
  it('follows the system unless Settings name a language', () => {
    expect(resolveLanguage('system', ['de-AT', 'en-US'])).toBe('de');
    expect(resolveLanguage('system', ['fr-FR', 'de-DE'])).toBe('de');
    expect(resolveLanguage('system', ['fr-FR'])).toBe('en');
    expect(resolveLanguage('en', ['de-DE'])).toBe('en');
    expect(resolveLanguage(undefined, ['de'])).toBe('de');
    expect(pickLanguage([undefined, '', 'de_CH.UTF-8'])).toBe('de');
  });
  it('reads the CLI locale like gettext: LANGUAGE, LC_ALL, LC_MESSAGES, LANG; C means English', () => {
    expect(pickLanguage(localesFromEnv({ LANG: 'de_DE.UTF-8' }))).toBe('de');
    expect(pickLanguage(localesFromEnv({ LANG: 'de_DE.UTF-8', LC_ALL: 'C' }))).toBe('en');
    expect(pickLanguage(localesFromEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'de_AT.UTF-8' }))).toBe('de');
    expect(pickLanguage(localesFromEnv({ LANG: 'en_GB.UTF-8', LANGUAGE: 'de:en' }))).toBe('de');
    expect(pickLanguage(localesFromEnv({ LANGUAGE: 'de' }))).toBe('en');
    expect(pickLanguage(localesFromEnv({}))).toBe('en');
  });
});
