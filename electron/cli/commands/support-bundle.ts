import type { Command } from 'commander';

/** Flags of `sarix support-bundle`. */
export interface SupportBundleFlags {
  out?: string;
  data?: string;
}

/** `sarix support-bundle`: writes the same redacted support zip the app's Settings page saves. */
export function register(program: Command): Command {
  return program
    .command('support-bundle')
    .description('Write a support zip (settings without passwords, saved relay setup, versions; logs and crash dumps where the desktop app keeps them) for your support contact.')
    .option('--out <file>', 'where to write the zip (default: sarix-support-<time>.zip in the current folder)')
    .option('--data <dir>', 'app data folder (default: the one the web host and CLI use)')
    .action(async (flags: SupportBundleFlags) => {
      const { runSupportBundle } = await import('./support-bundle-run');
      await runSupportBundle(flags);
    });
}
