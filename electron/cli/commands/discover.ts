import { InvalidArgumentError, type Command } from 'commander';
import { intOption, secondsOption } from '../util';

const METHODS = ['ssdp', 'wsd', 'mdns', 'sweep', 'defaults'];

function listOption(name: string, allowed?: string[]) {
  return (v: string, prev: string[] = []): string[] => {
    const items = v.split(',').map((s) => s.trim()).filter(Boolean);
    if (items.length === 0) throw new InvalidArgumentError(`${name} needs at least one value.`);
    if (allowed) {
      const bad = items.filter((i) => !allowed.includes(i));
      if (bad.length > 0) throw new InvalidArgumentError(`${name}: unknown ${bad.join(', ')}; choose from ${allowed.join(', ')}.`);
    }
    return [...prev, ...items];
  };
}

/** `sarix discover`: finds Sarix cameras and other devices and prints them (a JSON array with --json). */
export function register(program: Command): Command {
  return program
    .command('discover')
    .description('Find Sarix cameras on this computer\'s networks (SSDP, WS-Discovery, mDNS, HTTP sweep) and print them.')
    .option('--json', 'print a JSON array of devices')
    .option('--timeout <seconds>', 'how long multicast methods listen', secondsOption('--timeout', 120), 3)
    .option('--interface <name>', 'interface for multicast (repeat or comma-separate; default: every physical one)', listOption('--interface'))
    .option('--methods <list>', `methods to run together: ${METHODS.join(',')} (default: ssdp,wsd,mdns; with --sweep or --hosts only those)`, listOption('--methods', METHODS))
    .option('--sweep <cidr>', 'HTTP-sweep this IPv4 range, e.g. 192.168.0.0/24')
    .option('--hosts <list>', 'probe these IPs or names directly (unicast M-SEARCH + HTTP), e.g. for routed subnets', listOption('--hosts'))
    .option('--http-port <port>', 'HTTP port of the cameras\' web UI', intOption('--http-port', 1, 65535), 80)
    .option('--ssdp-port <port>', 'simulator knob: SSDP UDP port (real cameras use 1900)', intOption('--ssdp-port', 1, 65535))
    .option('--wsd-port <port>', 'simulator knob: WS-Discovery UDP port (real cameras use 3702)', intOption('--wsd-port', 1, 65535))
    .action(async (opts: { json?: boolean; timeout: number; interface?: string[]; methods?: string[]; sweep?: string; hosts?: string[]; httpPort: number; ssdpPort?: number; wsdPort?: number }) => {
      const { runDiscover } = await import('../discover-run');
      await runDiscover(opts);
    });
}
