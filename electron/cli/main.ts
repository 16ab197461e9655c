/**
 * `sarix`: the command-line host. Each command lives in `commands/<name>.ts`, declares its flags cheaply and loads
 * its implementation (which composes the services with createServices) only when run, so `sarix --help` stays fast;
 * the build (scripts/build-cli.mjs) keeps each implementation in its own chunk.
 * Exit codes: 0 success, 1 failure, 2 bad usage (unknown command, bad flag).
 */
import { Command, CommanderError } from 'commander';
import { localizeError } from '../../shared/i18n/messages';
import { isAppFailure } from '../../shared/ipc/result';
import { cliLanguage, localized } from './i18n';
import { CliFailure, UsageError } from './util';
import { appVersion } from '../services/app/version';
import { commandRegistrations } from './commands/index';

/** Builds the program with every command registered. */
export function buildProgram(): Command {
  const program = new Command('sarix')
    .description('Sarix Commissioner: discover Pelco Sarix cameras, set up e-mail notifications, run a local SMTP relay, troubleshoot offline.')
    .version(appVersion(), '-V, --version')
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (str, write) => write(str) })
    .exitOverride();
  program.configureHelp({ sortSubcommands: false });
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
      process.stderr.write(`error: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
