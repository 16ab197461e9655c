/**
 * Test support: records a service's events in order and checks every payload against its schema (the same schemas
 * the contract reuses), so a service test fails when a service emits something the UI would refuse.
 */
import type { z } from 'zod';
import type { EventSource } from './events';

/** The recorded events of one service. */
export interface EventRecord<M extends object> {
  events: Array<{ name: keyof M; payload: unknown }>;
  /** Payloads that did not match their schema, as "name: first issue". */
  invalid: string[];
  stop(): void;
}

/** Subscribes to every event named in `schemas` and records it. */
export function recordEvents<M extends object>(source: EventSource<M>, schemas: { [K in keyof M]: z.ZodType }): EventRecord<M> {
  const events: EventRecord<M>['events'] = [];
  const invalid: string[] = [];
  const offs = (Object.keys(schemas) as Array<keyof M>).map((name) =>
    source.on(name, (payload) => {
      const r = schemas[name].safeParse(payload);
      if (!r.success) invalid.push(`${String(name)}: ${r.error.issues[0]?.path.join('.')} ${r.error.issues[0]?.message}`);
      events.push({ name, payload });
    }),
  );
  return { events, invalid, stop: () => offs.forEach((off) => off()) };
}
