import { InvalidArgumentError, type Command } from 'commander';
import { localized } from '../i18n';
import { intOption } from '../util';

/** Flags of `sarix relay`. */
export interface RelayCliOptions {
  listen: string;
  data?: string;
  allow: string[];
  forward?: string;
  forwardCa?: string;
  forwardInsecure?: boolean;
  forwardRewriteFrom?: string;
  forwardPasswordEnv?: string;
  forwardPasswordFile?: string;
  forwardAllowPlainPassword?: boolean;
  acceptAnyAuth?: boolean;
  allInterfaces?: boolean;
  maxSize?: number;
  json?: boolean;
}

/** `sarix relay`: the embedded SMTP relay in the foreground. */
export function register(program: Command): Command {
  return program
    .command('relay')
    .description(localized('cli.help.relay.description'))
    .option('--listen <host:port>', localized('cli.help.relay.listen'), '127.0.0.1:25')
    .option('--data <dir>', localized('cli.help.relay.data'))
    .option(
      '--allow <ip-or-cidr>',
      localized('cli.help.relay.allow'),
      (v: string, prev: string[]) => {
        if (!v.trim()) throw new InvalidArgumentError(localized('cli.usage.allowValue'));
        return [...prev, v];
      },
      [] as string[],
    )
    .option('--forward <url>', localized('cli.help.relay.forward'))
    .option('--forward-ca <file>', localized('cli.help.relay.forwardCa'))
    .option('--forward-insecure', localized('cli.help.relay.forwardInsecure'))
    .option('--forward-rewrite-from <address>', localized('cli.help.relay.forwardRewriteFrom'))
    .option('--forward-password-env <name>', localized('cli.help.relay.forwardPasswordEnv'))
    .option('--forward-password-file <file>', localized('cli.help.relay.forwardPasswordFile'))
    .option('--forward-allow-plain-password', localized('cli.help.relay.forwardAllowPlainPassword'))
    .option('--accept-any-auth', localized('cli.help.relay.acceptAnyAuth'))
    .option('--all-interfaces', localized('cli.help.relay.allInterfaces'))
    .option('--max-size <bytes>', localized('cli.help.relay.maxSize'), intOption('--max-size', 1024, 1024 * 1024 * 1024))
    .option('--json', localized('cli.help.relay.json'))
    .action(async (opts: RelayCliOptions) => {
      const { runRelay } = await import('./relay-run');
      await runRelay(opts);
    });
}
