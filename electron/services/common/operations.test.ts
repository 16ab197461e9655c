import { describe, expect, it } from 'vitest';
import { isAppFailure } from '../../../shared/ipc/result';
import { Operations, pool } from './operations';

describe('pool', () => {
  it('runs every item once, never more than the limit at a time, growing from the initial number', async () => {
    const items = Array.from({ length: 100 }, (_, i) => i);
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    await pool(items, 16, async (i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setImmediate(r));
      done.push(i);
      active--;
    }, { signal: new AbortController().signal, initial: 2 });
    expect(done.sort((a, b) => a - b)).toEqual(items);
    expect(peak).toBeLessThanOrEqual(16);
    expect(peak).toBeGreaterThan(2);
  });
  it('stops taking items when the signal aborts', async () => {
    const ac = new AbortController();
    const done: number[] = [];
    await pool(Array.from({ length: 50 }, (_, i) => i), 4, async (i) => {
      done.push(i);
      if (i === 5) ac.abort();
      await new Promise((r) => setImmediate(r));
    }, { signal: ac.signal, initial: 8 });
    expect(done.length).toBeLessThan(12);
  });

  it('without a signal hands every item to fn, at most `limit` at once', async () => {
    let active = 0;
    let peak = 0;
    const done: number[] = [];
    await pool(Array.from({ length: 20 }, (_, i) => i), 3, async (i) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setImmediate(r));
      done.push(i);
      active--;
    });
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(peak).toBe(3);
  });
});

describe('Operations', () => {
  it('start → done: the id is the caller\'s when given, the status completed, the state kept with the entry', async () => {
    const ops = new Operations<number, { n: number }>();
    const op = ops.start(async ({ id, state }) => (id === 'a' ? state.n * 2 : -1), { id: 'a', state: { n: 21 } });
    expect(op.status).toBe('running');
    expect(await ops.wait('a')).toBe(42);
    expect(ops.get('a')).toMatchObject({ status: 'completed', state: { n: 21 } });
    expect(ops.get('a')?.finishedAt).not.toBeNull();
    expect(() => ops.start(async () => 1, { id: 'a' })).not.toThrow();
  });

  it('cancel aborts the signal with CANCELLED and answers { isCancelled }; a second cancel or an unknown id answers false', async () => {
    const ops = new Operations<string>();
    let reason: unknown;
    const op = ops.start(({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => ((reason = signal.reason), resolve('stopped')), { once: true })));
    expect(ops.cancel(op.id)).toEqual({ isCancelled: true });
    expect(await op.done).toBe('stopped');
    expect(isAppFailure(reason) && reason.code).toBe('CANCELLED');
    expect(ops.get(op.id)?.status).toBe('cancelled');
    expect(ops.cancel(op.id)).toEqual({ isCancelled: false });
    expect(ops.cancel('nope')).toEqual({ isCancelled: false });
  });

  it('a second start with a running id is a CONFLICT; a throwing work is failed; wait on an unknown id is NOT_FOUND', async () => {
    const ops = new Operations<number>({ noun: 'doctor run' });
    let release!: () => void;
    ops.start(() => new Promise<number>((r) => (release = () => r(1))), { id: 'x' });
    expect(() => ops.start(async () => 2, { id: 'x' })).toThrow(/doctor run with id x is already running/);
    release();
    const bad = ops.start(async () => {
      throw new Error('boom');
    });
    await expect(bad.done).rejects.toThrow('boom');
    expect(ops.get(bad.id)?.status).toBe('failed');
    await expect(ops.wait('missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('finish() marks the end before the work\'s own last event; follow() cancels from an outside signal; dispose cancels and waits', async () => {
    const ops = new Operations<string>();
    const seen: string[] = [];
    const op = ops.start(async ({ id, finish }) => {
      finish('failed');
      seen.push(ops.get(id)!.status);
      return 'x';
    });
    await op.done;
    expect(seen).toEqual(['failed']);
    expect(ops.get(op.id)?.status).toBe('failed');

    const outside = new AbortController();
    const long = ops.start(({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('cancelled'), { once: true })));
    ops.follow(long.id, outside.signal);
    outside.abort();
    expect(await long.done).toBe('cancelled');

    const pending = ops.start(({ signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('closed'), { once: true })));
    await ops.dispose();
    expect(ops.get(pending.id)?.status).toBe('cancelled');
  });

  it('keeps only the newest finished operations', async () => {
    const ops = new Operations<number>({ keepFinished: 2 });
    for (let i = 0; i < 5; i++) await ops.start(async () => i, { id: `op${i}` }).done;
    ops.start(async () => 9, { id: 'last' });
    expect(ops.list().map((o) => o.id)).toEqual(['op3', 'op4', 'last']);
  });
});
