import type { Command } from 'commander';
import { localized } from '../i18n';

/** Flags shared by the `sarix site` subcommands. */
export interface SiteFlags {
  data?: string;
  json?: boolean;
}

/** `sarix site`: list, export and import site journals (a colleague finishes the job or rebuilds the report). */
export function register(program: Command): Command {
  const site = program.command('site').description(localized('cli.help.site.description'));
  site
    .command('list')
    .description(localized('cli.help.site.list.description'))
    .option('--data <dir>', localized('cli.help.site.list.data'))
    .option('--json', localized('cli.help.site.list.json'))
    .action(async (flags: SiteFlags) => (await import('./site-run')).runSiteList(flags));
  site
    .command('export')
    .description(localized('cli.help.site.export.description'))
    .option('--site <name>', localized('cli.help.site.export.site'))
    .requiredOption('--out <file>', localized('cli.help.site.export.out'))
    .option('--data <dir>', localized('cli.help.site.export.data'))
    .option('--json', localized('cli.help.site.export.json'))
    .action(async (flags: SiteFlags & { site?: string; out: string }) => (await import('./site-run')).runSiteExport(flags));
  site
    .command('import')
    .description(localized('cli.help.site.import.description'))
    .argument('<file>', localized('cli.help.site.import.argFile'))
    .option('--as <name>', localized('cli.help.site.import.as'))
    .option('--merge', localized('cli.help.site.import.merge'))
    .option('--data <dir>', localized('cli.help.site.import.data'))
    .option('--json', localized('cli.help.site.import.json'))
    .action(async (file: string, flags: SiteFlags & { as?: string; merge?: boolean }) => (await import('./site-run')).runSiteImport(file, flags));
  for (const c of site.commands) c.exitOverride().configureOutput({ outputError: (str, write) => write(str) });
  return site;
}
