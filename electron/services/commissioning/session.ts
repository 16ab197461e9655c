/**
 * One step-by-step commissioning session: the wizard's machine side, built on the same step objects as the
 * one-shot job (plan-steps.ts). Open = log in, identify, read everything the plan touches (nothing is written);
 * each configuration step then shows the camera's current values and the exact planned change, and is applied and
 * verified on its own; the backup is written before the first change (and amended with the source, handler or
 * behaviour form when the technician renames or chooses before that step runs); the test waits for the camera's
 * e-mail with live relay activity and a deadline that can be moved; the end sets the scene sensitivity (1–10,
 * never clamped; staying at 10 only when confirmed, recorded as a warning) and the final SMTP server. Abort or
 * roll back at any time writes back exactly the backed-up raw forms and decides the outcome by reading back.
 */
import { randomUUID } from 'node:crypto';
import { checkName, checkSensitivity, SENSITIVITY_MAX } from '../../../shared/domain/camera';
import { STEP_IDS, STEP_TITLES, checkSiteProfile, isTestMessage, type CameraBackupV2, type CameraResult, type CameraTarget, type StepId, type StepResult } from '../../../shared/domain/commissioning';
import {
  rankTestCauses,
  SESSION_STEP_IDS,
  SessionProfilePatchSchema,
  SessionProfileSchema,
  STEP_GUIDE,
  stayAtTestSensitivityWarning,
  type CurrentValue,
  type PreflightReport,
  type SessionProfile,
  type SessionProfileInput,
  type SessionStep,
  type SessionStepId,
  type SessionTest,
  type SessionView,
  type TestEvent,
} from '../../../shared/domain/commissioning-session';
import { checkSmtpHost, smtpHostNeedsLookup } from '../../../shared/domain/net-address';
import { AppFailure, isAppFailure } from '../../../shared/ipc/result';
import type { TestRunFinished } from '../../../shared/domain/commissioning-job';
import type { Logger } from '../common/logger';
import type { CameraDriver } from '../camera/driver';
import type { BackupStore } from './backup-store';
import { cameraIpOf, readForms, readSnapshot, type TriggerTest } from './commission-camera';
import { diff, PLAN, TEST_SENSITIVITY, undoStep, type PlanStep, type RunContext, type Snapshot } from './plan-steps';
import { runPreflight, type PreflightDeps } from './preflight-checks';
import type { RelayWatch, TestRelay } from './test-relay';
import { differencesFrom, restoreBackup, type FormKey } from './undo';

/** What a session needs from its host. */
export interface SessionDeps {
  driverFactory: (target: CameraTarget) => CameraDriver;
  backups: BackupStore;
  resolveHost: (host: string) => Promise<string[]>;
  relay: TestRelay;
  preflight: Omit<PreflightDeps, 'resolveHost' | 'now'>;
  triggerTest?: TriggerTest;
  /** True for a practice camera (the app fires its behaviour itself). */
  isPracticeCamera: (url: string) => boolean;
  logger: Logger;
  now?: () => number;
  /** Called after every change of the session (the service forwards it as an event). */
  onChange: (s: CommissioningSession) => void;
}

/** Options of a session. */
export interface SessionOptions {
  /** How long the test waits for the e-mail (default 120 s; "wait longer" adds to it). */
  testTimeoutMs?: number;
}

const STEP_OF: Record<SessionStepId, PlanStep> = {
  'smtp-ntp': PLAN.find((s) => s.id === 'smtp-ntp')!,
  source: PLAN.find((s) => s.id === 'source')!,
  handler: PLAN.find((s) => s.id === 'handler')!,
  behaviour: PLAN.find((s) => s.id === 'sabotage')!,
};
const RESTORE = PLAN.find((s) => s.id === 'restore-sensitivity')!;
const FINAL_SMTP = PLAN.find((s) => s.id === 'final-smtp')!;
const PLAN_ID: Record<SessionStepId, StepId> = { 'smtp-ntp': 'smtp-ntp', source: 'source', handler: 'handler', behaviour: 'sabotage' };

const yesNo = (b: boolean | undefined) => (b ? 'yes' : 'no');

/** What the camera holds now, per step, in the technician's words. */
function currentValues(id: SessionStepId, snap: Snapshot, profile: SessionProfile): CurrentValue[] {
  const g = snap.general;
  if (id === 'smtp-ntp') return [
      { label: 'SMTP server', value: g.smtpServer || '(empty)' },
      { label: 'NTP server', value: g.ntpServer || '(empty)' },
    ];
  if (id === 'source') {
    const s = snap.source;
    if (!s) return [{ label: `Source "${profile.sourceName}"`, value: 'does not exist yet' }];
    return [
      { label: `Source "${s.name}"`, value: `${s.type}${s.type === 'analytics' ? (s.anyBehaviour ? ', any behaviour' : `, on ${(s.behaviours ?? []).join(', ') || 'no behaviour'}`) : ''}` },
    ];
  }
  if (id === 'handler') {
    const h = snap.handler;
    const usage = { label: 'Handlers used', value: `${snap.handlersUsed} of 20` };
    if (!h) return [{ label: `Handler "${profile.handlerName}"`, value: 'does not exist yet' }, usage];
    return [
      { label: `Handler "${h.name}"`, value: h.type === 'send-email' ? 'Send Email' : h.type },
      { label: 'To', value: h.to ?? '' },
      { label: 'From', value: h.from ?? '' },
      { label: 'Subject', value: h.subject ?? '' },
      { label: 'JPEG snapshot', value: yesNo(h.jpegSnapshot) },
      { label: 'Sources', value: h.sources.join(', ') || '(none)' },
      usage,
    ];
  }
  return [
    { label: snap.sabotage.name, value: snap.sabotage.active ? 'active' : 'not active' },
    { label: 'Sensitivity', value: String(snap.sabotage.sensitivity) },
  ];
}

/** One commissioning session (one camera). */
export class CommissioningSession {
  readonly id = randomUUID();
  readonly createdAt: number;
  private updatedAt: number;
  private readonly now: () => number;
  private phase: SessionView['phase'] = 'open';
  private busy?: string;
  private profile: SessionProfile;
  private ip = '';
  private camera: SessionView['camera'] = { ip: '', model: '', mac: '', firmware: '', name: '' };
  private behaviours: string[] = [];
  private snap!: Snapshot;
  /** The raw forms read at open (and amended before a step when a name or the behaviour changed). */
  private forms!: CameraBackupV2['forms'];
  private formsFor!: { sourceName: string; handlerName: string; behaviour: string };
  private sensitivityBefore = 0;
  private backup?: CameraBackupV2;
  private backupFile?: string;
  private relayAt?: { address: string; port: number };
  private readonly status = new Map<SessionStepId, SessionStep['status']>(SESSION_STEP_IDS.map((id) => [id, 'pending']));
  private readonly details = new Map<SessionStepId, string>();
  private readonly applied: PlanStep[] = [];
  private preflight?: PreflightReport;
  private test: SessionTest;
  /** When the last test run ended (ms since the epoch). */
  private testEndedAt?: number;
  private testWait?: { abort: AbortController; timer?: NodeJS.Timeout; watch: RelayWatch; release: () => void };
  private result?: CameraResult;
  /** The test e-mail's Message-ID and SMTP session (the hand-over report's evidence; not shown in the wizard). */
  private mailRefs: { messageId?: string; sessionId?: string } = {};
  private readonly warnings: string[] = [];
  private error?: { code: string; message: string };
  private readonly testTimeoutMs: number;
  private readonly stepResults = new Map<StepId, StepResult>();

  private constructor(
    private readonly target: CameraTarget,
    profile: SessionProfile,
    private readonly driver: CameraDriver,
    private readonly d: SessionDeps,
    o: SessionOptions,
  ) {
    this.now = d.now ?? Date.now;
    this.createdAt = this.now();
    this.updatedAt = this.createdAt;
    this.profile = profile;
    this.testTimeoutMs = o.testTimeoutMs ?? 120_000;
    this.test = { status: 'idle', attempt: 0, isAutomatic: d.isPracticeCamera(target.url), instruction: '', events: [], causes: [] };
  }

  /** Opens a session: logs in, identifies and reads the camera. Writes nothing; a failure says so. */
  static async open(target: CameraTarget, profileInput: SessionProfileInput, d: SessionDeps, o: SessionOptions = {}): Promise<CommissioningSession> {
    const parsed = SessionProfileSchema.safeParse(profileInput);
    if (!parsed.success) throw new AppFailure('VALIDATION', `Site profile: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}.`);
    const driver = d.driverFactory(target);
    const s = new CommissioningSession(target, parsed.data, driver, d, o);
    try {
      await s.read();
    } catch (e) {
      driver.close();
      const f = isAppFailure(e) ? e : new AppFailure('CAMERA_UNREACHABLE', (e as Error)?.message ?? String(e));
      // Opening only reads: whatever went wrong, the camera is as it was.
      throw new AppFailure(f.code, /nothing was changed/i.test(f.message) ? f.message : `${f.message} Nothing was changed on the camera.`, f.details);
    }
    return s;
  }

  private async read(): Promise<void> {
    this.ip = await cameraIpOf(this.target.url, this.d.resolveHost);
    await this.driver.login();
    const id = await this.driver.identity();
    this.camera = { ip: this.ip, model: id.model, mac: id.mac, firmware: id.firmware, name: id.name };
    const analytics = await this.driver.readAnalytics();
    this.behaviours = analytics.behaviours.map((b) => b.name);
    if (!this.behaviours.some((b) => b.toLowerCase() === this.profile.behaviour.toLowerCase())) {
      throw new AppFailure('CAMERA_ERROR', `The camera lists no "${this.profile.behaviour}" behaviour on its Analytics page (it lists: ${this.behaviours.join(', ') || 'none'}). Choose one of those.`);
    }
    this.snap = await readSnapshot(this.driver, this.profile, this.profile.behaviour);
    this.forms = await readForms(this.driver, this.profile, this.profile.behaviour);
    this.formsFor = { sourceName: this.profile.sourceName, handlerName: this.profile.handlerName, behaviour: this.profile.behaviour };
    this.sensitivityBefore = this.snap.sabotage.sensitivity;
  }

  private changed(): void {
    this.updatedAt = this.now();
    this.d.onChange(this);
  }

  /** Runs one action: busy while it runs, the failure kept on the session (and thrown) for the UI. */
  private async act<T>(what: string, fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new AppFailure('CONFLICT', `The session is busy (${this.busy}); wait for it to finish.`);
    this.busy = what;
    this.error = undefined;
    this.changed();
    try {
      return await fn();
    } catch (e) {
      const f = isAppFailure(e) ? e : new AppFailure('INTERNAL', (e as Error)?.message ?? String(e));
      if (!isAppFailure(e)) this.d.logger.error(`session ${what} failed unexpectedly`, (e as Error)?.stack ?? e);
      this.error = { code: f.code, message: f.message };
      throw f;
    } finally {
      this.busy = undefined;
      this.changed();
    }
  }

  private assertOpen(): void {
    if (this.phase !== 'open') throw new AppFailure('CONFLICT', `This session is ${this.phase}; open a new one for this camera.`);
  }

  private isStepApplied(id: SessionStepId): boolean {
    const s = this.status.get(id);
    return s === 'done' || s === 'unchanged';
  }

  /** The run context of the shared step objects, from the session's current profile and reading. */
  private ctx(): RunContext {
    const p = this.profile;
    const testSmtp = this.relayAt?.address ?? p.smtpServer;
    return {
      target: { url: this.target.url, name: this.target.name },
      profile: p,
      // testStart 'auto': the wizard's own Start test button is the technician's go; no batch gate waits here.
      options: { dryRun: false, testMode: 'auto', testTimeoutMs: this.testTimeoutMs, concurrency: 1, testStart: 'auto' },
      deps: { driverFactory: this.d.driverFactory, backups: this.d.backups, resolveHost: this.d.resolveHost, relay: this.d.relay, triggerTest: this.d.triggerTest, logger: this.d.logger, now: this.now },
      signal: new AbortController().signal,
      driver: this.driver,
      ip: this.ip,
      testing: true,
      relayAt: this.relayAt,
      testSmtp,
      snap: this.snap,
      spec: { name: p.handlerName, to: p.to, from: p.from, subject: p.subject, message: p.message, jpegSnapshot: p.jpegSnapshot, rawEventData: p.rawEventData, sources: [p.sourceName] },
      wantSource: { name: p.sourceName, type: 'analytics', anyBehaviour: false, behaviours: [p.behaviour] },
      restoreTo: p.sceneSensitivity ?? this.sensitivityBefore,
      behaviour: p.behaviour,
      backup: this.backup,
      result: this.resultDraft(),
      emit: (id, patch) => this.recordStep(id, patch),
    };
  }

  private recordStep(id: StepId, patch: Partial<StepResult>): void {
    const cur = this.stepResults.get(id) ?? { id, title: STEP_TITLES[id], status: 'pending', durationMs: 0, changes: [] };
    this.stepResults.set(id, { ...cur, ...patch });
  }

  /** The planned change of a step now: the SMTP server during the test is the relay's address. */
  private changesOf(id: SessionStepId): SessionStep['changes'] {
    const ctx = this.ctx();
    if (id === 'smtp-ntp') {
      const relay = this.relayAt?.address ?? this.d.preflight.relayState().listenAddress ?? this.profile.smtpServer;
      return diff('general', this.snap.general, { smtpServer: relay, ntpServer: this.profile.ntpServer });
    }
    const changes = STEP_OF[id].check(ctx);
    if (id === 'behaviour' && this.sourceLacksBehaviour()) changes.push(...diff(`source ${this.profile.sourceName}`, this.snap.source, { behaviours: [this.profile.behaviour] }));
    return changes;
  }

  private sourceLacksBehaviour(): boolean {
    const s = this.snap.source;
    return !!s && this.isStepApplied('source') && !(s.behaviours ?? []).some((b) => b.toLowerCase() === this.profile.behaviour.toLowerCase());
  }

  private stepTitle(id: SessionStepId): string {
    if (id === 'behaviour') return `Activate ${this.profile.behaviour} at sensitivity ${TEST_SENSITIVITY} for the test`;
    return STEP_TITLES[PLAN_ID[id]];
  }

  /** The session as the UI pulls it. */
  view(): SessionView {
    return {
      id: this.id,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      url: this.target.url,
      username: this.target.username,
      phase: this.phase,
      ...(this.busy ? { busy: this.busy } : {}),
      camera: this.camera,
      behaviours: this.behaviours,
      handlersUsed: this.snap.handlersUsed,
      profile: this.profile,
      ...(this.relayAt ? { testSmtp: this.relayAt } : {}),
      current: { general: this.snap.general, source: this.snap.source ?? null, handler: this.snap.handler ?? null, behaviour: this.snap.sabotage },
      steps: SESSION_STEP_IDS.map((id) => ({
        id,
        title: this.stepTitle(id),
        status: this.status.get(id)!,
        current: currentValues(id, this.snap, this.profile),
        changes: this.phase === 'open' && !this.isStepApplied(id) ? this.changesOf(id) : [],
        why: STEP_GUIDE[id].why,
        article: STEP_GUIDE[id].article,
        ...(this.details.get(id) ? { detail: this.details.get(id) } : {}),
      })),
      test: { ...this.test, events: [...this.test.events], causes: [...this.test.causes] },
      sensitivityBefore: this.sensitivityBefore,
      ...(this.backupFile ? { backupFile: this.backupFile } : {}),
      hasChanges: this.applied.length > 0 || this.driver.stats().writes > 0,
      ...(this.preflight ? { preflight: this.preflight } : {}),
      ...(this.result ? { result: this.result } : {}),
      warnings: [...this.warnings],
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Changes profile fields whose steps have not run yet (a field of an applied step is refused: roll back first). */
  update(patchInput: unknown): void {
    this.assertOpen();
    const parsed = SessionProfilePatchSchema.safeParse(patchInput);
    if (!parsed.success) throw new AppFailure('VALIDATION', `${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}.`);
    const patch = parsed.data;
    const lockedBy: Array<[SessionStepId, Array<keyof SessionProfile>]> = [
      ['smtp-ntp', ['ntpServer']],
      ['source', ['sourceName']],
      ['handler', ['handlerName', 'to', 'from', 'subject', 'message', 'jpegSnapshot', 'rawEventData']],
      ['behaviour', ['behaviour']],
    ];
    for (const [step, fields] of lockedBy) {
      const touched = fields.filter((f) => patch[f] !== undefined && patch[f] !== this.profile[f]);
      if (touched.length && this.isStepApplied(step)) {
        throw new AppFailure('CONFLICT', `"${this.stepTitle(step)}" is already applied, so ${touched.join(', ')} can no longer change in this session. Roll back to start over with other values.`);
      }
    }
    for (const [field, label] of [['sourceName', 'Source name'], ['handlerName', 'Handler name']] as const) {
      const v = patch[field];
      const p = v !== undefined ? checkName(label, v) : null;
      if (p) throw new AppFailure('VALIDATION', p.message, { field });
    }
    if (patch.behaviour !== undefined && !this.behaviours.some((b) => b.toLowerCase() === patch.behaviour!.toLowerCase())) {
      throw new AppFailure('VALIDATION', `The camera lists no "${patch.behaviour}" behaviour; choose one of: ${this.behaviours.join(', ')}.`);
    }
    this.profile = { ...this.profile, ...patch };
    this.changed();
  }

  /** Runs the pre-flight (reads only; the fixes are the technician's to press). */
  async runPreflight(): Promise<PreflightReport> {
    this.assertOpen();
    return this.act('Checking before any change', async () => {
      this.preflight = await runPreflight(
        {
          cameraIp: this.ip,
          ntpServer: this.profile.ntpServer,
          cameraAnswers: async () => {
            await this.driver.login();
            await this.driver.readGeneral();
          },
        },
        { ...this.d.preflight, resolveHost: this.d.resolveHost, now: this.now },
      );
      return this.preflight;
    });
  }

  /** Saves the backup before the first change, or amends it with forms of items chosen since (not changed yet). */
  private async ensureBackup(step: SessionStepId): Promise<void> {
    const p = this.profile;
    let amended = false;
    if (step === 'source' && this.formsFor.sourceName !== p.sourceName) {
      this.forms = { ...this.forms, source: await this.driver.readForm({ page: 'source', item: p.sourceName }) };
      this.formsFor.sourceName = p.sourceName;
      amended = true;
    }
    if (step === 'handler' && this.formsFor.handlerName !== p.handlerName) {
      this.forms = { ...this.forms, handler: await this.driver.readForm({ page: 'handler', item: p.handlerName }) };
      this.formsFor.handlerName = p.handlerName;
      amended = true;
    }
    if (step === 'behaviour' && this.formsFor.behaviour.toLowerCase() !== p.behaviour.toLowerCase()) {
      this.forms = { ...this.forms, behaviour: (await this.driver.readForm({ page: 'behaviour', item: p.behaviour }))! };
      this.formsFor.behaviour = p.behaviour;
      amended = true;
    }
    if (this.backup && !amended) return;
    const savedAt = this.backup?.savedAt ?? new Date(this.now()).toISOString();
    const fresh = await readSnapshot(this.driver, { sourceName: this.formsFor.sourceName, handlerName: this.formsFor.handlerName }, this.formsFor.behaviour);
    this.backup = {
      version: 2,
      savedAt,
      url: this.target.url,
      mac: this.camera.mac,
      model: this.camera.model,
      sourceName: this.formsFor.sourceName,
      handlerName: this.formsFor.handlerName,
      // The interpreted values are for people; the forms (read before any change to them) are what a restore writes.
      general: this.backup?.general ?? fresh.general,
      source: this.backup && step !== 'source' ? this.backup.source : (fresh.source ?? null),
      handler: this.backup && step !== 'handler' ? this.backup.handler : (fresh.handler ?? null),
      behaviour: this.backup && step !== 'behaviour' ? this.backup.behaviour : fresh.sabotage,
      forms: this.forms,
    };
    // Same savedAt, same file: an amended backup replaces the one this session wrote (durably, by rename).
    this.backupFile = await this.d.backups.save(this.backup);
  }

  /** Applies one configuration step (in order), verifies it, and reads the camera again. */
  async applyStep(id: SessionStepId): Promise<void> {
    this.assertOpen();
    if (this.test.status === 'waiting') throw new AppFailure('CONFLICT', 'The test is waiting for the e-mail; stop it first.');
    const index = SESSION_STEP_IDS.indexOf(id);
    const missing = SESSION_STEP_IDS.slice(0, index).filter((s) => !this.isStepApplied(s));
    if (missing.length) throw new AppFailure('CONFLICT', `Apply "${this.stepTitle(missing[0])}" first: the camera needs the steps in order.`);
    if (this.isStepApplied(id)) return;
    if (!this.backup && !this.preflight?.isReady) {
      throw new AppFailure('PREFLIGHT', 'Run the checks before the first change and fix what they find (the relay must run and accept the camera). Nothing was changed on the camera.');
    }
    await this.checkFields(id);
    await this.act(`Applying: ${this.stepTitle(id)}`, async () => {
      if (id === 'smtp-ntp') this.relayAt = await this.d.relay.prepare(this.ip);
      await this.ensureBackup(id);
      const step = STEP_OF[id];
      const ctx = this.ctx();
      const changes = this.changesOf(id);
      const t0 = this.now();
      try {
        if (changes.length === 0 && !step.alwaysApply) {
          this.status.set(id, 'unchanged');
        } else {
          if (changes.length > 0) this.applied.push(step);
          if (id === 'behaviour' && this.sourceLacksBehaviour()) {
            // The behaviour changed after the source was created: the source must fire on it too (its undo restores it).
            this.applied.push(STEP_OF.source);
            await this.driver.ensureAnalyticsSource(this.profile.sourceName, [this.profile.behaviour]);
          }
          const r = (await step.apply(ctx)) ?? {};
          if (r.status !== 'skipped' && r.status !== 'unchanged') await step.verify(ctx);
          this.status.set(id, r.status === 'unchanged' || changes.length === 0 ? 'unchanged' : 'done');
          if (r.detail) this.details.set(id, r.detail);
        }
        this.recordStep(PLAN_ID[id], { status: this.status.get(id)!, changes, durationMs: this.now() - t0 });
      } catch (e) {
        this.status.set(id, 'failed');
        this.details.set(id, (e as Error).message);
        this.recordStep(PLAN_ID[id], { status: 'failed', changes, durationMs: this.now() - t0, detail: (e as Error).message });
        throw e;
      } finally {
        this.snap = await readSnapshot(this.driver, this.profile, this.profile.behaviour).catch(() => this.snap);
      }
    });
  }

  /** The profile fields a step writes, checked before it runs (the same rules as a one-shot job's profile). */
  private async checkFields(id: SessionStepId): Promise<void> {
    const p = this.profile;
    const problems: string[] = [];
    if (id === 'smtp-ntp') {
      const host = p.smtpServer.trim();
      const resolved = smtpHostNeedsLookup(host) ? await this.d.resolveHost(host).catch(() => [] as string[]) : undefined;
      const v = checkSmtpHost(host, resolved);
      if (!v.ok) problems.push(`SMTP server after the test: ${v.message}`);
      else if (v.warning && !this.warnings.includes(v.warning)) this.warnings.push(v.warning);
    }
    const fields: string[] = { 'smtp-ntp': ['NTP server'], source: ['Source name'], handler: ['Handler name', 'To', 'From', 'Subject'], behaviour: [] as string[] }[id];
    const profileProblems = checkSiteProfile({ ...p, smtpServer: p.smtpServer || 'x', ntpServer: p.ntpServer || ' ', to: p.to, from: p.from });
    problems.push(...profileProblems.filter((x) => fields.includes(x.field)).map((x) => x.message));
    if (id === 'smtp-ntp' && !p.ntpServer.trim()) problems.push('Enter the NTP server (an IP address or the name of a local time server).');
    if (problems.length) throw new AppFailure('VALIDATION', `${problems.join(' ')} Nothing was changed by this step.`, { problems });
  }

  /** Applies every remaining step, then starts the test (the express path). */
  async applyAll(): Promise<void> {
    for (const id of SESSION_STEP_IDS) if (!this.isStepApplied(id)) await this.applyStep(id);
    await this.startTest();
  }

  // ---------------------------------------------------------------- the test

  private testEvent(kind: TestEvent['kind'], text: string, at = new Date(this.now()).toISOString()): void {
    this.test.events.push({ at, kind, text });
    this.changed();
  }

  /** Starts (or starts again) the test: fires the behaviour on a practice camera, else asks for a hand over the lens. */
  async startTest(timeoutMs?: number): Promise<void> {
    this.assertOpen();
    const missing = SESSION_STEP_IDS.filter((s) => !this.isStepApplied(s));
    if (missing.length) throw new AppFailure('CONFLICT', `Apply "${this.stepTitle(missing[0])}" before the test.`);
    if (this.busy) throw new AppFailure('CONFLICT', `The session is busy (${this.busy}); wait for it to finish.`);
    this.endWait();
    const wait = timeoutMs ?? this.testTimeoutMs;
    const started = this.now();
    const behaviour = this.profile.behaviour;
    this.error = undefined;
    this.test = {
      status: 'waiting',
      attempt: this.test.attempt + 1,
      isAutomatic: this.d.isPracticeCamera(this.target.url),
      instruction: this.d.isPracticeCamera(this.target.url)
        ? `The app fires ${behaviour} on the practice camera now.`
        : behaviour.toLowerCase() === 'camera sabotage'
          ? 'Cover the lens with your hand now, and keep it covered until the e-mail arrives.'
          : `Trigger ${behaviour} in front of the camera now.`,
      startedAt: started,
      deadline: started + wait,
      events: [],
      causes: [],
    };
    this.recordStep('test-run', { status: 'running', detail: this.test.instruction });
    const relayState = this.d.preflight.relayState();
    if (relayState.status !== 'listening') {
      this.finishTest('failed', 'The relay is not running, so the e-mail cannot arrive.');
      return;
    }
    const release = await this.d.relay.lock(this.ip);
    const watch = this.d.relay.watch(this.ip);
    const abort = new AbortController();
    this.testWait = { abort, watch, release };
    this.arm(wait);
    watch.onActivity((a) => {
      if (a.kind === 'connected') this.testEvent('connected', `${this.ip} connected to the relay.`, a.at);
      else if (a.kind === 'refused') {
        this.testEvent('refused', `The relay refused ${this.ip}: ${a.reason}.`, a.at);
        // A refused camera does not send that e-mail again (docs/camera.md §6): waiting longer cannot help.
        this.finishTest('failed');
      } else if (a.kind === 'closed') this.testEvent('closed', `${this.ip} closed the connection${a.accepted ? ` after ${a.accepted} message${a.accepted > 1 ? 's' : ''}` : ' without sending a message'}.`, a.at);
      else if (a.kind === 'message' && !isTestMessage(a.message, { cameraIp: this.ip, from: this.profile.from, subject: this.profile.subject })) {
        this.testEvent('mismatch', `Mail from ${this.ip} arrived but is not the test e-mail (From "${a.message.from}", Subject "${a.message.subject}").`, a.at);
      }
    });
    void watch
      .next((m) => isTestMessage(m, { cameraIp: this.ip, from: this.profile.from, subject: this.profile.subject }), abort.signal)
      .then(
        (m) => {
          this.mailRefs = { messageId: m.messageId, sessionId: m.sessionId };
          this.test.mail = {
            id: m.id,
            from: m.from,
            to: m.to,
            subject: m.subject,
            receivedAt: m.receivedAt,
            attachments: m.attachments.map((x, index) => ({ filename: x.filename, contentType: x.contentType, size: x.size, index })),
          };
          this.test.latencyMs = this.now() - started;
          this.testEvent('message', `The test e-mail arrived after ${(this.test.latencyMs / 1000).toFixed(1)} s: "${m.subject}".`, m.receivedAt);
          this.finishTest('passed');
        },
        () => undefined,
      );
    this.testEvent('triggered', this.test.instruction);
    if (this.test.isAutomatic && this.d.triggerTest) {
      try {
        const outcome = await this.d.triggerTest({ url: this.target.url, ip: this.ip, label: this.target.name, behaviour });
        if (outcome && !outcome.detected && this.test.status === 'waiting') {
          this.testEvent('not-detected', `The camera did not detect ${behaviour}: ${outcome.reason ?? 'no detection'}.`);
          this.finishTest('failed', undefined, outcome.reason ?? 'no detection');
        }
      } catch (e) {
        this.testEvent('not-detected', `The practice camera could not be triggered: ${(e as Error).message}.`);
        this.finishTest('failed', undefined, (e as Error).message);
      }
    }
  }

  private arm(ms: number): void {
    const w = this.testWait;
    if (!w) return;
    if (w.timer) clearTimeout(w.timer);
    w.timer = setTimeout(() => {
      if (this.test.status !== 'waiting') return;
      this.testEvent('timeout', `No test e-mail from ${this.ip} within ${Math.round((this.test.deadline! - this.test.startedAt!) / 1000)} s.`);
      this.finishTest('failed');
    }, Math.max(0, ms));
  }

  private endWait(): void {
    const w = this.testWait;
    if (!w) return;
    this.testWait = undefined;
    if (w.timer) clearTimeout(w.timer);
    w.abort.abort();
    w.watch.stop();
    w.release();
  }

  private finishTest(status: 'passed' | 'failed' | 'stopped', relayProblem?: string, notDetected?: string): void {
    if (this.test.status !== 'waiting') return;
    const w = this.testWait;
    const state = this.d.preflight.relayState();
    if (status === 'failed') {
      this.test.causes = rankTestCauses({
        cameraIp: this.ip,
        isRealCamera: !this.test.isAutomatic && !/^127\./.test(this.ip),
        relay: { isListening: state.status === 'listening', address: state.listenAddress ?? this.relayAt?.address, port: state.port ?? this.relayAt?.port },
        sessions: w?.watch.sessions() ?? [],
        refusals: w?.watch.refusals() ?? [],
        otherMessages: (w?.watch.messages() ?? []).filter((m) => !isTestMessage(m, { cameraIp: this.ip, from: this.profile.from, subject: this.profile.subject })).map((m) => ({ from: m.from, subject: m.subject })),
        notDetected,
      });
      if (relayProblem && this.test.causes.length === 0) this.test.causes = [{ kind: 'relay-stopped', message: relayProblem, article: 'local-relay' }];
    }
    this.test.status = status;
    this.testEndedAt = this.now();
    this.endWait();
    this.recordStep('test-run', {
      status: status === 'passed' ? 'done' : 'failed',
      durationMs: this.now() - (this.test.startedAt ?? this.now()),
      detail: status === 'passed' ? `PASS: e-mail from ${this.ip} arrived after ${this.test.latencyMs} ms` : (this.test.causes[0]?.message ?? 'Stopped.'),
    });
    this.changed();
  }

  /**
   * The test run that ended last (passed, failed or stopped), for the site journal: the same evidence a job's camera
   * gives (Message-ID, SMTP session, latency), so the report shows every run, a "Try again" included.
   */
  testRun(): TestRunFinished | undefined {
    const t = this.test;
    if (t.status !== 'passed' && t.status !== 'failed' && t.status !== 'stopped') return undefined;
    return {
      operationId: this.id,
      origin: 'wizard',
      url: this.target.url,
      ...(this.target.name ? { label: this.target.name } : {}),
      ...(this.camera.mac ? { camera: { ...this.camera } } : {}),
      attempt: Math.max(1, t.attempt),
      status: t.status,
      startedAt: new Date(t.startedAt ?? this.now()).toISOString(),
      endedAt: new Date(this.testEndedAt ?? this.now()).toISOString(),
      ...(t.status === 'passed' && t.latencyMs !== undefined ? { latencyMs: t.latencyMs } : {}),
      ...(t.status === 'passed' && t.mail
        ? { message: { from: t.mail.from, to: t.mail.to, subject: t.mail.subject, attachments: t.mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })), relayId: t.mail.id, receivedAt: t.mail.receivedAt, ...this.mailRefs } }
        : {}),
      ...(t.status === 'failed' && t.causes[0] ? { cause: t.causes[0].message } : {}),
    };
  }

  /** Moves the deadline of a waiting test ("wait longer"). */
  extendTest(seconds: number): void {
    if (this.test.status !== 'waiting' || !this.test.deadline) throw new AppFailure('CONFLICT', 'The test is not waiting; press Try again to start it again.');
    this.test.deadline += seconds * 1000;
    this.arm(this.test.deadline - this.now());
    this.changed();
  }

  /** Stops a waiting test (the camera keeps its settings; Try again or Roll back next). */
  stopTest(): void {
    if (this.test.status !== 'waiting') return;
    this.testEvent('stopped', 'Stopped waiting.');
    this.finishTest('stopped');
  }

  // ---------------------------------------------------------------- the end

  private resultDraft(): CameraResult {
    return {
      operationId: this.id,
      url: this.target.url,
      label: this.target.name,
      camera: this.camera,
      verdict: 'fail',
      steps: STEP_IDS.map((id) => this.stepResults.get(id) ?? { id, title: STEP_TITLES[id], status: 'pending', durationMs: 0, changes: [] }),
      rolledBack: false,
      // What the session set on the camera (the site journal and the report list it).
      ...(this.applied.length > 0
        ? { applied: { smtpServer: this.profile.smtpServer, ntpServer: this.profile.ntpServer, to: this.profile.to, from: this.profile.from, subject: this.profile.subject, sourceName: this.profile.sourceName, handlerName: this.profile.handlerName, behaviour: this.profile.behaviour } }
        : {}),
      warnings: [...this.warnings],
      requests: this.driver.stats().requests,
      durationMs: this.now() - this.createdAt,
      ...(this.backupFile ? { backupFile: this.backupFile } : {}),
      ...(this.test.latencyMs !== undefined ? { latencyMs: this.test.latencyMs } : {}),
      ...(this.test.startedAt !== undefined && this.test.mail ? { testEventAt: new Date(this.test.startedAt).toISOString() } : {}),
      ...(this.test.mail
        ? {
            message: {
              from: this.test.mail.from,
              to: this.test.mail.to,
              subject: this.test.mail.subject,
              attachments: this.test.mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
              // Where the hand-over report finds the evidence: the stored message, its Message-ID and SMTP session.
              relayId: this.test.mail.id,
              receivedAt: this.test.mail.receivedAt,
              ...this.mailRefs,
            },
          }
        : {}),
    };
  }

  /**
   * The safe end: the scene sensitivity (a whole number 1–10, refused otherwise, never clamped; staying at the test
   * value 10 only when confirmed, and then recorded as a warning) and the final SMTP server, each verified.
   */
  async finish(sceneSensitivity: number, confirmTestSensitivity = false): Promise<void> {
    this.assertOpen();
    if (this.test.status !== 'passed') throw new AppFailure('CONFLICT', 'The test e-mail has not arrived yet: run the test (Try again) or Roll back.');
    const p = checkSensitivity('Scene sensitivity', sceneSensitivity);
    if (p) throw new AppFailure('VALIDATION', `${p.message} The camera refuses it; nothing is rounded or clamped.`, { field: 'sceneSensitivity' });
    if (sceneSensitivity === SENSITIVITY_MAX && !confirmTestSensitivity) {
      throw new AppFailure('CONFIRMATION_NEEDED', `Leaving ${this.profile.behaviour} at sensitivity ${SENSITIVITY_MAX} (the test value) alarms on every shadow. Confirm that the scene needs it, or choose a lower value.`);
    }
    await this.act('Setting the scene sensitivity and the final SMTP server', async () => {
      this.profile = { ...this.profile, sceneSensitivity };
      const draft = this.resultDraft();
      const ctx = { ...this.ctx(), result: draft };
      for (const step of [RESTORE, FINAL_SMTP]) {
        const changes = step.check(ctx);
        const t0 = this.now();
        if (changes.length === 0 && !step.alwaysApply) {
          this.recordStep(step.id, { status: 'unchanged', durationMs: 0 });
          continue;
        }
        if (changes.length > 0) this.applied.push(step);
        await step.apply(ctx);
        await step.verify(ctx);
        this.recordStep(step.id, { status: changes.length ? 'done' : 'unchanged', changes, durationMs: this.now() - t0 });
      }
      if (sceneSensitivity === SENSITIVITY_MAX) this.warnings.push(stayAtTestSensitivityWarning(this.profile.behaviour));
      this.snap = await readSnapshot(this.driver, this.profile, this.profile.behaviour).catch(() => this.snap);
      this.phase = 'finished';
      this.result = { ...this.resultDraft(), verdict: 'pass', endState: 'commissioned', sensitivityRestoredTo: sceneSensitivity, warnings: [...this.warnings] };
    });
  }

  /**
   * Rolls back: while open, undoes the applied steps in reverse from the backup; once finished, restores every
   * backed-up form. The read-back decides the end state. Nothing written: says so and ends the session.
   */
  async rollBack(reason = 'Rolled back by the technician.'): Promise<void> {
    if (this.phase === 'aborted') throw new AppFailure('CONFLICT', 'This session was already rolled back.');
    this.stopTest();
    await this.act('Rolling back from the backup', async () => {
      const base = this.resultDraft();
      const writes = this.driver.stats().writes;
      if (!this.backup || (this.applied.length === 0 && writes === 0)) {
        this.phase = 'aborted';
        this.result = { ...base, endState: 'unchanged', error: { code: 'CANCELLED', message: `${reason} Nothing was changed on the camera.` } };
        return;
      }
      let differences: string[];
      try {
        if (this.phase === 'finished') {
          const r = await restoreBackup(this.driver, this.backup, this.formsFor.behaviour, this.d.logger);
          differences = [...r.differences, ...r.errors];
        } else {
          const ctx = this.ctx();
          const done = new Set<FormKey>();
          for (const step of [...this.applied].reverse()) {
            try {
              await undoStep(ctx, step, done);
            } catch (e) {
              this.warnings.push(`Undoing "${STEP_TITLES[step.id]}" failed: ${(e as Error).message}`);
            }
          }
          differences = await differencesFrom(this.driver, this.backup, this.formsFor.behaviour, this.d.logger);
        }
      } catch (e) {
        this.phase = 'aborted';
        this.result = { ...base, endState: 'unknown', error: { code: 'CAMERA_ERROR', message: `${reason} The camera could not be read back after undoing (${(e as Error).message}): run "sarix rollback --camera ${this.target.url}" to restore the backup ${this.backupFile}.` } };
        return;
      }
      for (const id of SESSION_STEP_IDS) if (this.status.get(id) === 'done') this.status.set(id, 'rolled-back');
      for (const id of STEP_IDS) if (this.stepResults.get(id)?.status === 'done') this.recordStep(id, { status: 'rolled-back' });
      this.snap = await readSnapshot(this.driver, { sourceName: this.formsFor.sourceName, handlerName: this.formsFor.handlerName }, this.formsFor.behaviour).catch(() => this.snap);
      this.phase = 'aborted';
      const restored = differences.length === 0;
      this.result = {
        ...this.resultDraft(),
        verdict: 'fail',
        rolledBack: restored,
        endState: restored ? 'restored' : 'differs',
        error: {
          code: 'CANCELLED',
          message: restored
            ? `${reason} Every change was undone; the camera reads back exactly as in the backup.`
            : `${reason} The camera still differs from its backup (${differences.slice(0, 3).join('; ')}): run "sarix rollback --camera ${this.target.url}".`,
        },
        warnings: [...this.warnings, ...(restored ? [] : [`After rolling back, the camera still differs: ${differences.join('; ')}.`])],
      };
    });
  }

  /** Stops waiting and forgets the camera session (nothing on the camera changes). */
  close(): void {
    this.endWait();
    this.driver.close();
  }
}
