/** The main-process Logger: electron-log (file under the user's log folder plus console). */
import log from 'electron-log/main';
import type { Logger } from '../services/common/logger';
import { PRIVATE_FILE_MODE } from '../services/common/private-files';

/** electron-log's file write options with an owner-only log file (its default mode is 0666 less the umask). */
export const LOG_FILE_WRITE_OPTIONS = { flag: 'a', mode: PRIVATE_FILE_MODE, encoding: 'utf8' } as const;

/** Initialises electron-log once and returns a Logger for one scope. */
export function electronLogger(scope: string): Logger {
  const scoped = log.scope(scope);
  return {
    info: (m, meta) => (meta === undefined ? scoped.info(m) : scoped.info(m, meta)),
    warn: (m, meta) => (meta === undefined ? scoped.warn(m) : scoped.warn(m, meta)),
    error: (m, meta) => (meta === undefined ? scoped.error(m) : scoped.error(m, meta)),
  };
}

/**
 * Sets the transport levels; call once at startup. log.initialize() is deliberately not called: it would add
 * its own IPC channel and preload, outside the contract and the sender check.
 */
export function initElectronLog(): void {
  log.transports.file.level = 'info';
  // The log names cameras, addresses and mail servers: readable by this user only, like the rest of user data.
  log.transports.file.writeOptions = { ...LOG_FILE_WRITE_OPTIONS };
  log.transports.console.level = process.env.SARIX_DEBUG ? 'debug' : 'warn';
}

/** The log files electron-log writes (current and rotated), for the support bundle. */
export function electronLogFiles(): string[] {
  const current = log.transports.file.getFile?.()?.path;
  return current ? [current, current.replace(/\.log$/, '.old.log')] : [];
}
