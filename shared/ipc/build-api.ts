import { apiNameOf, eventApiNameOf } from './define';
import { eventNames, requestChannels, type EventName, type EventPayloadOf, type RequestChannel, type RequestInputOf, type ResponseOf } from './contract';
import type { Result } from './result';

/** Turns `area:verb-noun` into `areaVerbNoun` at the type level. */
type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
/** The window.api function name of a request channel. */
export type ApiName<C extends string> = C extends `${infer A}:${infer R}` ? `${A}${Capitalize<Camel<R>>}` : never;
/** The window.api subscribe function name of an event. */
export type EventApiName<E extends string> = `on${Capitalize<ApiName<E>>}`;

/** The typed api the renderer sees: one named function per request channel and one `on…` per event. */
export type Api = {
  readonly [C in RequestChannel as ApiName<C>]: (arg: RequestInputOf<C>) => Promise<Result<ResponseOf<C>>>;
} & {
  readonly [E in EventName as EventApiName<E>]: (listener: (payload: EventPayloadOf<E>) => void) => () => void;
};

/** How a host transports calls and events; the only generic piece, kept inside the bridge. */
export interface ApiTransport {
  invoke(channel: RequestChannel, arg: unknown): Promise<Result<unknown>>;
  subscribe(event: EventName, listener: (payload: unknown) => void): () => void;
}

/** All function names window.api must have, requests then events. */
export function apiKeys(): string[] {
  return [...requestChannels.map(apiNameOf), ...eventNames.map(eventApiNameOf)];
}

/** Builds the frozen api object from the contract over a transport (used by the preload and the web client). */
export function buildApi(transport: ApiTransport): Api {
  const api: Record<string, unknown> = {};
  for (const ch of requestChannels) {
    api[apiNameOf(ch)] = (arg: unknown) => transport.invoke(ch, arg ?? {});
  }
  for (const ev of eventNames) {
    api[eventApiNameOf(ev)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${eventApiNameOf(ev)} needs a listener function`);
      return transport.subscribe(ev, listener);
    };
  }
  return Object.freeze(api) as Api;
}
