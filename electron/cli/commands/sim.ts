import { Command, InvalidArgumentError } from 'commander';
import { isIPv4 } from 'node:net';
import { CliFailure, UsageError, intOption, printJson, untilSignal } from '../util';

interface SimFlags {
  count: number;
  json?: boolean;
  baseAddress: string;
  httpPort: number;
  smtpPort: number;
  ssdp?: boolean;
  ssdpPort: number;
  wsd?: boolean;
  wsdPort: number;
  mdns?: boolean;
  multicast?: boolean;
  variant: 'standard' | 'alt';
}

function ipv4Option(v: string): string {
  if (!isIPv4(v)) throw new InvalidArgumentError(`--base-address must be an IPv4 address such as 127.0.1.1 (got "${v}").`);
  return v;
}

function variantOption(v: string): 'standard' | 'alt' {
  if (v !== 'standard' && v !== 'alt') throw new InvalidArgumentError(`--form-variant must be "standard" or "alt" (got "${v}").`);
  return v;
}

/** `sarix sim`: a fleet of simulated Sarix cameras on consecutive loopback addresses, until Ctrl+C. */
export function register(program: Command): Command {
  return program
    .command('sim')
    .description('Run simulated Pelco Sarix cameras (web UI, Pelco SOAP, ONVIF, e-mail) on consecutive addresses until Ctrl+C.')
    .option('--count <n>', 'number of cameras', intOption('--count', 1, 1000), 1)
    .option('--json', 'print one JSON line per camera once ready')
    .option('--base-address <ip>', 'address of the first camera; the next ones count up (127.0.x.y work on Linux without setup)', ipv4Option, '127.0.1.1')
    .option('--http-port <port>', 'HTTP port of every camera (0 = a free port each)', intOption('--http-port', 0, 65535), 0)
    .option('--smtp-port <port>', 'TCP port the cameras send mail to (real cameras: 25)', intOption('--smtp-port', 1, 65535), 25)
    .option('--ssdp', 'answer SSDP M-SEARCH on each camera address')
    .option('--ssdp-port <port>', 'SSDP port on each camera address', intOption('--ssdp-port', 0, 65535), 1900)
    .option('--wsd', 'answer WS-Discovery Probe on each camera address')
    .option('--wsd-port <port>', 'WS-Discovery port on each camera address', intOption('--wsd-port', 0, 65535), 3702)
    .option('--mdns', 'advertise over mDNS (multicast; needs non-loopback camera addresses)')
    .option('--multicast', 'force multicast on: join 239.255.255.250 and send NOTIFY/Hello/Bye')
    .option('--no-multicast', 'force multicast off (unicast M-SEARCH/Probe answers only)')
    .option('--form-variant <v>', 'web form variant: standard or alt', variantOption, 'standard')
    .action(async (o: SimFlags) => {
      // Multicast follows the camera addresses unless forced: on for real interface addresses (a network
      // namespace or a lab network, where the cameras behave like real ones), off for loopback addresses, where a
      // multicast send would leave through this machine's default route instead of reaching the loopback cameras.
      const isLoopback = o.baseAddress.startsWith('127.');
      const multicast = o.multicast ?? !isLoopback;
      if (o.mdns && (isLoopback || !multicast)) throw new UsageError('--mdns advertises by multicast: give camera addresses on a real or namespace interface with --base-address (not 127.x), without --no-multicast.');
      if (o.multicast && !o.ssdp && !o.wsd && !o.mdns) throw new UsageError('--multicast only matters with --ssdp, --wsd or --mdns.');
      const { SimBindError } = await import('../../simulator/index');
      const { cliServices } = await import('../services');
      const services = await cliServices({ scope: 'sim' });
      let fleet;
      try {
        fleet = await services.simulator.startFleet({
          count: o.count,
          baseAddress: o.baseAddress,
          httpPort: o.httpPort,
          smtpPort: o.smtpPort,
          formVariant: o.variant,
          ssdp: o.ssdp ? { port: o.ssdpPort, multicast } : undefined,
          wsd: o.wsd ? { port: o.wsdPort, multicast } : undefined,
          mdns: o.mdns ? { enabled: true } : undefined,
        });
      } catch (e) {
        await services.dispose();
        if (e instanceof SimBindError) throw new CliFailure(e.message, 1);
        throw new CliFailure(e instanceof Error ? e.message : String(e), 1);
      }
      for (const c of fleet.cameras) {
        const id = c.identity();
        const line = { ip: id.ip, httpPort: id.httpPort, mac: id.mac, model: id.model, name: id.name, firmware: id.firmware, username: id.username, password: id.password, ssdpPort: c.ssdpPort, wsdPort: c.wsdPort };
        if (o.json) printJson(line);
        else process.stdout.write(`${c.url}  ${id.mac}  ${id.model}  ${id.name}  fw ${id.firmware}  login ${id.username}/${id.password}\n`);
      }
      if (!o.json) process.stdout.write(`${fleet.cameras.length} simulated camera(s) running; mail goes to each camera's SMTP Server on port ${o.smtpPort}. Press Ctrl+C to stop.\n`);
      await untilSignal();
      await fleet.stop();
      await services.dispose();
    });
}
