/**
 * The simulator-only HTTP hooks under /__sim/ (docs/camera.md §7): read the state, the send log and the identity,
 * trigger a source or a behaviour, set fault knobs. Real cameras have no such paths; tools that drive a simulated
 * camera from another process (`sarix sim` users, scripts) use them.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimFaults, SimSendLogEntry, SimState, SimTriggerResult, TriggerStrength } from './types';
import { readBody, tooLarge } from './http-util';

/** What the hooks reach of a camera (its public methods). */
export interface SimHookTarget {
  state(): SimState;
  sendLog(): SimSendLogEntry[];
  identity(): unknown;
  trigger(ref: string, opts: { strength?: TriggerStrength }): Promise<SimTriggerResult>;
  setFaults(f: SimFaults): void;
  currentFaults(): SimFaults;
}

/** Answers one /__sim/ request with JSON. */
export async function serveSimHook(cam: SimHookTarget, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const json = (status: number, v: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(v));
  };
  const body = await readBody(req);
  if (body === undefined) return tooLarge(res);
  const p = url.pathname;
  if (p === '/__sim/state' && req.method === 'GET') return json(200, cam.state());
  if (p === '/__sim/log' && req.method === 'GET') return json(200, cam.sendLog());
  if (p === '/__sim/identity' && req.method === 'GET') return json(200, cam.identity());
  if (p === '/__sim/trigger' && req.method === 'POST') {
    let args: { source?: unknown; behaviour?: unknown; behavior?: unknown; strength?: unknown };
    try {
      args = body ? JSON.parse(body) : Object.fromEntries(url.searchParams);
    } catch {
      return json(400, { error: 'Send JSON like {"source":"Alarm1"} or {"behaviour":"camera-sabotage","strength":"partial"}.' });
    }
    const ref = args.source ?? args.behaviour ?? args.behavior;
    if (typeof ref !== 'string' || !ref) return json(400, { error: 'Name a "source" or a "behaviour" to trigger.' });
    if (args.strength !== undefined && args.strength !== 'full' && args.strength !== 'partial') return json(400, { error: '"strength" must be "full" or "partial".' });
    try {
      return json(200, await cam.trigger(ref, { strength: args.strength as TriggerStrength | undefined }));
    } catch (e) {
      return json(404, { error: e instanceof Error ? e.message : String(e) });
    }
  }
  if (p === '/__sim/faults' && req.method === 'POST') {
    try {
      cam.setFaults(JSON.parse(body || '{}') as SimFaults);
    } catch {
      return json(400, { error: 'Send the fault knobs as JSON, e.g. {"latencyMs":200}.' });
    }
    return json(200, cam.currentFaults());
  }
  json(404, { error: 'Simulator hooks: GET /__sim/state, GET /__sim/log, GET /__sim/identity, POST /__sim/trigger, POST /__sim/faults.' });
}
