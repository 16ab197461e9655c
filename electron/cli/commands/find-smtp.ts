import { InvalidArgumentError, type Command } from 'commander';
import { intOption, secondsOption } from '../util';

/** Flags of `sarix find-smtp` as commander parses them (validated in find-smtp-run). */
export interface FindSmtpCliOptions {
  subnet?: string[];
  port: number;
  cameraIp?: string;
  cameraDns?: string;
  source?: string;
  domain?: string[];
  dnsServer?: string;
  /** false with --no-dns */
  dns: boolean;
  /** false with --no-test */
  test: boolean;
  to?: string;
  from?: string;
  sendTest?: boolean;
  concurrency: number;
  rate: number;
  timeLimit: number;
  json?: boolean;
  /** The app data folder whose site journal records the search (default: the app's user-data folder). */
  data?: string;
}

function listOption(name: string) {
  return (v: string, prev: string[] = []): string[] => {
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new InvalidArgumentError(`${name} needs at least one value.`);
    return [...prev, ...items];
  };
}

/** `sarix find-smtp`: finds the site's own mail servers and says whether the camera may use each. */
export function register(program: Command): Command {
  return program
    .command('find-smtp')
    .description(
      "Find the site's own mail server: the mail domain's MX and _submission SRV records and, with --subnet, a bounded probe of the camera subnet; say for each whether the camera may use it (exit 1 when none does).",
    )
    .option('--subnet <cidr>', 'also probe this camera subnet for mail servers (opt-in; repeat or comma-separate; IPv4 local ranges, at most 1024 addresses)', listOption('--subnet'))
    .option('--port <port>', 'SMTP port to probe (for tests and relays on other ports; cameras always use 25)', intOption('--port', 1, 65535), 25)
    .option('--camera-ip <ip>', "the camera's address, named in the verdicts")
    .option('--camera-dns <ip[:port]>', "the camera's DNS server (camera page Network settings): names are checked against it")
    .option('--source <ip>', "bind the probe to this address of this laptop (one in the camera's range tests what the camera would meet)")
    .option('--domain <domain>', "look up this mail domain instead of this laptop's search domain (repeat or comma-separate)", listOption('--domain'))
    .option('--dns-server <ip[:port]>', "ask this DNS server for the MX and SRV records instead of this laptop's")
    .option('--no-dns', 'skip the DNS lookups (use with --subnet)')
    .option('--no-test', 'list the servers found without talking SMTP to them')
    .option('--to <address>', "the recipient the camera will mail (its Send Email handler's To), tried with RCPT TO")
    .option('--from <address>', "the sender to try (the handler's From; default sarix-camera@<mail domain>)")
    .option('--send-test', 'also send a real test message (DATA) to --to through each server that accepts it')
    .option('--concurrency <n>', 'subnet probe: connections at once', intOption('--concurrency', 1, 64), 16)
    .option('--rate <n>', 'subnet probe: connections started per second at most', intOption('--rate', 1, 200), 20)
    .option('--time-limit <seconds>', 'subnet probe: stop after this long', secondsOption('--time-limit', 600), 120)
    .option('--json', 'print one JSON object (the report) instead of the table; progress goes to stderr')
    .option('--data <dir>', "app data folder: the search is recorded in the journal of the site named in its Settings (the hand-over report's relay section)")
    .action(async (opts: FindSmtpCliOptions) => {
      const { runFindSmtp } = await import('../find-smtp-run');
      await runFindSmtp(opts);
    });
}
