import { events, type EventName, type EventPayloadOf } from '../../shared/ipc/contract';

/** Where the contract adapter (contract-events.ts) pushes contract events. */
export interface EventSink {
  emit<E extends EventName>(name: E, payload: EventPayloadOf<E>): void;
}

type Listener = (name: EventName, payload: unknown) => void;

/**
 * Fan-out of contract events to the hosts (Electron IPC, WebSocket). Payloads are checked against the contract so
 * nothing the UI does not expect is forwarded (an invalid payload is dropped and reported).
 */
export class EventHub implements EventSink {
  private readonly listeners = new Set<Listener>();
  constructor(private readonly onInvalid: (name: string, issues: unknown) => void = () => {}) {}

  /** Pushes one event to every subscriber. */
  emit<E extends EventName>(name: E, payload: EventPayloadOf<E>): void {
    const parsed = events[name].safeParse(payload);
    if (!parsed.success) {
      this.onInvalid(name, parsed.error.issues);
      return;
    }
    for (const l of this.listeners) {
      try {
        l(name, parsed.data);
      } catch {
        // A failing subscriber must not stop the others; hosts log their own transport errors.
      }
    }
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Waits for the first event of a kind that matches a predicate (tests of the contract edge). */
  waitFor<E extends EventName>(name: E, match: (p: EventPayloadOf<E>) => boolean, signal?: AbortSignal): Promise<EventPayloadOf<E>> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
      const off = this.subscribe((n, p) => {
        if (n === name && match(p as EventPayloadOf<E>)) {
          off();
          signal?.removeEventListener('abort', onAbort);
          resolve(p as EventPayloadOf<E>);
        }
      });
      const onAbort = () => {
        off();
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
