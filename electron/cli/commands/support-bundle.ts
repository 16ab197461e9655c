import type { Command } from 'commander';
import { localized } from '../i18n';

/** Flags of `sarix support-bundle`. */
export interface SupportBundleFlags {
  out?: string;
  data?: string;
}

/** `sarix support-bundle`: writes the same redacted support zip the app's Settings page saves. */
export function register(program: Command): Command {
  return program
    .command('support-bundle')
    .description(localized('cli.help.supportBundle.description'))
    .option('--out <file>', localized('cli.help.supportBundle.out'))
    .option('--data <dir>', localized('cli.help.supportBundle.data'))
    .action(async (flags: SupportBundleFlags) => {
      const { runSupportBundle } = await import('./support-bundle-run');
      await runSupportBundle(flags);
    });
}
