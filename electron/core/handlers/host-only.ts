import { AppFailure } from '../../../shared/ipc/result';
import type { HostKind } from '../../../shared/ipc/channels/app';
import type { z } from 'zod';
import type { Handlers } from '../dispatch';

type HostOnly = 'updates:get-state' | 'updates:install-from-file' | 'updates:check-online' | 'updates:download-online' | 'updates:restart-and-install' | 'appearance:get-state';

/**
 * Answers of the channels only the desktop app implements (it replaces these): a web host or CLI cannot replace
 * an installed app, and the browser itself follows the OS colour scheme.
 */
export function createHostOnlyDefaults(hostKind: z.infer<typeof HostKind>, version: string): Pick<Handlers, HostOnly> {
  const reason =
    hostKind === 'web'
      ? 'This is the browser version of the app (web host): it runs from the sources on this computer and cannot install updates. Update it with the new sources, or use the desktop app.'
      : 'The command-line tool cannot install updates; use the desktop app.';
  const notApplicable = () => {
    throw new AppFailure('NOT_APPLICABLE', reason);
  };
  return {
    'updates:get-state': () => ({ status: 'idle', currentVersion: version, canInstallFromFile: false, notApplicableReason: reason }),
    'updates:install-from-file': notApplicable,
    'updates:check-online': notApplicable,
    'updates:download-online': notApplicable,
    'updates:restart-and-install': notApplicable,
    'appearance:get-state': () => ({ source: 'browser' }),
  };
}
