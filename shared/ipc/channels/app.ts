import { z } from 'zod';
import { channel } from '../define';
import { SettingsPatchSchema, SettingsSchema } from '../../domain/settings';

/** Which host runs the services. */
export const HostKind = z.enum(['electron', 'web', 'cli']);

/** What `app:get-info` answers. */
export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  hostKind: HostKind,
  platform: z.string(),
  arch: z.string(),
  versions: z.object({ node: z.string(), electron: z.string().optional(), chrome: z.string().optional() }),
  userDataPath: z.string(),
});
/** What `app:get-info` answers. */
export type AppInfo = z.infer<typeof AppInfoSchema>;

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
