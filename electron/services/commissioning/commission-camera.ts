/**
 * Commissions ONE camera (issue 6): log in and read everything the plan touches, compute the exact changes
 * (that is the dry run), back the values up to disk, then run each step check → apply → verify. On any failure
 * (camera error, no test e-mail, cancellation) the applied steps are undone in reverse and the camera is read
 * back to confirm it is as it began.
 */
import {
  BEHAVIOURS,
  MAX_HANDLERS,
  checkHandlerRoom,
  handlerUsage,
  type AnalyticsSettings,
  type BehaviourState,
  type EmailHandlerSpec,
  type EventHandler,
  type EventSource,
  type GeneralSettings,
} from '../../../shared/domain/camera';
import {
  STEP_IDS,
  STEP_TITLES,
  isTestMessage,
  likelyTestCauses,
  plainIp,
  type CameraBackup,
  type CameraResult,
  type CameraTarget,
  type Change,
  type CommissionOptions,
  type SiteProfile,
  type StepId,
  type StepResult,
} from '../../../shared/domain/commissioning';
import { isIpLiteral } from '../../../shared/domain/net-address';
import { AppFailure, isAppFailure } from '../../../shared/ipc/result';
import type { Logger } from '../common/logger';
import type { CameraDriver } from '../camera/driver';
import type { BackupStore } from './backup-store';
import type { RelayMessage, TestRelay } from './test-relay';

/** The behaviour the plan uses (SARIX.md §1: standard on all EP models). */
export const SABOTAGE: (typeof BEHAVIOURS)[number] = 'Camera Sabotage';
/** Sensitivity for the on-site test (SARIX.md §1). */
export const TEST_SENSITIVITY = 10;

/** What an automatic trigger reports (the simulator hook says whether the camera detected the event). */
export interface TriggerOutcome {
  detected: boolean;
  reason?: string;
}

/** Fires the test event: the simulator hook in the demo, a prompt to cover the lens for a real camera. */
export type TriggerTest = (camera: { url: string; ip: string; label?: string }) => Promise<TriggerOutcome | void>;

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
}

interface Applied {
  id: StepId;
  undo: () => Promise<void>;
}

interface Snapshot {
  general: GeneralSettings;
  source: EventSource | undefined;
  handler: EventHandler | undefined;
  handlersUsed: number;
  analytics: AnalyticsSettings;
}

const show = (v: unknown): Change['to'] => (v === undefined ? null : Array.isArray(v) ? v.map(String) : typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string | number | boolean | null));

function diff(prefix: string, from: Record<string, unknown> | undefined, to: Record<string, unknown>): Change[] {
  const out: Change[] = [];
  for (const k of Object.keys(to)) {
    const a = from?.[k];
    const b = to[k];
    const same = Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
    if (!same) out.push({ field: `${prefix}.${k}`, from: from ? show(a) : null, to: show(b) });
  }
  return out;
}

/** The Camera Sabotage row of the analytics page, or a clear failure when the model lacks it. */
export function sabotageOf(a: AnalyticsSettings): BehaviourState {
  const b = a.behaviours.find((x) => x.name.toLowerCase() === SABOTAGE.toLowerCase());
  if (!b) throw new AppFailure('CAMERA_ERROR', `The camera lists no "${SABOTAGE}" behaviour on its Analytics page, so the test cannot run. Check the model and firmware (Camera Sabotage is standard on EP models).`);
  return b;
}

/** Reads what the plan touches (the content of the backup). */
export async function readSnapshot(driver: CameraDriver, profile: Pick<SiteProfile, 'sourceName' | 'handlerName'>): Promise<Snapshot> {
  // Independent pages, read in parallel (the driver keeps up to three connections per camera).
  const [general, source, list, analytics] = await Promise.all([driver.readGeneral(), driver.readSource(profile.sourceName), driver.listHandlers(), driver.readAnalytics()]);
  const handler = list.handlers.some((h) => h.name.toLowerCase() === profile.handlerName.toLowerCase()) ? await driver.readHandler(profile.handlerName) : undefined;
  return { general, source, handler, handlersUsed: list.used, analytics };
}

/** True when the camera reads back exactly as the backup says (the rollback check). */
export async function matchesBackup(driver: CameraDriver, b: CameraBackup): Promise<{ ok: boolean; differences: string[] }> {
  const now = await readSnapshot(driver, b);
  const d: string[] = [];
  if (now.general.smtpServer !== b.general.smtpServer) d.push(`SMTP server is "${now.general.smtpServer}", was "${b.general.smtpServer}"`);
  if (now.general.ntpServer !== b.general.ntpServer) d.push(`NTP server is "${now.general.ntpServer}", was "${b.general.ntpServer}"`);
  if (JSON.stringify(now.source ?? null) !== JSON.stringify(b.source)) d.push(`source "${b.sourceName}" differs`);
  if (JSON.stringify(now.handler ?? null) !== JSON.stringify(b.handler)) d.push(`handler "${b.handlerName}" differs`);
  const s0 = sabotageOf(b.analytics);
  const s1 = sabotageOf(now.analytics);
  if (s0.active !== s1.active || s0.sensitivity !== s1.sensitivity) d.push(`${SABOTAGE} is ${s1.active ? 'active' : 'inactive'} at ${s1.sensitivity}, was ${s0.active ? 'active' : 'inactive'} at ${s0.sensitivity}`);
  return { ok: d.length === 0, differences: d };
}

/** Puts the camera back to a backup, handler before source (a source in use cannot be deleted). */
export async function restoreBackup(driver: CameraDriver, b: CameraBackup): Promise<void> {
  if (b.handler) await driver.restoreHandler(b.handler);
  else await driver.deleteHandler(b.handlerName);
  if (b.source) await driver.restoreSource(b.source);
  else await driver.deleteSource(b.sourceName);
  await driver.writeGeneral({ smtpServer: b.general.smtpServer, ntpServer: b.general.ntpServer });
  const s = sabotageOf(b.analytics);
  await driver.setBehaviour(SABOTAGE, { active: s.active, sensitivity: s.sensitivity });
}

async function cameraIpOf(url: string, resolveHost: (h: string) => Promise<string[]>): Promise<string> {
  const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIpLiteral(host)) return plainIp(host);
  const addrs = await resolveHost(host).catch(() => [] as string[]);
  if (addrs.length === 0) throw new AppFailure('CAMERA_UNREACHABLE', `The camera host name "${host}" does not resolve: use the camera's IP address instead.`);
  return plainIp(addrs[0]);
}

/** Commissions one camera; never throws (failures are in the result). */
export async function commissionCamera(
  target: CameraTarget,
  profile: SiteProfile,
  options: CommissionOptions,
  deps: CommissionDeps,
  operationId: string,
  signal: AbortSignal,
): Promise<CameraResult> {
  const now = deps.now ?? Date.now;
  const started = now();
  const steps = new Map<StepId, StepResult>(STEP_IDS.map((id) => [id, { id, title: STEP_TITLES[id], status: 'pending', durationMs: 0, changes: [] }]));
  const emit = (id: StepId, patch: Partial<StepResult>) => {
    const s = { ...steps.get(id)!, ...patch };
    steps.set(id, s);
    deps.onStep?.(s);
  };
  const result: CameraResult = {
    operationId,
    url: target.url,
    label: target.name,
    verdict: 'fail',
    steps: [],
    applied: { smtpServer: profile.smtpServer, ntpServer: profile.ntpServer, to: profile.to, from: profile.from, subject: profile.subject, sourceName: profile.sourceName, handlerName: profile.handlerName, behaviour: SABOTAGE },
    rolledBack: false,
    warnings: [],
    requests: 0,
    durationMs: 0,
  };
  const applied: Applied[] = [];
  let driver: CameraDriver | undefined;
  let backup: CameraBackup | undefined;
  let current: StepId = 'credentials';
  let stepStarted = now();
  const checkCancel = () => {
    if (signal.aborted) throw new AppFailure('CANCELLED', 'Commissioning was cancelled; the changes made so far are being undone.');
  };
  /** Runs one step: marks it running, times it, records its status and changes. */
  const step = async (id: StepId, changes: Change[], fn: () => Promise<{ status?: StepResult['status']; detail?: string } | void>) => {
    checkCancel();
    current = id;
    const t0 = now();
    stepStarted = t0;
    emit(id, { status: 'running', changes });
    const r = (await fn()) ?? {};
    emit(id, { status: r.status ?? (changes.length ? 'done' : 'unchanged'), durationMs: now() - t0, ...(r.detail ? { detail: r.detail } : {}) });
  };

  try {
    driver = deps.driverFactory(target);
    const d = driver;
    const ip = await cameraIpOf(target.url, deps.resolveHost);
    const testing = options.testMode === 'auto';
    if (testing && !deps.relay) throw new AppFailure('UNAVAILABLE', 'The test run needs the embedded relay, which this host did not provide; run without the test or from the app/CLI.');
    if (testing && !deps.triggerTest) throw new AppFailure('UNAVAILABLE', 'The test run needs a way to trigger Camera Sabotage; none was provided.');

    // 1. credentials: log in, identify, read everything the plan touches.
    let snap!: Snapshot;
    await step('credentials', [], async () => {
      await d.login();
      const [id, read] = await Promise.all([d.identity(), readSnapshot(d, profile)]);
      result.camera = { ip, model: id.model, mac: id.mac, firmware: id.firmware, name: id.name };
      snap = read;
      return { status: 'done', detail: `${id.model} ${id.mac}, firmware ${id.firmware}; ${handlerUsage(snap.handlersUsed)}` };
    });
    current = 'sabotage';
    const sabotage0 = sabotageOf(snap.analytics);
    const restoreTo = profile.sceneSensitivity ?? sabotage0.sensitivity;
    if (testing) current = 'test-run';
    const relayAt = testing ? await deps.relay!.plannedAddress(ip) : undefined;
    const testSmtp = relayAt ? relayAt.address : profile.smtpServer;

    // The plan, with the exact changes of every step.
    const spec: EmailHandlerSpec = {
      name: profile.handlerName,
      to: profile.to,
      from: profile.from,
      subject: profile.subject,
      message: profile.message,
      jpegSnapshot: profile.jpegSnapshot,
      rawEventData: profile.rawEventData,
      sources: [profile.sourceName],
    };
    const wantSource: EventSource = { name: profile.sourceName, type: 'analytics', anyBehaviour: false, behaviours: [SABOTAGE] };
    const plan: Record<Exclude<StepId, 'credentials'>, Change[]> = {
      'smtp-ntp': diff('general', snap.general, { smtpServer: testSmtp, ntpServer: profile.ntpServer }),
      source: diff(`source ${profile.sourceName}`, snap.source, { ...wantSource }),
      handler: diff(`handler ${profile.handlerName}`, snap.handler, { type: 'send-email', ...spec }),
      sabotage: diff(SABOTAGE, sabotage0, { active: true, sensitivity: TEST_SENSITIVITY }),
      'test-run': [],
      'restore-sensitivity': testing ? diff(SABOTAGE, { sensitivity: TEST_SENSITIVITY }, { sensitivity: restoreTo }) : diff(SABOTAGE, { sensitivity: sabotage0.sensitivity }, { sensitivity: restoreTo }),
      'final-smtp': diff('general', { smtpServer: testSmtp }, { smtpServer: profile.smtpServer }),
    };
    if (!testing) {
      // Without a test, Camera Sabotage is activated at the scene sensitivity directly.
      plan.sabotage = diff(SABOTAGE, sabotage0, { active: true, sensitivity: restoreTo });
      plan['restore-sensitivity'] = [];
    }
    if (!snap.handler) {
      current = 'handler';
      const room = checkHandlerRoom(snap.handlersUsed);
      if (room) throw new AppFailure('HANDLER_LIMIT', room.message, { used: snap.handlersUsed, max: MAX_HANDLERS });
    }

    if (options.dryRun) {
      for (const id of STEP_IDS.slice(1) as Exclude<StepId, 'credentials'>[]) {
        const detail =
          id === 'test-run'
            ? testing
              ? `Would start the relay on ${relayAt!.address}:${relayAt!.port}, trigger ${SABOTAGE} and wait for an e-mail from ${ip} with Subject "${profile.subject}".`
              : 'Skipped (no test run).'
            : undefined;
        emit(id, { status: id === 'test-run' ? (testing ? 'planned' : 'skipped') : plan[id].length ? 'planned' : 'unchanged', changes: plan[id], ...(detail ? { detail } : {}) });
      }
      result.verdict = 'planned';
      return result;
    }

    // The relay must be able to listen before anything changes: a port it cannot bind fails here, not mid-plan.
    if (testing) {
      current = 'test-run';
      await deps.relay!.prepare(ip);
    }
    current = 'smtp-ntp';

    // Back up before the first change.
    backup = {
      version: 1,
      savedAt: new Date(now()).toISOString(),
      url: target.url,
      mac: result.camera!.mac,
      model: result.camera!.model,
      general: snap.general,
      sourceName: profile.sourceName,
      source: snap.source ?? null,
      handlerName: profile.handlerName,
      handler: snap.handler ?? null,
      analytics: snap.analytics,
    };
    result.backupFile = await deps.backups.save(backup);
    const b = backup;
    const restoreGeneral = () => d.writeGeneral({ smtpServer: b.general.smtpServer, ntpServer: b.general.ntpServer }).then(() => undefined);
    const restoreSabotage = () => d.setBehaviour(SABOTAGE, { active: sabotage0.active, sensitivity: sabotage0.sensitivity }).then(() => undefined);

    await step('smtp-ntp', plan['smtp-ntp'], async () => {
      if (plan['smtp-ntp'].length === 0) return;
      applied.push({ id: 'smtp-ntp', undo: restoreGeneral });
      await d.writeGeneral({ smtpServer: testSmtp, ntpServer: profile.ntpServer });
    });

    await step('source', plan.source, async () => {
      // Registered before the call: a failure half-way (saved but not verified) must still be undone.
      if (plan.source.length) applied.push({ id: 'source', undo: snap.source ? () => d.restoreSource(snap.source!) : () => d.deleteSource(profile.sourceName) });
      const r = await d.ensureAnalyticsSource(profile.sourceName, [SABOTAGE]);
      return { status: r.action === 'unchanged' ? 'unchanged' : 'done', detail: `${r.action} "${profile.sourceName}"` };
    });

    await step('handler', plan.handler, async () => {
      const undo = snap.handler ? () => d.restoreHandler(snap.handler!) : () => d.deleteHandler(profile.handlerName);
      if (plan.handler.length) applied.push({ id: 'handler', undo });
      const r = await d.ensureEmailHandler(spec);
      return { status: r.action === 'unchanged' ? 'unchanged' : 'done', detail: `${r.action} "${profile.handlerName}" (${handlerUsage(snap.handlersUsed + (snap.handler ? 0 : 1))})` };
    });

    const sabotageTarget = testing ? TEST_SENSITIVITY : restoreTo;
    await step('sabotage', plan.sabotage, async () => {
      if (plan.sabotage.length === 0) return;
      applied.push({ id: 'sabotage', undo: restoreSabotage });
      await d.setBehaviour(SABOTAGE, { active: true, sensitivity: sabotageTarget });
    });

    if (testing) {
      await step('test-run', [], async () => {
        const t0 = now();
        result.testEventAt = new Date(t0).toISOString();
        const relay = deps.relay!;
        await relay.prepare(ip);
        const release = await relay.lock(ip);
        const watch = relay.watch(ip);
        emit('test-run', { detail: `Triggering ${SABOTAGE}: on a real camera, cover the lens now. Waiting up to ${Math.round(options.testTimeoutMs / 1000)} s for the e-mail from ${ip}.` });
        const timeout = AbortSignal.timeout(options.testTimeoutMs);
        const waitSignal = AbortSignal.any([timeout, signal]);
        try {
          const arrived = watch.next((m: RelayMessage) => isTestMessage(m, { cameraIp: ip, from: profile.from, subject: profile.subject }), waitSignal);
          arrived.catch(() => undefined);
          const outcome = await deps.triggerTest!({ url: target.url, ip, label: target.name });
          if (outcome && !outcome.detected) {
            const causes = likelyTestCauses({ cameraIp: ip, relayAddress: relayAt!.address, relayPort: relayAt!.port, refusals: watch.refusals(), otherMessages: [], triggerNotDetected: outcome.reason ?? 'no detection' });
            throw new AppFailure('TIMEOUT', `FAIL: the test event did not produce an e-mail. Likely causes: ${causes.join(' ')}`, { causes });
          }
          let m: RelayMessage;
          try {
            m = await arrived;
          } catch (e) {
            if (signal.aborted) throw new AppFailure('CANCELLED', 'Commissioning was cancelled during the test run; the changes are being undone.');
            const causes = likelyTestCauses({
              cameraIp: ip,
              relayAddress: relayAt!.address,
              relayPort: relayAt!.port,
              refusals: watch.refusals(),
              otherMessages: watch.messages().map((x) => ({ from: x.from, subject: x.subject })),
            });
            throw new AppFailure('TIMEOUT', `FAIL: no test e-mail from ${ip} within ${Math.round(options.testTimeoutMs / 1000)} s. Likely causes: ${causes.join(' ')}`, { causes, error: String(e) });
          }
          result.latencyMs = now() - t0;
          result.message = {
            from: m.from,
            to: m.to,
            subject: m.subject,
            attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.size })),
            relayId: m.id,
            messageId: m.messageId,
            sessionId: m.sessionId,
            receivedAt: m.receivedAt,
          };
          return { status: 'done', detail: `PASS: e-mail from ${ip} arrived after ${result.latencyMs} ms (Subject "${m.subject}")` };
        } finally {
          watch.stop();
          release();
        }
      });
    } else {
      emit('test-run', { status: 'skipped', detail: 'Skipped (no test run requested).' });
    }

    await step('restore-sensitivity', plan['restore-sensitivity'], async () => {
      if (!testing) return { status: 'skipped' };
      if (plan['restore-sensitivity'].length) {
        applied.push({ id: 'restore-sensitivity', undo: restoreSabotage });
        await d.setBehaviour(SABOTAGE, { sensitivity: restoreTo });
      }
      result.sensitivityRestoredTo = restoreTo;
      return { detail: `${SABOTAGE} sensitivity ${restoreTo}` };
    });

    await step('final-smtp', plan['final-smtp'], async () => {
      if (plan['final-smtp'].length === 0) return;
      applied.push({ id: 'final-smtp', undo: restoreGeneral });
      await d.writeGeneral({ smtpServer: profile.smtpServer });
    });
    result.verdict = 'pass';
  } catch (e) {
    const f = isAppFailure(e) ? e : new AppFailure('INTERNAL', (e as Error)?.message ?? String(e));
    if (!isAppFailure(e)) deps.logger.error('commissioning failed unexpectedly', (e as Error)?.stack ?? e);
    emit(current, { status: 'failed', detail: f.message, durationMs: steps.get(current)!.status === 'running' ? now() - stepStarted : 0 });
    result.error = { code: f.code, message: f.message };
    if (driver && backup && applied.length > 0) {
      result.rolledBack = await rollBack(driver, backup, applied, emit, deps.logger, result, current);
      result.error.message += result.rolledBack
        ? ' The changes already made were undone; the camera is as it was.'
        : ` Undoing the changes did not complete: run "sarix rollback --camera ${target.url}" to restore the backup ${result.backupFile}.`;
    }
  } finally {
    result.steps = STEP_IDS.map((id) => steps.get(id)!);
    result.requests = driver?.stats().requests ?? 0;
    result.durationMs = now() - started;
    driver?.close();
  }
  return result;
}

async function rollBack(driver: CameraDriver, backup: CameraBackup, applied: Applied[], emit: (id: StepId, p: Partial<StepResult>) => void, log: Logger, result: CameraResult, failed: StepId): Promise<boolean> {
  let clean = true;
  for (const a of [...applied].reverse()) {
    try {
      await a.undo();
      // The failed step keeps its 'failed' status (its detail says why); the others show they were undone.
      if (a.id !== failed) emit(a.id, { status: 'rolled-back' });
    } catch (e) {
      clean = false;
      log.warn(`rollback of ${a.id} failed`, (e as Error).message);
      result.warnings.push(`Undoing "${STEP_TITLES[a.id]}" failed: ${(e as Error).message}`);
    }
  }
  try {
    const check = await matchesBackup(driver, backup);
    if (!check.ok) result.warnings.push(`After undoing, the camera still differs: ${check.differences.join('; ')}.`);
    return clean && check.ok;
  } catch (e) {
    result.warnings.push(`Could not read the camera back after undoing: ${(e as Error).message}`);
    return false;
  }
}
