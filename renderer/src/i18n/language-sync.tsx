import { useEffect } from 'react';
import { api } from '../api';
import { applyLanguageChoice } from '.';

/** Mounted once beside the app: follows the persisted language choice, now and whenever Settings change it. */
export function LanguageSync() {
  useEffect(() => {
    void api.appGetSettings({}).then((r) => r.ok && applyLanguageChoice(r.value.language));
    return api.onAppSettingsChanged(({ settings }) => applyLanguageChoice(settings.language));
  }, []);
  return null;
}
