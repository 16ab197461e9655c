/**
 * Answers of the channels only the desktop app implements (updates, the OS theme); the Electron host replaces
 * them. A web host or the CLI cannot replace an installed app, and a browser follows the OS colour scheme itself.
 */
import type { AppInfo } from '../../shared/domain/app';
import { failure, msg } from '../../shared/i18n/messages';
import type { Handlers } from './dispatch';

/** The channels the Electron host implements itself. */
export type HostOnlyChannel = 'updates:get-state' | 'updates:install-from-file' | 'updates:check-online' | 'updates:download-online' | 'updates:restart-and-install' | 'appearance:get-state';

/** Default answers for hosts that are not the desktop app. */
export function hostOnlyDefaults(info: () => Pick<AppInfo, 'hostKind' | 'version'>): Pick<Handlers, HostOnlyChannel> {
  const reasonKey = () => (info().hostKind === 'web' ? 'errors.NOT_APPLICABLE.webHostUpdates' : 'errors.NOT_APPLICABLE.cliUpdates');
  const notApplicable = () => {
    throw failure('NOT_APPLICABLE', reasonKey());
  };
  return {
    'updates:get-state': () => ({ status: 'idle', currentVersion: info().version, canInstallFromFile: false, notApplicableReason: msg(reasonKey()), notApplicableKey: reasonKey() }),
    'updates:install-from-file': notApplicable,
    'updates:check-online': notApplicable,
    'updates:download-online': notApplicable,
    'updates:restart-and-install': notApplicable,
    'appearance:get-state': () => ({ source: 'browser' }),
  };
}
