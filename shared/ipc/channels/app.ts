import { z } from 'zod';
import { channel } from '../define';
import { AppInfoSchema } from '../../domain/app';
import { SettingsPatchSchema, SettingsSchema } from '../../domain/settings';

/** App-level channels. */
export const appRequests = {
  'app:get-info': channel(z.object({}).strict(), AppInfoSchema, 'Version, host kind and platform of the running app.'),
  'app:get-settings': channel(z.object({}).strict(), SettingsSchema, 'The persisted settings.'),
  'app:set-settings': channel(z.object({ patch: SettingsPatchSchema }).strict(), SettingsSchema, 'Changes some settings and returns them all.'),
} as const;

/** App-level pushed events. */
export const appEvents = {
  'app:settings-changed': z.object({ settings: SettingsSchema }),
} as const;
