/**
 * The simulated camera's web-UI sessions: the PHPSESSID + authos-token cookie pair a login issues, the form token
 * each setup page carries, idle expiry and a bound on how many sessions live at once (docs/camera.md §3).
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SimUser } from './types';
import { parseCookies } from './http-util';

/** At most this many sessions live at once; the oldest go first, so repeated logins cannot grow memory. */
const MAX_SESSIONS = 64;
/** How long an unused session lives when the fault knobs do not say (the camera's own default is about this). */
const DEFAULT_IDLE_MS = 30 * 60_000;
/** How many issued secrets are remembered for `issuedSecrets` (enough for any test, bounded for long runs). */
const SECRETS_KEPT = 3000;

/** One logged-in web session. */
export interface WebSession {
  id: string;
  authos: string;
  formToken: string;
  user: string;
  lastSeen: number;
}

/** What the sessions read from their camera: its users, its clock and the idle time the fault knobs set. */
export interface WebSessionsContext {
  users: () => SimUser[];
  now: () => number;
  idleMs: () => number | undefined;
}

/** The set of live web sessions of one simulated camera. */
export class WebSessions {
  private readonly sessions = new Map<string, WebSession>();
  private readonly secretsIssued: string[] = [];

  constructor(private readonly ctx: WebSessionsContext) {}

  /** A new session for a correct login, or undefined for a wrong name or password; its cookies go in Set-Cookie. */
  login(username: string | null, password: string | null): { session: WebSession; cookies: string[] } | undefined {
    const u = this.ctx.users().find((x) => x.name === username);
    if (!u || u.password !== password) return undefined;
    this.prune();
    const s: WebSession = { id: randomBytes(13).toString('hex'), authos: randomBytes(16).toString('hex'), formToken: randomBytes(12).toString('hex'), user: u.name, lastSeen: this.ctx.now() };
    this.sessions.set(s.id, s);
    if (this.secretsIssued.length < SECRETS_KEPT) this.secretsIssued.push(s.id, s.authos, s.formToken);
    return { session: s, cookies: [`PHPSESSID=${s.id}; Path=/; HttpOnly`, `authos-token=${s.authos}; Path=/`] };
  }

  /** The live session a request's cookies name (touched), or undefined when absent, idle too long or its user is gone. */
  of(req: IncomingMessage): WebSession | undefined {
    const cookies = parseCookies(req.headers.cookie);
    const s = this.sessions.get(cookies.PHPSESSID ?? '');
    if (!s || s.authos !== cookies['authos-token']) return undefined;
    if (this.ctx.now() - s.lastSeen > this.idleMs()) {
      this.sessions.delete(s.id);
      return undefined;
    }
    if (!this.ctx.users().some((u) => u.name === s.user)) return undefined;
    s.lastSeen = this.ctx.now();
    return s;
  }

  /** Ends one session (logout). */
  end(s: WebSession): void {
    this.sessions.delete(s.id);
  }

  /** Ends every session (a reboot, or the expireSessions fault). */
  clear(): void {
    this.sessions.clear();
  }

  /** Every session id, session cookie and form token issued so far. */
  issued(): string[] {
    return [...this.secretsIssued];
  }

  private idleMs(): number {
    return this.ctx.idleMs() ?? DEFAULT_IDLE_MS;
  }

  /** Drops idle sessions and keeps fewer than MAX_SESSIONS before a new one is added. */
  private prune(): void {
    const now = this.ctx.now();
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleMs()) this.sessions.delete(id);
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }
}
