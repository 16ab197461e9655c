/**
 * How every `sarix` command gets its services: through the one composition function, as the app does, with the
 * CLI's facts (stderr logger, settings in memory, the user-data folder or --data). Loaded only when a command runs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServices, type ServiceEnv, type ServiceOptions, type Services } from '../composition/index';
import { consoleLogger, silentLogger } from '../services/common/logger';
import { ConfSettingsStore, MemorySettingsStore } from '../services/common/settings-store';
import { defaultUserDataPath } from '../services/common/user-data';

/** What a command says about its run. */
export interface CliServiceEnv extends Partial<Pick<ServiceEnv, 'resolveHost'>> {
  /** Log scope on stderr (e.g. 'discover'). */
  scope: string;
  /** The --data folder (default: the app's user-data folder). */
  data?: string;
  /** Log nothing (e.g. --json output that must stay clean). */
  isQuiet?: boolean;
}

/**
 * The app's settings in a data folder, read once (the site named there is where the CLI's work is journaled); the
 * CLI keeps any change in memory and never writes them.
 */
function appSettingsIn(userDataPath: string): MemorySettingsStore {
  return new MemorySettingsStore(existsSync(join(userDataPath, 'settings.json')) ? new ConfSettingsStore(userDataPath).get() : undefined);
}

/** Composes the services for one CLI command. */
export function cliServices(e: CliServiceEnv, options: ServiceOptions = {}): Promise<Services> {
  const userDataPath = resolve(e.data ?? defaultUserDataPath());
  return createServices(
    {
      hostKind: 'cli',
      userDataPath,
      logger: e.isQuiet ? silentLogger : consoleLogger(e.scope),
      settings: appSettingsIn(userDataPath),
      resolveHost: e.resolveHost,
    },
    options,
  );
}
