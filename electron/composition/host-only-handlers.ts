/**
 * Answers of the channels only the desktop app implements (updates, the OS theme); the Electron host replaces
 * them. A web host or the CLI cannot replace an installed app, and a browser follows the OS colour scheme itself.
 */
import type { AppInfo } from '../../shared/domain/app';
import { AppFailure } from '../../shared/ipc/result';
import type { Handlers } from './dispatch';

/** The channels the Electron host implements itself. */
export type HostOnlyChannel = 'updates:get-state' | 'updates:install-from-file' | 'updates:check-online' | 'updates:download-online' | 'updates:restart-and-install' | 'appearance:get-state';

/** Default answers for hosts that are not the desktop app. */
export function hostOnlyDefaults(info: () => Pick<AppInfo, 'hostKind' | 'version'>): Pick<Handlers, HostOnlyChannel> {
  const reason = () =>
    info().hostKind === 'web'
      ? 'This is the browser version of the app (web host): it runs from the sources on this computer and cannot install updates. Update it with the new sources, or use the desktop app.'
      : 'The command-line tool cannot install updates; use the desktop app.';
  const notApplicable = () => {
    throw new AppFailure('NOT_APPLICABLE', reason());
  };
  return {
    'updates:get-state': () => ({ status: 'idle', currentVersion: info().version, canInstallFromFile: false, notApplicableReason: reason() }),
    'updates:install-from-file': notApplicable,
    'updates:check-online': notApplicable,
    'updates:download-online': notApplicable,
    'updates:restart-and-install': notApplicable,
    'appearance:get-state': () => ({ source: 'browser' }),
  };
}
