/**
 * The web host's transport for the contract: one WebSocket to /api with the per-run token taken from the page
 * URL. Requests are matched to replies by id; pushed events fan out to subscribers.
 */
import type { ApiTransport } from '../../../shared/ipc/build-api';
import type { EventName, RequestChannel } from '../../../shared/ipc/contract';
import type { AppError, Result } from '../../../shared/ipc/result';
import { msg as englishText } from '../../../shared/i18n/messages';

/** Creates the WebSocket transport; calls made before the socket opens are queued. */
export function createWsTransport(token: string, host = location.host): ApiTransport {
  let seq = 0;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let socket: WebSocket | null = null;
  let opened: Promise<WebSocket> | null = null;

  // Keyed like the machine side's failures: English as the message, shown in the UI language from the key.
  const unavailable = (key: string): AppError => ({ code: 'UNAVAILABLE', message: englishText(key), key });
  const fail = (error: AppError) => {
    for (const [, resolve] of pending) resolve({ ok: false, error });
    pending.clear();
  };

  const connect = (): Promise<WebSocket> => {
    if (opened) return opened;
    opened = new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${host}/api?token=${encodeURIComponent(token)}`);
      ws.onopen = () => {
        socket = ws;
        resolve(ws);
      };
      ws.onerror = () => reject(Object.assign(new Error(englishText('app.connectionRefused')), { error: unavailable('app.connectionRefused') }));
      ws.onclose = () => {
        socket = null;
        opened = null;
        fail(unavailable('app.connectionClosed'));
      };
      ws.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as { id?: number; result?: Result<unknown>; event?: string; payload?: unknown };
        if (msg.event) {
          for (const l of listeners.get(msg.event) ?? []) l(msg.payload);
        } else if (typeof msg.id === 'number' && msg.result) {
          pending.get(msg.id)?.(msg.result);
          pending.delete(msg.id);
        }
      };
    });
    return opened;
  };

  return {
    async invoke(channel: RequestChannel, arg: unknown): Promise<Result<unknown>> {
      let ws: WebSocket;
      try {
        ws = socket ?? (await connect());
      } catch (e) {
        return { ok: false, error: (e as { error?: AppError }).error ?? { code: 'UNAVAILABLE', message: e instanceof Error ? e.message : String(e) } };
      }
      const id = ++seq;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, channel, arg }));
      });
    },
    subscribe(event: EventName, listener: (p: unknown) => void) {
      void connect().catch(() => {});
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
