import type { Command } from 'commander';
import { secondsOption } from '../util';
import { localized } from '../i18n';

/** `sarix rollback`: restores a camera from the backup commissioning made before changing it. */
export function register(program: Command): Command {
  return program
    .command('rollback')
    .description(localized('cli.help.rollback.description'))
    .requiredOption('--camera <url>', localized('cli.help.rollback.camera'))
    .option('--username <user>', localized('cli.help.rollback.username'), 'admin')
    .option('--password <password>', localized('cli.help.rollback.password'))
    .option('--backup <file>', localized('cli.help.rollback.backup'))
    .option('--data <dir>', localized('cli.help.rollback.data'))
    .option('--timeout <seconds>', localized('cli.help.rollback.timeout'), secondsOption('--timeout', 120), 8)
    .option('--profile <file.json>', localized('cli.help.rollback.profile'))
    .option('--json', localized('cli.help.rollback.json'))
    .action(async (flags: import('./commission-run').RollbackFlags) => {
      const { runRollback } = await import('./commission-run');
      await runRollback(flags);
    });
}
