import { InvalidArgumentError, type Command } from 'commander';
import { localized } from '../i18n';
import { intOption, secondsOption } from '../util';

const METHODS = ['ssdp', 'wsd', 'mdns', 'sweep', 'defaults'];

function listOption(name: string, allowed?: string[]) {
  return (v: string, prev: string[] = []): string[] => {
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new InvalidArgumentError(localized('cli.usage.needsValue', { flag: name }));
    if (allowed) {
      const bad = items.filter((i) => !allowed.includes(i));
      if (bad.length > 0) throw new InvalidArgumentError(localized('cli.usage.unknownValues', { flag: name, values: bad.join(', '), allowed: allowed.join(', ') }));
    }
    return [...prev, ...items];
  };
}

/** `sarix discover`: finds Sarix cameras and other devices and prints them (a JSON array with --json). */
export function register(program: Command): Command {
  return program
    .command('discover')
    .description(localized('cli.help.discover.description'))
    .option('--json', localized('cli.help.discover.json'))
    .option('--timeout <seconds>', localized('cli.help.discover.timeout'), secondsOption('--timeout', 120), 3)
    .option('--interface <name>', localized('cli.help.discover.interface'), listOption('--interface'))
    .option('--methods <list>', localized('cli.help.discover.methods', { methods: METHODS.join(',') }), listOption('--methods', METHODS))
    .option('--sweep <cidr>', localized('cli.help.discover.sweep'))
    .option('--hosts <list>', localized('cli.help.discover.hosts'), listOption('--hosts'))
    .option('--http-port <port>', localized('cli.help.discover.httpPort'), intOption('--http-port', 1, 65535), 80)
    .option('--ssdp-port <port>', localized('cli.help.discover.ssdpPort'), intOption('--ssdp-port', 1, 65535))
    .option('--wsd-port <port>', localized('cli.help.discover.wsdPort'), intOption('--wsd-port', 1, 65535))
    .action(async (opts: { json?: boolean; timeout: number; interface?: string[]; methods?: string[]; sweep?: string; hosts?: string[]; httpPort: number; ssdpPort?: number; wsdPort?: number }) => {
      const { runDiscover } = await import('../discover-run');
      await runDiscover(opts);
    });
}
