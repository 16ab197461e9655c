import { InvalidArgumentError, type Command } from 'commander';
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
    .description('Run the local SMTP relay for cameras: store every accepted message, optionally forward it; one line per message until Ctrl+C.')
    .option('--listen <host:port>', 'address and port to listen on (one interface; port 0 = any free port)', '127.0.0.1:25')
    .option('--data <dir>', 'folder for the Maildir, index and forwarding spool (default: the app data folder)')
    .option(
      '--allow <ip-or-cidr>',
      'client address or range allowed to send (repeatable; loopback is allowed when listening on loopback)',
      (v: string, prev: string[]) => {
        if (!v.trim()) throw new InvalidArgumentError('--allow needs an IP address or CIDR, e.g. 192.168.0.0/24.');
        return [...prev, v];
      },
      [] as string[],
    )
    .option('--forward <url>', 'forward to a smarthost: smtp://host:25, smtp+starttls://user:pass@host:587 or smtps://user:pass@host:465')
    .option('--forward-ca <file>', 'PEM file of the CA (or self-signed certificate) to trust for --forward')
    .option('--forward-insecure', 'do NOT verify the upstream certificate (not recommended)')
    .option('--forward-rewrite-from <address>', 'send upstream as this sender (Gmail and Microsoft 365 need their own address)')
    .option('--forward-password-env <name>', 'read the --forward password from this environment variable (keeps it out of the process list)')
    .option('--forward-password-file <file>', 'read the --forward password from this file (first line; keeps it out of the process list)')
    .option('--forward-allow-plain-password', 'allow a login over smtp:// without TLS (the password travels unencrypted; trusted networks only)')
    .option('--accept-any-auth', 'let clients that send AUTH through with any login (cameras and NVRs with stored credentials)')
    .option('--all-interfaces', 'allow --listen 0.0.0.0 or [::] (every interface); refused otherwise')
    .option('--max-size <bytes>', 'largest message accepted', intOption('--max-size', 1024, 1024 * 1024 * 1024))
    .option('--json', 'print one JSON line per accepted message instead of text')
    .action(async (opts: RelayCliOptions) => {
      const { runRelay } = await import('./relay-run');
      await runRelay(opts);
    });
}
