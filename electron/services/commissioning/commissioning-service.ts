/**
 * The commissioning service: runs a site profile on one or many cameras with bounded concurrency (one camera
 * failing does not stop the others), emits progress events keyed by an operation id, can be cancelled, and
 * restores a camera from its backup. Plain Node: the host injects the test relay, the test trigger and the backup
 * folder.
 */
import { randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import {
  CommissionOptionsSchema,
  SiteProfileSchema,
  checkSiteProfile,
  type CameraResult,
  type CameraTarget,
  type CommissionOptions,
  type SiteProfile,
  type SiteProfileInput,
} from '../../../shared/domain/commissioning';
import { checkSmtpHost, smtpHostNeedsLookup } from '../../../shared/domain/net-address';
import { AppFailure, isAppFailure } from '../../../shared/ipc/result';
import type { z } from 'zod';
import type { CameraFinished, CommissioningOperation, JobFinished, JobStarted, RollbackResult, StepChanged } from '../../../shared/domain/commissioning-job';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { Operations, pool, type Operation, type OperationContext } from '../common/operations';
import { createSarixWebDriver, type CameraDriver } from '../camera/driver';
import type { FirmwareProfile } from '../camera/firmware-profile';
import { BackupStore } from './backup-store';
import { commissionCamera, SABOTAGE, type TriggerTest } from './commission-camera';
import { restoreBackup } from './undo';
import type { TestRelay } from './test-relay';

/** In-process events of commissioning (the contract adapter forwards them as commissioning:* events). */
export interface CommissioningEvents {
  started: JobStarted;
  'step-changed': StepChanged;
  'camera-finished': CameraFinished;
  finished: JobFinished;
  /** A rollback ended, restored or not (the site journal records it); never carries the login. */
  'rolled-back': { url: string; result?: RollbackResult; error?: { code: string; message: string } };
}

/** What the service needs from its host. */
export interface CommissioningServiceDeps {
  logger: Logger;
  /** Folder for per-camera backups (`<userData>/backups`). */
  backupDir: string;
  /** Builds a driver for a target (default: the Sarix web driver). */
  driverFactory?: (target: CameraTarget) => CameraDriver;
  /** Name lookup for SMTP server names and camera host names (tests inject one; never real DNS in tests). */
  resolveHost?: (host: string) => Promise<string[]>;
  relay?: TestRelay;
  triggerTest?: TriggerTest;
  now?: () => number;
  /** Per-request timeout of camera calls (default 8000 ms). */
  cameraTimeoutMs?: number;
  /** Firmware assumptions (default profile plus any profile file the host loaded). */
  cameraProfile?: FirmwareProfile;
}

/** What a job keeps while it runs (its registry entry's state). */
interface JobState {
  total: number;
  /** Results of the cameras finished so far, in finishing order. */
  results: CameraResult[];
}

/** The outcome of one job. */
export interface JobResult {
  operationId: string;
  status: 'completed' | 'cancelled';
  results: CameraResult[];
  passed: number;
  failed: number;
  planned: number;
  durationMs: number;
  warnings: string[];
}

/** Default name lookup: every address of a name (IPv4 and IPv6). */
export async function systemResolveHost(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}

/**
 * Checks the profile before any camera is touched: field rules, and that the final SMTP server is LOCAL
 * (docs/camera.md §1; a public host such as smtp.gmail.com is refused with the explanation). Returns warnings.
 */
export async function preflight(profile: SiteProfile, resolveHost: (h: string) => Promise<string[]>): Promise<string[]> {
  const problems = checkSiteProfile(profile);
  if (problems.length) throw new AppFailure('VALIDATION', problems.map((p) => p.message).join(' '), { problems });
  const host = profile.smtpServer.trim();
  const resolved = smtpHostNeedsLookup(host) ? await resolveHost(host).catch(() => [] as string[]) : undefined;
  const v = checkSmtpHost(host, resolved);
  if (!v.ok) throw new AppFailure(v.problem === 'public-provider' || v.problem === 'public-address' ? 'PUBLIC_SMTP_HOST' : 'VALIDATION', v.message, { problem: v.problem });
  return v.warning ? [v.warning] : [];
}

/** Commissions cameras and restores them from backups. */
export class CommissioningService {
  /** In-process events: job started, step changed, camera finished, job finished. */
  readonly events = new Emitter<CommissioningEvents>();
  private readonly jobs: Operations<JobResult, JobState>;
  private readonly backups: BackupStore;
  private readonly resolveHost: (h: string) => Promise<string[]>;
  private readonly now: () => number;

  constructor(private readonly d: CommissioningServiceDeps) {
    this.backups = new BackupStore(d.backupDir);
    this.resolveHost = d.resolveHost ?? systemResolveHost;
    this.now = d.now ?? Date.now;
    this.jobs = new Operations({ now: this.now, noun: 'commissioning job' });
  }

  private driverFor(t: CameraTarget): CameraDriver {
    return this.d.driverFactory ? this.d.driverFactory(t) : createSarixWebDriver({ url: t.url, username: t.username, password: t.password, timeoutMs: this.d.cameraTimeoutMs, logger: this.d.logger, now: this.now, profile: this.d.cameraProfile });
  }

  /** Starts a job in the background; returns its operation id (progress arrives as events). */
  async start(targets: CameraTarget[], profile: SiteProfileInput, options: z.input<typeof CommissionOptionsSchema> = {}): Promise<string> {
    const op = await this.begin(targets, profile, options);
    return op.id;
  }

  /** Runs a job and waits for it. */
  async run(targets: CameraTarget[], profile: SiteProfileInput, options: z.input<typeof CommissionOptionsSchema> = {}, signal?: AbortSignal): Promise<JobResult> {
    const op = await this.begin(targets, profile, options);
    this.jobs.follow(op.id, signal);
    return op.done;
  }

  private async begin(targets: CameraTarget[], profileInput: SiteProfileInput, optionsInput: z.input<typeof CommissionOptionsSchema>): Promise<Operation<JobResult, JobState>> {
    if (targets.length === 0) throw new AppFailure('VALIDATION', 'No camera to commission: give a camera URL or a CSV file with at least one camera.');
    const pp = SiteProfileSchema.safeParse(profileInput);
    if (!pp.success) throw new AppFailure('VALIDATION', `Site profile: ${pp.error.issues[0]?.path.join('.')}: ${pp.error.issues[0]?.message}.`);
    const po = CommissionOptionsSchema.safeParse(optionsInput);
    if (!po.success) throw new AppFailure('VALIDATION', `Options: ${po.error.issues[0]?.path.join('.')}: ${po.error.issues[0]?.message}.`);
    const profile = pp.data;
    const options = po.data;
    const warnings = await preflight(profile, this.resolveHost);
    const id = randomUUID();
    this.events.emit('started', { operationId: id, cameras: targets.length, dryRun: options.dryRun });
    return this.jobs.start((job) => this.execute(job, targets, profile, options, warnings), { id, state: { total: targets.length, results: [] } });
  }

  private async execute(job: OperationContext<JobState>, targets: CameraTarget[], profile: SiteProfile, options: CommissionOptions, warnings: string[]): Promise<JobResult> {
    const results: CameraResult[] = new Array(targets.length);
    // No signal for the pool: every camera gets a result, a "not started" one once the job is cancelled.
    await pool(targets, options.concurrency, async (t, i) => {
      if (job.signal.aborted) {
        results[i] = this.cancelledResult(job.id, t);
      } else {
        results[i] = await commissionCamera(
          { target: t, profile, options, operationId: job.id, signal: job.signal },
          {
            driverFactory: (x) => this.driverFor(x),
            backups: this.backups,
            resolveHost: this.resolveHost,
            relay: this.d.relay,
            triggerTest: this.d.triggerTest,
            logger: this.d.logger,
            now: this.now,
            onStep: (step) => this.events.emit('step-changed', { operationId: job.id, url: t.url, label: t.name, step }),
          },
        );
        results[i].warnings.unshift(...warnings);
      }
      job.state.results.push(results[i]);
      this.events.emit('camera-finished', { operationId: job.id, result: results[i] });
    });
    const status = job.signal.aborted ? 'cancelled' : 'completed';
    job.finish(status);
    const op = this.jobs.get(job.id);
    const result: JobResult = {
      operationId: job.id,
      status,
      results,
      passed: results.filter((r) => r.verdict === 'pass').length,
      failed: results.filter((r) => r.verdict === 'fail').length,
      planned: results.filter((r) => r.verdict === 'planned').length,
      durationMs: (op?.finishedAt ?? this.now()) - (op?.startedAt ?? this.now()),
      warnings,
    };
    this.events.emit('finished', { operationId: job.id, status, passed: result.passed, failed: result.failed, planned: result.planned, durationMs: result.durationMs });
    return result;
  }

  private cancelledResult(operationId: string, t: CameraTarget): CameraResult {
    return { operationId, url: t.url, label: t.name, verdict: 'fail', steps: [], rolledBack: false, warnings: [], requests: 0, durationMs: 0, error: { code: 'CANCELLED', message: 'Not started: the job was cancelled.' } };
  }

  /** Waits for a started job. */
  wait(operationId: string): Promise<JobResult> {
    return this.jobs.wait(operationId);
  }

  /** Cancels a running job: cameras in progress are rolled back, the rest are not started. False when it is not running. */
  cancel(operationId: string): boolean {
    return this.jobs.cancel(operationId).isCancelled;
  }

  /** Jobs, running and recent. */
  getState(): { operations: CommissioningOperation[] } {
    return { operations: this.jobs.list().map((o) => ({ operationId: o.id, status: o.status, startedAt: o.startedAt, finishedAt: o.finishedAt, total: o.state.total, results: [...o.state.results] })) };
  }

  /** Restores a camera from its newest backup (or the given file) and reads it back to verify. */
  async rollback(target: CameraTarget, backupFile?: string): Promise<RollbackResult> {
    try {
      const result = await this.restore(target, backupFile);
      this.events.emit('rolled-back', { url: target.url, result });
      return result;
    } catch (e) {
      this.events.emit('rolled-back', { url: target.url, error: { code: isAppFailure(e) ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) } });
      throw e;
    }
  }

  private async restore(target: CameraTarget, backupFile?: string): Promise<RollbackResult> {
    const driver = this.driverFor(target);
    try {
      await driver.login();
      const id = await driver.identity();
      const stored = backupFile ? { file: backupFile, backup: await this.backups.load(backupFile) } : await this.backups.latest(id.mac);
      if (!stored) throw new AppFailure('NOT_FOUND', `There is no backup for the camera ${id.mac} in ${this.backups.dir}: it was never commissioned from this computer (or the data folder differs; pass --data).`);
      if (stored.backup.mac.toUpperCase() !== id.mac.toUpperCase()) {
        throw new AppFailure('CONFLICT', `The backup ${stored.file} belongs to ${stored.backup.mac}, but the camera at ${target.url} is ${id.mac}. Choose that camera's backup.`);
      }
      // Written back raw and read back raw (undo.ts); the read-back decides, whatever failed on the way.
      const check = await restoreBackup(driver, stored.backup, SABOTAGE, this.d.logger);
      return { url: target.url, mac: id.mac, backupFile: stored.file, savedAt: stored.backup.savedAt, verified: check.ok, differences: check.ok ? [] : [...check.differences, ...check.errors] };
    } finally {
      driver.close();
    }
  }

  /** Cancels running jobs and waits for them (their cameras are rolled back). */
  async dispose(): Promise<void> {
    await this.jobs.dispose('The app is closing.');
  }
}
