/**
 * The composition layer's public face for hosts: `createServices` builds the services; `composeContract` puts the
 * contract on top for hosts with a UI (handlers for dispatch, a hub of validated contract events).
 */
import type { Logger } from '../services/common/logger';
import { bindContractEvents } from './contract-events';
import { contractHandlers } from './contract-handlers';
import type { Services } from './create-services';
import type { Handlers } from './dispatch';
import { EventHub } from './event-hub';

export { createServices, type ServiceEnv, type ServiceOptions, type Services } from './create-services';
export { dispatch, type CallContext, type Handlers } from './dispatch';
export { EventHub, type EventSink } from './event-hub';
export { supportHandlers } from './support-handlers';

/** The contract over composed services: what the Electron IPC wrapper and the web host serve. */
export interface ContractEdge {
  handlers: Handlers;
  hub: EventHub;
  /** Stops forwarding service events to the hub. */
  dispose(): void;
}

/**
 * Maps the contract onto the services and forwards their events to a new hub. `hostHandlers` are the channels
 * only this host implements (the Electron app: updates, appearance, the support bundle's Save dialog); they get
 * the hub for their own events and replace the defaults.
 */
export function composeContract(services: Services, log: Logger, hostHandlers?: (hub: EventHub) => Partial<Handlers>): ContractEdge {
  const hub = new EventHub((name, issues) => log.error(`dropped invalid event ${name}`, issues));
  const unbind = bindContractEvents(services, hub);
  return { handlers: { ...contractHandlers(services), ...hostHandlers?.(hub) }, hub, dispose: unbind };
}
