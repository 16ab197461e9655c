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
import { STEP_IDS, STEP_TITLE_KEYS, STEP_TITLES, checkSiteProfile, isTestMessage, type CameraBackupV2, type CameraResult, type CameraTarget, type StepId, type StepResult } from '../../../shared/domain/commissioning';
import {
  rankTestCauses,
  sceneRefused,
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
import type { KeyedTextValue } from '../../../shared/domain/commissioning';
import { checkSmtpHost, smtpHostNeedsLookup } from '../../../shared/domain/net-address';
import { asParam, failure, keyedText, msg, ruleFailure, sub, type FailureParams, type KeyedText } from '../../../shared/i18n/messages';
import { AppFailure, isAppFailure, type SubMessage } from '../../../shared/ipc/result';
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

/** A current value whose label (and value, when it is the app's wording) come from the catalogs. */
function cv(labelKey: string, labelParams: FailureParams | undefined, value: string | { key: string; params?: FailureParams }): CurrentValue {
  const label = keyedText(labelKey, labelParams);
  if (typeof value === 'string') return { label: label.text, value, labelI18n: label.i18n };
  const v = keyedText(value.key, value.params);
  return { label: label.text, value: v.text, labelI18n: label.i18n, valueI18n: v.i18n };
}

const word = (key: string, params?: FailureParams) => ({ key, params });
const yesNo = (b: boolean | undefined) => word(b ? 'commissioning.value.yes' : 'commissioning.value.no');
const orEmpty = (v: string) => v || word('commissioning.value.empty');

/** What the camera holds now, per step, in the technician's words. */
function currentValues(id: SessionStepId, snap: Snapshot, profile: SessionProfile): CurrentValue[] {
  const g = snap.general;
  if (id === 'smtp-ntp') return [cv('commissioning.field.smtpServer', undefined, orEmpty(g.smtpServer)), cv('commissioning.field.ntpServer', undefined, orEmpty(g.ntpServer))];
  if (id === 'source') {
    const s = snap.source;
    if (!s) return [cv('commissioning.value.sourceNamed', { name: profile.sourceName }, word('commissioning.value.notYet'))];
    const value =
      s.type !== 'analytics'
        ? s.type
        : s.anyBehaviour
          ? word('commissioning.value.analyticsAny', { type: s.type })
          : (s.behaviours ?? []).length
            ? word('commissioning.value.analyticsOn', { type: s.type, behaviours: (s.behaviours ?? []).join(', ') })
            : word('commissioning.value.analyticsNone', { type: s.type });
    return [cv('commissioning.value.sourceNamed', { name: s.name }, value)];
  }
  if (id === 'handler') {
    const h = snap.handler;
    const usage = cv('commissioning.value.handlersUsed', undefined, word('commissioning.value.ofTwenty', { used: snap.handlersUsed }));
    if (!h) return [cv('commissioning.value.handlerNamed', { name: profile.handlerName }, word('commissioning.value.notYet')), usage];
    return [
      cv('commissioning.value.handlerNamed', { name: h.name }, h.type === 'send-email' ? 'Send Email' : h.type),
      cv('commissioning.field.to', undefined, h.to ?? ''),
      cv('commissioning.field.from', undefined, h.from ?? ''),
      cv('commissioning.field.subject', undefined, h.subject ?? ''),
      cv('commissioning.value.jpegSnapshot', undefined, yesNo(h.jpegSnapshot)),
      cv('commissioning.value.sources', undefined, h.sources.join(', ') || word('commissioning.value.none')),
      usage,
    ];
  }
  return [
    { label: snap.sabotage.name, ...(() => { const v = keyedText(snap.sabotage.active ? 'commissioning.value.active' : 'commissioning.value.notActive'); return { value: v.text, valueI18n: v.i18n }; })() },
    cv('commissioning.value.sensitivity', undefined, String(snap.sabotage.sensitivity)),
  ];
}

/** A keyed problem in the shape the step checks collect. */
function keyedProblemOf(key: string, params?: FailureParams): { message: string; key: string; params?: KeyedTextValue['params'] } {
  const { text, i18n } = keyedText(key, params);
  return { message: text, ...i18n };
}

/** A result's error from the catalogs (English message, key and parameters next to it). */
function keyedError(code: string, key: string, params?: FailureParams): { code: string; message: string; key: string; params?: KeyedTextValue['params'] } {
  const { text, i18n } = keyedText(key, params);
  return { code, message: text, ...i18n };
}

/** One commissioning session (one camera). */
export class CommissioningSession {
  readonly id = randomUUID();
  readonly createdAt: number;
  private updatedAt: number;
  private readonly now: () => number;
  private phase: SessionView['phase'] = 'open';
  private busy?: string;
  private busyI18n?: KeyedText;
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
  private readonly details = new Map<SessionStepId, { text: string; i18n?: KeyedText }>();
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
  private error?: { code: string; message: string; key?: string; params?: KeyedTextValue['params'] };
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
    if (!parsed.success) throw failure('VALIDATION', 'errors.VALIDATION.siteProfile', { path: parsed.error.issues[0]?.path.join('.') ?? '', problem: parsed.error.issues[0]?.message ?? '' });
    const driver = d.driverFactory(target);
    const s = new CommissioningSession(target, parsed.data, driver, d, o);
    try {
      await s.read();
    } catch (e) {
      driver.close();
      const f = isAppFailure(e) ? e : new AppFailure('CAMERA_UNREACHABLE', (e as Error)?.message ?? String(e));
      // Opening only reads: whatever went wrong, the camera is as it was.
      if (/nothing was changed/i.test(f.message)) throw f;
      throw failure(f.code, 'errors.common.nothingChangedOnCamera', { problem: asParam(f) }, f.details);
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
      throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.behaviourNotListed', { behaviour: this.profile.behaviour, listed: this.behaviours.join(', ') || sub('commissioning.session.noneListed') });
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

  /** The failure while another action runs. */
  private busyFailure(): AppFailure {
    return failure('CONFLICT', 'errors.CONFLICT.sessionBusy', { busy: this.busyI18n ? asParam({ message: this.busy ?? '', ...this.busyI18n }) : (this.busy ?? '') });
  }

  /** Runs one action (named by its catalog key): busy while it runs, the failure kept on the session (and thrown) for the UI. */
  private async act<T>(whatKey: string, whatParams: FailureParams | undefined, fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw this.busyFailure();
    const { text: what, i18n } = keyedText(whatKey, whatParams);
    this.busy = what;
    this.busyI18n = i18n;
    this.error = undefined;
    this.changed();
    try {
      return await fn();
    } catch (e) {
      const f = isAppFailure(e) ? e : new AppFailure('INTERNAL', (e as Error)?.message ?? String(e));
      if (!isAppFailure(e)) this.d.logger.error(`session ${what} failed unexpectedly`, (e as Error)?.stack ?? e);
      this.error = { code: f.code, message: f.message, ...(f.key ? { key: f.key } : {}), ...(f.params ? { params: f.params } : {}) };
      throw f;
    } finally {
      this.busy = undefined;
      this.busyI18n = undefined;
      this.changed();
    }
  }

  private assertOpen(): void {
    if (this.phase !== 'open') throw failure('CONFLICT', 'errors.CONFLICT.sessionEnded', { phase: this.phase });
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
    return msg(this.stepTitleKey(id).key, this.stepTitleKey(id).params);
  }

  /** A step's title as a catalog key (the behaviour step names the chosen behaviour). */
  private stepTitleKey(id: SessionStepId): SubMessage {
    if (id === 'behaviour') return sub('commissioning.step.behaviourTest', { behaviour: this.profile.behaviour, sensitivity: TEST_SENSITIVITY });
    return sub(STEP_TITLE_KEYS[PLAN_ID[id]]);
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
      ...(this.busyI18n ? { busyI18n: this.busyI18n } : {}),
      camera: this.camera,
      behaviours: this.behaviours,
      handlersUsed: this.snap.handlersUsed,
      profile: this.profile,
      ...(this.relayAt ? { testSmtp: this.relayAt } : {}),
      current: { general: this.snap.general, source: this.snap.source ?? null, handler: this.snap.handler ?? null, behaviour: this.snap.sabotage },
      steps: SESSION_STEP_IDS.map((id) => ({
        id,
        title: this.stepTitle(id),
        titleI18n: this.stepTitleKey(id),
        status: this.status.get(id)!,
        current: currentValues(id, this.snap, this.profile),
        changes: this.phase === 'open' && !this.isStepApplied(id) ? this.changesOf(id) : [],
        why: STEP_GUIDE[id].why,
        whyI18n: { key: STEP_GUIDE[id].whyKey },
        article: STEP_GUIDE[id].article,
        ...(this.details.get(id) ? { detail: this.details.get(id)!.text, ...(this.details.get(id)!.i18n ? { detailI18n: this.details.get(id)!.i18n } : {}) } : {}),
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
    if (!parsed.success) throw failure('VALIDATION', 'errors.VALIDATION.sessionPatch', { path: parsed.error.issues[0]?.path.join('.') ?? '', problem: parsed.error.issues[0]?.message ?? '' });
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
        throw failure('CONFLICT', 'errors.CONFLICT.stepAlreadyApplied', { step: this.stepTitleKey(step), fields: touched.join(', ') });
      }
    }
    for (const [field, label] of [['sourceName', 'Source name'], ['handlerName', 'Handler name']] as const) {
      const v = patch[field];
      const p = v !== undefined ? checkName(label, v) : null;
      if (p) throw ruleFailure('VALIDATION', p, { field });
    }
    if (patch.behaviour !== undefined && !this.behaviours.some((b) => b.toLowerCase() === patch.behaviour!.toLowerCase())) {
      throw failure('VALIDATION', 'errors.VALIDATION.behaviourNotListed', { behaviour: patch.behaviour, listed: this.behaviours.join(', ') });
    }
    this.profile = { ...this.profile, ...patch };
    this.changed();
  }

  /** Runs the pre-flight (reads only; the fixes are the technician's to press). */
  async runPreflight(): Promise<PreflightReport> {
    this.assertOpen();
    return this.act('commissioning.session.busyChecking', undefined, async () => {
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
    if (this.test.status === 'waiting') throw failure('CONFLICT', 'errors.CONFLICT.testWaiting');
    const index = SESSION_STEP_IDS.indexOf(id);
    const missing = SESSION_STEP_IDS.slice(0, index).filter((s) => !this.isStepApplied(s));
    if (missing.length) throw failure('CONFLICT', 'errors.CONFLICT.stepOrder', { step: this.stepTitleKey(missing[0]) });
    if (this.isStepApplied(id)) return;
    if (!this.backup && !this.preflight?.isReady) {
      throw failure('PREFLIGHT', 'errors.PREFLIGHT.notReady');
    }
    await this.checkFields(id);
    await this.act('commissioning.session.busyApplying', { step: this.stepTitleKey(id) }, async () => {
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
          if (r.detail) this.details.set(id, { text: r.detail });
        }
        this.recordStep(PLAN_ID[id], { status: this.status.get(id)!, changes, durationMs: this.now() - t0 });
      } catch (e) {
        this.status.set(id, 'failed');
        this.details.set(id, { text: (e as Error).message, ...(isAppFailure(e) && e.key ? { i18n: { key: e.key, ...(e.params ? { params: e.params } : {}) } } : {}) });
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
    const problems: Array<{ message: string; key?: string; params?: KeyedTextValue['params'] }> = [];
    if (id === 'smtp-ntp') {
      const host = p.smtpServer.trim();
      const resolved = smtpHostNeedsLookup(host) ? await this.d.resolveHost(host).catch(() => [] as string[]) : undefined;
      const v = checkSmtpHost(host, resolved);
      if (!v.ok) problems.push(keyedProblemOf('commissioning.session.smtpAfterTest', { problem: sub(v.key, v.params) }));
      else if (v.warning && !this.warnings.includes(v.warning)) this.warnings.push(v.warning);
    }
    const fields: string[] = { 'smtp-ntp': ['NTP server'], source: ['Source name'], handler: ['Handler name', 'To', 'From', 'Subject'], behaviour: [] as string[] }[id];
    const profileProblems = checkSiteProfile({ ...p, smtpServer: p.smtpServer || 'x', ntpServer: p.ntpServer || ' ', to: p.to, from: p.from });
    problems.push(...profileProblems.filter((x) => fields.includes(x.field)));
    if (id === 'smtp-ntp' && !p.ntpServer.trim()) problems.push(keyedProblemOf('commissioning.session.enterNtp'));
    if (problems.length) {
      // One problem is shown in the technician's language; several are listed as the rules wrote them.
      const list = problems.length === 1 ? asParam(problems[0]) : problems.map((x) => x.message).join(' ');
      throw failure('VALIDATION', 'errors.VALIDATION.stepFields', { problems: list }, { problems: problems.map((x) => x.message) });
    }
  }

  /** Applies every remaining step, then starts the test (the express path). */
  async applyAll(): Promise<void> {
    for (const id of SESSION_STEP_IDS) if (!this.isStepApplied(id)) await this.applyStep(id);
    await this.startTest();
  }

  // ---------------------------------------------------------------- the test

  private testEvent(kind: TestEvent['kind'], key: string, params?: FailureParams, at = new Date(this.now()).toISOString()): void {
    const { text, i18n } = keyedText(key, params);
    this.test.events.push({ at, kind, text, i18n });
    this.changed();
  }

  /** Starts (or starts again) the test: fires the behaviour on a practice camera, else asks for a hand over the lens. */
  async startTest(timeoutMs?: number): Promise<void> {
    this.assertOpen();
    const missing = SESSION_STEP_IDS.filter((s) => !this.isStepApplied(s));
    if (missing.length) throw failure('CONFLICT', 'errors.CONFLICT.applyBeforeTest', { step: this.stepTitleKey(missing[0]) });
    if (this.busy) throw this.busyFailure();
    this.endWait();
    const wait = timeoutMs ?? this.testTimeoutMs;
    const started = this.now();
    const behaviour = this.profile.behaviour;
    this.error = undefined;
    const instruction = keyedText(
      this.d.isPracticeCamera(this.target.url) ? 'commissioning.test.practiceFires' : behaviour.toLowerCase() === 'camera sabotage' ? 'commissioning.test.coverLens' : 'commissioning.test.triggerBehaviour',
      { behaviour },
    );
    this.test = {
      status: 'waiting',
      attempt: this.test.attempt + 1,
      isAutomatic: this.d.isPracticeCamera(this.target.url),
      instruction: instruction.text,
      instructionI18n: instruction.i18n,
      startedAt: started,
      deadline: started + wait,
      events: [],
      causes: [],
    };
    this.recordStep('test-run', { status: 'running', detail: this.test.instruction });
    const relayState = this.d.preflight.relayState();
    if (relayState.status !== 'listening') {
      this.finishTest('failed', keyedText('commissioning.test.relayNotRunning'));
      return;
    }
    const release = await this.d.relay.lock(this.ip);
    const watch = this.d.relay.watch(this.ip);
    const abort = new AbortController();
    this.testWait = { abort, watch, release };
    this.arm(wait);
    watch.onActivity((a) => {
      if (a.kind === 'connected') this.testEvent('connected', 'commissioning.test.connected', { ip: this.ip }, a.at);
      else if (a.kind === 'refused') {
        this.testEvent('refused', 'commissioning.test.refused', { ip: this.ip, reason: a.reason }, a.at);
        // A refused camera does not send that e-mail again (docs/camera.md §6): waiting longer cannot help.
        this.finishTest('failed');
      } else if (a.kind === 'closed') this.testEvent('closed', 'commissioning.test.closed', { ip: this.ip, accepted: a.accepted ?? 0 }, a.at);
      else if (a.kind === 'message' && !isTestMessage(a.message, { cameraIp: this.ip, from: this.profile.from, subject: this.profile.subject })) {
        this.testEvent('mismatch', 'commissioning.test.mismatch', { ip: this.ip, from: a.message.from, subject: a.message.subject }, a.at);
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
          this.testEvent('message', 'commissioning.test.arrived', { seconds: (this.test.latencyMs / 1000).toFixed(1), subject: m.subject }, m.receivedAt);
          this.finishTest('passed');
        },
        () => undefined,
      );
    this.testEvent('triggered', instruction.i18n.key, { behaviour });
    if (this.test.isAutomatic && this.d.triggerTest) {
      try {
        const outcome = await this.d.triggerTest({ url: this.target.url, ip: this.ip, label: this.target.name, behaviour });
        if (outcome && !outcome.detected && this.test.status === 'waiting') {
          this.testEvent('not-detected', 'commissioning.test.notDetected', { behaviour, reason: outcome.reason ?? sub('commissioning.test.noDetection') });
          this.finishTest('failed', undefined, outcome.reason ?? msg('commissioning.test.noDetection'));
        }
      } catch (e) {
        this.testEvent('not-detected', 'commissioning.test.triggerFailed', { error: isAppFailure(e) ? asParam(e) : (e as Error).message });
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
      this.testEvent('timeout', 'commissioning.test.timeout', { ip: this.ip, seconds: String(Math.round((this.test.deadline! - this.test.startedAt!) / 1000)) });
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

  private finishTest(status: 'passed' | 'failed' | 'stopped', relayProblem?: { text: string; i18n: KeyedText }, notDetected?: string): void {
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
      if (relayProblem && this.test.causes.length === 0) this.test.causes = [{ kind: 'relay-stopped', message: relayProblem.text, i18n: relayProblem.i18n, article: 'local-relay' }];
    }
    this.test.status = status;
    this.testEndedAt = this.now();
    this.endWait();
    this.recordStep('test-run', {
      status: status === 'passed' ? 'done' : 'failed',
      durationMs: this.now() - (this.test.startedAt ?? this.now()),
      detail: status === 'passed' ? msg('commissioning.test.passDetail', { ip: this.ip, ms: String(this.test.latencyMs) }) : (this.test.causes[0]?.message ?? msg('commissioning.test.stoppedDetail')),
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
    if (this.test.status !== 'waiting' || !this.test.deadline) throw failure('CONFLICT', 'errors.CONFLICT.testNotWaiting');
    this.test.deadline += seconds * 1000;
    this.arm(this.test.deadline - this.now());
    this.changed();
  }

  /** Stops a waiting test (the camera keeps its settings; Try again or Roll back next). */
  stopTest(): void {
    if (this.test.status !== 'waiting') return;
    this.testEvent('stopped', 'commissioning.test.stoppedWaiting');
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
    if (this.test.status !== 'passed') throw failure('CONFLICT', 'errors.CONFLICT.testNotPassed');
    const p = checkSensitivity('Scene sensitivity', sceneSensitivity);
    if (p) throw ruleFailure('VALIDATION', sceneRefused(p), { field: 'sceneSensitivity' });
    if (sceneSensitivity === SENSITIVITY_MAX && !confirmTestSensitivity) {
      throw failure('CONFIRMATION_NEEDED', 'errors.CONFIRMATION_NEEDED.leaveAtTen', { behaviour: this.profile.behaviour, sensitivity: SENSITIVITY_MAX });
    }
    await this.act('commissioning.session.busyFinishing', undefined, async () => {
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
  async rollBack(): Promise<void> {
    if (this.phase === 'aborted') throw failure('CONFLICT', 'errors.CONFLICT.alreadyRolledBack');
    this.stopTest();
    await this.act('commissioning.session.busyRollingBack', undefined, async () => {
      const base = this.resultDraft();
      const writes = this.driver.stats().writes;
      if (!this.backup || (this.applied.length === 0 && writes === 0)) {
        this.phase = 'aborted';
        this.result = { ...base, endState: 'unchanged', error: keyedError('CANCELLED', 'commissioning.rollBack.nothingChanged') };
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
              this.warnings.push(msg('commissioning.rollBack.undoFailed', { step: STEP_TITLES[step.id], error: (e as Error).message }));
            }
          }
          differences = await differencesFrom(this.driver, this.backup, this.formsFor.behaviour, this.d.logger);
        }
      } catch (e) {
        this.phase = 'aborted';
        this.result = { ...base, endState: 'unknown', error: keyedError('CAMERA_ERROR', 'commissioning.rollBack.unreadable', { error: (e as Error).message, url: this.target.url, file: this.backupFile ?? '' }) };
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
        error: restored
          ? keyedError('CANCELLED', 'commissioning.rollBack.restored')
          : keyedError('CANCELLED', 'commissioning.rollBack.differs', { differences: differences.slice(0, 3).join('; '), url: this.target.url }),
        warnings: [...this.warnings, ...(restored ? [] : [msg('commissioning.rollBack.stillDiffers', { differences: differences.join('; ') })])],
      };
    });
  }

  /** Stops waiting and forgets the camera session (nothing on the camera changes). */
  close(): void {
    this.endWait();
    this.driver.close();
  }
}
