import type { Command } from 'commander';
import { secondsOption } from '../util';
import { localized } from '../i18n';

/** Flags of `sarix capture`. */
export interface CaptureFlags {
  camera: string;
  username: string;
  password?: string;
  out: string;
  profile?: string;
  timeout: number;
  json?: boolean;
}

/** `sarix capture`: saves what the driver sees of a camera's web UI (passwords and tokens blanked) for support. */
export function register(program: Command): Command {
  return program
    .command('capture')
    .description(localized('cli.help.capture.description'))
    .requiredOption('--camera <url>', localized('cli.help.capture.camera'))
    .option('--username <user>', localized('cli.help.capture.username'), 'admin')
    .option('--password <password>', localized('cli.help.capture.password'))
    .requiredOption('--out <file.zip>', localized('cli.help.capture.out'))
    .option('--profile <file.json>', localized('cli.help.capture.profile'))
    .option('--timeout <seconds>', localized('cli.help.capture.timeout'), secondsOption('--timeout', 120), 8)
    .option('--json', localized('cli.help.capture.json'))
    .action(async (flags: CaptureFlags) => {
      const { runCapture } = await import('./capture-run');
      await runCapture(flags);
    });
}
