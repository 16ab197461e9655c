import { describe, expect, it } from 'vitest';
import { catalogProblems, flatten, keysInSource, messageArguments } from './catalog-check';
import { CATALOGS, createI18n, type Catalog } from './i18n';
import { LANGUAGES } from './languages';

describe('shipped catalogs', () => {
  it('have the same keys, valid ICU and the same arguments in every language', () => {
    expect(catalogProblems(CATALOGS)).toEqual([]);
  });

  it('ship English and one more complete language', () => {
    expect(LANGUAGES).toEqual(['en', 'de']);
    expect(flatten(CATALOGS.de).size).toBe(flatten(CATALOGS.en).size);
    expect(flatten(CATALOGS.en).size).toBeGreaterThan(300);
  });

  it('German differs from English where words are (the catalog is translated, not copied)', () => {
    const en = flatten(CATALOGS.en);
    const de = flatten(CATALOGS.de);
    // Shell commands read the same in every language.
    const isCommandOnly = (m: string) => /^"[^"]+"$/.test(m);
    const same = [...en.keys()].filter((k) => en.get(k) === de.get(k) && !isCommandOnly(String(en.get(k))) && /[a-z]{4,} [a-z]{4,}/.test(String(en.get(k))));
    expect(same).toEqual([]);
  });
});

describe('catalogProblems', () => {
  const en: Catalog = { a: { title: 'Title', count: '{n, plural, one {# camera} other {# cameras}}' } };
  it('reports a key missing in a translation', () => {
    expect(catalogProblems({ en, de: { a: { title: 'Titel' } } })).toEqual(['de: missing key a.count']);
  });
  it('reports a key only the translation has', () => {
    expect(catalogProblems({ en, de: { a: { title: 'Titel', count: '{n, plural, other {# Kameras}}', extra: 'x' } } })).toEqual(['de: key a.extra is not in en']);
  });
  it('reports ICU syntax errors', () => {
    const p = catalogProblems({ en, de: { a: { title: 'Titel', count: '{n, plural, one {# Kamera} other {# Kameras}' } } });
    expect(p).toHaveLength(1);
    expect(p[0]).toMatch(/^de: a\.count is not valid ICU/);
  });
  it('reports a translation that drops or renames an argument', () => {
    expect(catalogProblems({ en, de: { a: { title: 'Titel', count: '{m, plural, other {# Kameras}}' } } })).toEqual(['de: a.count uses {m} but en uses {n}']);
  });
});

describe('ICU formatting through i18next', () => {
  it('plurals follow each language (Intl.PluralRules)', () => {
    const en = createI18n('en');
    const de = createI18n('de');
    expect(en.t('relay.inbox.total', { n: 1 })).toBe('1 message');
    expect(en.t('relay.inbox.total', { n: 1234 })).toBe('1,234 messages');
    expect(de.t('relay.inbox.total', { n: 1 })).toBe('1 Nachricht');
    expect(de.t('relay.inbox.total', { n: 1234 })).toBe('1.234 Nachrichten');
  });
  it('numbers and dates go through Intl in the message language', () => {
    const at = new Date(2026, 10, 29, 14, 5, 9);
    expect(createI18n('de').t('settings.savedAt', { time: at })).toBe('Gespeichert um 14:05:09');
    expect(createI18n('en').t('settings.savedAt', { time: at })).toBe('Saved at 2:05:09 PM');
    expect(createI18n('de').t('report.latency', { seconds: 2.25 })).toBe('2,3 s nach dem Ereignis');
  });
  it('a key missing in German falls back to English, never to the bare key', () => {
    const i = createI18n('de');
    i.addResource('en', 'translation', 'onlyEnglish', 'Only English');
    expect(i.t('onlyEnglish')).toBe('Only English');
  });
});

describe('keysInSource', () => {
  it('finds keys in calls and key-shaped literals of known groups, and skips the rest', () => {
    const catalog: Catalog = { relay: { inbox: { title: 'Inbox' } }, report: { save: { pdf: 'Save PDF' } }, errors: { VALIDATION: { name: 'x' } } };
    const src = "t('relay.inbox.title'); const m = { pdf: \"report.save.pdf\" }; t('relay.typo'); t(`relay.${v}`); 'settings.json'; 'relay.events'; failure('VALIDATION', 'errors.VALIDATION.name')";
    expect(keysInSource(src, catalog).sort()).toEqual(['errors.VALIDATION.name', 'relay.inbox.title', 'relay.typo', 'report.save.pdf']);
  });
  it('argument names are read from nested plurals', () => {
    expect([...messageArguments('{n, plural, one {# of {total}} other {# of {total}}}', 'en')].sort()).toEqual(['n', 'total']);
  });
});

describe('doctor check titles', () => {
  it('the English catalog says what the check catalog says (one wording, two places to read it from)', async () => {
    const { CHECK_CATALOG } = await import('../domain/diagnostics');
    const { CHECK_TITLE_KEYS } = await import('./doctor-keys');
    const en = createI18n('en');
    for (const [id, c] of Object.entries(CHECK_CATALOG)) expect(en.t(CHECK_TITLE_KEYS[id as keyof typeof CHECK_TITLE_KEYS])).toBe(c.title);
  });
});
