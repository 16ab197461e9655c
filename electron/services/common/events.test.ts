import { describe, expect, it } from 'vitest';
import { Emitter } from './events';

describe('Emitter', () => {
  it('delivers to the listeners of one name in order, until unsubscribed', () => {
    const e = new Emitter<{ a: number; b: string }>();
    const seen: string[] = [];
    const off1 = e.on('a', (n) => seen.push(`1:${n}`));
    e.on('a', (n) => seen.push(`2:${n}`));
    e.on('b', (s) => seen.push(`b:${s}`));
    e.emit('a', 1);
    off1();
    off1();
    e.emit('a', 2);
    e.emit('b', 'x');
    expect(seen).toEqual(['1:1', '2:1', '2:2', 'b:x']);
    expect(e.listenerCount('a')).toBe(1);
  });

  it('a throwing listener is reported and does not stop the others', () => {
    const errors: string[] = [];
    const e = new Emitter<{ a: number }>((name, err) => errors.push(`${name}: ${(err as Error).message}`));
    const seen: number[] = [];
    e.on('a', () => {
      throw new Error('boom');
    });
    e.on('a', (n) => seen.push(n));
    e.emit('a', 7);
    expect(seen).toEqual([7]);
    expect(errors).toEqual(['a: boom']);
  });

  it('next() resolves with the first matching event and unsubscribes; an abort rejects with its reason', async () => {
    const e = new Emitter<{ a: number }>();
    const got = e.next('a', (n) => n > 1);
    e.emit('a', 1);
    e.emit('a', 2);
    expect(await got).toBe(2);
    expect(e.listenerCount('a')).toBe(0);
    const ac = new AbortController();
    const never = e.next('a', () => false, ac.signal);
    ac.abort(new Error('gave up'));
    await expect(never).rejects.toThrow('gave up');
    expect(e.listenerCount('a')).toBe(0);
  });
});
