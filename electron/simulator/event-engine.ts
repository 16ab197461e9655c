/**
 * The simulated camera's event engine (docs/camera.md §5): sources fire (by name, by type, on a timer, at boot, or
 * as an analytics behaviour detected at a given strength), every Send Email handler that lists the source and
 * whose time filter matches mails through the camera's SMTP settings, and each attempt lands in the send log.
 */
import { BEHAVIOUR_NAMES, type BehaviourId, type SimSendLogEntry, type SimSource, type SimState, type SimTriggerResult, type TriggerStrength } from './types';
import { behaviourId, isDetected, timeFilterMatches } from './state';
import { sendHandlerMail, type MailerContext, type MailEvent } from './mailer';

/** The send log keeps the newest this many entries. */
const LOG_LIMIT = 1000;

/** What the engine reads of its camera. */
export interface EventEngineContext {
  /** The camera's settings (the same object the pages change). */
  state: () => SimState;
  /** The camera clock (skew included): handlers' time filters and the mail's Date use it. */
  cameraNow: () => number;
  /** How the camera mails (its SMTP settings, address, resolver, SMTP fault knobs). */
  mailer: MailerContext;
  /** Called with each send-log entry as it is written. */
  sent: (entry: SimSendLogEntry) => void;
}

/** Fires a camera's sources, runs their handlers on timers and at boot, and keeps the send log. */
export class SimEventEngine {
  private readonly log: SimSendLogEntry[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pending = new Set<Promise<unknown>>();
  private isHalted = false;

  constructor(private readonly ctx: EventEngineContext) {}

  /** The send log (deep copy), oldest first. */
  sendLog(): SimSendLogEntry[] {
    return structuredClone(this.log);
  }

  /** A boot: the System sources fire. */
  boot(): void {
    for (const s of this.ctx.state().sources.filter((x) => x.type === 'system')) this.track(this.fire(s, 'boot'));
  }

  /** Starts and stops the interval timers so there is one per Timer source (called after every settings change). */
  reconcileTimers(): void {
    if (this.isHalted) return;
    const st = this.ctx.state();
    const want = new Map(st.sources.filter((s) => s.type === 'timer').map((s) => [`${s.name}|${s.timerIntervalS}`, s]));
    for (const [k, t] of this.timers) {
      if (!want.has(k)) {
        clearInterval(t);
        this.timers.delete(k);
      }
    }
    for (const [k, s] of want) {
      if (this.timers.has(k)) continue;
      const t = setInterval(() => {
        const cur = this.ctx.state().sources.find((x) => x.name === s.name && x.type === 'timer');
        if (cur) this.track(this.fire(cur, 'interval elapsed'));
      }, s.timerIntervalS * 1000);
      t.unref();
      this.timers.set(k, t);
    }
  }

  /** Fires a source by name or type, or a behaviour at a strength (SimCamera.trigger says how). */
  async trigger(ref: string, opts: { strength?: TriggerStrength } = {}): Promise<SimTriggerResult> {
    const st = this.ctx.state();
    const byName = st.sources.find((s) => s.name.toLowerCase() === ref.toLowerCase());
    const fireAll = async (srcs: SimSource[], state: string): Promise<SimTriggerResult> => {
      const sends: SimSendLogEntry[] = [];
      for (const s of srcs) sends.push(...(await this.track(this.fire(s, state))));
      return { detected: srcs.length > 0, reason: srcs.length ? undefined : `No source listens for ${ref}.`, firedSources: srcs.map((s) => s.name), sends };
    };
    if (byName) return fireAll([byName], byName.type === 'analytics' ? 'analytics event' : 'active');
    if (['alarm', 'system', 'timer'].includes(ref.toLowerCase())) return fireAll(st.sources.filter((s) => s.type === ref.toLowerCase()), 'active');
    const id: BehaviourId | undefined = behaviourId(ref);
    if (!id) throw new Error(`"${ref}" is neither a source of this camera nor a behaviour. Sources: ${st.sources.map((s) => s.name).join(', ') || 'none'}; behaviours: ${Object.keys(BEHAVIOUR_NAMES).join(', ')}.`);
    const b = st.analytics.behaviours[id];
    const strength = opts.strength ?? 'full';
    if (!b.active) return { detected: false, reason: `${BEHAVIOUR_NAMES[id]} is not active (Activate Behavior is off).`, firedSources: [], sends: [] };
    if (!isDetected(strength, b.sensitivity)) return { detected: false, reason: `A ${strength} ${BEHAVIOUR_NAMES[id]} event is not detected at sensitivity ${b.sensitivity} (needs ${strength === 'full' ? 1 : 8} or more).`, firedSources: [], sends: [] };
    const srcs = st.sources.filter((s) => s.type === 'analytics' && (s.analyticsAny || s.analyticsBehaviours.includes(id)));
    const r = await fireAll(srcs, `${BEHAVIOUR_NAMES[id]} detected`);
    return { ...r, detected: true, reason: srcs.length ? undefined : `Detected, but no Analytics source listens for ${BEHAVIOUR_NAMES[id]}.` };
  }

  /** Stops the timers for good; no new timer starts after this. */
  halt(): void {
    this.isHalted = true;
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
  }

  /** Resolves when every mail in flight has been sent or has failed. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    p.finally(() => this.pending.delete(p)).catch(() => {});
    return p;
  }

  /** Fires a source: every handler that lists it and whose time filter matches runs. Returns the mail sends. */
  private async fire(s: SimSource, state: string): Promise<SimSendLogEntry[]> {
    const at = this.ctx.cameraNow();
    const st = this.ctx.state();
    const ev: MailEvent = { source: s.name, sourceType: s.type, state, cameraTimeMs: at };
    const handlers = st.handlers.filter((h) => h.sources.includes(s.name) && timeFilterMatches(h, at, st.general.timeZone));
    const out: SimSendLogEntry[] = [];
    for (const h of handlers) {
      // FTP, SD and relay handlers have no peer in the simulator; only Send Email has an observable effect.
      if (h.type !== 'email') continue;
      const entry = await sendHandlerMail(this.ctx.mailer, structuredClone(h), ev);
      this.log.push(entry);
      if (this.log.length > LOG_LIMIT) this.log.shift();
      out.push(entry);
      this.ctx.sent(structuredClone(entry));
    }
    return out;
  }
}
