/**
 * Composition root of the web host: builds the core services, then serves the renderer and the contract on
 * 127.0.0.1. Used by `npm run start:web` and `sarix serve`.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, type Core } from '../core/core';
import { ConfSettingsStore } from '../core/settings-store';
import { consoleLogger } from '../core/logger';
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

/** The default user-data folder of the web and CLI hosts (the Electron host uses app.getPath('userData')). */
export function defaultUserDataPath(): string {
  const base = process.env.SARIX_USER_DATA ?? (process.platform === 'win32' ? join(process.env.APPDATA ?? homedir(), 'Sarix Commissioner') : process.platform === 'darwin' ? join(homedir(), 'Library', 'Application Support', 'Sarix Commissioner') : join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'sarix-commissioner'));
  return base;
}

/** Starts the core and the web host; returns both so the caller can stop them. */
export async function bootstrapWeb(o: WebBootstrapOptions = {}): Promise<{ core: Core; host: WebHost }> {
  const userDataPath = o.userDataPath ?? defaultUserDataPath();
  mkdirSync(userDataPath, { recursive: true });
  const log = consoleLogger('web');
  const core = await createCore({ hostKind: 'web', userDataPath, settings: new ConfSettingsStore(userDataPath), log, practice: o.practice });
  try {
    const host = await startWebHost({ handlers: core.handlers, hub: core.hub, rendererDir: o.rendererDir ?? resolve('dist-web'), port: o.port, token: o.token, log });
    return { core, host };
  } catch (e) {
    await core.dispose();
    throw e;
  }
}
