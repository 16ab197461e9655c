import type { Command } from 'commander';
import { localized } from '../i18n';

/** Flags of `sarix doctor` as commander parses them (validated in doctor-run). */
export interface DoctorCliOptions {
  smtpServer?: string;
  ntpServer?: string;
  camera?: string;
  username?: string;
  password?: string;
  to?: string;
  sendTest?: boolean;
  json?: boolean;
  article?: string;
}

/** `sarix doctor`: offline troubleshooting of the camera → SMTP → relay chain, with knowledge-base pointers. */
export function register(program: Command): Command {
  return program
    .command('doctor')
    .description(localized('cli.help.doctor.description'))
    .option('--smtp-server <host[:port]>', localized('cli.help.doctor.smtpServer'))
    .option('--ntp-server <host[:port]>', localized('cli.help.doctor.ntpServer'))
    .option('--camera <url>', localized('cli.help.doctor.camera'))
    .option('--username <user>', localized('cli.help.doctor.username'))
    .option('--password <password>', localized('cli.help.doctor.password'))
    .option('--to <address>', localized('cli.help.doctor.to'))
    .option('--send-test', localized('cli.help.doctor.sendTest'))
    .option('--json', localized('cli.help.doctor.json'))
    .option('--article <id>', localized('cli.help.doctor.article'))
    .action(async (opts: DoctorCliOptions) => {
      const { runDoctor } = await import('../doctor-run');
      await runDoctor(opts);
    });
}
