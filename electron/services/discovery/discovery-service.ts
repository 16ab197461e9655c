/**
 * DiscoveryService: runs the chosen methods together (SSDP multicast + NOTIFY + unicast, WS-Discovery, mDNS per
 * interface; HTTP sweep, host and factory-default probes with bounded concurrency), identifies each device from
 * its web server, merges results by MAC/UUID/IP as they arrive and streams them as in-process events.
 * Scans are operations (start → progress → finished, cancellable); devices unseen for 45 s go offline.
 */
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { setMaxListeners } from 'node:events';
import net from 'node:net';
import {
  checkScanHost,
  factoryDefaultAddresses,
  markOffline,
  mergeObservation,
  MULTICAST_METHODS,
  normalizeUuid,
  OFFLINE_AFTER_MS,
  parseCidr,
  splitDevices,
  ipv4ToInt,
  type Device,
  type NetworkInterfaceInfo,
  type Observation,
  type ScanMethod,
  type ScanProblem,
  type SeenBy,
} from '../../../shared/domain/discovery';
import type { DeviceSeen, ScanFinished, ScanOptions, ScanProgress, ScanSummary } from '../../../shared/domain/scan';
import { AppFailure } from '../../../shared/ipc/result';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { LimitedHttpClient, NodeDiscoveryHttpClient, type DiscoveryHttpClient } from './http-client';
import { identifyHttp, type HttpIdentity } from './identify';
import { chooseInterfaces, linkLocalNeighbours, listInterfaces, type InterfaceSource } from './interfaces';
import { mdnsBrowse } from './mdns';
import { socketProblem } from './problems';
import { ssdpListen, ssdpMulticastSearch, ssdpUnicastSearch, type SsdpSighting } from './ssdp';
import { wsdProbe } from './wsd';

/** Resolves a host name to IPv4 addresses (injected in tests: never resolve real names there). */
export type HostResolver = (host: string) => Promise<string[]>;

/** In-process events of discovery (the contract adapter forwards them as discovery:* events). */
export interface DiscoveryEvents {
  'device-found': DeviceSeen;
  'device-updated': DeviceSeen;
  progress: ScanProgress;
  finished: ScanFinished;
}

/** What the service needs from its host. */
export interface DiscoveryServiceDeps {
  logger: Logger;
  httpClient?: DiscoveryHttpClient;
  /** Clock (epoch ms); tests inject one to drive offline marking. */
  now?: () => number;
  /** Interface source (default os.networkInterfaces). */
  interfaces?: InterfaceSource;
  /** Host-name lookup for `hosts` and manual add (default dns.lookup, IPv4). */
  resolve?: HostResolver;
  /** The factory-default probe's address list (default 192.168.0.20.. plus ARP link-local neighbours). */
  defaultAddresses?: () => Promise<string[]>;
  /** UDP ports (simulator knobs for loopback tests; real devices use 1900 and 3702). */
  ports?: { ssdp?: number; wsd?: number };
  /** Unseen this long → offline (default 45 s). */
  offlineAfterMs?: number;
  /** How often the offline check runs (default 5 s). */
  offlineCheckEveryMs?: number;
  /** Parallel HTTP probes in a sweep (default 64). */
  sweepConcurrency?: number;
  /** Timeout of one HTTP probe request (default 1500 ms). */
  httpTimeoutMs?: number;
  /**
   * False turns the multicast methods (SSDP search and NOTIFY, WS-Discovery, mDNS) into a reported error: for
   * hosts that run in test environments whose root namespace has a real uplink (default true).
   */
  isMulticastAllowed?: boolean;
}

/** The outcome of one scan. */
export interface ScanResult {
  operationId: string;
  status: 'completed' | 'cancelled' | 'failed';
  /** Every device seen in this scan (Sarix first, then by IP). */
  devices: Device[];
  cameras: Device[];
  otherDevices: Device[];
  warnings: ScanProblem[];
  errors: ScanProblem[];
  durationMs: number;
}

interface Operation {
  id: string;
  abort: AbortController;
  summary: ScanSummary;
  seen: Set<string>;
  pending: Map<string, Promise<HttpIdentity | null>>;
  lastProgressAt: number;
  /** Repeats until cancelled (live mode): only then does "unseen for 45 s" mean offline. */
  isLive: boolean;
  done: Promise<ScanResult>;
}

/** Default multicast listening window. */
const DEFAULT_TIMEOUT_MS = 3000;
/** Operations kept in get-state after they finish. */
const KEEP_FINISHED = 10;

/**
 * Runs items through fn with at most `limit` in flight, starting with `initial` and adding one more worker per
 * finished item (a slow start: the first hosts are not queued behind a burst of `limit` connections, so the
 * first camera shows up sooner). Stops taking new items when the signal aborts.
 */
export async function mapLimit<T>(items: readonly T[], limit: number, signal: AbortSignal, fn: (item: T) => Promise<void>, initial = 8): Promise<void> {
  let next = 0;
  let workers = 0;
  const running: Promise<void>[] = [];
  const worker = async (): Promise<void> => {
    while (!signal.aborted && next < items.length) {
      const item = items[next++];
      await fn(item);
      if (workers < limit && next < items.length && !signal.aborted) spawn();
    }
  };
  const spawn = () => {
    workers++;
    running.push(worker());
  };
  for (let i = 0; i < Math.max(1, Math.min(initial, limit, items.length)); i++) spawn();
  // Workers spawned later are pushed while earlier ones run; wait until the list stops growing.
  let seen = 0;
  while (seen < running.length) {
    const batch = running.slice(seen);
    seen = running.length;
    await Promise.all(batch);
  }
}

function byIp(a: Device, b: Device): number {
  return (ipv4ToInt(a.ip) ?? 0) - (ipv4ToInt(b.ip) ?? 0) || a.ip.localeCompare(b.ip);
}

/** Port of an http URL (80 when absent), or null when it is not one. */
function portOf(url: string | null): number | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:') return null;
    return u.port ? Number(u.port) : 80;
  } catch {
    return null;
  }
}

/** Finds Sarix cameras and other devices on the chosen interfaces and ranges. */
export class DiscoveryService {
  /** In-process events: devices found and updated, scan progress and ends. */
  readonly events = new Emitter<DiscoveryEvents>();
  private devices: Device[] = [];
  private readonly fingerprints = new Set<string>();
  /** When a device last said ssdp:byebye (by device id). */
  private readonly goodbyes = new Map<string, number>();
  private readonly operations = new Map<string, Operation>();
  private readonly http: DiscoveryHttpClient;
  private readonly now: () => number;
  private offlineTimer: NodeJS.Timeout | null = null;
  private isDisposed = false;

  constructor(private readonly d: DiscoveryServiceDeps) {
    // Two requests per probed host (fingerprint and description go out together), so twice the sweep width.
    this.http = new LimitedHttpClient(d.httpClient ?? new NodeDiscoveryHttpClient(), 2 * (d.sweepConcurrency ?? 64));
    this.now = d.now ?? Date.now;
  }

  /** The machine's IPv4 interfaces, classified; physical ones are selected by default. */
  listInterfaces(): NetworkInterfaceInfo[] {
    return listInterfaces(this.d.interfaces);
  }

  /** Every device known so far, split into Sarix cameras and other devices, and the recent operations. */
  getState(): { cameras: Device[]; otherDevices: Device[]; operations: ScanSummary[] } {
    const { cameras, otherDevices } = splitDevices([...this.devices].sort(byIp));
    return { cameras, otherDevices, operations: [...this.operations.values()].map((o) => structuredClone(o.summary)) };
  }

  /**
   * Starts a scan and returns its operation id at once; results stream as events, `discovery:finished` ends it.
   * Bad options (CIDR, interface name) throw VALIDATION before anything is sent.
   */
  start(options: ScanOptions): string {
    return this.begin(options).id;
  }

  /** Runs one scan to its end (or until the signal aborts) and resolves to the merged device list. */
  async scan(options: ScanOptions, signal?: AbortSignal): Promise<ScanResult> {
    const op = this.begin({ ...options, repeatEveryMs: undefined });
    const onAbort = () => this.cancel(op.id);
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await op.done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Cancels a running operation; every socket closes and every request aborts before `finished` is sent. */
  cancel(operationId: string): boolean {
    const op = this.operations.get(operationId);
    if (!op) throw new AppFailure('NOT_FOUND', `There is no scan with id ${operationId}; it may have finished long ago. Start a new scan.`);
    if (op.summary.status !== 'running') return false;
    op.abort.abort(new Error('cancelled'));
    return true;
  }

  /** Waits for an operation to end (tests, CLI). */
  waitForOperation(operationId: string): Promise<ScanResult> {
    const op = this.operations.get(operationId);
    if (!op) return Promise.reject(new AppFailure('NOT_FOUND', `There is no scan with id ${operationId}.`));
    return op.done;
  }

  /** Adds a device by IP address or host name after probing its web UI; throws CAMERA_UNREACHABLE when nothing answers. */
  async addManual(host: string, httpPort = 80): Promise<Device> {
    const ips = await this.resolveHost(host);
    const ip = ips[0];
    const signal = AbortSignal.timeout((this.d.httpTimeoutMs ?? 1500) * 6);
    const id = await identifyHttp(this.http, ip, httpPort, { timeoutMs: this.d.httpTimeoutMs ?? 1500, signal });
    if (!id.isReachable) {
      throw new AppFailure(
        'CAMERA_UNREACHABLE',
        `Nothing answered at ${id.webUrl}. Check the address and the HTTP port, that the camera is powered, and that this computer is on the camera's network.`,
        { host, ip, httpPort },
      );
    }
    return this.observe(null, this.identityObservation({ ip, method: 'manual', at: this.now() }, id));
  }

  /**
   * Marks devices unseen for 45 s offline and pushes `camera-updated` for each. A timer runs it while a live scan
   * (repeatEveryMs) is running; tests call it directly.
   */
  tick(): void {
    const r = markOffline(this.devices, this.now(), this.d.offlineAfterMs ?? OFFLINE_AFTER_MS);
    this.devices = r.devices;
    for (const dev of r.changed) this.events.emit('device-updated', { operationId: null, device: dev });
  }

  /** Cancels every scan, waits for them to close their sockets, stops the offline timer. */
  async dispose(): Promise<void> {
    this.isDisposed = true;
    if (this.offlineTimer) clearInterval(this.offlineTimer);
    this.offlineTimer = null;
    const running = [...this.operations.values()].filter((o) => o.summary.status === 'running');
    for (const o of running) o.abort.abort(new Error('disposed'));
    await Promise.allSettled(running.map((o) => o.done));
  }

  private begin(options: ScanOptions): Operation {
    if (this.isDisposed) throw new AppFailure('UNAVAILABLE', 'Discovery is shutting down; restart the app to scan again.');
    const plan = this.plan(options);
    const id = randomUUID();
    const startedAt = this.now();
    const op: Operation = {
      id,
      abort: new AbortController(),
      seen: new Set(),
      pending: new Map(),
      lastProgressAt: 0,
      isLive: !!options.repeatEveryMs,
      summary: { operationId: id, status: 'running', startedAt, finishedAt: null, progress: { operationId: id, done: 0, total: 0, found: 0, phase: 'starting' }, warnings: [], errors: [] },
      done: Promise.resolve(null as unknown as ScanResult),
    };
    // Every in-flight probe listens on the one operation signal; the default limit of 10 would warn.
    setMaxListeners(0, op.abort.signal);
    this.operations.set(id, op);
    this.trimOperations();
    this.ensureOfflineTimer();
    op.done = this.runOperation(op, options, plan);
    return op;
  }

  private plan(options: ScanOptions) {
    const all = this.listInterfaces();
    const ifaces = chooseInterfaces(all, options.interfaces);
    let sweepHosts: string[] = [];
    if (options.sweep) {
      const r = parseCidr(options.sweep);
      if (!r.ok) throw new AppFailure('VALIDATION', r.message, { sweep: options.sweep });
      sweepHosts = r.hosts();
    }
    // Default: a targeted scan (sweep range or hosts given) probes only those; otherwise multicast on the NICs.
    const isTargeted = !!options.sweep || (options.hosts?.length ?? 0) > 0;
    const methods = new Set<ScanMethod>(options.methods ?? (isTargeted ? (options.sweep ? ['sweep'] : []) : ['ssdp', 'wsd', 'mdns']));
    if (methods.has('sweep') && !options.sweep) {
      // No range given: sweep the chosen interfaces' own subnets (each within the sweep size limit).
      for (const i of ifaces) {
        const r = parseCidr(i.cidr);
        if (r.ok) sweepHosts.push(...r.hosts());
      }
    }
    const hosts: string[] = [];
    for (const h of options.hosts ?? []) {
      const c = checkScanHost(h);
      if (!c.ok) throw new AppFailure('VALIDATION', c.message, { host: h });
      hosts.push(c.host);
    }
    return { all, ifaces, methods, sweepHosts: [...new Set(sweepHosts)], hosts, httpPort: options.httpPort ?? 80, timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  }

  private async runOperation(op: Operation, options: ScanOptions, plan: ReturnType<DiscoveryService['plan']>): Promise<ScanResult> {
    const signal = op.abort.signal;
    let status: ScanResult['status'] = 'completed';
    const stopListening: Array<() => void> = [];
    try {
      do {
        await this.runOnce(op, plan, stopListening);
        if (!options.repeatEveryMs || signal.aborted) break;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, options.repeatEveryMs);
          signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
        });
      } while (!signal.aborted);
      if (signal.aborted) status = 'cancelled';
    } catch (e) {
      status = signal.aborted ? 'cancelled' : 'failed';
      if (!signal.aborted) {
        this.d.logger.error('discovery scan failed', e instanceof Error ? e.stack : e);
        op.summary.errors.push({ code: 'SOCKET_ERROR', method: 'scan', interface: null, message: `The scan stopped unexpectedly: ${e instanceof Error ? e.message : String(e)}. Scan again.` });
      }
    } finally {
      for (const s of stopListening) s();
      await Promise.allSettled([...op.pending.values()]);
    }
    const finishedAt = this.now();
    op.summary.status = status;
    op.summary.finishedAt = finishedAt;
    const devices = this.devices.filter((d) => op.seen.has(d.id)).sort((a, b) => Number(b.isSarix) - Number(a.isSarix) || byIp(a, b));
    const { cameras, otherDevices } = splitDevices(devices);
    this.emitProgress(op, 'finished', true);
    const result: ScanResult = { operationId: op.id, status, devices, cameras, otherDevices, warnings: [...op.summary.warnings], errors: [...op.summary.errors], durationMs: finishedAt - op.summary.startedAt };
    this.events.emit('finished', {
      operationId: op.id,
      status,
      cameraCount: cameras.length,
      otherCount: otherDevices.length,
      durationMs: result.durationMs,
      warnings: result.warnings,
      errors: result.errors,
    });
    return result;
  }

  /** One pass of every chosen method, concurrently. */
  private async runOnce(op: Operation, plan: ReturnType<DiscoveryService['plan']>, stopListening: Array<() => void>): Promise<void> {
    const signal = op.abort.signal;
    const { ifaces, methods, timeoutMs, httpPort } = plan;
    const ports = this.d.ports ?? {};
    const tasks: Promise<void>[] = [];
    // Each pass identifies afresh: a cached identification must never count as "seen again" (offline marking).
    op.pending.clear();
    let multicast = MULTICAST_METHODS.filter((m) => methods.has(m));
    if (multicast.length > 0 && this.d.isMulticastAllowed === false) {
      this.problem(op, 'errors', {
        code: 'PERMISSION',
        method: multicast.join(','),
        interface: null,
        message: `Multicast discovery (${multicast.join(', ')}) is switched off in this host; use the HTTP sweep or probe the camera's address directly.`,
      });
      multicast = [];
    }
    op.summary.progress.total = 0;
    op.summary.progress.done = 0;
    if (multicast.length > 0 && ifaces.length === 0) {
      const physical = plan.all.filter((i) => i.kind !== 'loopback').map((i) => `${i.name} (${i.kind})`);
      this.problem(op, 'errors', {
        code: 'NO_INTERFACE',
        method: multicast.join(','),
        interface: null,
        message:
          physical.length === 0
            ? 'No network interface is up with an IPv4 address, so multicast discovery cannot run. Connect the cable or Wi-Fi (or wait for DHCP), then scan again.'
            : `No physical network interface is up; only ${physical.join(', ')} are. Connect the cable or Wi-Fi, or pick one of those interfaces explicitly.`,
      });
    }
    const step = (n = 1) => {
      op.summary.progress.done += n;
      this.emitProgress(op, op.summary.progress.phase);
    };
    const window = (label: string, fn: () => Promise<void>) => {
      op.summary.progress.total++;
      tasks.push(fn().finally(() => step()));
      op.summary.progress.phase = label;
    };

    for (const iface of ifaces) {
      if (multicast.includes('ssdp')) {
        window('ssdp', () =>
          ssdpMulticastSearch(iface, { timeoutMs, signal, port: ports.ssdp }, {
            onSighting: (s) => this.onSsdp(op, s, 'ssdp', iface.name, httpPort),
            onError: (e) => this.problem(op, 'warnings', socketProblem('ssdp', iface, e)),
          }).catch((e: NodeJS.ErrnoException) => this.problem(op, 'errors', socketProblem('ssdp', iface, e))),
        );
      }
      if (multicast.includes('wsd')) {
        window('wsd', () =>
          wsdProbe(iface, { timeoutMs, signal, port: ports.wsd }, {
            onMatch: (m, fromIp) => {
              const xaddr = m.xaddrs.find((x) => {
                try {
                  return new URL(x).hostname === fromIp;
                } catch {
                  return false;
                }
              });
              const port = portOf(xaddr ?? null) ?? httpPort;
              this.sighting(op, fromIp, port, null, {
                ip: fromIp,
                method: 'wsd',
                at: this.now(),
                uuid: m.endpoint,
                name: m.name,
                model: m.hardware,
                manufacturer: m.manufacturer,
                interface: iface.name,
              });
            },
            onError: (e) => this.problem(op, 'warnings', socketProblem('wsd', iface, e)),
          }).catch((e: NodeJS.ErrnoException) => this.problem(op, 'errors', socketProblem('wsd', iface, e))),
        );
      }
      if (multicast.includes('mdns')) {
        const reported = new Set<string>();
        window('mdns', () =>
          mdnsBrowse(iface, { timeoutMs, signal }, {
            onService: (s) => {
              const port = s.type === 'http' ? s.port : httpPort;
              const k = `${s.ip}|${s.type}`;
              if (reported.has(k)) return;
              reported.add(k);
              const base: Observation = { ip: s.ip, method: 'mdns', at: this.now(), interface: iface.name };
              const txtIdentity: Partial<Observation> = {
                name: s.name,
                mac: s.txt.mac ?? null,
                model: s.txt.model ?? s.txt.md ?? null,
                manufacturer: s.txt.vendor ?? s.txt.manufacturer ?? null,
                firmware: s.txt.fw ?? s.txt.firmware ?? null,
              };
              // An unattributed address is reported only when its own web server identifies it.
              void this.sighting(op, s.ip, port, null, s.isAttributed ? { ...base, ...txtIdentity } : base, !s.isAttributed);
            },
            onError: (e) => this.problem(op, 'warnings', socketProblem('mdns', iface, e)),
          }).catch((e: NodeJS.ErrnoException) => this.problem(op, 'errors', socketProblem('mdns', iface, e))),
        );
      }
    }

    // Passive NOTIFY listening, once per operation (kept open across repeats).
    if (multicast.includes('ssdp') && ifaces.length > 0 && stopListening.length === 0) {
      try {
        const stop = await ssdpListen(ifaces, { port: ports.ssdp }, {
          onSighting: (s) => (s.isByebye ? this.onByebye(op, s) : this.onSsdp(op, s, 'ssdp-notify', null, httpPort)),
          onError: (e) => this.problem(op, 'warnings', socketProblem('ssdp-notify', null, e)),
          onJoinError: (name, e) => this.problem(op, 'warnings', socketProblem('ssdp-notify', ifaces.find((i) => i.name === name) ?? null, e)),
        });
        stopListening.push(stop);
      } catch (e) {
        this.problem(op, 'warnings', socketProblem('ssdp-notify', null, e as NodeJS.ErrnoException));
      }
    }

    // Explicit hosts: unicast M-SEARCH and an HTTP probe each (routed subnets).
    if (plan.hosts.length > 0) {
      tasks.push(this.probeHosts(op, plan.hosts, httpPort, timeoutMs, step));
    }
    const httpProbe = (list: string[], method: SeenBy) => {
      op.summary.progress.total += list.length;
      tasks.push(
        mapLimit(list, this.d.sweepConcurrency ?? 64, signal, async (ip) => {
          op.summary.progress.phase = method;
          await this.sighting(op, ip, httpPort, null, { ip, method, at: this.now() }, true);
          step();
        }),
      );
    };
    if (methods.has('sweep') && plan.sweepHosts.length > 0) httpProbe(plan.sweepHosts, 'sweep');
    if (methods.has('defaults')) {
      const list = this.d.defaultAddresses ? await this.d.defaultAddresses() : [...factoryDefaultAddresses(16), ...(await linkLocalNeighbours())];
      if (!this.d.defaultAddresses && !plan.all.some((i) => i.cidr === '192.168.0.0/24')) {
        this.problem(op, 'warnings', {
          code: 'HOST_UNREACHABLE',
          method: 'defaults',
          interface: null,
          message: 'No interface of this computer is in 192.168.0.0/24, so factory-default cameras (192.168.0.20 upward) are probably unreachable. Add an address such as 192.168.0.100/24 to the camera-side interface and scan again.',
        });
      }
      httpProbe(list, 'defaults');
    }
    this.emitProgress(op, 'scanning', true);
    await Promise.allSettled(tasks);
    await Promise.allSettled([...op.pending.values()]);
  }

  private async probeHosts(op: Operation, hosts: string[], httpPort: number, timeoutMs: number, step: (n?: number) => void): Promise<void> {
    const signal = op.abort.signal;
    const resolved: string[] = [];
    for (const h of hosts) {
      try {
        resolved.push(...(await this.resolveHost(h)).slice(0, 1));
      } catch (e) {
        // An error, not a warning: the technician named this host and it could not even be tried.
        this.problem(op, 'errors', { code: 'BAD_HOST', method: 'hosts', interface: null, message: e instanceof Error ? e.message : String(e) });
      }
    }
    op.summary.progress.total += resolved.length + 1;
    const answered = new Set<string>();
    const tooSlow = new Set<string>();
    const unicast = ssdpUnicastSearch(resolved, { timeoutMs, signal, port: this.d.ports?.ssdp }, {
      onSighting: (s) => {
        answered.add(s.ip);
        this.onSsdp(op, s, 'ssdp-unicast', null, httpPort);
      },
      onError: (e) => this.problem(op, 'warnings', socketProblem('ssdp-unicast', null, e)),
    })
      .catch((e: NodeJS.ErrnoException) => this.problem(op, 'warnings', socketProblem('ssdp-unicast', null, e)))
      .finally(() => step());
    await Promise.all([
      unicast,
      mapLimit(resolved, this.d.sweepConcurrency ?? 64, signal, async (ip) => {
        const id = await this.sighting(op, ip, httpPort, null, { ip, method: 'hosts', at: this.now() }, true, true);
        if (id?.isReachable) answered.add(ip);
        else if (id?.isSlow) tooSlow.add(ip);
        step();
      }),
    ]);
    if (signal.aborted) return;
    for (const ip of resolved) {
      if (answered.has(ip)) continue;
      if (tooSlow.has(ip)) {
        this.problem(op, 'warnings', {
          code: 'TIMEOUT',
          method: 'hosts',
          interface: null,
          message: `${ip} accepted the connection on HTTP port ${httpPort} but did not answer in time. The device may be busy or not a camera; try again, or open its web page in a browser.`,
        });
      } else {
        this.problem(op, 'warnings', {
          code: 'HOST_UNREACHABLE',
          method: 'hosts',
          interface: null,
          message: `${ip} did not answer (HTTP port ${httpPort}, SSDP). Check the address and port, that the device is powered, and that a route to its subnet exists.`,
        });
      }
    }
  }

  private onSsdp(op: Operation, s: SsdpSighting, method: SeenBy, iface: string | null, httpPort: number): void {
    const port = portOf(s.location) ?? httpPort;
    const obs: Observation = { ip: s.ip, method, at: this.now(), uuid: s.usn, interface: iface };
    if (s.isPelcoCamera) {
      // Only Pelco cameras answer for the Pelco camera type (SARIX.md §3.1): report at once, details follow as
      // camera-updated once the description is read.
      obs.manufacturer = 'Pelco';
      if (!op.abort.signal.aborted) this.observe(op, obs);
    }
    void this.sighting(op, s.ip, port, s.location, obs);
  }

  private onByebye(op: Operation, s: SsdpSighting): void {
    const uuid = normalizeUuid(s.usn);
    const idx = this.devices.findIndex((d) => (uuid && d.uuid === uuid) || (!uuid && d.ip === s.ip));
    if (idx < 0 || !this.devices[idx].isOnline) return;
    const dev = { ...this.devices[idx], isOnline: false };
    this.goodbyes.set(dev.id, this.now());
    this.devices = this.devices.map((d, i) => (i === idx ? dev : d));
    this.events.emit('device-updated', { operationId: op.id, device: dev });
  }

  /**
   * One sighting of a device: identify it over HTTP once per operation and pass (later sightings of the same
   * ip:port share that identification), then merge and report. With `needsIdentity`, a host whose web server
   * does not identify itself is not reported (a sweep must not list every web server); with `reportBare`, an
   * explicitly named host is reported when it answers at all.
   */
  private sighting(op: Operation, ip: string, port: number, location: string | null, obs: Observation, needsIdentity = false, reportBare = false): Promise<HttpIdentity | null> {
    const signal = op.abort.signal;
    if (signal.aborted) return Promise.resolve(null);
    // An SSDP LOCATION is identified on its own: a probe of the same host that started first without it tried
    // only the known description paths, and the LOCATION may point anywhere (docs/camera.md §3.1).
    const key = location ? `${ip}|${port}|${location}` : `${ip}|${port}`;
    let identification = op.pending.get(key);
    if (!identification) {
      identification = this.identify(op, ip, port, location);
      op.pending.set(key, identification);
    }
    return identification.then((id) => {
      if (signal.aborted) return id;
      const isIdentified = !!id && (id.hasSarixFingerprint || id.description !== null);
      const shouldReport = !needsIdentity || isIdentified || (reportBare && !!id?.isReachable);
      if (shouldReport) this.observe(op, id ? this.identityObservation(obs, id) : obs);
      return id;
    });
  }

  /** Identifies one ip:port; null when the scan was cancelled or the probe failed unexpectedly. */
  private async identify(op: Operation, ip: string, port: number, location: string | null): Promise<HttpIdentity | null> {
    const signal = op.abort.signal;
    const timeoutMs = this.d.httpTimeoutMs ?? 1500;
    try {
      const id = await identifyHttp(this.http, ip, port, { timeoutMs, signal, location });
      if (id.isSlow && !id.hasSarixFingerprint && !id.description && !signal.aborted) {
        // A web server that accepted the connection but answered too slowly (a busy camera) gets one more try
        // with a longer timeout instead of vanishing from the list or losing its identity.
        return await identifyHttp(this.http, ip, port, { timeoutMs: timeoutMs * 3, signal, location });
      }
      return id;
    } catch (e) {
      if (!signal.aborted) this.d.logger.info(`identify ${ip}:${port} failed`, e instanceof Error ? e.message : e);
      return null;
    }
  }

  private identityObservation(obs: Observation, id: HttpIdentity): Observation {
    const d = id.description;
    return {
      ...obs,
      manufacturer: d?.manufacturer ?? obs.manufacturer,
      model: d?.model ?? obs.model,
      name: d?.name ?? obs.name,
      serial: d?.serial ?? obs.serial,
      mac: d?.mac ?? obs.mac,
      uuid: d?.uuid ?? obs.uuid,
      firmware: d?.firmware ?? obs.firmware,
      webUrl: id.isReachable ? id.webUrl : obs.webUrl,
      hasSarixFingerprint: id.hasSarixFingerprint,
    };
  }

  /** Merges one observation into the table and pushes found/updated. */
  private observe(op: Operation | null, obs: Observation): Device {
    const out = mergeObservation(this.devices, obs, this.fingerprints);
    const goneAt = this.goodbyes.get(out.device.id);
    if (goneAt !== undefined && obs.at <= goneAt) {
      // A sighting from before the device said goodbye (an identification still in flight) must not revive it.
      out.device = { ...out.device, isOnline: false };
      out.devices = out.devices.map((d) => (d.id === out.device.id ? out.device : d));
      out.isChanged = true;
    } else if (goneAt !== undefined) {
      this.goodbyes.delete(out.device.id);
    }
    this.devices = out.devices;
    if (obs.hasSarixFingerprint) this.fingerprints.add(out.device.id);
    const opId = op?.id ?? null;
    if (op && !op.seen.has(out.device.id)) {
      op.seen.add(out.device.id);
      op.summary.progress.found = op.seen.size;
    }
    if (out.isNew) this.events.emit('device-found', { operationId: opId, device: out.device });
    else if (out.isChanged) this.events.emit('device-updated', { operationId: opId, device: out.device });
    return out.device;
  }

  private problem(op: Operation, kind: 'warnings' | 'errors', p: ScanProblem): void {
    const list = op.summary[kind];
    if (list.some((x) => x.code === p.code && x.method === p.method && x.interface === p.interface && x.message === p.message)) return;
    list.push(p);
    // Problems travel in the result and the finished event (the CLI prints them); the log keeps a quiet copy.
    this.d.logger.info(`discovery: ${p.message}`);
  }

  private emitProgress(op: Operation, phase: string, force = false): void {
    op.summary.progress.phase = phase;
    const t = Date.now();
    if (!force && t - op.lastProgressAt < 100 && op.summary.progress.done < op.summary.progress.total) return;
    op.lastProgressAt = t;
    this.events.emit('progress', { ...op.summary.progress });
  }

  private async resolveHost(host: string): Promise<string[]> {
    if (net.isIPv4(host)) return [host];
    try {
      const all = this.d.resolve ? await this.d.resolve(host) : (await lookup(host, { family: 4, all: true })).map((a) => a.address);
      // A name may stand for a broadcast or multicast address; those are never probed.
      const ips = all.filter((ip) => checkScanHost(ip).ok && net.isIPv4(ip));
      if (ips.length === 0) throw new Error(all.length ? `only ${all.slice(0, 3).join(', ')}, not a device address` : 'no address');
      return ips;
    } catch (e) {
      throw new AppFailure('VALIDATION', `Cannot resolve "${host}" to an IPv4 address (${e instanceof Error ? e.message : String(e)}); check the name or type the camera's IP address.`, { host });
    }
  }

  private ensureOfflineTimer(): void {
    if (this.offlineTimer) return;
    // Only while something keeps looking: after a one-off scan, "not seen since" is not evidence of "gone".
    this.offlineTimer = setInterval(() => {
      if ([...this.operations.values()].some((o) => o.isLive && o.summary.status === 'running')) this.tick();
    }, this.d.offlineCheckEveryMs ?? 5000);
    this.offlineTimer.unref();
  }

  private trimOperations(): void {
    const finished = [...this.operations.values()].filter((o) => o.summary.status !== 'running');
    for (const o of finished.slice(0, Math.max(0, finished.length - KEEP_FINISHED))) this.operations.delete(o.id);
  }
}
