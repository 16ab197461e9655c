import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCoalescer, LIVE_REFRESH } from './coalesce';

const timers = { set: (fn: () => void, ms: number) => setTimeout(fn, ms), clear: (h: unknown) => clearTimeout(h as ReturnType<typeof setTimeout>) };

describe('createCoalescer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs once for a burst that pauses, quietMs after its last notice', () => {
    const run = vi.fn();
    const c = createCoalescer(run, { quietMs: 250, maxWaitMs: 1000 }, timers);
    for (let i = 0; i < 50; i++) {
      c.notify();
      vi.advanceTimersByTime(10);
    }
    expect(run).not.toHaveBeenCalled();
    expect(c.isPending).toBe(true);
    vi.advanceTimersByTime(250);
    expect(run).toHaveBeenCalledTimes(1);
    expect(c.isPending).toBe(false);
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('never lets a notice wait longer than maxWaitMs, however long the burst goes on', () => {
    const run = vi.fn();
    const c = createCoalescer(run, LIVE_REFRESH, timers);
    // A 10 s storm, one notice every 20 ms (500 notices): about one refresh a second, not 500 and not none.
    for (let t = 0; t < 10_000; t += 20) {
      c.notify();
      vi.advanceTimersByTime(20);
    }
    expect(run.mock.calls.length).toBeGreaterThanOrEqual(9);
    expect(run.mock.calls.length).toBeLessThanOrEqual(10);
    vi.advanceTimersByTime(LIVE_REFRESH.quietMs);
    expect(run.mock.calls.length).toBeLessThanOrEqual(11);
    expect(c.isPending).toBe(false);
  });

  it('flush runs a pending refresh at once; cancel drops it', () => {
    const run = vi.fn();
    const c = createCoalescer(run, LIVE_REFRESH, timers);
    c.flush();
    expect(run).not.toHaveBeenCalled();
    c.notify();
    c.flush();
    expect(run).toHaveBeenCalledTimes(1);
    c.notify();
    c.cancel();
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
