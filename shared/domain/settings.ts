import { z } from 'zod';
import { LANGUAGE_CHOICES } from '../i18n/languages';

/**
 * Persisted user settings (conf under the user-data folder). Every field has a default. The relay's setup is not
 * here: the relay service keeps it (electron/services/relay/relay-setup-store.ts), with its password sealed.
 */
export const SettingsSchema = z.object({
  theme: z.enum(['auto', 'light', 'dark']).default('auto'),
  /** The UI and message language; 'system' follows the OS (Electron app.getLocale(), the browser, LANG for the CLI). */
  language: z.enum(LANGUAGE_CHOICES).default('system'),
  technicianName: z.string().max(80).default(''),
  siteName: z.string().max(80).default(''),
  /** Site details printed on the hand-over report's cover (the site journal is kept per site name). */
  siteAddress: z.string().max(200).default(''),
  customer: z.string().max(120).default(''),
  integrator: z.string().max(120).default(''),
  /** Practice mode: the app starts a simulated camera and the embedded relay on loopback. */
  practiceMode: z.boolean().default(true),
  /** The site's update server (electron-updater generic feed); contacted only when the technician asks. */
  updateServerUrl: z.string().max(500).default(''),
});

/** Settings as stored. */
export type Settings = z.infer<typeof SettingsSchema>;

/** A partial update of the settings (deep for nested groups). */
export const SettingsPatchSchema = z
  .object({
    theme: SettingsSchema.shape.theme.unwrap(),
    language: SettingsSchema.shape.language.unwrap(),
    technicianName: z.string().max(80),
    siteName: z.string().max(80),
    siteAddress: z.string().max(200),
    customer: z.string().max(120),
    integrator: z.string().max(120),
    practiceMode: z.boolean(),
    updateServerUrl: z.string().max(500),
  })
  .partial()
  .strict();

/** A partial update of the settings. */
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** The defaults, as a fresh object. */
export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** Applies a patch to settings and re-validates the result. */
export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return SettingsSchema.parse({ ...current, ...patch });
}
