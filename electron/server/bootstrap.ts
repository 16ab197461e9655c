/**
 * Composition root of the web host: builds the services with createServices, puts the contract on top, then
 * serves the renderer and the contract on 127.0.0.1. Used by `npm run start:web` and `sarix serve`.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { composeContract, createServices, type Services } from '../composition/index';
import { consoleLogger } from '../services/common/logger';
import { ConfSettingsStore } from '../services/common/settings-store';
import { defaultUserDataPath } from '../services/common/user-data';
import { startWebHost, type WebHost } from './web-host';

/** Options of the web host bootstrap. */
export interface WebBootstrapOptions {
  port?: number;
  userDataPath?: string;
  rendererDir?: string;
  token?: string;
  /** Start the practice camera and the embedded relay (default from settings). */
  practice?: boolean;
}

/** A running web host and its services; `close` stops both. */
export interface WebApp {
  host: WebHost;
  services: Services;
  close(): Promise<void>;
}

/** Starts the services and the web host. */
export async function bootstrapWeb(o: WebBootstrapOptions = {}): Promise<WebApp> {
  const userDataPath = o.userDataPath ?? defaultUserDataPath();
  mkdirSync(userDataPath, { recursive: true });
  const log = consoleLogger('web');
  const services = await createServices({ hostKind: 'web', userDataPath, settings: new ConfSettingsStore(userDataPath), logger: log }, { practice: o.practice });
  const contract = composeContract(services, log);
  try {
    const host = await startWebHost({ handlers: contract.handlers, hub: contract.hub, rendererDir: o.rendererDir ?? resolve('dist-web'), port: o.port, token: o.token, log });
    return {
      host,
      services,
      async close() {
        await host.close();
        contract.dispose();
        await services.dispose();
      },
    };
  } catch (e) {
    contract.dispose();
    await services.dispose();
    throw e;
  }
}
