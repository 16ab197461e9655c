/**
 * The languages the app ships and how one is chosen: the Settings choice, else the system's (Electron
 * app.getLocale()/navigator.languages in the UI, LANGUAGE/LC_ALL/LC_MESSAGES/LANG for the CLI), else English.
 */

/** Every shipped catalog, English first (the default and the fallback for a missing key). */
export const LANGUAGES = ['en', 'de'] as const;

/** A shipped language (its BCP 47 primary subtag). */
export type Language = (typeof LANGUAGES)[number];

/** The Settings choice: a language, or follow the system. */
export const LANGUAGE_CHOICES = ['system', ...LANGUAGES] as const;

/** The persisted Settings value. */
export type LanguageChoice = (typeof LANGUAGE_CHOICES)[number];

/** Each language's own name (an endonym: a technician who cannot read the current language still finds theirs). */
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', de: 'Deutsch' };

/** True for a shipped language code. */
export function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && (LANGUAGES as readonly string[]).includes(v);
}

/**
 * The shipped language for a locale tag: BCP 47 ("de-AT") or POSIX ("de_DE.UTF-8@euro"); undefined when none
 * fits ("C", "POSIX", "fr-FR").
 */
export function languageOfTag(tag: string | undefined | null): Language | undefined {
  if (!tag) return undefined;
  const primary = tag.trim().split(/[-_.@]/)[0].toLowerCase();
  return isLanguage(primary) ? primary : undefined;
}

/** The first shipped language among the candidates, in order of preference; English when none fits. */
export function pickLanguage(candidates: ReadonlyArray<string | undefined | null>): Language {
  for (const c of candidates) {
    const l = languageOfTag(c);
    if (l) return l;
  }
  return 'en';
}

/** The language to show for a Settings choice, given the system's preferred locales. */
export function resolveLanguage(choice: LanguageChoice | undefined, systemLocales: ReadonlyArray<string | undefined | null>): Language {
  return choice && choice !== 'system' ? choice : pickLanguage(systemLocales);
}

/**
 * The system locales of a POSIX process in gettext's order: LANGUAGE (a colon list, honoured only when a locale is
 * set at all), LC_ALL, LC_MESSAGES, LANG. "C"/"POSIX" mean no translation.
 */
export function localesFromEnv(env: Record<string, string | undefined>): string[] {
  const main = [env.LC_ALL, env.LC_MESSAGES, env.LANG].filter((v): v is string => !!v);
  const effective = main[0];
  if (!effective || effective === 'C' || effective === 'POSIX' || effective.startsWith('C.')) return [];
  return [...(env.LANGUAGE ? env.LANGUAGE.split(':') : []), effective];
}
