/**
 * Commissions ONE camera: log in and read everything the plan touches (interpreted values for the plan, the
 * raw forms for the backup), compute the exact changes (that is the dry run), back the raw forms up to disk,
 * then run each step of `PLAN` (plan-steps.ts): check → apply → verify. On any failure (camera error, no test
 * e-mail, cancellation) the applied steps are undone in reverse from the raw backup, and how the camera was
 * left is decided by reading it back (undo.ts).
 */
import { MAX_HANDLERS, checkHandlerRoom, handlerUsage } from '../../../shared/domain/camera';
import {
  STEP_IDS,
  STEP_TITLES,
  plainIp,
  type CameraBackupV2,
  type CameraResult,
  type CameraTarget,
  type CommissionOptions,
  type SiteProfile,
  type StepId,
  type StepResult,
} from '../../../shared/domain/commissioning';
import { isIpLiteral } from '../../../shared/domain/net-address';
import { asParam, failure, keyedText, msg, type FailureParams } from '../../../shared/i18n/messages';
import { AppFailure, isAppFailure } from '../../../shared/ipc/result';
import type { Logger } from '../common/logger';
import type { CameraDriver } from '../camera/driver';
import type { BackupStore } from './backup-store';
import { PLAN, SABOTAGE, undoStep, type PlanStep, type RunContext, type Snapshot } from './plan-steps';
import type { TestRelay } from './test-relay';
import { differencesFrom, type FormKey } from './undo';

export { SABOTAGE, TEST_SENSITIVITY } from './plan-steps';

/** What an automatic trigger reports (the simulator hook says whether the camera detected the event). */
export interface TriggerOutcome {
  detected: boolean;
  reason?: string;
}

/** Fires the test event: the simulator hook in the demo, a prompt to cover the lens for a real camera. */
export type TriggerTest = (camera: { url: string; ip: string; label?: string; behaviour?: string }) => Promise<TriggerOutcome | void>;

/** What commissioning one camera needs. */
export interface CommissionDeps {
  driverFactory: (target: CameraTarget) => CameraDriver;
  backups: BackupStore;
  /** Resolves a host name to addresses (the camera URL's host when it is a name). */
  resolveHost: (host: string) => Promise<string[]>;
  relay?: TestRelay;
  triggerTest?: TriggerTest;
  logger: Logger;
  now?: () => number;
  /** Called on every step status change. */
  onStep?: (step: StepResult) => void;
  /**
   * Waits for this camera's turn to test (a job tests one camera at a time, in the technician's order; see
   * test-gate.ts); `say` updates the test step's line while it waits. Resolves with the function ending the turn.
   */
  testTurn?: (say: (detail: string) => void, signal: AbortSignal) => Promise<() => void>;
}

/** One camera's job. */
export interface CameraJob {
  target: CameraTarget;
  profile: SiteProfile;
  options: CommissionOptions;
  operationId: string;
  signal: AbortSignal;
}

/** Reads what the plan touches, as interpreted values (the content of the plan and of the report). */
export async function readSnapshot(driver: CameraDriver, profile: Pick<SiteProfile, 'sourceName' | 'handlerName'>, behaviour: string = SABOTAGE): Promise<Snapshot> {
  const general = await driver.readGeneral();
  const source = await driver.readSource(profile.sourceName);
  const list = await driver.listHandlers();
  const handler = list.handlers.some((h) => h.name.toLowerCase() === profile.handlerName.toLowerCase()) ? await driver.readHandler(profile.handlerName) : undefined;
  let sabotage;
  try {
    sabotage = await driver.readBehaviour(behaviour);
  } catch (e) {
    if (isAppFailure(e) && /lists no behaviour/.test(e.message)) {
      throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noTestBehaviour', { behaviour });
    }
    throw e;
  }
  return { general, source, handler, handlersUsed: list.used, sabotage };
}

/** Reads the raw forms the plan may change (the content of the backup). */
export async function readForms(driver: CameraDriver, profile: Pick<SiteProfile, 'sourceName' | 'handlerName'>, behaviour: string = SABOTAGE): Promise<CameraBackupV2['forms']> {
  return {
    general: (await driver.readForm({ page: 'general' }))!,
    behaviour: (await driver.readForm({ page: 'behaviour', item: behaviour }))!,
    source: await driver.readForm({ page: 'source', item: profile.sourceName }),
    handler: await driver.readForm({ page: 'handler', item: profile.handlerName }),
  };
}

/** The camera's IP from its URL (a host name is resolved; the relay matches the test mail by IP). */
export async function cameraIpOf(url: string, resolveHost: (h: string) => Promise<string[]>): Promise<string> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIpLiteral(host)) return plainIp(host);
  const addrs = await resolveHost(host).catch(() => [] as string[]);
  if (addrs.length === 0) throw failure('CAMERA_UNREACHABLE', 'errors.CAMERA_UNREACHABLE.hostNotResolved', { host });
  return plainIp(addrs[0]);
}

/** One camera's run: the step table, the result, the applied steps. */
class CameraRun {
  private readonly now: () => number;
  private readonly steps = new Map<StepId, StepResult>(STEP_IDS.map((id) => [id, { id, title: STEP_TITLES[id], status: 'pending', durationMs: 0, changes: [] }]));
  readonly result: CameraResult;
  private readonly applied: PlanStep[] = [];
  private driver?: CameraDriver;
  private ctx?: RunContext;
  private current: StepId = 'credentials';
  private stepStarted: number;

  constructor(
    private readonly job: CameraJob,
    private readonly deps: CommissionDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.stepStarted = this.now();
    const p = job.profile;
    this.result = {
      operationId: job.operationId,
      url: job.target.url,
      label: job.target.name,
      verdict: 'fail',
      steps: [],
      // What the plan sets, for the site journal and the hand-over report.
      applied: { smtpServer: p.smtpServer, ntpServer: p.ntpServer, to: p.to, from: p.from, subject: p.subject, sourceName: p.sourceName, handlerName: p.handlerName, behaviour: SABOTAGE },
      rolledBack: false,
      warnings: [],
      requests: 0,
      durationMs: 0,
    };
  }

  private readonly emit = (id: StepId, patch: Partial<StepResult>) => {
    const s = { ...this.steps.get(id)!, ...patch };
    this.steps.set(id, s);
    this.deps.onStep?.(s);
  };

  private checkCancel(): void {
    if (this.job.signal.aborted) throw failure('CANCELLED', 'errors.CANCELLED.commissioning');
  }

  async execute(): Promise<CameraResult> {
    const started = this.now();
    try {
      this.driver = this.deps.driverFactory(this.job.target);
      const ctx = await this.prepare(this.driver);
      if (this.job.options.dryRun) this.planOnly(ctx);
      else await this.runPlan(ctx);
    } catch (e) {
      await this.fail(e);
    } finally {
      this.result.steps = STEP_IDS.map((id) => this.steps.get(id)!);
      this.result.requests = this.driver?.stats().requests ?? 0;
      this.result.durationMs = this.now() - started;
      this.driver?.close();
    }
    return this.result;
  }

  /** Step 1: log in, identify, read everything the plan touches; build the run context. */
  private async prepare(d: CameraDriver): Promise<RunContext> {
    const { target, profile, options } = this.job;
    const ip = await cameraIpOf(target.url, this.deps.resolveHost);
    const testing = options.testMode === 'auto';
    if (testing && !this.deps.relay) throw failure('UNAVAILABLE', 'errors.UNAVAILABLE.noTestRelay');
    if (testing && !this.deps.triggerTest) throw failure('UNAVAILABLE', 'errors.UNAVAILABLE.noTrigger');
    this.checkCancel();
    this.emit('credentials', { status: 'running' });
    const t0 = this.now();
    await d.login();
    const id = await d.identity();
    this.result.camera = { ip, model: id.model, mac: id.mac, firmware: id.firmware, name: id.name };
    const snap = await readSnapshot(d, profile);
    const forms = await readForms(d, profile);
    this.emit('credentials', { status: 'done', durationMs: this.now() - t0, detail: `${id.model} ${id.mac}, firmware ${id.firmware}; ${handlerUsage(snap.handlersUsed)}` });
    this.current = testing ? 'test-run' : 'sabotage';
    const relayAt = testing ? await this.deps.relay!.plannedAddress(ip) : undefined;
    const spec = { name: profile.handlerName, to: profile.to, from: profile.from, subject: profile.subject, message: profile.message, jpegSnapshot: profile.jpegSnapshot, rawEventData: profile.rawEventData, sources: [profile.sourceName] };
    const backup: CameraBackupV2 = {
      version: 2,
      savedAt: new Date(this.now()).toISOString(),
      url: target.url,
      mac: id.mac,
      model: id.model,
      sourceName: profile.sourceName,
      handlerName: profile.handlerName,
      general: snap.general,
      source: snap.source ?? null,
      handler: snap.handler ?? null,
      behaviour: snap.sabotage,
      forms,
    };
    this.ctx = {
      target,
      profile,
      options,
      deps: this.deps,
      signal: this.job.signal,
      driver: d,
      ip,
      testing,
      relayAt,
      testSmtp: relayAt ? relayAt.address : profile.smtpServer,
      snap,
      spec,
      wantSource: { name: profile.sourceName, type: 'analytics', anyBehaviour: false, behaviours: [SABOTAGE] },
      restoreTo: profile.sceneSensitivity ?? snap.sabotage.sensitivity,
      behaviour: SABOTAGE,
      backup,
      result: this.result,
      emit: this.emit,
    };
    if (!snap.handler) {
      this.current = 'handler';
      const room = checkHandlerRoom(snap.handlersUsed);
      if (room) throw failure('HANDLER_LIMIT', room.key!, room.params, { used: snap.handlersUsed, max: MAX_HANDLERS });
    }
    return this.ctx;
  }

  /** The dry run: every step's exact changes, nothing written. */
  private planOnly(ctx: RunContext): void {
    for (const step of PLAN) {
      const changes = step.check(ctx);
      let detail: string | undefined;
      if (step.id === 'test-run') {
        detail = ctx.testing
          ? msg('commissioning.job.wouldTest', { relayAt: `${ctx.relayAt!.address}:${ctx.relayAt!.port}`, behaviour: SABOTAGE, ip: ctx.ip, subject: ctx.profile.subject })
          : msg('commissioning.job.testSkipped');
      }
      const status = step.id === 'test-run' ? (ctx.testing ? 'planned' : 'skipped') : changes.length ? 'planned' : 'unchanged';
      this.emit(step.id, { status, changes, ...(detail ? { detail } : {}) });
    }
    this.result.verdict = 'planned';
    this.result.endState = 'planned';
  }

  /** Backs up, then runs every step: check → apply → verify. */
  private async runPlan(ctx: RunContext): Promise<void> {
    // The relay must be able to listen before anything changes: a port it cannot bind fails here, not mid-plan.
    if (ctx.testing) {
      this.current = 'test-run';
      await this.deps.relay!.prepare(ctx.ip);
    }
    this.current = PLAN[0].id;
    this.result.backupFile = await this.deps.backups.save(ctx.backup!);
    for (const step of PLAN) {
      this.checkCancel();
      this.current = step.id;
      const changes = step.check(ctx);
      const t0 = this.now();
      this.stepStarted = t0;
      this.emit(step.id, { status: 'running', changes });
      if (changes.length === 0 && !step.alwaysApply) {
        this.emit(step.id, { status: 'unchanged', durationMs: this.now() - t0 });
        continue;
      }
      // Registered before the call: a failure half-way (saved but not verified) must still be undone.
      if (changes.length > 0 && step.touches.length > 0) this.applied.push(step);
      const r = (await step.apply(ctx)) ?? {};
      if (r.status !== 'skipped' && r.status !== 'unchanged') await step.verify(ctx);
      this.emit(step.id, { status: r.status ?? (changes.length ? 'done' : 'unchanged'), durationMs: this.now() - t0, ...(r.detail ? { detail: r.detail } : {}) });
    }
    this.result.verdict = 'pass';
    this.result.endState = 'commissioned';
  }

  /** Records the failure, undoes what was applied, and says truthfully how the camera was left. */
  private async fail(e: unknown): Promise<void> {
    const f = isAppFailure(e) ? e : new AppFailure('INTERNAL', (e as Error)?.message ?? String(e));
    if (!isAppFailure(e)) this.deps.logger.error('commissioning failed unexpectedly', (e as Error)?.stack ?? e);
    const running = this.steps.get(this.current)!.status === 'running';
    this.emit(this.current, { status: 'failed', detail: f.message, durationMs: running ? this.now() - this.stepStarted : 0 });
    this.result.error = { code: f.code, message: f.message, ...(f.key ? { key: f.key } : {}), ...(f.params ? { params: f.params } : {}) };
    const writes = this.driver?.stats().writes ?? 0;
    if (!this.ctx?.backup || !this.result.backupFile || (this.applied.length === 0 && writes === 0)) {
      this.result.endState = 'unchanged';
      if (!/nothing was changed on the camera/i.test(f.message)) this.wrapError('errors.common.nothingChangedOnCamera');
      return;
    }
    await this.rollBack(this.ctx);
  }

  /** Adds to the result's error what happened next (keyed: the error so far becomes the first parameter). */
  private wrapError(key: string, params: FailureParams = {}): void {
    const e = this.result.error!;
    const { text, i18n } = keyedText(key, { problem: asParam(e), ...params });
    this.result.error = { code: e.code, message: text, ...i18n };
  }

  private async rollBack(ctx: RunContext): Promise<void> {
    const done = new Set<FormKey>();
    const failedUndo = new Set<StepId>();
    for (const step of [...this.applied].reverse()) {
      try {
        await undoStep(ctx, step, done);
      } catch (e) {
        failedUndo.add(step.id);
        this.deps.logger.warn(`rollback of ${step.id} failed`, (e as Error).message);
        this.result.warnings.push(msg('commissioning.rollBack.undoFailed', { step: STEP_TITLES[step.id], error: (e as Error).message }));
      }
    }
    const url = this.job.target.url;
    let differences: string[];
    try {
      differences = await differencesFrom(ctx.driver, ctx.backup!, ctx.behaviour, this.deps.logger);
    } catch (e) {
      this.result.endState = 'unknown';
      this.result.warnings.push(msg('commissioning.job.readBackFailed', { error: (e as Error).message }));
      this.wrapError('commissioning.job.unreadable', { url, file: this.result.backupFile ?? '' });
      return;
    }
    // The read-back decides, not the error path: a camera that reads back as the backup is restored.
    for (const step of this.applied) if (step.id !== this.current && (differences.length === 0 || !failedUndo.has(step.id))) this.emit(step.id, { status: 'rolled-back' });
    if (differences.length === 0) {
      this.result.rolledBack = true;
      this.result.endState = 'restored';
      this.wrapError('commissioning.job.undone');
    } else {
      this.result.endState = 'differs';
      this.result.warnings.push(msg('commissioning.job.stillDiffers', { differences: differences.join('; ') }));
      this.wrapError('commissioning.job.undoIncomplete', { differences: `${differences.slice(0, 3).join('; ')}${differences.length > 3 ? '; ...' : ''}`, url, file: this.result.backupFile ?? '' });
    }
  }
}

/** Commissions one camera; never throws (failures are in the result). */
export function commissionCamera(job: CameraJob, deps: CommissionDeps): Promise<CameraResult> {
  return new CameraRun(job, deps).execute();
}
