/**
 * The renderer's i18next instance (react-i18next on the shared catalogs). It starts in the last language this
 * window showed (so a reload does not flash English), else the system's (navigator.languages: in Electron that is
 * app.getLocale()'s list); LanguageSync then applies the Settings choice.
 */
import { initReactI18next } from 'react-i18next';
import { createI18n } from '../../../shared/i18n/i18n';
import { isLanguage, pickLanguage, resolveLanguage, type Language, type LanguageChoice } from '../../../shared/i18n/languages';

const HINT_KEY = 'sarix.language';

function storedHint(): Language | undefined {
  try {
    const v = localStorage.getItem(HINT_KEY);
    return isLanguage(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** The system's preferred locales as the browser (or Electron's Chromium) reports them. */
export function systemLocales(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

/** The UI's i18next instance. */
export const i18n = createI18n(storedHint() ?? pickLanguage(systemLocales()), (i) => i.use(initReactI18next));
document.documentElement.lang = i18n.language;

/** Shows the UI in the language a Settings choice means here, at once, and remembers it for the next start. */
export function applyLanguageChoice(choice: LanguageChoice | undefined): Language {
  const language = resolveLanguage(choice, systemLocales());
  if (i18n.language !== language) void i18n.changeLanguage(language);
  document.documentElement.lang = language;
  try {
    localStorage.setItem(HINT_KEY, language);
  } catch {
    // Private windows may refuse storage; the Settings choice still applies after the settings load.
  }
  return language;
}

/** The current UI language (for Intl formatting outside React). */
export function uiLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : 'en';
}
