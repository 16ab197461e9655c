/**
 * The one shape of long work (docs/architecture.md §3.19): start → progress → done | cancelled | failed, keyed by an
 * operation id, with an AbortSignal inside. Discovery scans, commissioning jobs and doctor runs each keep their
 * operations in an `Operations` registry and run their items through `pool`; every cancel answers `{ isCancelled }`.
 */
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { failure, sub } from '../../../shared/i18n/messages';
import { AppFailure, type SubMessage } from '../../../shared/ipc/result';
import type { Clock } from './clock';

/** Where an operation stands. */
export type OperationStatus = 'running' | 'completed' | 'cancelled' | 'failed';

/** What the work function of an operation gets. */
export interface OperationContext<S = undefined> {
  id: string;
  /** The kind's own per-operation data, as given to `start`. */
  state: S;
  /** Aborted by `cancel` (reason: an AppFailure CANCELLED) and by `dispose`. */
  signal: AbortSignal;
  /**
   * Marks the operation ended now, before the work emits its own "finished" event, so a listener that reads the
   * state sees the final status. Default status: 'cancelled' when the signal aborted, else 'completed'. Work that
   * never calls it is marked when it settles.
   */
  finish(status?: OperationStatus): void;
}

/** One operation as the registry keeps it; `state` is the kind's own per-operation data (progress, found devices). */
export interface Operation<R, S = undefined> {
  id: string;
  status: OperationStatus;
  startedAt: number;
  finishedAt: number | null;
  state: S;
  /** Settles with the work's result (also when it ended cancelled: the work decides what a cancelled result holds). */
  done: Promise<R>;
}

/** The answer to every cancel request. */
export interface CancelAnswer {
  /** True when a running operation was asked to stop; false when it had already ended (or never existed). */
  isCancelled: boolean;
}

/** Options of a registry. */
export interface OperationsOptions {
  /** Clock for startedAt/finishedAt (default Date.now). */
  now?: Clock;
  /** Finished operations kept for get-state and wait (default 10). */
  keepFinished?: number;
  /** What an unknown id is called in messages (e.g. "scan"). */
  noun?: string;
}

/** A registry of running and recent operations of one kind. */
export class Operations<R, S = undefined> {
  private readonly ops = new Map<string, Operation<R, S> & { abort: AbortController }>();
  private readonly now: Clock;

  constructor(private readonly o: OperationsOptions = {}) {
    this.now = o.now ?? Date.now;
  }

  /**
   * Starts `work` at once in the background and returns its operation (its id is the caller's when given). Unless
   * the work calls `finish`, the status becomes 'failed' when it threw, 'cancelled' when the signal was aborted by
   * then, 'completed' otherwise.
   */
  start(work: (ctx: OperationContext<S>) => Promise<R>, o: { id?: string; state?: S } = {}): Operation<R, S> {
    const id = o.id ?? randomUUID();
    const existing = this.ops.get(id);
    if (existing?.status === 'running') throw failure('CONFLICT', 'errors.CONFLICT.operationRunning', { ...this.nounParams(), id });
    const abort = new AbortController();
    // Every probe and request of the operation listens on this one signal; the default limit of 10 would warn.
    setMaxListeners(0, abort.signal);
    const op: Operation<R, S> & { abort: AbortController } = { id, status: 'running', startedAt: this.now(), finishedAt: null, state: o.state as S, abort, done: Promise.resolve(undefined as R) };
    this.ops.set(id, op);
    this.trim();
    const finish = (status?: OperationStatus) => {
      if (op.finishedAt !== null) return;
      op.status = status ?? (abort.signal.aborted ? 'cancelled' : 'completed');
      op.finishedAt = this.now();
    };
    op.done = (async (): Promise<R> => {
      try {
        const result = await work({ id, state: op.state, signal: abort.signal, finish });
        finish();
        return result;
      } catch (e) {
        finish(abort.signal.aborted ? 'cancelled' : 'failed');
        throw e;
      }
    })();
    // A failure is the caller's to read through `done`; an unobserved one must not crash the process.
    op.done.catch(() => undefined);
    return op;
  }

  /** The operation with this id, running or recently finished. */
  get(id: string): Operation<R, S> | undefined {
    return this.ops.get(id);
  }

  /** Running and recent operations, oldest first. */
  list(): Operation<R, S>[] {
    return [...this.ops.values()];
  }

  /** Waits for an operation; NOT_FOUND when the id is unknown (or finished long ago). */
  wait(id: string): Promise<R> {
    const op = this.ops.get(id);
    if (!op) return Promise.reject(failure('NOT_FOUND', 'errors.NOT_FOUND.operation', { ...this.nounParams(), id }));
    return op.done;
  }

  /** Asks a running operation to stop (its signal aborts with a CANCELLED AppFailure; a keyed reason reads in the technician's language). */
  cancel(id: string, reason: string | SubMessage = sub('errors.CANCELLED.byUser')): CancelAnswer {
    const op = this.ops.get(id);
    if (!op || op.status !== 'running') return { isCancelled: false };
    op.abort.abort(typeof reason === 'string' ? new AppFailure('CANCELLED', reason) : failure('CANCELLED', reason.key, reason.params));
    return { isCancelled: true };
  }

  /** Links an outside signal (a CLI's Ctrl+C) to an operation: when it aborts, the operation is cancelled. */
  follow(id: string, signal: AbortSignal | undefined): void {
    if (!signal) return;
    if (signal.aborted) this.cancel(id);
    else signal.addEventListener('abort', () => this.cancel(id), { once: true });
  }

  /** Cancels every running operation and waits until each has settled. */
  async dispose(reason: string | SubMessage = sub('errors.CANCELLED.appClosing')): Promise<void> {
    const running = this.list().filter((o) => o.status === 'running');
    for (const o of running) this.cancel(o.id, reason);
    await Promise.allSettled(running.map((o) => o.done));
  }

  /** The noun of this kind for messages: as given (English), and as a select key for the translations. */
  private nounParams(): { noun: string; kind: string } {
    const noun = this.o.noun ?? 'operation';
    return { noun, kind: noun.replace(/[^A-Za-z0-9]+/g, '_') };
  }

  private trim(): void {
    const finished = this.list().filter((o) => o.status !== 'running');
    for (const o of finished.slice(0, Math.max(0, finished.length - (this.o.keepFinished ?? 10)))) this.ops.delete(o.id);
  }
}

/**
 * Runs `fn` over the items with at most `limit` in flight: the one concurrency pool of long work. With `initial`,
 * it starts that many workers and adds one per finished item up to `limit` (a slow start: the first hosts of a sweep
 * are not queued behind a burst of connections, so the first camera shows up sooner). With `signal`, it stops taking
 * new items once the signal aborts; without one, every item is handed to `fn` (which decides what an abort means).
 */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>, o: { signal?: AbortSignal; initial?: number } = {}): Promise<void> {
  const max = Math.max(1, limit);
  let next = 0;
  let workers = 0;
  const running: Promise<void>[] = [];
  const isStopped = () => o.signal?.aborted === true;
  const worker = async (): Promise<void> => {
    while (!isStopped() && next < items.length) {
      const i = next++;
      await fn(items[i], i);
      if (workers < max && next < items.length && !isStopped()) spawn();
    }
  };
  const spawn = () => {
    workers++;
    running.push(worker());
  };
  for (let i = 0; i < Math.max(1, Math.min(o.initial ?? max, max, items.length)); i++) spawn();
  // Workers spawned later are pushed while earlier ones run; wait until the list stops growing.
  let seen = 0;
  while (seen < running.length) {
    const batch = running.slice(seen);
    seen = running.length;
    await Promise.all(batch);
  }
}
