import type { Command } from 'commander';
import { secondsOption } from '../util';
import { localized } from '../i18n';

/** Flags of `sarix demo`. */
export interface DemoFlags {
  json?: boolean;
  data?: string;
  testTimeout: number;
  formVariant: string;
  reportDir?: string;
}

/** `sarix demo`: the whole job end to end on a practice camera, with no hardware and no root. */
export function register(program: Command): Command {
  return program
    .command('demo')
    .description(localized('cli.help.demo.description'))
    .option('--json', localized('cli.help.demo.json'))
    .option('--data <dir>', localized('cli.help.demo.data'))
    .option('--test-timeout <seconds>', localized('cli.help.demo.testTimeout'), secondsOption('--test-timeout', 600), 30)
    .option('--form-variant <v>', localized('cli.help.demo.formVariant'), 'standard')
    .option('--report-dir <dir>', localized('cli.help.demo.reportDir'))
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await import('./demo-run');
      await runDemo(flags);
    });
}
