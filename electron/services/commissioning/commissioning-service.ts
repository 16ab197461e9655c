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
import { failure, keyedText } from '../../../shared/i18n/messages';
import { AppFailure, isAppFailure } from '../../../shared/ipc/result';
import type { z } from 'zod';
import type { CameraFinished, CommissioningOperation, JobFinished, JobStarted, RollbackResult, StepChanged } from '../../../shared/domain/commissioning-job';
import type { TestQueueChanged, TestQueueEntry } from '../../../shared/domain/test-queue';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { Operations, type Operation, type OperationContext } from '../common/operations';
import { createSarixWebDriver, type CameraDriver } from '../camera/driver';
import type { FirmwareProfile } from '../camera/firmware-profile';
import { BackupStore } from './backup-store';
import { commissionCamera, SABOTAGE, type TriggerTest } from './commission-camera';
import { restoreBackup } from './undo';
import type { TestRelay } from './test-relay';
import { ConfigSlots, TestGate } from './test-gate';

/** In-process events of commissioning (the contract adapter forwards them as commissioning:* events). */
export interface CommissioningEvents {
  started: JobStarted;
  'step-changed': StepChanged;
  'camera-finished': CameraFinished;
  finished: JobFinished;
  /** A job's test order or a camera's test turn changed. */
  'test-queue-changed': TestQueueChanged;
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
  /** True for a camera whose test event fires without a person (a practice camera): it never waits for the technician. */
  triggersItself?: (url: string) => boolean;
}

/** What a job keeps while it runs (its registry entry's state). */
interface JobState {
  total: number;
  /** Results of the cameras finished so far, in finishing order. */
  results: CameraResult[];
  /** The test order (jobs that test). */
  gate?: TestGate;
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
  // One problem is keyed (shown in the technician's language); several are joined as the rules wrote them.
  if (problems.length === 1 && problems[0].key) throw failure('VALIDATION', problems[0].key, problems[0].params, { problems });
  if (problems.length) throw new AppFailure('VALIDATION', problems.map((p) => p.message).join(' '), { problems });
  const host = profile.smtpServer.trim();
  const resolved = smtpHostNeedsLookup(host) ? await resolveHost(host).catch(() => [] as string[]) : undefined;
  const v = checkSmtpHost(host, resolved);
  if (!v.ok) throw failure(v.problem === 'public-provider' || v.problem === 'public-address' ? 'PUBLIC_SMTP_HOST' : 'VALIDATION', v.key, v.params, { problem: v.problem });
  return v.warning ? [v.warning] : [];
}

/** The error of a camera the cancelled job never started (English text, key next to it). */
function notStarted(): { message: string; key: string; params?: Record<string, never> } {
  const { text, i18n } = keyedText('commissioning.job.notStarted');
  return { message: text, key: i18n.key };
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
    if (targets.length === 0) throw failure('VALIDATION', 'errors.VALIDATION.noCamera');
    const pp = SiteProfileSchema.safeParse(profileInput);
    if (!pp.success) throw failure('VALIDATION', 'errors.VALIDATION.siteProfile', { path: pp.error.issues[0]?.path.join('.') ?? '', problem: pp.error.issues[0]?.message ?? '' });
    const po = CommissionOptionsSchema.safeParse(optionsInput);
    if (!po.success) throw failure('VALIDATION', 'errors.VALIDATION.options', { path: po.error.issues[0]?.path.join('.') ?? '', problem: po.error.issues[0]?.message ?? '' });
    const profile = pp.data;
    const options = po.data;
    const warnings = await preflight(profile, this.resolveHost);
    const id = randomUUID();
    const isTesting = !options.dryRun && options.testMode === 'auto';
    // The tests run in the order of the targets (the CSV order in the CLI, the technician's order in the app).
    const gate = isTesting ? new TestGate(targets.map((t) => ({ url: t.url, label: t.name, needsTechnician: options.testStart === 'technician' && !this.d.triggersItself?.(t.url) }))) : undefined;
    if (!gate && new Set(targets.map((t) => t.url)).size !== targets.length) throw failure('VALIDATION', 'errors.VALIDATION.aCameraTwice');
    gate?.events.on('changed', (entries) => this.events.emit('test-queue-changed', { operationId: id, entries }));
    this.events.emit('started', { operationId: id, cameras: targets.length, dryRun: options.dryRun });
    return this.jobs.start((job) => this.execute(job, targets, profile, options, warnings), { id, state: { total: targets.length, results: [], gate } });
  }

  private async execute(job: OperationContext<JobState>, targets: CameraTarget[], profile: SiteProfile, options: CommissionOptions, warnings: string[]): Promise<JobResult> {
    const results: CameraResult[] = new Array(targets.length);
    const index = new Map(targets.map((t, i) => [t.url, i]));
    // Not the common pool: a camera gives its configuration slot back while it waits for its test turn.
    const slots = new ConfigSlots(options.concurrency);
    const started = new Set<string>();
    const runs: Promise<void>[] = [];
    // Cameras start in the current test order, so the camera the technician wants next is configured first.
    while (started.size < targets.length) {
      const release = await slots.acquire();
      const url = (job.state.gate?.order() ?? targets.map((t) => t.url)).find((u) => !started.has(u))!;
      started.add(url);
      const i = index.get(url)!;
      runs.push(
        this.runCamera(job, targets[i], profile, options, release).then((r) => {
          r.warnings.unshift(...warnings);
          results[i] = r;
          job.state.results.push(r);
          this.events.emit('camera-finished', { operationId: job.id, result: r });
        }),
      );
    }
    await Promise.all(runs);
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

  /** One camera of a job: its configuration holds a slot until it waits for its test turn (test-gate.ts). */
  private async runCamera(job: OperationContext<JobState>, t: CameraTarget, profile: SiteProfile, options: CommissionOptions, releaseSlot: () => void): Promise<CameraResult> {
    const gate = job.state.gate;
    try {
      if (job.signal.aborted) return this.cancelledResult(job.id, t);
      const r = await commissionCamera(
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
          testTurn: gate && ((say, signal) => this.waitForTurn(gate, t, say, signal, releaseSlot)),
        },
      );
      const testedAs = gate?.snapshot().find((e) => e.url === t.url)?.testedAs;
      return testedAs === undefined ? r : { ...r, testedAs };
    } finally {
      releaseSlot();
      gate?.leave(t.url);
    }
  }

  /** Gives the configuration slot back and waits in the test order, saying where the camera stands meanwhile. */
  private async waitForTurn(gate: TestGate, t: CameraTarget, say: (detail: string) => void, signal: AbortSignal, releaseSlot: () => void): Promise<() => void> {
    releaseSlot();
    let last = '';
    const tell = (entries: TestQueueEntry[]) => {
      const line = turnLine(entries, t.url);
      if (line && line !== last) say((last = line));
    };
    const off = gate.events.on('changed', tell);
    try {
      const turn = gate.turn(t.url, signal);
      tell(gate.snapshot());
      return await turn;
    } finally {
      off();
    }
  }

  /**
   * Changes the test order of a running job (every camera once). Cameras already tested keep their results; the
   * first of the others goes next.
   */
  setTestOrder(operationId: string, urls: string[]): TestQueueEntry[] {
    const gate = this.runningGate(operationId);
    gate.reorder(urls);
    return gate.snapshot();
  }

  /** The technician stands at the camera: its test starts (see TestGate.go). */
  startTest(operationId: string, url: string): TestQueueEntry[] {
    const gate = this.runningGate(operationId);
    gate.go(url);
    return gate.snapshot();
  }

  private runningGate(operationId: string): TestGate {
    const op = this.jobs.get(operationId);
    if (!op || op.status !== 'running') throw failure('NOT_FOUND', 'errors.NOT_FOUND.job', { id: operationId });
    if (!op.state.gate) throw failure('CONFLICT', 'errors.CONFLICT.noTestOrder');
    return op.state.gate;
  }

  private cancelledResult(operationId: string, t: CameraTarget): CameraResult {
    return { operationId, url: t.url, label: t.name, verdict: 'fail', steps: [], rolledBack: false, warnings: [], requests: 0, durationMs: 0, error: { code: 'CANCELLED', ...notStarted() } };
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
    return {
      operations: this.jobs.list().map((o) => ({
        operationId: o.id,
        status: o.status,
        startedAt: o.startedAt,
        finishedAt: o.finishedAt,
        total: o.state.total,
        results: [...o.state.results],
        ...(o.state.gate ? { testQueue: o.state.gate.snapshot() } : {}),
      })),
    };
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
      if (!stored) throw failure('NOT_FOUND', 'errors.NOT_FOUND.noBackup', { mac: id.mac, dir: this.backups.dir });
      if (stored.backup.mac.toUpperCase() !== id.mac.toUpperCase()) {
        throw failure('CONFLICT', 'errors.CONFLICT.backupOtherCamera', { file: stored.file, owner: stored.backup.mac, url: target.url, mac: id.mac });
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

/** The test step's line for a camera waiting in the test order (undefined once its test runs). */
export function turnLine(entries: readonly TestQueueEntry[], url: string): string | undefined {
  const me = entries.find((e) => e.url === url);
  if (!me || me.state === 'testing' || me.state === 'tested' || me.state === 'skipped') return undefined;
  if (me.state === 'ready') return 'Its turn: go to this camera, then press "I\'m at this camera — start test".';
  const ahead = entries.slice(0, entries.indexOf(me)).filter((e) => e.state !== 'tested' && e.state !== 'skipped');
  const current = entries.find((e) => e.state === 'testing' || e.state === 'ready');
  const now = current ? ` (now: ${current.label ?? current.url})` : '';
  return `Configured; waiting for its test turn: ${ahead.length} camera${ahead.length === 1 ? '' : 's'} before it${now}.`;
}
