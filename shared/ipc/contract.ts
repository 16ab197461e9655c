/**
 * The one IPC contract: every request channel (zod request + response) and every pushed event (zod payload).
 * The preload, the web host's WebSocket bridge and the renderer's api are all generated from these maps; types
 * are inferred from the schemas, never written twice. Each area keeps its channels in `channels/<area>.ts`.
 */
import type { z } from 'zod';
import { appEvents, appRequests } from './channels/app';
import { cameraRequests } from './channels/camera';
import { commissioningEvents, commissioningRequests } from './channels/commissioning';
import { discoveryEvents, discoveryRequests } from './channels/discovery';
import { relayEvents, relayRequests } from './channels/relay';
import { relayInboxEvents, relayInboxRequests } from './channels/relay-inbox';
import { doctorEvents, doctorRequests } from './channels/doctor';
import { practiceEvents, practiceRequests } from './channels/practice';
import { reportEvents, reportRequests } from './channels/report';
import { appearanceEvents, appearanceRequests } from './channels/appearance';
import { siteEvents, siteRequests } from './channels/site';
import { supportRequests } from './channels/support';
import { updatesEvents, updatesRequests } from './channels/updates';
import { mailserverEvents, mailserverRequests } from './channels/mailservers';

/** Every request channel. */
export const requests = {
  ...appRequests,
  ...cameraRequests,
  ...commissioningRequests,
  ...discoveryRequests,
  ...relayRequests,
  ...relayInboxRequests,
  ...doctorRequests,
  ...practiceRequests,
  ...reportRequests,
  ...appearanceRequests,
  ...supportRequests,
  ...updatesRequests,
  ...mailserverRequests,
  ...siteRequests,
} as const;

/** Every pushed event. */
export const events = {
  ...appEvents,
  ...commissioningEvents,
  ...discoveryEvents,
  ...relayEvents,
  ...relayInboxEvents,
  ...doctorEvents,
  ...practiceEvents,
  ...reportEvents,
  ...appearanceEvents,
  ...updatesEvents,
  ...mailserverEvents,
  ...siteEvents,
} as const;

/** A request channel name. */
export type RequestChannel = keyof typeof requests;
/** An event name. */
export type EventName = keyof typeof events;
/** The argument type of a channel (after parsing). */
export type RequestOf<C extends RequestChannel> = z.output<(typeof requests)[C]['request']>;
/** The argument type a caller passes (before defaults apply). */
export type RequestInputOf<C extends RequestChannel> = z.input<(typeof requests)[C]['request']>;
/** The response value type of a channel. */
export type ResponseOf<C extends RequestChannel> = z.output<(typeof requests)[C]['response']>;
/** The payload type of an event. */
export type EventPayloadOf<E extends EventName> = z.output<(typeof events)[E]>;

/** Names of all request channels, in declaration order. */
export const requestChannels = Object.keys(requests) as RequestChannel[];
/** Names of all events, in declaration order. */
export const eventNames = Object.keys(events) as EventName[];
