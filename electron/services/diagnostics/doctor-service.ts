/**
 * `sarix doctor` as a service: runs the camera, SMTP, NTP and relay checks in that order (the camera says
 * which SMTP and NTP server to probe), reports each check as it finishes, and returns the whole report.
 * Every check id appears exactly once in every report (skipped with a reason when it could not run).
 */
import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import { addressScope, parseIp } from '../../../shared/domain/net-address';
import {
  CHECK_IDS,
  checkResult,
  summarize,
  type CheckId,
  type CheckResult,
  type DoctorReport,
  type DoctorRunRequest,
} from '../../../shared/domain/diagnostics';
import type { CheckFinished } from '../../../shared/domain/doctor-run';
import { AppFailure } from '../../../shared/ipc/result';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { runCameraChecks, type DriverFactory } from './camera-checks';
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
  /** A whole run ended (the site journal records it); the camera is named by its URL only, never its login. */
  'run-finished': { cameraUrl?: string; report: DoctorReport };
}

/** Runs doctor checks; one instance serves many runs (runs are independent). */
export class DoctorService {
  /** In-process events: each check as it finishes. */
  readonly events = new Emitter<DoctorEvents>();
  private readonly running = new Map<string, AbortController>();
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

  /** Cancels a running run by id; false when no such run is going. */
  cancel(operationId: string): boolean {
    const c = this.running.get(operationId);
    if (!c) return false;
    c.abort(new AppFailure('CANCELLED', 'The doctor run was cancelled.'));
    return true;
  }

  /** Runs every check and returns the report (exitCode 1 when any check failed). */
  async run(req: DoctorRunRequest, o: DoctorRunOptions = {}): Promise<DoctorReport> {
    const operationId = req.operationId ?? randomUUID();
    if (this.running.has(operationId)) throw new AppFailure('CONFLICT', `A doctor run with id ${operationId} is already going; wait for it or use another id.`);
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(o.signal?.reason);
    o.signal?.addEventListener('abort', onOuterAbort, { once: true });
    this.running.set(operationId, controller);
    const signal = controller.signal;
    const now = this.d.now ?? (() => performance.now());
    const wallClock = this.d.wallClock ?? (() => Date.now());
    const startedAt = new Date(wallClock()).toISOString();
    const results: CheckResult[] = [];
    const total = CHECK_IDS.length;
    const report = (r: CheckResult) => {
      if (results.some((x) => x.id === r.id)) {
        this.d.log.error(`doctor: check ${r.id} reported twice; keeping the first`);
        return;
      }
      results.push(r);
      this.events.emit('check-finished', { operationId, check: r, index: results.length - 1, total });
      try {
        o.onCheck?.(r, results.length - 1, total);
      } catch (e) {
        this.d.log.warn('doctor: progress listener failed', String(e));
      }
    };
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
              ? checkResult(id, { verdict: 'skipped', message: 'Cancelled before this check ran.' })
              : checkResult(id, { verdict: 'fail', message: `The check itself failed: ${e instanceof Error ? e.message : String(e)}`, fix: 'Run again with SARIX_DEBUG=1 and keep the log for support.' }),
          );
        }
      }
    };
    const t = this.d.timeouts ?? {};
    try {
      let findings: Awaited<ReturnType<typeof runCameraChecks>> = {};
      const cameraIds = CHECK_IDS.filter((id) => id.startsWith('camera-'));
      await guard(cameraIds, async () => {
        findings = await runCameraChecks(req.camera, {
          resolver: this.d.resolver,
          driverFactory: this.d.driverFactory ?? defaultDriverFactory,
          dial: this.d.dial,
          now,
          wallClock,
          signal,
          connectTimeoutMs: t.connectMs,
          explicitSmtp: req.smtpServer?.host,
          report,
        });
      });
      // True when the camera's General page was read, so "no server" means the camera has none set.
      const cameraRead = findings.generalRead === true;
      const smtpTarget = req.smtpServer
        ? { host: req.smtpServer.host, port: req.smtpServer.port, source: 'flag' as const }
        : findings.smtpServer
          ? { host: findings.smtpServer, port: await this.cameraSmtpPort(findings.smtpServer), source: 'camera' as const }
          : undefined;
      let smtpSummary: SmtpProbeSummary | undefined;
      await guard(
        CHECK_IDS.filter((id) => id.startsWith('smtp-')),
        async () => {
          smtpSummary = await runSmtpChecks(smtpTarget && { ...smtpTarget, to: req.to ?? findings.handlerTo, from: findings.handlerFrom, sendTest: req.sendTest }, {
            resolver: this.d.resolver,
            dial: this.d.dial,
            now,
            signal,
            connectTimeoutMs: t.connectMs,
            replyTimeoutMs: t.replyMs,
            noTargetReason: cameraRead ? 'The camera has no SMTP server set, and none was given with --smtp-server.' : undefined,
            report,
          });
        },
      );
      const ntpTarget = req.ntpServer
        ? { host: req.ntpServer.host, port: req.ntpServer.port, source: 'flag' as const }
        : findings.ntpServer
          ? { host: findings.ntpServer, port: 123, source: 'camera' as const }
          : undefined;
      await guard(
        CHECK_IDS.filter((id) => id.startsWith('ntp-')),
        () =>
          runNtpChecks(ntpTarget, {
            resolver: this.d.resolver,
            now,
            wallClock,
            signal,
            timeoutMs: t.ntpMs,
            createSocket: this.d.createUdpSocket,
            noTargetReason: cameraRead ? 'The camera has no NTP server set (its clock drifts), and none was given with --ntp-server.' : undefined,
            report,
          }),
      );
      const platform = this.d.platform ?? process.platform;
      await guard(CHECK_IDS.filter((id) => id.startsWith('relay-')), async () =>
        runRelayChecks({
          relay: this.d.relay,
          probedSmtp: smtpSummary && { ...smtpSummary, isThisMachine: this.isThisMachine(smtpSummary.address) },
          cameraAddress: findings.address,
          bindProbe: this.d.bindProbe,
          platform,
          uid: typeof process.geteuid === 'function' ? process.geteuid() : undefined,
          unprivilegedPortStart: platform === 'linux' ? await readUnprivilegedPortStart() : undefined,
          now,
          report,
        }),
      );
    } finally {
      this.running.delete(operationId);
      o.signal?.removeEventListener('abort', onOuterAbort);
    }
    const order = new Map(CHECK_IDS.map((id, i) => [id, i]));
    const checks = [...results].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const { counts, exitCode } = summarize(checks);
    const done: DoctorReport = { operationId, startedAt, finishedAt: new Date(wallClock()).toISOString(), checks, counts, exitCode };
    this.events.emit('run-finished', { ...(req.camera ? { cameraUrl: req.camera.url } : {}), report: done });
    return done;
  }
}
