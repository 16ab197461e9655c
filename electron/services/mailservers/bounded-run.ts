/**
 * Runs one piece of network work per item with three bounds a site network deserves: at most `concurrency` at
 * once, at most `ratePerSecond` starts per second (each start at least 1/rate after the previous one, never a
 * catch-up burst after a stall), and a total time limit after which nothing new starts and the work in flight is
 * aborted. Cancellable through an AbortSignal; every finished item is reported as it ends (progress).
 */
import { setMaxListeners } from 'node:events';

/** Bounds and hooks of one run. */
export interface BoundedRunOptions {
  concurrency: number;
  ratePerSecond: number;
  timeLimitMs: number;
  signal?: AbortSignal;
  /** Monotonic ms (default performance.now); tests pass a fake clock. */
  now?: () => number;
  /** Waits ms or until the signal aborts (default a timer); tests pass a fake one. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/** How a run ended. */
export interface BoundedRunResult<R> {
  /** One entry per item; undefined for items never started. */
  results: Array<R | undefined>;
  started: number;
  stoppedBecause?: 'cancelled' | 'time-limit';
}

const timerSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Runs `work` over `items` within the bounds. `work` gets a signal that aborts on cancel or at the time limit and
 * must settle soon after; it should not throw (a throw is recorded as undefined for that item).
 */
export async function runBounded<T, R>(items: readonly T[], work: (item: T, index: number, signal: AbortSignal) => Promise<R>, o: BoundedRunOptions, onDone?: (item: T, result: R | undefined, index: number) => void): Promise<BoundedRunResult<R>> {
  const now = o.now ?? (() => performance.now());
  const sleep = o.sleep ?? timerSleep;
  const inner = new AbortController();
  // Every piece of work in flight listens on the inner signal (a connect and a reply wait at most each).
  setMaxListeners(Math.max(10, o.concurrency * 3 + 5), inner.signal);
  let stoppedBecause: BoundedRunResult<R>['stoppedBecause'];
  const onOuter = () => {
    stoppedBecause ??= 'cancelled';
    inner.abort(o.signal?.reason);
  };
  if (o.signal?.aborted) onOuter();
  else o.signal?.addEventListener('abort', onOuter, { once: true });
  const deadline = setTimeout(() => {
    stoppedBecause ??= 'time-limit';
    inner.abort(new Error('time limit reached'));
  }, o.timeLimitMs);
  const interval = 1000 / o.ratePerSecond;
  // Starts are handed out one at a time: each waits until one interval after the previous ACTUAL start, so event
  // loop lag can only slow the pace, never squeeze two starts closer together or burst to catch up after a stall.
  let lastStart = -Infinity;
  let gate: Promise<void> = Promise.resolve();
  const takeTurn = (): Promise<void> => {
    const turn = gate.then(async () => {
      for (let wait = lastStart + interval - now(); wait > 0 && !inner.signal.aborted; wait = lastStart + interval - now()) await sleep(wait, inner.signal);
      lastStart = now();
    });
    gate = turn.catch(() => {});
    return turn;
  };
  const results: Array<R | undefined> = new Array(items.length).fill(undefined);
  let next = 0;
  let started = 0;
  const worker = async () => {
    for (;;) {
      if (inner.signal.aborted) return;
      const i = next++;
      if (i >= items.length) return;
      await takeTurn();
      if (inner.signal.aborted) return;
      started++;
      let r: R | undefined;
      try {
        r = await work(items[i], i, inner.signal);
      } catch {
        r = undefined;
      }
      results[i] = r;
      onDone?.(items[i], r, i);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, items.length)) }, worker));
  } finally {
    clearTimeout(deadline);
    o.signal?.removeEventListener('abort', onOuter);
  }
  return { results, started, ...(stoppedBecause ? { stoppedBecause } : {}) };
}
