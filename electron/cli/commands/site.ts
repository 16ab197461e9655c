import type { Command } from 'commander';

/** Flags shared by the `sarix site` subcommands. */
export interface SiteFlags {
  data?: string;
  json?: boolean;
}

/** `sarix site`: list, export and import site journals (a colleague finishes the job or rebuilds the report). */
export function register(program: Command): Command {
  const site = program.command('site').description('List, export and import site journals (one file per site, pictures included).');
  site
    .command('list')
    .description('List the sites with a journal on this computer.')
    .option('--data <dir>', 'app data folder holding the site journals')
    .option('--json', 'print one JSON array')
    .action(async (flags: SiteFlags) => (await import('./site-run')).runSiteList(flags));
  site
    .command('export')
    .description("Write one site's journal and evidence pictures into one file.")
    .option('--site <name>', 'the site (default: the site named in Settings)')
    .requiredOption('--out <file>', 'the file to write (e.g. site.sarix-site.json)')
    .option('--data <dir>', 'app data folder holding the site journals')
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: SiteFlags & { site?: string; out: string }) => (await import('./site-run')).runSiteExport(flags));
  site
    .command('import')
    .description('Import a site export file. An existing site is never overwritten: use --merge (adds only missing entries) or --as NAME.')
    .argument('<file>', 'the export file')
    .option('--as <name>', 'import under another site name')
    .option('--merge', 'add the entries this computer does not have yet to an existing site')
    .option('--data <dir>', 'app data folder holding the site journals')
    .option('--json', 'print the result as one JSON object')
    .action(async (file: string, flags: SiteFlags & { as?: string; merge?: boolean }) => (await import('./site-run')).runSiteImport(file, flags));
  for (const c of site.commands) c.exitOverride().configureOutput({ outputError: (str, write) => write(str) });
  return site;
}
