import type { HostKind } from '../../../shared/ipc/channels/app';
import type { z } from 'zod';
import type { Handlers } from '../dispatch';
import type { EventSink } from '../event-hub';
import type { SettingsStore } from '../settings-store';

/** What the app handlers need from their host. */
export interface AppHandlerDeps {
  hostKind: z.infer<typeof HostKind>;
  version: string;
  userDataPath: string;
  settings: SettingsStore;
  events: EventSink;
  /** Extra runtime versions (Electron host fills electron/chrome). */
  versions?: { electron?: string; chrome?: string };
}

/** Handlers of the `app:*` channels. */
export function createAppHandlers(d: AppHandlerDeps): Pick<Handlers, 'app:get-info' | 'app:get-settings' | 'app:set-settings'> {
  return {
    'app:get-info': () => ({
      name: 'Sarix Commissioner',
      version: d.version,
      hostKind: d.hostKind,
      platform: process.platform,
      arch: process.arch,
      versions: { node: process.versions.node, ...d.versions },
      userDataPath: d.userDataPath,
    }),
    'app:get-settings': () => d.settings.get(),
    'app:set-settings': ({ patch }) => {
      const settings = d.settings.update(patch);
      d.events.emit('app:settings-changed', { settings });
      return settings;
    },
  };
}
