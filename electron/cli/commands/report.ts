import type { Command } from 'commander';
import { localized } from '../i18n';

/** Flags of `sarix report`. */
export interface ReportFlags {
  site?: string;
  out: string;
  format: string;
  data?: string;
  json?: boolean;
}

/** `sarix report`: the hand-over report of a site from its journal (PDF, HTML, CSV, JSON). */
export function register(program: Command): Command {
  return program
    .command('report')
    .description(localized('cli.help.report.description'))
    .option('--site <name>', localized('cli.help.report.site'))
    .requiredOption('--out <dir>', localized('cli.help.report.out'))
    .option('--format <list>', localized('cli.help.report.format'), 'pdf,html,csv,json')
    .option('--data <dir>', localized('cli.help.report.data'))
    .option('--json', localized('cli.help.report.json'))
    .action(async (flags: ReportFlags) => {
      const { runReport } = await import('./report-run');
      await runReport(flags);
    });
}
