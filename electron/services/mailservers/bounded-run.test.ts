import { describe, expect, it } from 'vitest';
import { runBounded } from './bounded-run';

/** A fake monotonic clock whose sleep advances time instantly (no real waiting, no timing in the assertions). */
function fakeClock() {
  let t = 1000;
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms;
    },
  };
}

/** Work that stays pending until the signal aborts (a host that never answers). */
const never = (_x: number, _i: number, s: AbortSignal) =>
  new Promise<string>((resolve) => {
    if (s.aborted) return resolve('aborted');
    s.addEventListener('abort', () => resolve('aborted'), { once: true });
  });

describe('runBounded', () => {
  it('never runs more than `concurrency` at once and reports every item', async () => {
    let inFlight = 0;
    let peak = 0;
    const done: number[] = [];
    const r = await runBounded(
      Array.from({ length: 40 }, (_, i) => i),
      async (x) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((res) => setImmediate(res));
        inFlight--;
        return x * 2;
      },
      { concurrency: 5, ratePerSecond: 200, timeLimitMs: 60_000, ...fakeClock() },
      (_x, _r, i) => done.push(i),
    );
    expect(peak).toBe(5);
    expect(r.started).toBe(40);
    expect(r.results[39]).toBe(78);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(r.stoppedBecause).toBeUndefined();
  });

  it('paces starts evenly at `ratePerSecond`, whatever the concurrency', async () => {
    // A fake clock that a sleep moves to its wake-up time: no real waiting, no timing asserted.
    let t = 1000;
    const wakeAt: number[] = [];
    const startedAt: number[] = [];
    const r = await runBounded(
      Array.from({ length: 10 }, (_, i) => i),
      async () => {
        startedAt.push(t - 1000);
      },
      {
        concurrency: 8,
        ratePerSecond: 4,
        timeLimitMs: 60_000,
        now: () => t,
        sleep: async (ms) => {
          wakeAt.push(t + ms - 1000);
          t += ms;
        },
      },
    );
    // 4 per second = one start every 250 ms after the first, which starts at once; none starts before its slot.
    expect(wakeAt).toEqual([250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250]);
    expect(r.started).toBe(10);
    startedAt.sort((a, b) => a - b).forEach((at, n) => expect(at).toBeGreaterThanOrEqual(n * 250));
  });

  it('does not burst to catch up after a stall: the pace restarts from the late start', async () => {
    let t = 0;
    const startedAt: number[] = [];
    await runBounded(
      [0, 1, 2, 3],
      async (i) => {
        startedAt.push(t);
        // The event loop stalls for 5 s after the first start (a busy laptop).
        if (i === 0) t += 5000;
      },
      {
        concurrency: 1,
        ratePerSecond: 10,
        timeLimitMs: 60_000,
        now: () => t,
        sleep: async (ms) => {
          t += ms;
        },
      },
    );
    expect(startedAt).toEqual([0, 5000, 5100, 5200]);
  });

  it('stops starting work and aborts what is in flight when cancelled', async () => {
    const ac = new AbortController();
    const r = await runBounded(
      Array.from({ length: 50 }, (_, i) => i),
      (x, i, s) => {
        if (i === 2) ac.abort();
        return never(x, i, s);
      },
      { concurrency: 3, ratePerSecond: 200, timeLimitMs: 60_000, signal: ac.signal, ...fakeClock() },
    );
    expect(r.stoppedBecause).toBe('cancelled');
    expect(r.started).toBe(3);
    expect(r.results.slice(0, 3)).toEqual(['aborted', 'aborted', 'aborted']);
    expect(r.results[3]).toBeUndefined();
  });

  it('stops at the time limit (work that never ends is aborted)', async () => {
    const r = await runBounded(
      Array.from({ length: 50 }, (_, i) => i),
      never,
      { concurrency: 4, ratePerSecond: 200, timeLimitMs: 50, ...fakeClock() },
    );
    expect(r.stoppedBecause).toBe('time-limit');
    expect(r.started).toBe(4);
  });

  it('does nothing when already cancelled, and records a throwing item as undefined', async () => {
    const ac = new AbortController();
    ac.abort();
    expect((await runBounded([1, 2], async (x) => x, { concurrency: 2, ratePerSecond: 10, timeLimitMs: 1000, signal: ac.signal })).started).toBe(0);
    const r = await runBounded(
      [1, 2],
      async (x) => {
        if (x === 1) throw new Error('boom');
        return x;
      },
      { concurrency: 1, ratePerSecond: 200, timeLimitMs: 60_000, ...fakeClock() },
    );
    expect(r.results).toEqual([undefined, 2]);
  });
});
