/**
 * Targeted HTTP faults of a simulated camera (docs/camera.md §7): answer the next matching requests with 500, drop
 * their connection, or never answer them; make open connections go dead; plus the general knobs (latency, a 500
 * rate). The driver's retry, timeout and restore paths are tested against these.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { SimFaults } from './types';
import { drain } from './http-util';

/** A targeted fault: what to do with the next `left` requests whose path matches. */
interface FailRule {
  re: RegExp;
  left: number;
  /** Only requests with this method (default: any). */
  method?: string;
  /** 500 answer (default), the connection dropped without an answer, or no answer ever (a hang). */
  action: 'fail' | 'drop' | 'stall';
}

/** The fault rules of one camera's web server. */
export class HttpFaults {
  private readonly rules: FailRule[] = [];
  /** Connections that went dead: requests on them are never answered. */
  private readonly stalled = new WeakSet<Socket>();

  /** Applies `action` to the next `count` requests whose path (and method, when given) matches. */
  add(pathRegex: RegExp | string, count: number, method: string | undefined, action: FailRule['action']): void {
    this.rules.push({ re: typeof pathRegex === 'string' ? new RegExp(pathRegex) : pathRegex, left: count, method, action });
  }

  /** Every one of these connections goes dead without closing. */
  stallAll(sockets: Iterable<Socket>): void {
    for (const s of sockets) this.stalled.add(s);
  }

  /** True when the request came on a dead connection (it must never be answered). */
  isStalled(req: IncomingMessage): boolean {
    return this.stalled.has(req.socket);
  }

  /**
   * Waits the configured latency, then applies the first matching rule or the 500 rate. True when the request was
   * dealt with here (answered 500, dropped or left hanging); false when the camera should answer it.
   */
  async intercept(req: IncomingMessage, res: ServerResponse, path: string, f: SimFaults): Promise<boolean> {
    if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
    const rule = this.rules.find((r) => r.left > 0 && r.re.test(path) && (!r.method || r.method === req.method));
    if (rule?.action === 'drop' || rule?.action === 'stall') {
      rule.left--;
      if (rule.action === 'drop') req.socket.destroy();
      else this.stalled.add(req.socket);
      return true;
    }
    if (rule || (f.http500Rate && Math.random() < f.http500Rate)) {
      if (rule) rule.left--;
      await drain(req);
      res.writeHead(500, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
      return true;
    }
    return false;
  }
}
