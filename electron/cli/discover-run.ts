/** The `sarix discover` implementation (loaded only when the command runs). */
import { checkScanHost, parseCidr, type Device, type ScanMethod, type ScanProblem } from '../../shared/domain/discovery';
import { isAppFailure } from '../../shared/ipc/result';
import type { HostResolver } from '../services/discovery/index';
import { failureText, localized } from './i18n';
import { cliServices } from './services';
import { CliFailure, printJson, UsageError } from './util';

/** Flags of `sarix discover`. */
export interface DiscoverFlags {
  json?: boolean;
  timeout: number;
  interface?: string[];
  methods?: string[];
  sweep?: string;
  hosts?: string[];
  httpPort: number;
  ssdpPort?: number;
  wsdPort?: number;
}

function line(d: Device): string {
  const flag = d.firmwareAdvisory?.isVulnerable ? `  ${localized('cli.discover.vulnerableFirmware')}` : '';
  return `  ${d.ip.padEnd(15)} ${(d.mac ?? '-').padEnd(17)} ${(d.model ?? '-').padEnd(12)} ${(d.firmware ?? '-').padEnd(10)} ${(d.name ?? '-').padEnd(20)} ${d.methods.join(',')}${flag}`;
}

/** What the command takes from its caller (tests inject a resolver: names never go to real DNS there). */
export interface DiscoverDeps {
  resolve?: HostResolver;
}

/** Runs one scan and prints the devices; problems go to stderr. Ctrl+C cancels the scan and prints what was found. */
export async function runDiscover(f: DiscoverFlags, deps: DiscoverDeps = {}): Promise<void> {
  if (f.sweep !== undefined) {
    const r = parseCidr(f.sweep);
    if (!r.ok) throw new UsageError(`--sweep: ${failureText(r)}`);
  }
  // Every entry is checked before anything is sent or looked up: a bad one is a usage error (exit 2) naming it.
  for (const h of f.hosts ?? []) {
    const c = checkScanHost(h);
    if (!c.ok) throw new UsageError(`--hosts: ${failureText(c)}`);
  }
  const services = await cliServices({ scope: 'discover', resolveHost: deps.resolve }, { discoveryPorts: { ssdp: f.ssdpPort, wsd: f.wsdPort } });
  const svc = services.discovery;
  const ac = new AbortController();
  const onSignal = () => ac.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Live lines go to stderr in both modes, so --json keeps stdout a clean JSON array.
  svc.events.on('device-found', ({ device: d }) => {
    const params = { ip: d.ip, methods: d.methods.join(',') };
    process.stderr.write(`${d.isSarix ? localized('cli.discover.foundSarix', params) : localized('cli.discover.foundOther', params)}\n`);
  });
  svc.events.on('device-updated', ({ device: d }) => {
    if (!d.isOnline) process.stderr.write(`${localized('cli.discover.offline', { ip: d.ip })}\n`);
  });
  try {
    const result = await svc.scan(
      {
        methods: f.methods as ScanMethod[] | undefined,
        interfaces: f.interface,
        sweep: f.sweep,
        hosts: f.hosts,
        httpPort: f.httpPort,
        timeoutMs: Math.round(f.timeout * 1000),
      },
      ac.signal,
    );
    const print = (key: 'cli.common.warning' | 'cli.error', ps: ScanProblem[]) => ps.forEach((p) => process.stderr.write(`${localized(key, { message: failureText(p) })}\n`));
    print('cli.common.warning', result.warnings);
    print('cli.error', result.errors);
    if (f.json) {
      printJson(result.devices);
    } else {
      const none = `  ${localized('cli.discover.none')}`;
      process.stdout.write(`${localized('cli.discover.cameras', { n: result.cameras.length })}\n${result.cameras.map(line).join('\n') || none}\n`);
      process.stdout.write(`${localized('cli.discover.others', { n: result.otherDevices.length })}\n${result.otherDevices.map(line).join('\n') || none}\n`);
      if (result.status === 'cancelled') process.stdout.write(`${localized('cli.discover.cancelled')}\n`);
    }
    if (result.errors.length > 0 && result.devices.length === 0) {
      throw new CliFailure(localized('cli.discover.nothingFound'), 1);
    }
  } catch (e) {
    if (isAppFailure(e) && e.code === 'VALIDATION') throw new UsageError(failureText(e));
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await services.dispose();
  }
}
