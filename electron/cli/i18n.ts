/**
 * The CLI's language: the shared catalogs in the language of the terminal's locale (LANGUAGE, LC_ALL, LC_MESSAGES,
 * LANG, as gettext reads them), English for C/POSIX or a language the app does not ship. Every line a command prints
 * for a person goes through localized('cli.…'); JSON output (--json) is for programs and stays as it is.
 */
import { translate, type MessageParams } from '../../shared/i18n/i18n';
import { localesFromEnv, pickLanguage, type Language } from '../../shared/i18n/languages';
import { localizeError } from '../../shared/i18n/messages';
import type { AppError } from '../../shared/ipc/result';

/** The language the CLI prints in, for this environment. */
export function cliLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  return pickLanguage(localesFromEnv(env));
}

/** One catalog message in the CLI's language. */
export function localized(key: string, params?: MessageParams, env: NodeJS.ProcessEnv = process.env): string {
  return translate(cliLanguage(env), key, params);
}

/**
 * A service failure's message for the terminal: in English exactly as the service wrote it (its parameters were
 * flattened for IPC, so re-rendering could differ), in another language from its catalog key when it has one.
 */
export function failureText(e: Pick<AppError, 'message' | 'key' | 'params'>, env: NodeJS.ProcessEnv = process.env): string {
  const language = cliLanguage(env);
  return language === 'en' ? e.message : localizeError(language, e);
}
