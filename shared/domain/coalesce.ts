/**
 * Turns a burst of change notices into one refresh, with a bounded delay. A refresh runs when the notices pause
 * for `quietMs`, or at the latest `maxWaitMs` after the first notice of the burst, so a camera storm that never
 * pauses still refreshes now and then instead of never (a plain debounce) or on every notice (no coalescing).
 * The timer functions are passed in: this file runs in the relay service and in the renderer alike.
 */

/** The timer functions a coalescer uses (setTimeout/clearTimeout of the host; a service may unref its timers). */
export interface CoalesceTimers {
  set: (fn: () => void, ms: number) => unknown;
  clear: (handle: unknown) => void;
}

/** How long a burst may run before its refresh. */
export interface CoalesceOptions {
  /** The pause that ends a burst. */
  quietMs: number;
  /** The longest a notice waits for its refresh, however long the burst goes on. */
  maxWaitMs: number;
}

/** A coalescer: `notify()` on every change; `cancel()` drops a pending refresh (the owner goes away). */
export interface Coalescer {
  notify: () => void;
  /** Runs a pending refresh now (nothing when none is pending). */
  flush: () => void;
  cancel: () => void;
  readonly isPending: boolean;
}

/** The default for live badges and lists: one refresh a quarter second after a burst, at least once a second during one. */
export const LIVE_REFRESH: CoalesceOptions = { quietMs: 250, maxWaitMs: 1000 };

/** Makes a coalescer that calls `run` once per burst of `notify()` calls, at most `maxWaitMs` after the first. */
export function createCoalescer(run: () => void, options: CoalesceOptions, timers: CoalesceTimers): Coalescer {
  let quiet: unknown;
  let deadline: unknown;
  let isPending = false;
  const stop = () => {
    if (quiet !== undefined) timers.clear(quiet);
    if (deadline !== undefined) timers.clear(deadline);
    quiet = deadline = undefined;
    isPending = false;
  };
  const fire = () => {
    stop();
    run();
  };
  return {
    notify() {
      if (quiet !== undefined) timers.clear(quiet);
      quiet = timers.set(fire, options.quietMs);
      if (deadline === undefined) deadline = timers.set(fire, Math.max(options.quietMs, options.maxWaitMs));
      isPending = true;
    },
    flush() {
      if (isPending) fire();
    },
    cancel: stop,
    get isPending() {
      return isPending;
    },
  };
}
