/**
 * `sarix`: the command-line host. Each command lives in `commands/<name>.ts`, declares its flags cheaply and loads
 * its implementation (which composes the services with createServices) only when run, so `sarix --help` stays fast;
 * the build (scripts/build-cli.mjs) keeps each implementation in its own chunk.
 * Exit codes: 0 success, 1 failure, 2 bad usage (unknown command, bad flag).
 */
import { Command, CommanderError, Help, type Argument, type Option } from 'commander';
import { localizeError } from '../../shared/i18n/messages';
import { isAppFailure } from '../../shared/ipc/result';
import { cliLanguage, localized } from './i18n';
import { CliFailure, UsageError } from './util';
import { appVersion } from '../services/app/version';
import { commandRegistrations } from './commands/index';

/** Commander's section titles, as its Help passes them to styleTitle. */
const HELP_TITLES: Record<string, string> = {
  'Usage:': 'cli.help.title.usage',
  'Options:': 'cli.help.title.options',
  'Commands:': 'cli.help.title.commands',
  'Arguments:': 'cli.help.title.arguments',
  'Global Options:': 'cli.help.title.globalOptions',
};

/** Commander appends "(default: X)" to a description; this says it in the CLI's language. */
function withLocalDefault(description: string): string {
  return description.replace(/\(default: (.*)\)$/, (_, value: string) => `(${localized('cli.help.default', { value })})`);
}

/**
 * Builds the program with every command registered. The help texts are catalog messages read here, at build time,
 * in the terminal's language; commander's own parse errors ("unknown option ...") stay in its English.
 */
export function buildProgram(): Command {
  const program = new Command('sarix')
    .description(localized('cli.help.program'))
    .version(appVersion(), '-V, --version', localized('cli.help.version'))
    .helpOption('-h, --help', localized('cli.help.helpOption'))
    .helpCommand('help [command]', localized('cli.help.helpCommand'))
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride();
  // Subcommands copy these settings from the program when they are created (commander's copyInheritedSettings).
  program.configureHelp({
    sortSubcommands: false,
    styleTitle: (title: string) => (HELP_TITLES[title] ? localized(HELP_TITLES[title]) : title),
    optionDescription(this: Help, option: Option) {
      return withLocalDefault(Help.prototype.optionDescription.call(this, option));
    },
    argumentDescription(this: Help, argument: Argument) {
      return withLocalDefault(Help.prototype.argumentDescription.call(this, argument));
    },
  });
  for (const reg of commandRegistrations) {
    const cmd = reg(program);
    cmd.exitOverride();
    cmd.configureOutput({ outputError: (str, write) => write(str) });
  }
  return program;
}

/** Runs the CLI with the given argv; returns the exit code. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      // commander already printed "error: ..."; add how to get help.
      process.stderr.write(`${localized('cli.helpHint')}\n`);
      return 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`${localized('cli.error', { message: e.message })}\n`);
      return 2;
    }
    if (e instanceof CliFailure) {
      process.stderr.write(`${localized('cli.error', { message: e.message })}\n`);
      return e.exitCode;
    }
    // A keyed AppFailure from a service prints in the terminal's language; anything else as it came.
    const message = isAppFailure(e) ? localizeError(cliLanguage(), e) : e instanceof Error ? e.message : String(e);
    process.stderr.write(`${localized('cli.error', { message })}\n`);
    if (process.env.SARIX_DEBUG && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

// `tsx electron/cli/main.ts ...` runs it directly; bin/sarix.js imports it and calls runCli itself.
const isMain = process.argv[1] && /cli[\\/]main\.ts$/.test(process.argv[1]);
if (isMain) {
  runCli(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`${localized('cli.error', { message: String(e) })}\n`);
      process.exitCode = 1;
    },
  );
}
