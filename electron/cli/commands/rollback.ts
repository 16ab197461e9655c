import type { Command } from 'commander';
import { secondsOption } from '../util';

/** `sarix rollback`: restores a camera from the backup commissioning made before changing it. */
export function register(program: Command): Command {
  return program
    .command('rollback')
    .description('Restore a camera from the backup taken before commissioning (newest, or --backup FILE), then read it back to verify.')
    .requiredOption('--camera <url>', 'camera web address, e.g. http://192.168.0.20')
    .option('--username <user>', 'camera admin user', 'admin')
    .option('--password <password>', 'camera password (or set SARIX_CAMERA_PASSWORD)')
    .option('--backup <file>', 'a specific backup file (default: the newest one for this camera MAC)')
    .option('--data <dir>', 'app data folder holding the backups')
    .option('--timeout <seconds>', 'per-request camera timeout', secondsOption('--timeout', 120), 8)
    .option('--profile <file.json>', 'a firmware profile file with extra label wordings and page paths (see sarix capture)')
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: import('./commission-run').RollbackFlags) => {
      const { runRollback } = await import('./commission-run');
      await runRollback(flags);
    });
}
