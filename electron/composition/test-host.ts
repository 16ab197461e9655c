/**
 * Test support: the services of one host and the contract on top, as the web host composes them but without a
 * socket, so a test can call channels through `dispatch` and watch contract events.
 */
import { silentLogger } from '../services/common/logger';
import { MemorySettingsStore } from '../services/common/settings-store';
import { composeContract, createServices, dispatch, type ContractEdge, type ServiceEnv, type ServiceOptions, type Services } from './index';
import type { Result } from '../../shared/ipc/result';

/** Composed services with their contract edge. */
export interface TestHost extends ContractEdge {
  services: Services;
  /** Calls one channel through dispatch (argument validation included), as caller 'test'. */
  call(channel: string, arg?: unknown): Promise<Result<unknown>>;
}

/** Composes a host for a test: web host kind, memory settings and a silent logger unless given; practice off unless asked. */
export async function createTestHost(env: Partial<ServiceEnv> & { userDataPath: string }, options: ServiceOptions = {}): Promise<TestHost> {
  const services = await createServices({ hostKind: 'web', settings: new MemorySettingsStore(), logger: silentLogger, ...env }, { practice: false, ...options });
  const edge = composeContract(services, env.logger ?? silentLogger);
  return {
    ...edge,
    services,
    call: (channel, arg = {}) => dispatch(edge.handlers, channel, arg, { caller: 'test' }),
    async dispose() {
      edge.dispose();
      await services.dispose();
    },
  };
}
