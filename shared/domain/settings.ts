import { z } from 'zod';
import { LANGUAGE_CHOICES } from '../i18n/languages';

/**
 * The site profile the technician reuses from camera to camera (the wizard's "next camera" and the Site page both
 * read and write it): what every camera of the site gets. Empty strings mean "not entered yet"; the commissioning
 * service checks the values when a job starts (shared/domain/commissioning.ts checkSiteProfile).
 */
export const SiteProfileSettingsSchema = z.object({
  smtpServer: z.string().max(253).default(''),
  ntpServer: z.string().max(253).default(''),
  to: z.string().max(254).default(''),
  from: z.string().max(254).default(''),
  subject: z.string().max(128).default('Sarix camera alert: Camera Sabotage'),
  message: z.string().max(1000).default('Camera Sabotage was detected. This e-mail was set up and tested with Sarix Commissioner.'),
  sourceName: z.string().max(23).default('Sabotage'),
  handlerName: z.string().max(23).default('SabotageMail'),
  /** Camera Sabotage sensitivity after the test, 1–10; null: keep the value each camera had before the test. */
  sceneSensitivity: z.number().int().min(1).max(10).nullable().default(null),
});
/** The site profile as stored in the settings. */
export type SiteProfileSettings = z.infer<typeof SiteProfileSettingsSchema>;

/** Most practice cameras the app starts with. */
export const MAX_PRACTICE_CAMERAS = 16;

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
  /** How many practice cameras practice mode starts (read when the app starts). */
  practiceCameraCount: z.number().int().min(1).max(MAX_PRACTICE_CAMERAS).default(1),
  /** The site profile every camera of the site gets (Site page, wizard). */
  siteProfile: SiteProfileSettingsSchema.prefault({}),
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
    practiceCameraCount: z.number().int().min(1).max(MAX_PRACTICE_CAMERAS),
    /** A partial site profile: the fields given replace the stored ones. */
    siteProfile: SiteProfileSettingsSchema.partial().strict(),
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
  // The site profile is one group: a patch of some of its fields keeps the others.
  const siteProfile = patch.siteProfile ? { ...current.siteProfile, ...patch.siteProfile } : current.siteProfile;
  return SettingsSchema.parse({ ...current, ...patch, siteProfile });
}
