/**
 * One i18next setup for every runtime: the renderer (with react-i18next on top), the CLI and the machine side's
 * messages all read the same catalogs (en.json, de.json) with ICU message syntax (i18next-icu on FormatJS's
 * intl-messageformat): plurals follow Intl.PluralRules, `{n, number}` and `{d, date}` go through Intl.
 */
import i18next, { type i18n as I18n, type TOptions } from 'i18next';
import ICU from 'i18next-icu';
import de from './de.json';
import en from './en.json';
import { LANGUAGES, type Language } from './languages';

/** A catalog: nested keys, ICU message strings at the leaves. */
export type Catalog = { [key: string]: string | Catalog };

/** The shipped catalogs by language. */
export const CATALOGS: Record<Language, Catalog> = { en, de };

/** The values a message may interpolate. */
export type MessageParams = Record<string, string | number | Date | boolean | null | undefined>;

/**
 * A ready i18next instance over the shipped catalogs (synchronous: the catalogs are bundled, nothing is fetched).
 * English is the fallback, so a key missing in German shows English rather than the key (the catalog test fails first).
 */
export function createI18n(language: Language, init: (i: I18n) => I18n = (i) => i): I18n {
  const instance = init(i18next.createInstance().use(ICU));
  void instance.init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: CATALOGS[l] }])),
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
    // A translation is an ICU string; i18next's own {{}} and _one/_other plural suffixes are not used.
    i18nFormat: { bindI18nextStore: false },
  });
  return instance;
}

const translators = new Map<Language, I18n>();

/** The shared instance for one language (machine side and CLI; the renderer keeps its own for React). */
export function i18nFor(language: Language): I18n {
  let i = translators.get(language);
  if (!i) translators.set(language, (i = createI18n(language)));
  return i;
}

/** Formats one catalog message in a language; the key itself when it is missing everywhere. */
export function translate(language: Language, key: string, params?: MessageParams): string {
  return i18nFor(language).t(key, params as TOptions);
}
