import type { Command } from 'commander';
import { secondsOption } from '../util';

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
    .description('Run the whole job on a practice camera: start a simulated Sarix camera and the embedded relay on loopback, find the camera, commission it, trigger Camera Sabotage, wait for the e-mail, restore the sensitivity, and write the hand-over report.')
    .option('--json', 'print progress as nothing and the result as one JSON object on the last line')
    .option('--data <dir>', 'keep the relay mail and backups in this folder (default: a temporary folder, removed afterwards)')
    .option('--test-timeout <seconds>', 'how long to wait for the test e-mail', secondsOption('--test-timeout', 600), 30)
    .option('--form-variant <v>', 'practice camera web form variant: standard or alt', 'standard')
    .option('--report-dir <dir>', 'where the hand-over report goes (default: <data>/reports with --data, else a new folder in the temporary directory, kept)')
    .action(async (flags: DemoFlags) => {
      const { runDemo } = await import('./demo-run');
      await runDemo(flags);
    });
}
