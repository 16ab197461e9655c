/**
 * The contract's front door in every host: validate the argument, run the handler, answer a Result
 * (docs/architecture.md §2.6). The Electron IPC wrapper and the web host's WebSocket both call `dispatch`.
 */
import { requests, type RequestChannel, type RequestOf, type ResponseOf } from '../../shared/ipc/contract';
import { keyedErr } from '../../shared/i18n/messages';
import { err, isAppFailure, ok, type Result } from '../../shared/ipc/result';

/** Context of one call: who called (for the log). */
export interface CallContext {
  /** Host-specific caller id (webContents id, WebSocket connection id, 'cli'). */
  caller: string;
}

/** One implementation function per request channel. */
export type Handlers = {
  [C in RequestChannel]: (arg: RequestOf<C>, ctx: CallContext) => Promise<ResponseOf<C>> | ResponseOf<C>;
};

/** Logger the dispatcher reports internal errors to. */
export interface DispatchLogger {
  error(message: string, meta?: unknown): void;
}

/**
 * Validates the argument against the contract, runs the handler and returns a Result: bad arguments become
 * BAD_REQUEST, an AppFailure keeps its code, anything else becomes INTERNAL (message kept, stack logged).
 * Every host (Electron IPC wrapper, web host, CLI) goes through this one function.
 */
export async function dispatch(handlers: Partial<Handlers>, channelName: string, rawArg: unknown, ctx: CallContext, log?: DispatchLogger): Promise<Result<unknown>> {
  if (!Object.prototype.hasOwnProperty.call(requests, channelName)) {
    return keyedErr('UNKNOWN_CHANNEL', 'errors.UNKNOWN_CHANNEL.noSuchChannel', { name: String(channelName).slice(0, 80) });
  }
  const name = channelName as RequestChannel;
  const def = requests[name];
  const parsed = def.request.safeParse(rawArg === undefined ? {} : rawArg);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const first = issues[0];
    return keyedErr('BAD_REQUEST', 'errors.BAD_REQUEST.invalidArguments', { name, problem: first ? `${first.path || '(root)'}: ${first.message}` : 'not accepted' }, { issues });
  }
  const handler = handlers[name] as ((a: unknown, c: CallContext) => unknown) | undefined;
  if (!handler) return keyedErr('UNAVAILABLE', 'errors.UNAVAILABLE.notInHost', { name });
  try {
    const value = await handler(parsed.data, ctx);
    const out = def.response.safeParse(value);
    if (!out.success) {
      log?.error(`response of ${name} does not match the contract`, out.error.issues);
      return keyedErr('INTERNAL', 'errors.INTERNAL.invalidAnswer', { name });
    }
    return ok(out.data);
  } catch (e) {
    if (isAppFailure(e)) return { ok: false, error: e.toAppError() };
    log?.error(`handler ${name} failed`, e instanceof Error ? e.stack : e);
    return err('INTERNAL', e instanceof Error ? e.message : String(e));
  }
}

/** Narrow helper for handlers to type a single channel implementation. */
export type HandlerOf<C extends RequestChannel> = Handlers[C];
