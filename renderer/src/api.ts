/**
 * The renderer's only door to the machine side. In Electron, the preload has put a frozen `window.api` on the
 * page; in the web host there is no preload, so the same api is generated from the same contract over the
 * host's WebSocket. Features import `api` from here and nothing else.
 */
import { buildApi, type Api } from '../../shared/ipc/build-api';
import type { Result } from '../../shared/ipc/result';
import { createWsTransport } from './lib/ws-transport';

declare global {
  interface Window {
    api?: Api;
  }
}

function resolveApi(): Api {
  if (window.api) return window.api;
  const token = new URLSearchParams(location.search).get('token') ?? '';
  return buildApi(createWsTransport(token));
}

/** The contract api of this host. */
export const api: Api = resolveApi();

/** True when the page was opened without the web host's token (nothing will work; say so). */
export const isMissingToken = !window.api && !new URLSearchParams(location.search).get('token');

/** Unwraps a Result or throws an Error carrying the code (for React Query-less simple flows). */
export async function unwrap<T>(p: Promise<Result<T>>): Promise<T> {
  const r = await p;
  if (r.ok) return r.value;
  const e = new Error(r.error.message) as Error & { code?: string };
  e.code = r.error.code;
  throw e;
}
