/**
 * The CLI's language: the shared catalogs in the language of the terminal's locale (LANGUAGE, LC_ALL, LC_MESSAGES,
 * LANG, as gettext reads them), English for C/POSIX or a language the app does not ship.
 */
import { translate, type MessageParams } from '../../shared/i18n/i18n';
import { localesFromEnv, pickLanguage, type Language } from '../../shared/i18n/languages';

/** The language the CLI prints in, for this environment. */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  return pickLanguage(localesFromEnv(env));
}

/** One catalog message in the CLI's language. */
export function localized(key: string, params?: MessageParams, env: NodeJS.ProcessEnv = process.env): string {
  return translate(cliLanguage(env), key, params);
}
