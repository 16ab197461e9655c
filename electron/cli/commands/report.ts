import type { Command } from 'commander';

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
    .description('Write the hand-over report of a site from its journal: cover with signature blocks, summary, every camera with its test e-mail and snapshot, relay, open items, backups, change log and SMTP transcripts.')
    .option('--site <name>', 'the site (default: the site named in Settings)')
    .requiredOption('--out <dir>', 'folder to write the report into (created if missing)')
    .option('--format <list>', 'comma-separated: pdf, html, csv, json', 'pdf,html,csv,json')
    .option('--data <dir>', 'app data folder holding the site journals')
    .option('--json', 'print the written files and the summary as one JSON object')
    .action(async (flags: ReportFlags) => {
      const { runReport } = await import('./report-run');
      await runReport(flags);
    });
}
