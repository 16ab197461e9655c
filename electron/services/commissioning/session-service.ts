/**
 * The commissioning sessions of one host: the wizard opens one per camera, pulls it by id (a reloaded UI carries
 * on where it was), and every change is an in-process event (the contract adapter forwards it). A session's test
 * waits in the background; every other action answers when it is done. Closing the app stops waiting tests and
 * leaves the cameras as they are (a session with changes can still be rolled back later from its backup, e.g.
 * with `sarix rollback`).
 */
import type { CameraTarget } from '../../../shared/domain/commissioning';
import type { CameraFinished, TestRunFinished } from '../../../shared/domain/commissioning-job';
import type { PreflightReport, SessionProfileInput, SessionStepId, SessionView } from '../../../shared/domain/commissioning-session';
import { failure } from '../../../shared/i18n/messages';
import { Emitter } from '../common/events';
import { CommissioningSession, type SessionDeps } from './session';

/** In-process events of the sessions. */
export interface SessionEvents {
  /** A session changed (its whole view: sessions are small, and a reloaded UI needs nothing else). */
  'session-changed': SessionView;
  /**
   * A session reached an outcome (finished, or rolled back or aborted): the same shape as a one-shot job's camera,
   * so the site journal and the relay's camera registry record a wizard's camera as they record a job's.
   */
  'camera-finished': CameraFinished;
  /** A test run ended (passed, failed or stopped), each "Try again" too: the site journal records every run. */
  'test-finished': TestRunFinished;
}

/** Sessions kept after they end (for a reloaded UI and the done page). */
const KEEP_ENDED = 20;

/** Opens and runs commissioning sessions. */
export class CommissioningSessions {
  /** In-process events: every change of every session. */
  readonly events = new Emitter<SessionEvents>();
  private readonly sessions = new Map<string, CommissioningSession>();
  /** The outcome last told per session (a finished session rolled back later is told again). */
  private readonly told = new Map<string, string>();
  /** The test run last told per session (its attempt number). */
  private readonly toldTest = new Map<string, number>();

  constructor(private readonly d: Omit<SessionDeps, 'onChange'>) {}

  private get(id: string): CommissioningSession {
    const s = this.sessions.get(id);
    if (!s) throw failure('NOT_FOUND', 'errors.NOT_FOUND.session', { id: id.slice(0, 40) });
    return s;
  }

  /** Opens a session on one camera (reads only); a failure says that nothing was changed. */
  async open(target: CameraTarget, profile: SessionProfileInput, o: { testTimeoutMs?: number } = {}): Promise<SessionView> {
    const s = await CommissioningSession.open(target, profile, { ...this.d, onChange: (x) => this.changed(x.view(), x.testRun()) }, o);
    this.sessions.set(s.id, s);
    this.trim();
    const v = s.view();
    this.events.emit('session-changed', v);
    return v;
  }

  private changed(v: SessionView, run?: TestRunFinished): void {
    this.events.emit('session-changed', v);
    if (run && this.toldTest.get(v.id) !== run.attempt) {
      this.toldTest.set(v.id, run.attempt);
      this.events.emit('test-finished', run);
    }
    const outcome = v.result && v.phase !== 'open' ? `${v.phase}:${v.result.endState}` : undefined;
    if (outcome && this.told.get(v.id) !== outcome) {
      this.told.set(v.id, outcome);
      this.events.emit('camera-finished', { operationId: v.id, result: v.result! });
    }
  }

  private trim(): void {
    const ended = [...this.sessions.values()].filter((s) => s.view().phase !== 'open');
    for (const s of ended.slice(0, Math.max(0, ended.length - KEEP_ENDED))) {
      s.close();
      this.sessions.delete(s.id);
      this.told.delete(s.id);
      this.toldTest.delete(s.id);
    }
  }

  /** One session. */
  view(id: string): SessionView {
    return this.get(id).view();
  }

  /** Every session, newest first. */
  list(): SessionView[] {
    return [...this.sessions.values()].map((s) => s.view()).sort((a, b) => b.createdAt - a.createdAt);
  }

  /** Changes profile fields of steps not applied yet. */
  update(id: string, patch: unknown): SessionView {
    const s = this.get(id);
    s.update(patch);
    return s.view();
  }

  /** The pre-flight (reads only). */
  preflight(id: string): Promise<PreflightReport> {
    return this.get(id).runPreflight();
  }

  /** Applies one step. */
  async applyStep(id: string, step: SessionStepId): Promise<SessionView> {
    const s = this.get(id);
    await s.applyStep(step);
    return s.view();
  }

  /** The express path: every remaining step, then the test starts. */
  async applyAll(id: string): Promise<SessionView> {
    const s = this.get(id);
    await s.applyAll();
    return s.view();
  }

  /** Starts (or starts again) the test. */
  async startTest(id: string, timeoutMs?: number): Promise<SessionView> {
    const s = this.get(id);
    await s.startTest(timeoutMs);
    return s.view();
  }

  /** Waits longer for the test e-mail. */
  extendTest(id: string, seconds: number): SessionView {
    const s = this.get(id);
    s.extendTest(seconds);
    return s.view();
  }

  /** Stops waiting. */
  stopTest(id: string): SessionView {
    const s = this.get(id);
    s.stopTest();
    return s.view();
  }

  /** The safe end. */
  async finish(id: string, sceneSensitivity: number, confirmTestSensitivity: boolean): Promise<SessionView> {
    const s = this.get(id);
    await s.finish(sceneSensitivity, confirmTestSensitivity);
    return s.view();
  }

  /** Rolls back from the backup (or says nothing was changed). */
  async rollBack(id: string): Promise<SessionView> {
    const s = this.get(id);
    await s.rollBack();
    return s.view();
  }

  /** Forgets a session (the camera is left as it is). */
  close(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    s.close();
    this.sessions.delete(id);
    return true;
  }

  /** Stops every waiting test (app closing). */
  dispose(): void {
    for (const s of this.sessions.values()) s.close();
    this.sessions.clear();
  }
}
