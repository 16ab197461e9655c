/**
 * The relay side of the commissioning test run: make sure the embedded relay listens and accepts the camera's
 * IP, and watch the relay's in-process `message-received` (and `session-refused`) events for that IP. Watching
 * starts BEFORE the trigger, so a fast camera cannot deliver the e-mail before anyone listens.
 */
import { plainIp } from '../../../shared/domain/commissioning';
import type { ReceivedMessage } from '../../../shared/domain/relay-views';
import { failure } from '../../../shared/i18n/messages';
import { AppFailure } from '../../../shared/ipc/result';
import type { RelayService } from '../relay/index';

/** The relay message as the test run sees it. */
export type RelayMessage = ReceivedMessage;

/** A subscription to the relay's events for one camera. */
export interface RelayWatch {
  /** Resolves with the first message (seen since the watch began) that matches; rejects when the signal aborts. */
  next(match: (m: RelayMessage) => boolean, signal: AbortSignal): Promise<RelayMessage>;
  /** Refusal reasons logged for the camera's IP since the watch began. */
  refusals(): string[];
  /** Messages from the camera's IP since the watch began. */
  messages(): RelayMessage[];
  /** Sessions from the camera's IP since the watch began (accepted messages counted per session). */
  sessions(): Array<{ id: string; refused: boolean; accepted: number }>;
  /** Calls `fn` for every connection, refusal, closed session and message of the camera's IP (live lines). */
  onActivity(fn: (a: RelayActivity) => void): void;
  stop(): void;
}

/** One thing the relay saw from the watched camera. */
export type RelayActivity =
  | { kind: 'connected'; at: string }
  | { kind: 'refused'; at: string; reason: string }
  | { kind: 'closed'; at: string; accepted: number }
  | { kind: 'message'; at: string; message: RelayMessage };

/** Where the camera must send its test mail, and the watcher. */
export interface TestRelay {
  /** The address and port the camera will be told to use (no side effects; for --dry-run). */
  plannedAddress(cameraIp: string): Promise<{ address: string; port: number }>;
  /**
   * Lets the camera's IP in and returns where the camera must send. A stopped relay is started only when the host
   * said so (the CLI, which has no other relay); otherwise it is a RELAY_STOPPED failure that says how to start it.
   */
  prepare(cameraIp: string): Promise<{ address: string; port: number }>;
  /** True when the relay listens now. */
  isListening(): boolean;
  /** Starts watching relay events for one camera IP. */
  watch(cameraIp: string): RelayWatch;
  /**
   * Waits until no other test run for the same IP is in progress; returns the release function. Two test runs
   * from one client IP at once could not be told apart by the relay (several practice cameras share 127.0.0.1).
   */
  lock(cameraIp: string): Promise<() => void>;
}

/** What the test run uses of the relay service. */
export type TestRelayHost = Pick<RelayService, 'getState' | 'start' | 'allow' | 'events'>;

/** The failure when the test needs the relay and it is not running (the app never starts one unasked). */
export function relayStoppedFailure(address: string, port: number): AppFailure {
  return failure('RELAY_STOPPED', 'errors.RELAY_STOPPED.testNeedsRelay', { where: `${address}:${port}` }, { address, port });
}

/** Options of the embedded test relay. */
export interface EmbeddedTestRelayOptions {
  /** Address the relay listens on when this module starts it (this computer's address on the camera LAN). */
  listenAddress: string | ((cameraIp: string) => string);
  /** Port when this module starts the relay (default 25: a real camera has no SMTP port setting). */
  port?: number;
  /**
   * Start a stopped relay (default false). Only a host with no other relay sets it: the CLI's commission command
   * runs its own relay in its process. The app hosts never start or replace a relay without the technician.
   */
  mayStart?: boolean;
}

/** The TestRelay over the app's RelayService. */
export class EmbeddedTestRelay implements TestRelay {
  private readonly locks = new Map<string, Promise<void>>();
  private starting?: ReturnType<TestRelayHost['start']>;

  constructor(
    private readonly relay: TestRelayHost,
    private readonly o: EmbeddedTestRelayOptions,
  ) {}

  private get port(): number {
    return this.o.port ?? 25;
  }

  private listenFor(cameraIp: string): string {
    return typeof this.o.listenAddress === 'function' ? this.o.listenAddress(cameraIp) : this.o.listenAddress;
  }

  /** Where the camera will send (the running relay's address, else the configured one). */
  async plannedAddress(cameraIp: string): Promise<{ address: string; port: number }> {
    const s = this.relay.getState();
    if (s.status === 'listening' && s.listenAddress && s.port !== undefined) return { address: s.listenAddress, port: s.port };
    return { address: this.listenFor(cameraIp), port: this.port };
  }

  /** Starts the relay (allow-listing the camera) or adds the camera to the running relay's allow-list. */
  async prepare(cameraIp: string): Promise<{ address: string; port: number }> {
    const ip = plainIp(cameraIp);
    const s = this.relay.getState();
    if (s.status !== 'listening') {
      // Never starts a relay unasked (mayStart); the cameras of a batch get here together: one start, the others
      // join it (a second start would find the port taken), then each lets its own address in.
      if (!this.starting && (!this.o.mayStart || s.status !== 'stopped')) throw relayStoppedFailure(this.listenFor(ip), this.port);
      this.starting ??= this.relay.start({ listenAddress: this.listenFor(ip), port: this.port, allow: [ip] }).finally(() => (this.starting = undefined));
      const bound = await this.starting;
      if (!this.relay.getState().allow.includes(ip)) this.relay.allow(ip);
      return { address: bound.address, port: bound.port };
    }
    if (!s.allow.includes(ip)) this.relay.allow(ip);
    return { address: s.listenAddress ?? this.listenFor(ip), port: s.port ?? this.port };
  }

  /** True when the relay listens now. */
  isListening(): boolean {
    return this.relay.getState().status === 'listening';
  }

  /** Serialises test runs per client IP. */
  async lock(cameraIp: string): Promise<() => void> {
    const ip = plainIp(cameraIp);
    for (;;) {
      const held = this.locks.get(ip);
      if (!held) break;
      await held;
    }
    let release!: () => void;
    const p = new Promise<void>((r) => (release = r));
    this.locks.set(ip, p);
    return () => {
      if (this.locks.get(ip) === p) this.locks.delete(ip);
      release();
    };
  }

  /** Watches messages and refusals for one camera IP. */
  watch(cameraIp: string): RelayWatch {
    const ip = plainIp(cameraIp);
    const messages: RelayMessage[] = [];
    const refusals: string[] = [];
    const sessions = new Map<string, { id: string; refused: boolean; accepted: number }>();
    const listeners: Array<(a: RelayActivity) => void> = [];
    const tell = (a: RelayActivity) => listeners.forEach((fn) => fn(a));
    const waiters = new Set<{ match: (m: RelayMessage) => boolean; resolve: (m: RelayMessage) => void }>();
    const offMessages = this.relay.events.on('message-received', (m) => {
      if (plainIp(m.clientIp) !== ip) return;
      messages.push(m);
      const sess = sessions.get(m.sessionId);
      if (sess) sess.accepted++;
      tell({ kind: 'message', at: m.receivedAt, message: m });
      for (const w of [...waiters]) {
        if (w.match(m)) {
          waiters.delete(w);
          w.resolve(m);
        }
      }
    });
    const offRefusals = this.relay.events.on('session-refused', (r) => {
      if (plainIp(r.clientIp) !== ip) return;
      refusals.push(r.reason);
      sessions.set(r.sessionId, { id: r.sessionId, refused: true, accepted: 0 });
      tell({ kind: 'refused', at: r.at, reason: r.reason });
    });
    const offOpened = this.relay.events.on('session-opened', (o) => {
      if (plainIp(o.clientIp) !== ip) return;
      sessions.set(o.sessionId, { id: o.sessionId, refused: false, accepted: 0 });
      tell({ kind: 'connected', at: o.at });
    });
    const offClosed = this.relay.events.on('session-closed', (c) => {
      const sess = sessions.get(c.id);
      if (!sess || sess.refused) return;
      // The relay counts a message as accepted before it answers 250 (the store is durable first), while its
      // message-received event may come after the close: its own count is the one to trust here.
      sess.accepted = Math.max(sess.accepted, c.accepted);
      tell({ kind: 'closed', at: c.endedAt ?? c.startedAt, accepted: sess.accepted });
    });
    return {
      next: (match, signal) =>
        new Promise<RelayMessage>((resolve, reject) => {
          const seen = messages.find(match);
          if (seen) return resolve(seen);
          if (signal.aborted) return reject(signal.reason);
          const w = {
            match,
            resolve: (m: RelayMessage) => {
              signal.removeEventListener('abort', onAbort);
              resolve(m);
            },
          };
          const onAbort = () => {
            waiters.delete(w);
            reject(signal.reason);
          };
          waiters.add(w);
          signal.addEventListener('abort', onAbort, { once: true });
        }),
      refusals: () => [...refusals],
      messages: () => [...messages],
      sessions: () => [...sessions.values()].map((x) => ({ ...x })),
      onActivity: (fn) => listeners.push(fn),
      stop: () => {
        offMessages();
        offRefusals();
        offOpened();
        offClosed();
        listeners.length = 0;
      },
    };
  }
}

/** One local IPv4 interface address with its netmask (as os.networkInterfaces reports them). */
export interface LocalAddress {
  address: string;
  netmask: string;
  family: string | number;
}

function v4int(ip: string): number | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(ip);
  return m ? m.slice(1).reduce((a, o) => a * 256 + Number(o), 0) : undefined;
}

/**
 * This computer's address on the camera's subnet: the relay must listen there, and the camera is told to send
 * to it. A loopback camera (the practice camera) gets 127.0.0.1. Undefined when no interface shares the subnet.
 */
export function addressToward(cameraIp: string, locals: readonly LocalAddress[]): string | undefined {
  const ip = plainIp(cameraIp);
  const c = v4int(ip);
  if (c === undefined) return undefined;
  if (ip.startsWith('127.')) return '127.0.0.1';
  for (const l of locals) {
    if (l.family !== 'IPv4' && l.family !== 4) continue;
    const a = v4int(l.address);
    const m = v4int(l.netmask);
    if (a === undefined || m === undefined || l.address.startsWith('127.')) continue;
    if ((a & m) >>> 0 === (c & m) >>> 0) return l.address;
  }
  return undefined;
}

/**
 * The address the relay listens on for a camera, which is also what the camera is told to send to: this
 * computer's address on the camera's subnet, else `fallback` when it is a real (non-loopback) address. Refuses
 * rather than guessing: a camera told to send to 127.0.0.1 would send to itself.
 */
export function relayAddressFor(cameraIp: string, locals: readonly LocalAddress[], fallback?: string): string {
  const toward = addressToward(cameraIp, locals);
  if (toward) return toward;
  if (fallback && !fallback.startsWith('127.') && fallback !== '::1' && fallback !== 'localhost') return fallback;
  throw failure('VALIDATION', 'errors.VALIDATION.noAddressOnSubnet', { ip: cameraIp });
}
