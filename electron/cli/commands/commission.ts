import type { Command } from 'commander';
import { intOption, secondsOption } from '../util';
import { localized } from '../i18n';

/** Flags of `sarix commission`. */
export interface CommissionFlags {
  camera?: string;
  cameras?: string;
  username: string;
  password?: string;
  smtpServer?: string;
  ntpServer?: string;
  to?: string;
  from?: string;
  subject?: string;
  message?: string;
  sceneSensitivity?: number;
  sourceName?: string;
  handlerName?: string;
  concurrency: number;
  dryRun?: boolean;
  test: boolean;
  testTimeout: number;
  relayListen?: string;
  data?: string;
  timeout: number;
  json?: boolean;
  profile?: string;
}

/** `sarix commission`: the guided plan on one camera or a CSV batch. */
export function register(program: Command): Command {
  return program
    .command('commission')
    .description(localized('cli.help.commission.description'))
    .option('--camera <url>', localized('cli.help.commission.camera'))
    .option('--cameras <file.csv>', localized('cli.help.commission.cameras'))
    .option('--username <user>', localized('cli.help.commission.username'), 'admin')
    .option('--password <password>', localized('cli.help.commission.password'))
    .option('--smtp-server <host>', localized('cli.help.commission.smtpServer'))
    .option('--ntp-server <host>', localized('cli.help.commission.ntpServer'))
    .option('--to <address>', localized('cli.help.commission.to'))
    .option('--from <address>', localized('cli.help.commission.from'))
    .option('--subject <text>', localized('cli.help.commission.subject'))
    .option('--message <text>', localized('cli.help.commission.message'))
    .option('--scene-sensitivity <n>', localized('cli.help.commission.sceneSensitivity'), intOption('--scene-sensitivity', 1, 10))
    .option('--source-name <name>', localized('cli.help.commission.sourceName'))
    .option('--handler-name <name>', localized('cli.help.commission.handlerName'))
    .option('--concurrency <n>', localized('cli.help.commission.concurrency'), intOption('--concurrency', 1, 64), 4)
    .option('--dry-run', localized('cli.help.commission.dryRun'))
    .option('--no-test', localized('cli.help.commission.noTest'))
    .option('--test-timeout <seconds>', localized('cli.help.commission.testTimeout'), secondsOption('--test-timeout', 1800), 120)
    .option('--relay-listen <host:port>', localized('cli.help.commission.relayListen'))
    .option('--data <dir>', localized('cli.help.commission.data'))
    .option('--timeout <seconds>', localized('cli.help.commission.timeout'), secondsOption('--timeout', 120), 8)
    .option('--profile <file.json>', localized('cli.help.commission.profile'))
    .option('--json', localized('cli.help.commission.json'))
    .action(async (flags: CommissionFlags) => {
      const { runCommission } = await import('./commission-run');
      await runCommission(flags);
    });
}
