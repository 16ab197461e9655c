import { InvalidArgumentError, type Command } from 'commander';
import { localized } from '../i18n';
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
    if (items.length === 0) throw new InvalidArgumentError(localized('cli.usage.needsValue', { flag: name }));
    return [...prev, ...items];
  };
}

/** `sarix find-smtp`: finds the site's own mail servers and says whether the camera may use each. */
export function register(program: Command): Command {
  return program
    .command('find-smtp')
    .description(
      localized('cli.help.findSmtp.description'),
    )
    .option('--subnet <cidr>', localized('cli.help.findSmtp.subnet'), listOption('--subnet'))
    .option('--port <port>', localized('cli.help.findSmtp.port'), intOption('--port', 1, 65535), 25)
    .option('--camera-ip <ip>', localized('cli.help.findSmtp.cameraIp'))
    .option('--camera-dns <ip[:port]>', localized('cli.help.findSmtp.cameraDns'))
    .option('--source <ip>', localized('cli.help.findSmtp.source'))
    .option('--domain <domain>', localized('cli.help.findSmtp.domain'), listOption('--domain'))
    .option('--dns-server <ip[:port]>', localized('cli.help.findSmtp.dnsServer'))
    .option('--no-dns', localized('cli.help.findSmtp.noDns'))
    .option('--no-test', localized('cli.help.findSmtp.noTest'))
    .option('--to <address>', localized('cli.help.findSmtp.to'))
    .option('--from <address>', localized('cli.help.findSmtp.from'))
    .option('--send-test', localized('cli.help.findSmtp.sendTest'))
    .option('--concurrency <n>', localized('cli.help.findSmtp.concurrency'), intOption('--concurrency', 1, 64), 16)
    .option('--rate <n>', localized('cli.help.findSmtp.rate'), intOption('--rate', 1, 200), 20)
    .option('--time-limit <seconds>', localized('cli.help.findSmtp.timeLimit'), secondsOption('--time-limit', 600), 120)
    .option('--json', localized('cli.help.findSmtp.json'))
    .option('--data <dir>', localized('cli.help.findSmtp.data'))
    .action(async (opts: FindSmtpCliOptions) => {
      const { runFindSmtp } = await import('../find-smtp-run');
      await runFindSmtp(opts);
    });
}
