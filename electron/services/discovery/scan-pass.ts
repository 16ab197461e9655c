/**
 * One pass of a scan: every chosen method at once. Multicast windows per interface (SSDP M-SEARCH, WS-Discovery
 * Probe, mDNS browse), passive SSDP NOTIFY listening, unicast probes of explicit hosts, and the HTTP sweep and
 * factory-default probes through the one concurrency pool. Each sighting goes back to the service (`ScanHooks`),
 * which identifies, merges and reports devices; problems are collected on the scan, never thrown.
 */
import { factoryDefaultAddresses, MULTICAST_METHODS, type Device, type NetworkInterfaceInfo, type Observation, type ScanMethod, type ScanProblem, type SeenBy } from '../../../shared/domain/discovery';
import type { ScanProgress } from '../../../shared/domain/scan';
import { isAppFailure } from '../../../shared/ipc/result';
import { pool, type OperationContext } from '../common/operations';
import type { HttpIdentity } from './identify';
import { linkLocalNeighbours } from './interfaces';
import { mdnsBrowse } from './mdns';
import { keyedProblem, socketProblem } from './problems';
import { portOf, type ScanPlan } from './scan-plan';
import { ssdpListen, ssdpMulticastSearch, ssdpUnicastSearch, type SsdpSighting } from './ssdp';
import { wsdProbe } from './wsd';

/** What a scan keeps while it runs (its registry entry's state). */
export interface ScanState {
  progress: ScanProgress;
  warnings: ScanProblem[];
  errors: ScanProblem[];
  /** Device ids seen in this scan. */
  seen: Set<string>;
  /** Identifications in flight or done in this pass, by ip|port (later sightings share them). */
  pending: Map<string, Promise<HttpIdentity | null>>;
  lastProgressAt: number;
  /** Repeats until cancelled (live mode): only then does "unseen for 45 s" mean offline. */
  isLive: boolean;
}

/** A running scan. */
export type Scan = OperationContext<ScanState>;

/** What a pass needs from the discovery service. */
export interface ScanHooks {
  /** UDP ports (simulator knobs), parallel HTTP probes, multicast switch, factory-default list. */
  options: { ports: { ssdp?: number; wsd?: number }; sweepConcurrency: number; isMulticastAllowed: boolean; defaultAddresses?: () => Promise<string[]> };
  now(): number;
  resolveHost(host: string): Promise<string[]>;
  /** Identifies ip:port once per pass and reports the device (see DiscoveryService.sighting). */
  sighting(scan: Scan, ip: string, port: number, location: string | null, obs: Observation, needsIdentity?: boolean, reportBare?: boolean): Promise<HttpIdentity | null>;
  observe(scan: Scan, obs: Observation): Device;
  onByebye(scan: Scan, s: SsdpSighting): void;
  problem(scan: Scan, kind: 'warnings' | 'errors', p: ScanProblem): void;
  emitProgress(scan: Scan, phase: string, force?: boolean): void;
}

/** Counts work in the scan's progress: `window` adds one unit that ends with its promise, `step` marks units done. */
interface Tally {
  tasks: Promise<void>[];
  step(n?: number): void;
  window(label: string, fn: () => Promise<void>): void;
}

function tally(scan: Scan, hooks: ScanHooks): Tally {
  const p = scan.state.progress;
  const t: Tally = {
    tasks: [],
    step: (n = 1) => {
      p.done += n;
      hooks.emitProgress(scan, p.phase);
    },
    window: (label, fn) => {
      p.total++;
      t.tasks.push(fn().finally(() => t.step()));
      p.phase = label;
    },
  };
  return t;
}

/** Runs one pass of every planned method and resolves when all of them (and their identifications) are done. */
export async function runPass(scan: Scan, plan: ScanPlan, hooks: ScanHooks, stopListening: Array<() => void>): Promise<void> {
  // Each pass identifies afresh: a cached identification must never count as "seen again" (offline marking).
  scan.state.pending.clear();
  const multicast = multicastMethods(scan, plan, hooks);
  scan.state.progress.total = 0;
  scan.state.progress.done = 0;
  const t = tally(scan, hooks);
  for (const iface of plan.ifaces) {
    if (multicast.includes('ssdp')) t.window('ssdp', () => ssdpWindow(scan, iface, plan, hooks));
    if (multicast.includes('wsd')) t.window('wsd', () => wsdWindow(scan, iface, plan, hooks));
    if (multicast.includes('mdns')) t.window('mdns', () => mdnsWindow(scan, iface, plan, hooks));
  }
  // Passive NOTIFY listening, once per operation (kept open across repeats).
  if (multicast.includes('ssdp') && plan.ifaces.length > 0 && stopListening.length === 0) {
    const stop = await listenForNotify(scan, plan, hooks);
    if (stop) stopListening.push(stop);
  }
  // Explicit hosts: unicast M-SEARCH and an HTTP probe each (routed subnets).
  if (plan.hosts.length > 0) t.tasks.push(probeHosts(scan, plan, hooks, t));
  if (plan.methods.has('sweep') && plan.sweepHosts.length > 0) httpProbe(scan, plan.sweepHosts, 'sweep', plan, hooks, t);
  if (plan.methods.has('defaults')) httpProbe(scan, await defaultAddresses(scan, plan, hooks), 'defaults', plan, hooks, t);
  hooks.emitProgress(scan, 'scanning', true);
  await Promise.allSettled(t.tasks);
  await Promise.allSettled([...scan.state.pending.values()]);
}

/** The planned multicast methods that can run here; explains (as errors) why the others cannot. */
function multicastMethods(scan: Scan, plan: ScanPlan, hooks: ScanHooks): ScanMethod[] {
  const multicast = MULTICAST_METHODS.filter((m) => plan.methods.has(m));
  if (multicast.length === 0) return [];
  if (!hooks.options.isMulticastAllowed) {
    hooks.problem(scan, 'errors', keyedProblem({ code: 'PERMISSION', method: multicast.join(','), interface: null }, 'scan.problem.multicastOff', { methods: multicast.join(', ') }));
    return [];
  }
  if (plan.ifaces.length === 0) {
    const physical = plan.all.filter((i) => i.kind !== 'loopback').map((i) => `${i.name} (${i.kind})`);
    const base = { code: 'NO_INTERFACE' as const, method: multicast.join(','), interface: null };
    hooks.problem(scan, 'errors', physical.length === 0 ? keyedProblem(base, 'scan.problem.noInterface') : keyedProblem(base, 'scan.problem.noPhysical', { interfaces: physical.join(', ') }));
  }
  return multicast;
}

function ssdpWindow(scan: Scan, iface: NetworkInterfaceInfo, plan: ScanPlan, hooks: ScanHooks): Promise<void> {
  return ssdpMulticastSearch(iface, { timeoutMs: plan.timeoutMs, signal: scan.signal, port: hooks.options.ports.ssdp }, {
    onSighting: (s) => onSsdp(scan, s, 'ssdp', iface.name, plan.httpPort, hooks),
    onError: (e) => hooks.problem(scan, 'warnings', socketProblem('ssdp', iface, e)),
  }).catch((e: NodeJS.ErrnoException) => hooks.problem(scan, 'errors', socketProblem('ssdp', iface, e)));
}

function wsdWindow(scan: Scan, iface: NetworkInterfaceInfo, plan: ScanPlan, hooks: ScanHooks): Promise<void> {
  return wsdProbe(iface, { timeoutMs: plan.timeoutMs, signal: scan.signal, port: hooks.options.ports.wsd }, {
    onMatch: (m, fromIp) => {
      const xaddr = m.xaddrs.find((x) => {
        try {
          return new URL(x).hostname === fromIp;
        } catch {
          return false;
        }
      });
      const port = portOf(xaddr ?? null) ?? plan.httpPort;
      void hooks.sighting(scan, fromIp, port, null, { ip: fromIp, method: 'wsd', at: hooks.now(), uuid: m.endpoint, name: m.name, model: m.hardware, manufacturer: m.manufacturer, interface: iface.name });
    },
    onError: (e) => hooks.problem(scan, 'warnings', socketProblem('wsd', iface, e)),
  }).catch((e: NodeJS.ErrnoException) => hooks.problem(scan, 'errors', socketProblem('wsd', iface, e)));
}

function mdnsWindow(scan: Scan, iface: NetworkInterfaceInfo, plan: ScanPlan, hooks: ScanHooks): Promise<void> {
  const reported = new Set<string>();
  return mdnsBrowse(iface, { timeoutMs: plan.timeoutMs, signal: scan.signal }, {
    onService: (s) => {
      const port = s.type === 'http' ? s.port : plan.httpPort;
      const k = `${s.ip}|${s.type}`;
      if (reported.has(k)) return;
      reported.add(k);
      const base: Observation = { ip: s.ip, method: 'mdns', at: hooks.now(), interface: iface.name };
      const txtIdentity: Partial<Observation> = {
        name: s.name,
        mac: s.txt.mac ?? null,
        model: s.txt.model ?? s.txt.md ?? null,
        manufacturer: s.txt.vendor ?? s.txt.manufacturer ?? null,
        firmware: s.txt.fw ?? s.txt.firmware ?? null,
      };
      // An unattributed address is reported only when its own web server identifies it.
      void hooks.sighting(scan, s.ip, port, null, s.isAttributed ? { ...base, ...txtIdentity } : base, !s.isAttributed);
    },
    onError: (e) => hooks.problem(scan, 'warnings', socketProblem('mdns', iface, e)),
  }).catch((e: NodeJS.ErrnoException) => hooks.problem(scan, 'errors', socketProblem('mdns', iface, e)));
}

/** Joins the SSDP group on the chosen interfaces for NOTIFY alive/byebye; returns the stop function (none on failure). */
async function listenForNotify(scan: Scan, plan: ScanPlan, hooks: ScanHooks): Promise<(() => void) | undefined> {
  try {
    return await ssdpListen(plan.ifaces, { port: hooks.options.ports.ssdp }, {
      onSighting: (s) => (s.isByebye ? hooks.onByebye(scan, s) : onSsdp(scan, s, 'ssdp-notify', null, plan.httpPort, hooks)),
      onError: (e) => hooks.problem(scan, 'warnings', socketProblem('ssdp-notify', null, e)),
      onJoinError: (name, e) => hooks.problem(scan, 'warnings', socketProblem('ssdp-notify', plan.ifaces.find((i) => i.name === name) ?? null, e)),
    });
  } catch (e) {
    hooks.problem(scan, 'warnings', socketProblem('ssdp-notify', null, e as NodeJS.ErrnoException));
    return undefined;
  }
}

/** HTTP-probes a list of addresses through the pool; only identified devices are reported. */
function httpProbe(scan: Scan, list: string[], method: SeenBy, plan: ScanPlan, hooks: ScanHooks, t: Tally): void {
  scan.state.progress.total += list.length;
  t.tasks.push(
    pool(
      list,
      hooks.options.sweepConcurrency,
      async (ip) => {
        scan.state.progress.phase = method;
        await hooks.sighting(scan, ip, plan.httpPort, null, { ip, method, at: hooks.now() }, true);
        t.step();
      },
      { signal: scan.signal, initial: 8 },
    ),
  );
}

/** The factory-default probe's addresses (192.168.0.20 upward plus link-local neighbours), with a warning when unreachable. */
async function defaultAddresses(scan: Scan, plan: ScanPlan, hooks: ScanHooks): Promise<string[]> {
  if (hooks.options.defaultAddresses) return hooks.options.defaultAddresses();
  if (!plan.all.some((i) => i.cidr === '192.168.0.0/24')) {
    hooks.problem(scan, 'warnings', keyedProblem({ code: 'HOST_UNREACHABLE', method: 'defaults', interface: null }, 'scan.problem.noFactorySubnet'));
  }
  return [...factoryDefaultAddresses(16), ...(await linkLocalNeighbours())];
}

/** Explicit hosts: unicast M-SEARCH to each and an HTTP probe each; says why a host that did not answer stayed silent. */
async function probeHosts(scan: Scan, plan: ScanPlan, hooks: ScanHooks, t: Tally): Promise<void> {
  const { signal } = scan;
  const { httpPort } = plan;
  const resolved: string[] = [];
  for (const h of plan.hosts) {
    try {
      resolved.push(...(await hooks.resolveHost(h)).slice(0, 1));
    } catch (e) {
      // An error, not a warning: the technician named this host and it could not even be tried.
      // The resolver's failure is keyed: its key travels with the problem, so the UI and the CLI show it in their language.
      const keyed = isAppFailure(e) && e.key ? { key: e.key, ...(e.params ? { params: e.params } : {}) } : {};
      hooks.problem(scan, 'errors', { code: 'BAD_HOST', method: 'hosts', interface: null, message: e instanceof Error ? e.message : String(e), ...keyed });
    }
  }
  scan.state.progress.total += resolved.length + 1;
  const answered = new Set<string>();
  const tooSlow = new Set<string>();
  const unicast = ssdpUnicastSearch(resolved, { timeoutMs: plan.timeoutMs, signal, port: hooks.options.ports.ssdp }, {
    onSighting: (s) => {
      answered.add(s.ip);
      onSsdp(scan, s, 'ssdp-unicast', null, httpPort, hooks);
    },
    onError: (e) => hooks.problem(scan, 'warnings', socketProblem('ssdp-unicast', null, e)),
  })
    .catch((e: NodeJS.ErrnoException) => hooks.problem(scan, 'warnings', socketProblem('ssdp-unicast', null, e)))
    .finally(() => t.step());
  const probes = pool(
    resolved,
    hooks.options.sweepConcurrency,
    async (ip) => {
      const id = await hooks.sighting(scan, ip, httpPort, null, { ip, method: 'hosts', at: hooks.now() }, true, true);
      if (id?.isReachable) answered.add(ip);
      else if (id?.isSlow) tooSlow.add(ip);
      t.step();
    },
    { signal, initial: 8 },
  );
  await Promise.all([unicast, probes]);
  if (signal.aborted) return;
  for (const ip of resolved.filter((x) => !answered.has(x))) {
    hooks.problem(
      scan,
      'warnings',
      tooSlow.has(ip)
        ? keyedProblem({ code: 'TIMEOUT', method: 'hosts', interface: null }, 'scan.problem.hostSlow', { ip, port: String(httpPort) })
        : keyedProblem({ code: 'HOST_UNREACHABLE', method: 'hosts', interface: null }, 'scan.problem.hostSilent', { ip, port: String(httpPort) }),
    );
  }
}

/** An SSDP answer or NOTIFY alive: a Pelco camera is reported at once, details follow once its description is read. */
function onSsdp(scan: Scan, s: SsdpSighting, method: SeenBy, iface: string | null, httpPort: number, hooks: ScanHooks): void {
  const port = portOf(s.location) ?? httpPort;
  const obs: Observation = { ip: s.ip, method, at: hooks.now(), uuid: s.usn, interface: iface };
  if (s.isPelcoCamera) {
    // Only Pelco cameras answer for the Pelco camera type (docs/camera.md §3.1): report at once, details follow as
    // device-updated once the description is read.
    obs.manufacturer = 'Pelco';
    if (!scan.signal.aborted) hooks.observe(scan, obs);
  }
  void hooks.sighting(scan, s.ip, port, s.location, obs);
}
