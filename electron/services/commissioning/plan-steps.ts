/**
 * The commissioning plan as step objects (docs/camera.md §1 setup order): each step says what it would change
 * (`check`, the dry run), changes it (`apply`), confirms it by reading back (`verify`), and names the camera
 * forms it touches, which its `undo` writes back exactly from the backup. Adding a step means adding one object
 * to `PLAN` (and its id and title to shared/domain/commissioning.ts, which the UI lists).
 */
import { handlerUsage, type BehaviourState, type EmailHandlerSpec, type EventHandler, type EventSource, type GeneralSettings } from '../../../shared/domain/camera';
import type { CameraBackupV2, CameraResult, Change, CommissionOptions, SiteProfile, StepId, StepResult } from '../../../shared/domain/commissioning';
import { failure, sub } from '../../../shared/i18n/messages';
import { AppFailure, type SubMessage } from '../../../shared/ipc/result';
import type { CameraDriver } from '../camera/driver';
import type { CommissionDeps } from './commission-camera';
import { runTestStep } from './test-run-step';
import { restoreOne, type FormKey } from './undo';

/** The behaviour the plan uses (docs/camera.md §1: standard on all EP models). */
export const SABOTAGE = 'Camera Sabotage';
/** Sensitivity for the on-site test (docs/camera.md §1). */
export const TEST_SENSITIVITY = 10;

/** What the camera held before the plan (interpreted values, for the plan and the report). */
export interface Snapshot {
  general: GeneralSettings;
  source: EventSource | undefined;
  handler: EventHandler | undefined;
  handlersUsed: number;
  /** The test behaviour's state (Camera Sabotage by default; see RunContext.behaviour). */
  sabotage: BehaviourState;
}

/** Everything a step can see while one camera is commissioned. */
export interface RunContext {
  target: { url: string; name?: string };
  profile: SiteProfile;
  options: CommissionOptions;
  deps: CommissionDeps;
  signal: AbortSignal;
  driver: CameraDriver;
  /** The camera's IP (the relay matches the test mail by it). */
  ip: string;
  testing: boolean;
  relayAt?: { address: string; port: number };
  /** The SMTP server during the test (the relay), else the final one. */
  testSmtp: string;
  snap: Snapshot;
  spec: EmailHandlerSpec;
  wantSource: EventSource;
  /** The scene sensitivity the behaviour ends at. */
  restoreTo: number;
  /** The analytics behaviour the test uses (Camera Sabotage unless the technician chose another the camera lists). */
  behaviour: string;
  backup?: CameraBackupV2;
  result: CameraResult;
  /** Updates the step's status and detail (pushed to the UI). */
  emit: (id: StepId, patch: Partial<StepResult>) => void;
}

/** What `apply` reports. */
export interface Applied {
  status?: StepResult['status'];
  detail?: string;
}

/** One step of the plan. */
export interface PlanStep {
  id: Exclude<StepId, 'credentials'>;
  /** The camera forms this step changes (its undo writes them back from the backup). */
  touches: FormKey[];
  /** Runs even when `check` finds nothing to change (idempotent ensures, the test). */
  alwaysApply?: boolean;
  /** The exact changes it would make; empty when there is nothing to do. */
  check(ctx: RunContext): Change[];
  /** Makes the change (the driver reads every save back). */
  apply(ctx: RunContext): Promise<Applied | void>;
  /** Confirms the result by reading the camera again. */
  verify(ctx: RunContext): Promise<void>;
}

const show = (v: unknown): Change['to'] => (v === undefined ? null : Array.isArray(v) ? v.map(String) : typeof v === 'object' && v !== null ? JSON.stringify(v) : (v as string | number | boolean | null));

/** The fields of `to` whose value differs in `from`. */
export function diff(prefix: string, from: Record<string, unknown> | undefined, to: Record<string, unknown>): Change[] {
  const out: Change[] = [];
  for (const k of Object.keys(to)) {
    const a = from?.[k];
    const b = to[k];
    const same = Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => x === b[i]) : a === b;
    if (!same) out.push({ field: `${prefix}.${k}`, from: from ? show(a) : null, to: show(b) });
  }
  return out;
}

/** The failure when the camera reads back something else than was saved; `what` names the step (a catalog key). */
function mismatch(what: SubMessage, got: unknown): AppFailure {
  return failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.readBackMismatch', { what, got: JSON.stringify(got) });
}

/** Undoes one step: writes back, from the backup, every form it touched (with fresh-session retries). */
export async function undoStep(ctx: RunContext, step: PlanStep, done: Set<FormKey>): Promise<void> {
  for (const key of step.touches) {
    if (done.has(key)) continue;
    await restoreOne(ctx.driver, ctx.backup!, key, ctx.behaviour, ctx.deps.logger);
    done.add(key);
  }
}

const sabotageTarget = (ctx: RunContext) => (ctx.testing ? TEST_SENSITIVITY : ctx.restoreTo);

/** The plan, in order (docs/camera.md §1: servers, source before handler, behaviour, test, scene sensitivity). */
export const PLAN: PlanStep[] = [
  {
    id: 'smtp-ntp',
    touches: ['general'],
    check: (ctx) => diff('general', ctx.snap.general, { smtpServer: ctx.testSmtp, ntpServer: ctx.profile.ntpServer }),
    apply: async (ctx) => {
      await ctx.driver.writeGeneral({ smtpServer: ctx.testSmtp, ntpServer: ctx.profile.ntpServer });
    },
    verify: async (ctx) => {
      const g = await ctx.driver.readGeneral();
      if (g.smtpServer !== ctx.testSmtp.trim() || g.ntpServer !== ctx.profile.ntpServer.trim()) throw mismatch(sub('commissioning.verify.smtpNtp'), g);
    },
  },
  {
    id: 'source',
    alwaysApply: true,
    touches: ['source'],
    check: (ctx) => diff(`source ${ctx.profile.sourceName}`, ctx.snap.source, { ...ctx.wantSource }),
    apply: async (ctx) => {
      const r = await ctx.driver.ensureAnalyticsSource(ctx.profile.sourceName, [ctx.behaviour]);
      return { status: r.action === 'unchanged' ? 'unchanged' : 'done', detail: `${r.action} "${ctx.profile.sourceName}"` };
    },
    verify: async (ctx) => {
      const s = await ctx.driver.readSource(ctx.profile.sourceName);
      if (!s || s.type !== 'analytics' || !(s.behaviours ?? []).some((b) => b.toLowerCase() === ctx.behaviour.toLowerCase())) throw mismatch(sub('commissioning.verify.source', { name: ctx.profile.sourceName }), s ?? null);
    },
  },
  {
    id: 'handler',
    alwaysApply: true,
    touches: ['handler'],
    check: (ctx) => diff(`handler ${ctx.profile.handlerName}`, ctx.snap.handler, { type: 'send-email', ...ctx.spec }),
    apply: async (ctx) => {
      const r = await ctx.driver.ensureEmailHandler(ctx.spec);
      return { status: r.action === 'unchanged' ? 'unchanged' : 'done', detail: `${r.action} "${ctx.profile.handlerName}" (${handlerUsage(ctx.snap.handlersUsed + (ctx.snap.handler ? 0 : 1))})` };
    },
    verify: async (ctx) => {
      const h = await ctx.driver.readHandler(ctx.profile.handlerName);
      if (!h || h.to !== ctx.spec.to || !h.sources.some((s) => s.toLowerCase() === ctx.profile.sourceName.toLowerCase())) throw mismatch(sub('commissioning.verify.handler', { name: ctx.profile.handlerName }), h ?? null);
    },
  },
  {
    id: 'sabotage',
    touches: ['behaviour'],
    check: (ctx) => diff(ctx.behaviour, ctx.snap.sabotage, { active: true, sensitivity: sabotageTarget(ctx) }),
    apply: async (ctx) => {
      await ctx.driver.setBehaviour(ctx.behaviour, { active: true, sensitivity: sabotageTarget(ctx) });
    },
    verify: async (ctx) => {
      const b = await ctx.driver.readBehaviour(ctx.behaviour);
      if (!b.active || b.sensitivity !== sabotageTarget(ctx)) throw mismatch(sub('commissioning.verify.behaviour', { behaviour: ctx.behaviour }), b);
    },
  },
  {
    id: 'test-run',
    alwaysApply: true,
    touches: [],
    check: () => [],
    apply: (ctx) => runTestStep(ctx),
    verify: async () => undefined,
  },
  {
    id: 'restore-sensitivity',
    alwaysApply: true,
    touches: ['behaviour'],
    check: (ctx) => (ctx.testing ? diff(ctx.behaviour, { sensitivity: TEST_SENSITIVITY }, { sensitivity: ctx.restoreTo }) : []),
    apply: async (ctx) => {
      if (!ctx.testing) return { status: 'skipped' };
      if (ctx.restoreTo !== TEST_SENSITIVITY) await ctx.driver.setBehaviour(ctx.behaviour, { sensitivity: ctx.restoreTo });
      ctx.result.sensitivityRestoredTo = ctx.restoreTo;
      return { detail: `${ctx.behaviour} sensitivity ${ctx.restoreTo}` };
    },
    verify: async (ctx) => {
      if (!ctx.testing) return;
      const b = await ctx.driver.readBehaviour(ctx.behaviour);
      if (b.sensitivity !== ctx.restoreTo) throw mismatch(sub('commissioning.verify.restore', { behaviour: ctx.behaviour }), b);
    },
  },
  {
    id: 'final-smtp',
    touches: ['general'],
    check: (ctx) => diff('general', { smtpServer: ctx.testSmtp }, { smtpServer: ctx.profile.smtpServer }),
    apply: async (ctx) => {
      await ctx.driver.writeGeneral({ smtpServer: ctx.profile.smtpServer });
    },
    verify: async (ctx) => {
      const g = await ctx.driver.readGeneral();
      if (g.smtpServer !== ctx.profile.smtpServer.trim()) throw mismatch(sub('commissioning.verify.finalSmtp'), g);
    },
  },
];
