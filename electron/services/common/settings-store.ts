import Conf from 'conf';
import { PRIVATE_FILE_MODE } from './private-files';
import { applySettingsPatch, defaultSettings, SettingsSchema, type Settings, type SettingsPatch } from '../../../shared/domain/settings';

/** Reads and writes the persisted settings. */
export interface SettingsStore {
  get(): Settings;
  update(patch: SettingsPatch): Settings;
}

/**
 * Settings persisted with `conf` (the backend of electron-store, which cannot be constructed outside Electron)
 * in `<userData>/settings.json`. A corrupt or hand-edited file falls back to defaults field by field instead of
 * crashing the app; the bad file is kept by conf's own `clearInvalidConfig: false`. The file is owner-only (0600).
 */
export class ConfSettingsStore implements SettingsStore {
  private readonly conf: Conf<{ settings: unknown }>;
  constructor(userDataPath: string) {
    this.conf = new Conf<{ settings: unknown }>({ cwd: userDataPath, configName: 'settings', projectName: 'sarix-commissioner', clearInvalidConfig: false, configFileMode: PRIVATE_FILE_MODE });
  }

  /** The current settings, defaults filled in. */
  get(): Settings {
    const raw = this.conf.get('settings');
    const parsed = SettingsSchema.safeParse(raw ?? {});
    return parsed.success ? parsed.data : defaultSettings();
  }

  /** Applies a patch, persists it and returns the full settings. */
  update(patch: SettingsPatch): Settings {
    const next = applySettingsPatch(this.get(), patch);
    this.conf.set('settings', next);
    return next;
  }
}

/** Settings kept in memory only (CLI runs and tests). */
export class MemorySettingsStore implements SettingsStore {
  private value: Settings;
  /** @param initial Settings to start from (the CLI reads the app's once, never writes them). */
  constructor(initial?: Settings) {
    this.value = initial ?? defaultSettings();
  }
  /** The current settings. */
  get(): Settings {
    return this.value;
  }
  /** Applies a patch in memory. */
  update(patch: SettingsPatch): Settings {
    this.value = applySettingsPatch(this.value, patch);
    return this.value;
  }
}
