/**
 * The default user-data folder of the web host and the CLI (the Electron host uses app.getPath('userData'), which
 * is the same folder on every platform). SARIX_USER_DATA overrides it (tests, portable use).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** `<config dir>/sarix-commissioner` (Linux), `~/Library/Application Support/Sarix Commissioner` (macOS), `%APPDATA%\Sarix Commissioner` (Windows). */
export function defaultUserDataPath(): string {
  if (process.env.SARIX_USER_DATA) return process.env.SARIX_USER_DATA;
  if (process.platform === 'win32') return join(process.env.APPDATA ?? homedir(), 'Sarix Commissioner');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Sarix Commissioner');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sarix-commissioner');
}
