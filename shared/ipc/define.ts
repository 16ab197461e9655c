import type { z } from 'zod';

/** One request channel: the zod schema of its single object argument and of its response value. */
export interface ChannelDef<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
  /** One line saying what the channel does, for people reading the contract (contract.test.ts checks every channel has one). */
  summary: string;
}

/** Declares a request channel (keeps the literal types of its schemas). */
export function channel<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, summary: string): ChannelDef<Req, Res> {
  return { request, response, summary };
}

/**
 * The function name a channel gets in window.api: `area:verb-noun` → `areaVerbNoun`
 * (`app:get-info` → `appGetInfo`).
 */
export function apiNameOf(channelName: string): string {
  const [area, rest = ''] = channelName.split(':');
  return area + rest.split('-').map((w) => (w ? w[0].toUpperCase() + w.slice(1) : '')).join('');
}

/** The subscribe function name an event gets in window.api: `relay:message-received` → `onRelayMessageReceived`. */
export function eventApiNameOf(eventName: string): string {
  const n = apiNameOf(eventName);
  return 'on' + n[0].toUpperCase() + n.slice(1);
}
