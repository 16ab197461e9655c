import { Command, InvalidArgumentError } from 'commander';
import { isIPv4 } from 'node:net';
import { localized } from '../i18n';
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
  if (!isIPv4(v)) throw new InvalidArgumentError(localized('cli.usage.baseAddress', { value: v }));
  return v;
}

function variantOption(v: string): 'standard' | 'alt' {
  if (v !== 'standard' && v !== 'alt') throw new InvalidArgumentError(localized('cli.usage.formVariant', { value: v }));
  return v;
}

/** `sarix sim`: a fleet of simulated Sarix cameras on consecutive loopback addresses, until Ctrl+C. */
export function register(program: Command): Command {
  return program
    .command('sim')
    .description(localized('cli.help.sim.description'))
    .option('--count <n>', localized('cli.help.sim.count'), intOption('--count', 1, 1000), 1)
    .option('--json', localized('cli.help.sim.json'))
    .option('--base-address <ip>', localized('cli.help.sim.baseAddress'), ipv4Option, '127.0.1.1')
    .option('--http-port <port>', localized('cli.help.sim.httpPort'), intOption('--http-port', 0, 65535), 0)
    .option('--smtp-port <port>', localized('cli.help.sim.smtpPort'), intOption('--smtp-port', 1, 65535), 25)
    .option('--ssdp', localized('cli.help.sim.ssdp'))
    .option('--ssdp-port <port>', localized('cli.help.sim.ssdpPort'), intOption('--ssdp-port', 0, 65535), 1900)
    .option('--wsd', localized('cli.help.sim.wsd'))
    .option('--wsd-port <port>', localized('cli.help.sim.wsdPort'), intOption('--wsd-port', 0, 65535), 3702)
    .option('--mdns', localized('cli.help.sim.mdns'))
    .option('--multicast', localized('cli.help.sim.multicast'))
    .option('--no-multicast', localized('cli.help.sim.noMulticast'))
    .option('--form-variant <v>', localized('cli.help.sim.formVariant'), variantOption, 'standard')
    .action(async (o: SimFlags) => {
      // Multicast follows the camera addresses unless forced: on for real interface addresses (a network
      // namespace or a lab network, where the cameras behave like real ones), off for loopback addresses, where a
      // multicast send would leave through this machine's default route instead of reaching the loopback cameras.
      const isLoopback = o.baseAddress.startsWith('127.');
      const multicast = o.multicast ?? !isLoopback;
      if (o.mdns && (isLoopback || !multicast)) throw new UsageError(localized('cli.usage.mdnsLoopback'));
      if (o.multicast && !o.ssdp && !o.wsd && !o.mdns) throw new UsageError(localized('cli.usage.multicastAlone'));
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
        else process.stdout.write(`${localized('cli.sim.camera', { url: c.url, mac: id.mac, model: id.model, name: id.name, firmware: id.firmware, username: id.username, password: id.password })}\n`);
      }
      if (!o.json) process.stdout.write(`${localized('cli.sim.running', { n: fleet.cameras.length, port: o.smtpPort })}\n`);
      await untilSignal();
      await fleet.stop();
      await services.dispose();
    });
}
