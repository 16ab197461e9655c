/**
 * In-process events of a service. Each service owns one typed `Emitter` and exposes it as `events`; other services
 * and the hosts subscribe with `on` (which returns the unsubscribe function) and never through the UI contract, so
 * renaming a UI event cannot break a service (docs/architecture.md §3.17). The contract adapter at the edge
 * (electron/composition/contract-events.ts) turns these events into contract events.
 */

/** Stops a subscription; calling it twice is harmless. */
export type Unsubscribe = () => void;

/** The subscriber side of an emitter: what a service hands out. */
export interface EventSource<M extends object> {
  /** Calls `listener` with every `name` event until the returned function is called. */
  on<K extends keyof M>(name: K, listener: (payload: M[K]) => void): Unsubscribe;
  /**
   * Resolves with the first `name` event (from now on) that `match` accepts; rejects with the signal's reason when
   * it aborts first.
   */
  next<K extends keyof M>(name: K, match?: (payload: M[K]) => boolean, signal?: AbortSignal): Promise<M[K]>;
}

/** A typed event emitter (payload type per event name); listeners run synchronously in subscription order. */
export class Emitter<M extends object> implements EventSource<M> {
  private readonly listeners = new Map<keyof M, Set<(payload: never) => void>>();

  /** @param onListenerError Told when a listener throws (the other listeners still run). */
  constructor(private readonly onListenerError: (name: string, error: unknown) => void = () => {}) {}

  /** Subscribes to one event; returns the unsubscribe function. */
  on<K extends keyof M>(name: K, listener: (payload: M[K]) => void): Unsubscribe {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    const l = listener as (payload: never) => void;
    set.add(l);
    return () => {
      set.delete(l);
    };
  }

  /** Waits for the first matching event. */
  next<K extends keyof M>(name: K, match: (payload: M[K]) => boolean = () => true, signal?: AbortSignal): Promise<M[K]> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        off();
        reject(signal?.reason);
      };
      const off = this.on(name, (p) => {
        if (!match(p)) return;
        off();
        signal?.removeEventListener('abort', onAbort);
        resolve(p);
      });
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Delivers one event to every listener of its name; a throwing listener does not stop the others. */
  emit<K extends keyof M>(name: K, payload: M[K]): void {
    const set = this.listeners.get(name);
    if (!set) return;
    for (const l of [...set]) {
      try {
        (l as (p: M[K]) => void)(payload);
      } catch (e) {
        this.onListenerError(String(name), e);
      }
    }
  }

  /** Number of listeners of one event (tests, leak checks). */
  listenerCount(name: keyof M): number {
    return this.listeners.get(name)?.size ?? 0;
  }
}
