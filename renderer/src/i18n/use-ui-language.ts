/** The current UI language as a React hook, for requests whose answer depends on it (knowledge-base articles). */
import { useTranslation } from 'react-i18next';
import { isLanguage, type Language } from '../../../shared/i18n/languages';

/** The language the UI shows now; re-renders the caller when the technician switches it. */
export function useUiLanguage(): Language {
  const { i18n } = useTranslation();
  return isLanguage(i18n.language) ? i18n.language : 'en';
}
