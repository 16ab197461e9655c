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

interface Operation {
  id: string;
  abort: AbortController;
  startedAt: number;
  finishedAt: number | null;
  total: number;
  results: CameraResult[];
  status: 'running' | 'completed' | 'cancelled';
  done: Promise<JobResult>;
}

/** Default name lookup: every address of a name (IPv4 and IPv6). */
export async function systemResolveHost(host: string): Promise<string[]> {
  return (await lookup(host, { all: true })).map((a) => a.address);
}

/**
 * Checks the profile before any camera is touched: field rules, and that the final SMTP server is LOCAL
 * (SARIX.md §1; a public host such as smtp.gmail.com is refused with the explanation). Returns warnings.
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

/** Runs items through fn with at most `limit` at once; stops taking new items once the signal aborts. */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

/** Commissions cameras and restores them from backups. */
export class CommissioningService {
  /** In-process events: job started, step changed, camera finished, job finished. */
  readonly events = new Emitter<CommissioningEvents>();
  private readonly ops = new Map<string, Operation>();
  private readonly backups: BackupStore;
  private readonly resolveHost: (h: string) => Promise<string[]>;
  private readonly now: () => number;

  constructor(private readonly d: CommissioningServiceDeps) {
    this.backups = new BackupStore(d.backupDir);
    this.resolveHost = d.resolveHost ?? systemResolveHost;
    this.now = d.now ?? Date.now;
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
    if (signal) {
      if (signal.aborted) op.abort.abort(signal.reason);
      else signal.addEventListener('abort', () => op.abort.abort(signal.reason), { once: true });
    }
    return op.done;
  }

  private async begin(targets: CameraTarget[], profileInput: SiteProfileInput, optionsInput: z.input<typeof CommissionOptionsSchema>): Promise<Operation> {
    if (targets.length === 0) throw new AppFailure('VALIDATION', 'No camera to commission: give a camera URL or a CSV file with at least one camera.');
    const pp = SiteProfileSchema.safeParse(profileInput);
    if (!pp.success) throw new AppFailure('VALIDATION', `Site profile: ${pp.error.issues[0]?.path.join('.')}: ${pp.error.issues[0]?.message}.`);
    const po = CommissionOptionsSchema.safeParse(optionsInput);
    if (!po.success) throw new AppFailure('VALIDATION', `Options: ${po.error.issues[0]?.path.join('.')}: ${po.error.issues[0]?.message}.`);
    const profile = pp.data;
    const options = po.data;
    const warnings = await preflight(profile, this.resolveHost);
    const id = randomUUID();
    const op: Operation = { id, abort: new AbortController(), startedAt: this.now(), finishedAt: null, total: targets.length, results: [], status: 'running', done: Promise.resolve(null as unknown as JobResult) };
    this.ops.set(id, op);
    this.trim();
    this.events.emit('started', { operationId: id, cameras: targets.length, dryRun: options.dryRun });
    op.done = this.execute(op, targets, profile, options, warnings);
    return op;
  }

  private async execute(op: Operation, targets: CameraTarget[], profile: SiteProfile, options: CommissionOptions, warnings: string[]): Promise<JobResult> {
    const results: CameraResult[] = new Array(targets.length);
    await pool(targets, options.concurrency, async (t, i) => {
      if (op.abort.signal.aborted) {
        results[i] = this.cancelledResult(op.id, t);
      } else {
        results[i] = await commissionCamera(
          { target: t, profile, options, operationId: op.id, signal: op.abort.signal },
          {
            driverFactory: (x) => this.driverFor(x),
            backups: this.backups,
            resolveHost: this.resolveHost,
            relay: this.d.relay,
            triggerTest: this.d.triggerTest,
            logger: this.d.logger,
            now: this.now,
            onStep: (step) => this.events.emit('step-changed', { operationId: op.id, url: t.url, label: t.name, step }),
          },
        );
        results[i].warnings.unshift(...warnings);
      }
      op.results.push(results[i]);
      this.events.emit('camera-finished', { operationId: op.id, result: results[i] });
    });
    op.status = op.abort.signal.aborted ? 'cancelled' : 'completed';
    op.finishedAt = this.now();
    const job: JobResult = {
      operationId: op.id,
      status: op.status,
      results,
      passed: results.filter((r) => r.verdict === 'pass').length,
      failed: results.filter((r) => r.verdict === 'fail').length,
      planned: results.filter((r) => r.verdict === 'planned').length,
      durationMs: op.finishedAt - op.startedAt,
      warnings,
    };
    this.events.emit('finished', { operationId: op.id, status: job.status, passed: job.passed, failed: job.failed, planned: job.planned, durationMs: job.durationMs });
    return job;
  }

  private cancelledResult(operationId: string, t: CameraTarget): CameraResult {
    return { operationId, url: t.url, label: t.name, verdict: 'fail', steps: [], rolledBack: false, warnings: [], requests: 0, durationMs: 0, error: { code: 'CANCELLED', message: 'Not started: the job was cancelled.' } };
  }

  private trim(): void {
    const finished = [...this.ops.values()].filter((o) => o.status !== 'running');
    for (const o of finished.slice(0, Math.max(0, finished.length - 10))) this.ops.delete(o.id);
  }

  /** Waits for a started job. */
  wait(operationId: string): Promise<JobResult> {
    const op = this.ops.get(operationId);
    if (!op) throw new AppFailure('NOT_FOUND', `No commissioning job ${operationId}; it may have finished long ago.`);
    return op.done;
  }

  /** Cancels a running job: cameras in progress are rolled back, the rest are not started. */
  cancel(operationId: string): boolean {
    const op = this.ops.get(operationId);
    if (!op || op.status !== 'running') return false;
    op.abort.abort(new AppFailure('CANCELLED', 'Cancelled by the user.'));
    return true;
  }

  /** Jobs, running and recent. */
  getState(): { operations: CommissioningOperation[] } {
    return { operations: [...this.ops.values()].map((o) => ({ operationId: o.id, status: o.status, startedAt: o.startedAt, finishedAt: o.finishedAt, total: o.total, results: [...o.results] })) };
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
    const running = [...this.ops.values()].filter((o) => o.status === 'running');
    for (const o of running) o.abort.abort(new AppFailure('CANCELLED', 'The app is closing.'));
    await Promise.allSettled(running.map((o) => o.done));
  }
}
