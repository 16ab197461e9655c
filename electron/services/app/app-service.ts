/**
 * The app itself as a service: what runs where (version, host kind, platform) and the persisted settings. Changing
 * a setting emits `settings-changed`, which the contract adapter pushes to every window.
 */
import type { AppInfo, HostKind } from '../../../shared/domain/app';
import type { Settings, SettingsPatch } from '../../../shared/domain/settings';
import { Emitter } from '../common/events';
import type { SettingsStore } from '../common/settings-store';
import { appVersion } from './version';

/** Events of the app service. */
export interface AppEvents {
  'settings-changed': Settings;
}

/** What the app service needs from its host. */
export interface AppServiceDeps {
  hostKind: HostKind;
  userDataPath: string;
  settings: SettingsStore;
  /** The app version (default: package.json's). */
  version?: string;
  /** Extra runtime versions (the Electron host fills electron/chrome). */
  versions?: { electron?: string; chrome?: string };
}

/** Version, host facts and settings. */
export class AppService {
  /** In-process events (settings-changed). */
  readonly events = new Emitter<AppEvents>();
  constructor(private readonly d: AppServiceDeps) {}

  /** Version, host kind, platform and user-data folder. */
  getInfo(): AppInfo {
    return {
      name: 'Sarix Commissioner',
      version: this.d.version ?? appVersion(),
      hostKind: this.d.hostKind,
      platform: process.platform,
      arch: process.arch,
      versions: { node: process.versions.node, ...this.d.versions },
      userDataPath: this.d.userDataPath,
    };
  }

  /** The persisted settings, defaults filled in. */
  getSettings(): Settings {
    return this.d.settings.get();
  }

  /** Applies a patch, persists it, tells subscribers and returns the whole settings. */
  updateSettings(patch: SettingsPatch): Settings {
    const settings = this.d.settings.update(patch);
    this.events.emit('settings-changed', settings);
    return settings;
  }
}
