import type { Handlers } from '../dispatch';
import type { DiscoveryService } from '../../services/discovery/index';

/** What the discovery handlers need from their host. */
export interface DiscoveryHandlerDeps {
  discovery: DiscoveryService;
}

/** Handlers of the `discovery:*` channels. */
export function createDiscoveryHandlers(d: DiscoveryHandlerDeps): Pick<Handlers, 'discovery:list-interfaces' | 'discovery:start' | 'discovery:cancel' | 'discovery:get-state' | 'discovery:add-manual'> {
  return {
    'discovery:list-interfaces': () => ({ interfaces: d.discovery.listInterfaces() }),
    'discovery:start': (opts) => ({ operationId: d.discovery.start(opts) }),
    'discovery:cancel': ({ operationId }) => ({ isCancelled: d.discovery.cancel(operationId) }),
    'discovery:get-state': () => d.discovery.getState(),
    'discovery:add-manual': async ({ host, httpPort }) => ({ device: await d.discovery.addManual(host, httpPort) }),
  };
}
