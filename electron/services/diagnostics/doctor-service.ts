/**
 * `sarix doctor` as a service: runs the camera, SMTP, NTP and relay checks in that order (the camera says
 * which SMTP and NTP server to probe), reports each check as it finishes, and ends with the whole report. A run
 * is a long operation (start → check-finished → finished, cancellable; common/operations.ts); `run` awaits one.
 * Every check id appears exactly once in every report (skipped with a reason when it could not run).
 */
import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { addressScope, parseIp } from '../../../shared/domain/net-address';
import {
  CHECK_IDS,
  checkResult,
  says,
  summarize,
  type CheckId,
  type CheckResult,
  type DoctorReport,
  type DoctorRunRequest,
} from '../../../shared/domain/diagnostics';
import type { CheckFinished, DoctorFinished } from '../../../shared/domain/doctor-run';
import { errorParam } from '../../../shared/i18n/keyed-text';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { Operations, type OperationContext } from '../common/operations';
import { runCameraChecks, type CameraFindings, type DriverFactory } from './camera-checks';
import { runNtpChecks } from './ntp-checks';
import { readUnprivilegedPortStart, runRelayChecks, type PortBindProbe, type RelayStateSource } from './relay-checks';
import type { NameResolver } from './resolver';
import { runSmtpChecks, type SmtpProbeSummary } from './smtp-checks';
import type { Dialer } from './smtp-probe';
import type { SntpQueryOptions } from './sntp-client';

/** What the doctor needs from its host. */
export interface DoctorDeps {
  resolver: NameResolver;
  log: Logger;
  /** Builds the camera driver (default: the Sarix web driver, loaded on first use). */
  driverFactory?: DriverFactory;
  /** The relay running in this process, if any. */
  relay?: RelayStateSource;
  dial?: Dialer;
  createUdpSocket?: SntpQueryOptions['createSocket'];
  bindProbe?: PortBindProbe;
  /** Monotonic ms for durations (default performance.now). */
  now?: () => number;
  /** This laptop's wall clock in Unix ms (default Date.now). */
  wallClock?: () => number;
  platform?: NodeJS.Platform;
  /** This machine's interface addresses (default os.networkInterfaces()). */
  localAddresses?: () => string[];
  /**
   * Port to probe the camera's own SMTP server on (default 25, the only port a real camera uses). The practice
   * camera and tests send to a relay on another port, like the simulator's smtpPort knob.
   */
  cameraSmtpPort?: number;
  /** Timeouts, shortened by tests. */
  timeouts?: { connectMs?: number; replyMs?: number; ntpMs?: number };
}

/** Options of one run. */
export interface DoctorRunOptions {
  signal?: AbortSignal;
  /** Called with each finished check, in order. */
  onCheck?: (check: CheckResult, index: number, total: number) => void;
}

const defaultDriverFactory: DriverFactory = async (o) => {
  const { createSarixWebDriver } = await import('../camera/driver');
  return createSarixWebDriver(o);
};

/** In-process events of the doctor (the contract adapter forwards them as doctor:* events). */
export interface DoctorEvents {
  'check-finished': CheckFinished;
  /** A run ended (all checks reported; skipped ones when it was cancelled); the site journal records it. */
  finished: DoctorFinished;
}

/** Runs doctor checks; one instance serves many runs (runs are independent). */
export class DoctorService {
  /** In-process events: each check as it finishes. */
  readonly events = new Emitter<DoctorEvents>();
  private readonly runs = new Operations<DoctorReport>({ noun: 'doctor run' });
  constructor(private readonly d: DoctorDeps) {}

  /**
   * The port to probe the camera's SMTP server on: 25 like a real camera, unless the host says otherwise, or the
   * camera points at this app's own relay (the practice camera sends to the relay's port, whatever it is).
   */
  private async cameraSmtpPort(host: string): Promise<number> {
    if (this.d.cameraSmtpPort !== undefined) return this.d.cameraSmtpPort;
    const st = this.d.relay ? await this.d.relay.getState() : undefined;
    if (st?.status === 'listening' && st.port && st.listenAddress && st.listenAddress.toLowerCase() === host.toLowerCase()) return st.port;
    return 25;
  }

  /** True when the address is loopback or one of this machine's interface addresses. */
  private isThisMachine(address: string): boolean {
    if (addressScope(address) === 'loopback') return true;
    const mine = this.d.localAddresses ? this.d.localAddresses() : Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((i) => i.address));
    const want = parseIp(address)?.address;
    return mine.some((a) => parseIp(a)?.address === want);
  }

  /** Starts a run in the background and returns its operation id (the caller's, when the request names one). */
  start(req: DoctorRunRequest): string {
    return this.begin(req).id;
  }

  /** Runs every check and returns the report (exitCode 1 when any check failed); `onCheck` sees each check as it ends. */
  async run(req: DoctorRunRequest, o: DoctorRunOptions = {}): Promise<DoctorReport> {
    const op = this.begin(req);
    this.runs.follow(op.id, o.signal);
    const off = this.events.on('check-finished', (e) => {
      if (e.operationId !== op.id) return;
      try {
        o.onCheck?.(e.check, e.index, e.total);
      } catch (err) {
        this.d.log.warn('doctor: progress listener failed', String(err));
      }
    });
    try {
      return await op.done;
    } finally {
      off();
    }
  }

  /** Waits for a started run. */
  wait(operationId: string): Promise<DoctorReport> {
    return this.runs.wait(operationId);
  }

  /** Cancels a running run: the checks not yet done are reported as skipped. False when no such run is going. */
  cancel(operationId: string): boolean {
    return this.runs.cancel(operationId, 'The doctor run was cancelled.').isCancelled;
  }

  /** Cancels every running run and waits for its report. */
  dispose(): Promise<void> {
    return this.runs.dispose('The app is closing.');
  }

  private begin(req: DoctorRunRequest) {
    return this.runs.start((run) => this.execute(run, req), { id: req.operationId ?? randomUUID() });
  }

  /** The checks in order: camera (it says which SMTP and NTP server to probe), SMTP, NTP, relay. */
  private async execute(run: OperationContext, req: DoctorRunRequest): Promise<DoctorReport> {
    const wallClock = this.d.wallClock ?? (() => Date.now());
    const startedAt = new Date(wallClock()).toISOString();
    const ctx = this.context(run);
    const findings = await this.cameraGroup(ctx, req);
    const smtpSummary = await this.smtpGroup(ctx, req, findings);
    await this.ntpGroup(ctx, req, findings);
    await this.relayGroup(ctx, findings, smtpSummary);
    const order = new Map(CHECK_IDS.map((id, i) => [id, i]));
    const checks = [...ctx.results].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const { counts, exitCode } = summarize(checks);
    const report = { operationId: run.id, startedAt, finishedAt: new Date(wallClock()).toISOString(), checks, counts, exitCode };
    run.finish();
    this.events.emit('finished', { operationId: run.id, report, ...(req.camera ? { cameraUrl: req.camera.url } : {}) });
    return report;
  }

  /** What every check group of one run shares: the report function, the guard, clocks and timeouts. */
  private context(run: OperationContext): RunContext {
    const results: CheckResult[] = [];
    const total = CHECK_IDS.length;
    const report = (r: CheckResult) => {
      if (results.some((x) => x.id === r.id)) {
        this.d.log.error(`doctor: check ${r.id} reported twice; keeping the first`);
        return;
      }
      results.push(r);
      this.events.emit('check-finished', { operationId: run.id, check: r, index: results.length - 1, total });
    };
    const { signal } = run;
    const guard = async (ids: readonly CheckId[], fn: () => Promise<void>) => {
      try {
        if (signal.aborted) throw signal.reason;
        await fn();
      } catch (e) {
        // A bug or a cancel in one group must not hide the others: every missing check of the group is reported.
        const cancelled = signal.aborted;
        if (!cancelled) this.d.log.error('doctor: a check group failed unexpectedly', e instanceof Error ? e.stack : String(e));
        for (const id of ids) {
          if (results.some((x) => x.id === id)) continue;
          report(
            cancelled
              ? checkResult(id, { verdict: 'skipped', ...says(['doctor.msg.cancelledBefore']) })
              : checkResult(id, { verdict: 'fail', ...says(['doctor.msg.checkCrashed', { error: errorParam(e) }], ['doctor.fix.debugLog']) }),
          );
        }
      }
    };
    return { signal, results, report, guard, now: this.d.now ?? (() => performance.now()), wallClock: this.d.wallClock ?? (() => Date.now()), timeouts: this.d.timeouts ?? {} };
  }

  private async cameraGroup(c: RunContext, req: DoctorRunRequest): Promise<CameraFindings> {
    let findings: CameraFindings = {};
    await c.guard(idsOf('camera-'), async () => {
      findings = await runCameraChecks(req.camera, {
        resolver: this.d.resolver,
        driverFactory: this.d.driverFactory ?? defaultDriverFactory,
        dial: this.d.dial,
        now: c.now,
        wallClock: c.wallClock,
        signal: c.signal,
        connectTimeoutMs: c.timeouts.connectMs,
        explicitSmtp: req.smtpServer?.host,
        report: c.report,
      });
    });
    return findings;
  }

  private async smtpGroup(c: RunContext, req: DoctorRunRequest, findings: CameraFindings): Promise<SmtpProbeSummary | undefined> {
    // True when the camera's General page was read, so "no server" means the camera has none set.
    const cameraRead = findings.generalRead === true;
    const smtpTarget = req.smtpServer
      ? { host: req.smtpServer.host, port: req.smtpServer.port, source: 'flag' as const }
      : findings.smtpServer
        ? { host: findings.smtpServer, port: await this.cameraSmtpPort(findings.smtpServer), source: 'camera' as const }
        : undefined;
    let summary: SmtpProbeSummary | undefined;
    await c.guard(idsOf('smtp-'), async () => {
      summary = await runSmtpChecks(smtpTarget && { ...smtpTarget, to: req.to ?? findings.handlerTo, from: findings.handlerFrom, sendTest: req.sendTest }, {
        resolver: this.d.resolver,
        dial: this.d.dial,
        now: c.now,
        signal: c.signal,
        connectTimeoutMs: c.timeouts.connectMs,
        replyTimeoutMs: c.timeouts.replyMs,
        noTargetReason: cameraRead ? ['doctor.msg.cameraNoSmtpNoFlag'] : undefined,
        report: c.report,
      });
    });
    return summary;
  }

  private async ntpGroup(c: RunContext, req: DoctorRunRequest, findings: CameraFindings): Promise<void> {
    const cameraRead = findings.generalRead === true;
    const ntpTarget = req.ntpServer
      ? { host: req.ntpServer.host, port: req.ntpServer.port, source: 'flag' as const }
      : findings.ntpServer
        ? { host: findings.ntpServer, port: 123, source: 'camera' as const }
        : undefined;
    await c.guard(idsOf('ntp-'), () =>
      runNtpChecks(ntpTarget, {
        resolver: this.d.resolver,
        now: c.now,
        wallClock: c.wallClock,
        signal: c.signal,
        timeoutMs: c.timeouts.ntpMs,
        createSocket: this.d.createUdpSocket,
        noTargetReason: cameraRead ? ['doctor.msg.cameraNoNtpNoFlag'] : undefined,
        report: c.report,
      }),
    );
  }

  private async relayGroup(c: RunContext, findings: CameraFindings, smtpSummary: SmtpProbeSummary | undefined): Promise<void> {
    const platform = this.d.platform ?? process.platform;
    await c.guard(idsOf('relay-'), async () =>
      runRelayChecks({
        relay: this.d.relay,
        probedSmtp: smtpSummary && { ...smtpSummary, isThisMachine: this.isThisMachine(smtpSummary.address) },
        cameraAddress: findings.address,
        bindProbe: this.d.bindProbe,
        platform,
        uid: typeof process.geteuid === 'function' ? process.geteuid() : undefined,
        unprivilegedPortStart: platform === 'linux' ? await readUnprivilegedPortStart() : undefined,
        now: c.now,
        report: c.report,
      }),
    );
  }
}

/** The check ids of one group, in order. */
function idsOf(prefix: string): CheckId[] {
  return CHECK_IDS.filter((id) => id.startsWith(prefix));
}

/** What the check groups of one run share. */
interface RunContext {
  signal: AbortSignal;
  results: CheckResult[];
  report(r: CheckResult): void;
  /** Runs a group; whatever it leaves unreported (a bug, a cancel) is reported as failed or skipped. */
  guard(ids: readonly CheckId[], fn: () => Promise<void>): Promise<void>;
  now: () => number;
  wallClock: () => number;
  timeouts: NonNullable<DoctorDeps['timeouts']>;
}
