/**
 * DiscoveryService: runs the chosen methods together (SSDP multicast + NOTIFY + unicast, WS-Discovery, mDNS per
 * interface; HTTP sweep, host and factory-default probes through one pool; see scan-pass.ts), identifies each
 * device from its web server, merges results by MAC/UUID/IP as they arrive and streams them as in-process events.
 * Scans are operations (start → progress → finished, cancellable; common/operations.ts); devices unseen for 45 s
 * go offline.
 */
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { checkScanHost, markOffline, mergeObservation, normalizeUuid, OFFLINE_AFTER_MS, splitDevices, type Device, type NetworkInterfaceInfo, type Observation, type ScanProblem } from '../../../shared/domain/discovery';
import type { DeviceSeen, ScanFinished, ScanOptions, ScanProgress, ScanSummary } from '../../../shared/domain/scan';
import { failure, sub } from '../../../shared/i18n/messages';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { Operations, type Operation } from '../common/operations';
import { LimitedHttpClient, NodeDiscoveryHttpClient, type DiscoveryHttpClient } from './http-client';
import { identifyHttp, type HttpIdentity } from './identify';
import { listInterfaces, type InterfaceSource } from './interfaces';
import { keyedProblem } from './problems';
import { runPass, type Scan, type ScanHooks, type ScanState } from './scan-pass';
import { byIp, planScan, type ScanPlan } from './scan-plan';
import type { SsdpSighting } from './ssdp';

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
  status: ScanFinished['status'];
  /** Every device seen in this scan (Sarix first, then by IP). */
  devices: Device[];
  cameras: Device[];
  otherDevices: Device[];
  warnings: ScanProblem[];
  errors: ScanProblem[];
  durationMs: number;
}

/** Finds Sarix cameras and other devices on the chosen interfaces and ranges. */
export class DiscoveryService {
  /** In-process events: devices found and updated, scan progress and ends. */
  readonly events = new Emitter<DiscoveryEvents>();
  private devices: Device[] = [];
  private readonly fingerprints = new Set<string>();
  /** When a device last said ssdp:byebye (by device id). */
  private readonly goodbyes = new Map<string, number>();
  private readonly scans: Operations<ScanResult, ScanState>;
  private readonly http: DiscoveryHttpClient;
  private readonly now: () => number;
  private readonly hooks: ScanHooks;
  private offlineTimer: NodeJS.Timeout | null = null;
  private isDisposed = false;

  constructor(private readonly d: DiscoveryServiceDeps) {
    // Two requests per probed host (fingerprint and description go out together), so twice the sweep width.
    this.http = new LimitedHttpClient(d.httpClient ?? new NodeDiscoveryHttpClient(), 2 * (d.sweepConcurrency ?? 64));
    this.now = d.now ?? Date.now;
    this.scans = new Operations({ now: this.now, noun: 'scan' });
    this.hooks = {
      options: { ports: d.ports ?? {}, sweepConcurrency: d.sweepConcurrency ?? 64, isMulticastAllowed: d.isMulticastAllowed !== false, defaultAddresses: d.defaultAddresses },
      now: () => this.now(),
      resolveHost: (h) => this.resolveHost(h),
      sighting: (...a) => this.sighting(...a),
      observe: (scan, obs) => this.observe(scan, obs),
      onByebye: (scan, s) => this.onByebye(scan, s),
      problem: (scan, kind, p) => this.problem(scan, kind, p),
      emitProgress: (scan, phase, force) => this.emitProgress(scan, phase, force),
    };
  }

  /** The machine's IPv4 interfaces, classified; physical ones are selected by default. */
  listInterfaces(): NetworkInterfaceInfo[] {
    return listInterfaces(this.d.interfaces);
  }

  /** Every device known so far, split into Sarix cameras and other devices, and the recent scans. */
  getState(): { cameras: Device[]; otherDevices: Device[]; operations: ScanSummary[] } {
    const { cameras, otherDevices } = splitDevices([...this.devices].sort(byIp));
    return { cameras, otherDevices, operations: this.scans.list().map(summaryOf) };
  }

  /**
   * Starts a scan and returns its operation id at once; results stream as events, `finished` ends it.
   * Bad options (CIDR, interface name) throw VALIDATION before anything is sent.
   */
  start(options: ScanOptions): string {
    return this.begin(options).id;
  }

  /** Runs one scan to its end (or until the signal aborts) and resolves to the merged device list. */
  async scan(options: ScanOptions, signal?: AbortSignal): Promise<ScanResult> {
    const op = this.begin({ ...options, repeatEveryMs: undefined });
    this.scans.follow(op.id, signal);
    return op.done;
  }

  /**
   * Cancels a running scan; every socket closes and every request aborts before `finished` is sent. False when it
   * already ended; NOT_FOUND for an id that was never a scan here (a stale UI).
   */
  cancel(operationId: string): boolean {
    if (!this.scans.get(operationId)) throw failure('NOT_FOUND', 'errors.NOT_FOUND.scan', { id: operationId });
    return this.scans.cancel(operationId).isCancelled;
  }

  /** Waits for a scan to end (tests, CLI). */
  waitForOperation(operationId: string): Promise<ScanResult> {
    return this.scans.wait(operationId);
  }

  /** Adds a device by IP address or host name after probing its web UI; throws CAMERA_UNREACHABLE when nothing answers. */
  async addManual(host: string, httpPort = 80): Promise<Device> {
    const ips = await this.resolveHost(host);
    const ip = ips[0];
    const signal = AbortSignal.timeout((this.d.httpTimeoutMs ?? 1500) * 6);
    const id = await identifyHttp(this.http, ip, httpPort, { timeoutMs: this.d.httpTimeoutMs ?? 1500, signal });
    if (!id.isReachable) {
      throw failure('CAMERA_UNREACHABLE', 'errors.CAMERA_UNREACHABLE.manual', { url: id.webUrl }, { host, ip, httpPort });
    }
    return this.observe(null, this.identityObservation({ ip, method: 'manual', at: this.now() }, id));
  }

  /**
   * Marks devices unseen for 45 s offline and pushes `device-updated` for each. A timer runs it while a live scan
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
    await this.scans.dispose(sub('errors.CANCELLED.discoveryClosing'));
  }

  private begin(options: ScanOptions): Operation<ScanResult, ScanState> {
    if (this.isDisposed) throw failure('UNAVAILABLE', 'errors.UNAVAILABLE.discoveryClosing');
    const plan = planScan(options, this.listInterfaces());
    const id = randomUUID();
    const state: ScanState = {
      progress: { operationId: id, done: 0, total: 0, found: 0, phase: 'starting' },
      warnings: [],
      errors: [],
      seen: new Set(),
      pending: new Map(),
      lastProgressAt: 0,
      isLive: !!options.repeatEveryMs,
    };
    const op = this.scans.start((scan) => this.runScan(scan, options, plan), { id, state });
    this.ensureOfflineTimer();
    return op;
  }

  /** Runs passes (one, or until cancelled in live mode), then reports the end. */
  private async runScan(scan: Scan, options: ScanOptions, plan: ScanPlan): Promise<ScanResult> {
    const { signal } = scan;
    let status: ScanResult['status'] = 'completed';
    const stopListening: Array<() => void> = [];
    try {
      do {
        await runPass(scan, plan, this.hooks, stopListening);
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
        scan.state.errors.push(keyedProblem({ code: 'SOCKET_ERROR', method: 'scan', interface: null }, 'scan.problem.stopped', { reason: e instanceof Error ? e.message : String(e) }));
      }
    } finally {
      for (const s of stopListening) s();
      await Promise.allSettled([...scan.state.pending.values()]);
    }
    return this.finishScan(scan, status);
  }

  /** Marks the scan ended, then pushes the last progress and `finished` (a listener already sees the final status). */
  private finishScan(scan: Scan, status: ScanResult['status']): ScanResult {
    scan.finish(status);
    const op = this.scans.get(scan.id);
    const durationMs = (op?.finishedAt ?? this.now()) - (op?.startedAt ?? this.now());
    const devices = this.devices.filter((d) => scan.state.seen.has(d.id)).sort((a, b) => Number(b.isSarix) - Number(a.isSarix) || byIp(a, b));
    const { cameras, otherDevices } = splitDevices(devices);
    this.emitProgress(scan, 'finished', true);
    const result: ScanResult = { operationId: scan.id, status, devices, cameras, otherDevices, warnings: [...scan.state.warnings], errors: [...scan.state.errors], durationMs };
    this.events.emit('finished', { operationId: scan.id, status, cameraCount: cameras.length, otherCount: otherDevices.length, durationMs, warnings: result.warnings, errors: result.errors });
    return result;
  }

  private onByebye(scan: Scan, s: SsdpSighting): void {
    const uuid = normalizeUuid(s.usn);
    const idx = this.devices.findIndex((d) => (uuid && d.uuid === uuid) || (!uuid && d.ip === s.ip));
    if (idx < 0 || !this.devices[idx].isOnline) return;
    const dev = { ...this.devices[idx], isOnline: false };
    this.goodbyes.set(dev.id, this.now());
    this.devices = this.devices.map((d, i) => (i === idx ? dev : d));
    this.events.emit('device-updated', { operationId: scan.id, device: dev });
  }

  /**
   * One sighting of a device: identify it over HTTP once per operation and pass (later sightings of the same
   * ip:port share that identification), then merge and report. With `needsIdentity`, a host whose web server
   * does not identify itself is not reported (a sweep must not list every web server); with `reportBare`, an
   * explicitly named host is reported when it answers at all.
   */
  private sighting(scan: Scan, ip: string, port: number, location: string | null, obs: Observation, needsIdentity = false, reportBare = false): Promise<HttpIdentity | null> {
    const { signal } = scan;
    if (signal.aborted) return Promise.resolve(null);
    // An SSDP LOCATION is identified on its own: a probe of the same host that started first without it tried
    // only the known description paths, and the LOCATION may point anywhere (docs/camera.md §3.1).
    const key = location ? `${ip}|${port}|${location}` : `${ip}|${port}`;
    let identification = scan.state.pending.get(key);
    if (!identification) {
      identification = this.identify(signal, ip, port, location);
      scan.state.pending.set(key, identification);
    }
    return identification.then((id) => {
      if (signal.aborted) return id;
      const isIdentified = !!id && (id.hasSarixFingerprint || id.description !== null);
      const shouldReport = !needsIdentity || isIdentified || (reportBare && !!id?.isReachable);
      if (shouldReport) this.observe(scan, id ? this.identityObservation(obs, id) : obs);
      return id;
    });
  }

  /** Identifies one ip:port; null when the scan was cancelled or the probe failed unexpectedly. */
  private async identify(signal: AbortSignal, ip: string, port: number, location: string | null): Promise<HttpIdentity | null> {
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
  private observe(scan: Scan | null, obs: Observation): Device {
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
    const opId = scan?.id ?? null;
    if (scan && !scan.state.seen.has(out.device.id)) {
      scan.state.seen.add(out.device.id);
      scan.state.progress.found = scan.state.seen.size;
    }
    if (out.isNew) this.events.emit('device-found', { operationId: opId, device: out.device });
    else if (out.isChanged) this.events.emit('device-updated', { operationId: opId, device: out.device });
    return out.device;
  }

  private problem(scan: Scan, kind: 'warnings' | 'errors', p: ScanProblem): void {
    const list = scan.state[kind];
    if (list.some((x) => x.code === p.code && x.method === p.method && x.interface === p.interface && x.message === p.message)) return;
    list.push(p);
    // Problems travel in the result and the finished event (the CLI prints them); the log keeps a quiet copy.
    this.d.logger.info(`discovery: ${p.message}`);
  }

  private emitProgress(scan: Scan, phase: string, force = false): void {
    const { progress } = scan.state;
    progress.phase = phase;
    const t = Date.now();
    if (!force && t - scan.state.lastProgressAt < 100 && progress.done < progress.total) return;
    scan.state.lastProgressAt = t;
    this.events.emit('progress', { ...progress });
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
      throw failure('VALIDATION', 'errors.VALIDATION.unresolvedHost', { host, reason: e instanceof Error ? e.message : String(e) }, { host });
    }
  }

  private ensureOfflineTimer(): void {
    if (this.offlineTimer) return;
    // Only while something keeps looking: after a one-off scan, "not seen since" is not evidence of "gone".
    this.offlineTimer = setInterval(() => {
      if (this.scans.list().some((o) => o.state.isLive && o.status === 'running')) this.tick();
    }, this.d.offlineCheckEveryMs ?? 5000);
    this.offlineTimer.unref();
  }
}

/** A scan as `get-state` lists it. */
function summaryOf(op: Operation<ScanResult, ScanState>): ScanSummary {
  const { progress, warnings, errors } = op.state;
  return structuredClone({ operationId: op.id, status: op.status, startedAt: op.startedAt, finishedAt: op.finishedAt, progress, warnings, errors });
}
