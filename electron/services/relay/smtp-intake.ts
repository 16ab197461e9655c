/**
 * The relay's SMTP intake: the smtp-server hooks that decide who may connect (allow-list, slot sharing), accept
 * any login when told to, and take a message in: stored durably and summarised, queued for forwarding and push,
 * all before the 250 reply; then indexed, retention applied and `message-received` emitted. The RelayService owns
 * the server's life (start, stop, setup) and hands this intake its stores; the policy itself is in
 * shared/domain/relay.ts (docs/architecture.md §2.9).
 */
import { join } from 'node:path';
import type { SMTPServer, SMTPServerAuthentication, SMTPServerDataStream, SMTPServerError, SMTPServerOptions, SMTPServerSession } from 'smtp-server';
import { isClientAllowed, normaliseIp, planForward, type AllowEntry, type MessageSummary, type RelayStartOptions } from '../../../shared/domain/relay';
import type { ReceivedMessage } from '../../../shared/domain/relay-views';
import type { CameraIdentity } from '../../../shared/domain/relay-cameras';
import { pushTargetsFor } from '../../../shared/domain/relay-push';
import type { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import type { CameraRegistry } from './camera-registry';
import type { MaildirStore, Envelope } from './maildir';
import type { PushTargetStore } from './push-target-store';
import type { RelayEvents } from './relay-events';
import type { RelayInbox } from './relay-inbox';
import type { Spool, SpoolAbout } from './spool';
import { summarizeMessage } from './summary';
import type { SessionLog } from './transcripts';

/**
 * How the relay shares its connection slots. The idle timeout alone lets one client hold slots forever (any
 * byte restarts it) and `maxClients` alone lets one address take every slot, so a trickling client on an allowed
 * address could keep every camera out. Hence a whole-session deadline, a cap per client address, and the last
 * slots kept for addresses that have no connection yet.
 */
export interface SessionLimits {
  /** Connections one client address may hold at once. */
  maxPerClient: number;
  /** Of maxClients, how many only an address with no other connection may take. */
  reservedSlots: number;
  /** Longest a whole session may last (accept to close), whatever the client sends. */
  sessionDeadlineMs: number;
}

/**
 * The default limits for a relay with `maxClients` slots: a quarter per address (25 of 100: a camera or NVR
 * sends a few mails at once, a load test 20), a fifth reserved, 5 minutes per session (a 32 MiB message at
 * 1 Mbit/s takes about 4.5; a camera's alarm mail well under a second).
 */
export function sessionLimitsFor(maxClients: number): SessionLimits {
  return { maxPerClient: Math.max(1, Math.ceil(maxClients / 4)), reservedSlots: Math.floor(maxClients / 5), sessionDeadlineMs: 5 * 60_000 };
}

function smtpError(code: number, message: string): SMTPServerError {
  const e = new Error(message) as SMTPServerError;
  e.responseCode = code;
  return e;
}


/** What the intake reads and writes of its relay: the stores, the event emitter, and the running setup. */
export interface SmtpIntakeHost {
  logger: Logger;
  now: () => number;
  closeTimeoutMs?: number;
  events: Emitter<RelayEvents>;
  sessions: SessionLog;
  cameras: CameraRegistry;
  store: MaildirStore;
  spool: Spool;
  inbox: RelayInbox;
  pushTargets: PushTargetStore;
  /** The options the relay runs with now (undefined: not started or shutting down). */
  options: () => RelayStartOptions | undefined;
  allowList: () => AllowEntry[];
  limits: () => SessionLimits;
  /** smtp-server's open connections (undefined: not listening). */
  connections: () => SMTPServer['connections'] | undefined;
  countsChanged: () => void;
  stateChanged: () => void;
}

/** The SMTP intake of one relay service (kept across restarts; it reads the running setup from its host). */
export class SmtpIntake {
  /** Normalised address and allow-list verdict per socket address (a connection asks several times; cleared when the list changes). */
  private readonly clientCache = new Map<string, { ip: string; isAllowed: boolean }>();
  /** Messages taken in whose indexing and events are still running (stop waits for them). */
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly host: SmtpIntakeHost) {}

  /** Forgets the cached allow-list verdicts (the list changed). */
  clearClients(): void {
    this.clientCache.clear();
  }

  /** Resolves when every message taken in so far is indexed and announced. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** smtp-server's options for a relay started with `o`: camera-compatible intake wired to this intake's hooks. */
  smtpOptions(o: RelayStartOptions): SMTPServerOptions {
    return {
      name: 'sarix-relay',
      banner: 'Sarix Commissioner relay',
      size: o.maxMessageBytes,
      // Cameras and NVRs often send AUTH with stored credentials although the server needs none.
      authOptional: true,
      allowInsecureAuth: true,
      authMethods: ['PLAIN', 'LOGIN'],
      disabledCommands: o.acceptAnyAuth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
      hideSTARTTLS: true,
      // Isolated camera LANs have no working DNS; a reverse lookup would stall every greeting.
      disableReverseLookup: true,
      // Legacy cameras send e.g. "MAIL FROM:<camera>" without a domain.
      lenientAddressParsing: true,
      maxClients: o.maxClients,
      maxRecipients: o.maxRecipients,
      socketTimeout: o.idleTimeoutMs,
      closeTimeout: this.host.closeTimeoutMs ?? 2000,
      maxCommandLength: 4096,
      logger: this.host.sessions.smtpLogger((m) => this.host.logger.info(`relay smtp: ${m}`)),
      onConnect: (session, cb) => this.onConnect(session, cb),
      onAuth: (auth, session, cb) => this.onAuth(auth, session, cb),
      onData: (stream, session, cb) => this.onData(stream, session, cb),
      onClose: (session) => {
        this.host.sessions.end(session.id);
        const s = this.host.sessions.get(session.id);
        if (s) this.host.events.emit('session-closed', s);
      },
    };
  }

  private onConnect(session: SMTPServerSession, cb: (err?: Error | null) => void): void {
    const { ip, isAllowed } = this.client(session.remoteAddress);
    if (isAllowed) {
      const busy = this.overLimit(session.remoteAddress);
      if (!busy) this.host.events.emit('session-opened', { sessionId: session.id, clientIp: ip, at: new Date(this.host.now()).toISOString() });
      return cb(busy);
    }
    this.host.sessions.refused(session.id);
    const reason = `${ip} is not on the allow-list of this relay`;
    this.host.logger.warn(`relay refused ${ip}: not on the allow-list`);
    const at = new Date(this.host.now()).toISOString();
    this.host.cameras.noteRefusal(ip, reason, at);
    this.host.events.emit('session-refused', { sessionId: session.id, clientIp: ip, reason, at, camera: this.host.cameras.identify(ip)?.displayName });
    cb(smtpError(554, `${reason}; add it in Sarix Commissioner (Relay > Allowed senders)`));
  }

  /** The normalised address of a socket address and whether the allow-list admits it (cached: parsing costs). */
  client(remoteAddress: string): { ip: string; isAllowed: boolean } {
    let c = this.clientCache.get(remoteAddress);
    if (!c) {
      const ip = normaliseIp(remoteAddress);
      c = { ip, isAllowed: isClientAllowed(ip, this.host.allowList()) };
      // Bounded: a sweep of many addresses only costs re-parsing.
      if (this.clientCache.size >= 4096) this.clientCache.clear();
      this.clientCache.set(remoteAddress, c);
    }
    return c;
  }

  /**
   * A 421 (try again later) when this connection would break the slot sharing (SessionLimits), else null.
   * Counts smtp-server's open connections, this one included (a refused or closing one no longer counts).
   */
  private overLimit(remoteAddress: string): SMTPServerError | null {
    const connections = this.host.connections();
    if (!connections) return null;
    let mine = 0;
    for (const c of connections) if (c.remoteAddress === remoteAddress) mine++;
    const { maxPerClient, reservedSlots } = this.host.limits();
    const { ip } = this.client(remoteAddress);
    if (mine > maxPerClient) {
      this.host.logger.warn(`relay refused a connection from ${ip}: it already has ${mine - 1} open (limit ${maxPerClient} per address)`);
      return smtpError(421, `Too many connections from ${ip} (at most ${maxPerClient} at once); try again in a moment`);
    }
    const maxClients = this.host.options()?.maxClients ?? Infinity;
    if (mine > 1 && connections.size > maxClients - reservedSlots) {
      this.host.logger.warn(`relay refused a further connection from ${ip}: the last ${reservedSlots} slots are kept for other senders`);
      return smtpError(421, `The relay is busy; the remaining slots are kept for other senders. Try again in a moment`);
    }
    return null;
  }

  private onAuth(auth: SMTPServerAuthentication, session: SMTPServerSession, cb: (err: Error | null | undefined, res?: { user?: unknown }) => void): void {
    if (!this.host.options()?.acceptAnyAuth) return cb(smtpError(535, 'Authentication is not used by this relay; remove the login from the sender'));
    this.host.sessions.add(session.id, 'I', `accepted any login (${auth.method}, user "${String(auth.username ?? '').slice(0, 64)}") without checking it`);
    cb(null, { user: auth.username || 'anonymous' });
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null, message?: string) => void): void {
    const o = this.host.options();
    if (!o) {
      stream.resume();
      return cb(smtpError(421, 'Relay is shutting down; try again later'));
    }
    const clientIp = this.client(session.remoteAddress).ip;
    // smtp-server leaves hostNameAppearsAs false until a HELO/EHLO arrives.
    const identity = this.host.cameras.identify(clientIp, session.hostNameAppearsAs || '');
    const env: Envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      clientIp,
      heloName: session.hostNameAppearsAs || '',
      sessionId: session.id,
      camera: identity?.displayName,
    };
    const receivedAt = new Date(this.host.now());
    const work = (async () => {
      let result;
      try {
        result = await this.host.store.ingest(stream, env, o.maxMessageBytes, receivedAt);
      } catch (e) {
        if ((e as { code?: string }).code === 'ECONNECTION' || (e as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
        this.host.logger.error('relay could not store a message', String(e));
        return cb(smtpError(451, 'Local error while storing the message; try again later'));
      }
      if (result.oversized) {
        this.host.sessions.flag(session.id, 'tooLarge');
        return cb(smtpError(552, `Message too large: the limit of this relay is ${o.maxMessageBytes} bytes`));
      }
      const path = this.host.store.pathOf(result.id) ?? join(this.host.store.dir, 'new', result.id);
      // Summarised before the 250 (in memory while writing; big messages from the file): a message over the MIME
      // parser's limits could never be opened, so the sender gets a 5xx it can log instead of a 250.
      const content = result.content ?? (await summarizeMessage(this.host.store.streamPath(path)));
      if (content.overLimit) {
        await this.host.store.discard(result.id);
        this.host.logger.warn(`relay refused a message from ${clientIp}: it has ${content.overLimit}`);
        return cb(smtpError(554, `Message refused: it has ${content.overLimit}, which this relay cannot open; send a simpler message`));
      }
      const queueError = await this.queueOutbound(o, path, result.id, env, identity, receivedAt);
      if (queueError) return cb(queueError);
      cb(null, `Message stored as ${result.id}`);
      this.host.sessions.accepted(session.id);
      const m = await this.host.store.index(result.id, env, result.size, receivedAt, content);
      // Retention runs before the event, so a listener sees the store as it will stay.
      const removed = await this.host.store.applyRetention(o.retention);
      if (removed.length) await this.host.inbox.forget(removed);
      this.host.events.emit('message-received', receivedMessage(m, identity));
      this.host.countsChanged();
      if (removed.length) this.host.stateChanged();
    })().catch((e: unknown) => this.host.logger.error('relay intake failed after storing', String(e)));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  /**
   * Queues the stored message for the upstream (when forwarding and a rule matches) and for every push target
   * (ntfy, webhook) that wants it, in the same durable spool, before the 250. A 451 when a queue write fails.
   */
  private async queueOutbound(o: RelayStartOptions, path: string, id: string, env: Envelope, identity: CameraIdentity | undefined, receivedAt: Date): Promise<SMTPServerError | undefined> {
    if (o.forward) {
      const to = planForward(env.to, o.forward.rules);
      if (to) {
        try {
          await this.host.spool.enqueue(path, id, env.from, to);
        } catch (e) {
          this.host.logger.error('relay could not queue a forward', String(e));
          return smtpError(451, 'Local error while queueing the message for forwarding; try again later');
        }
      }
    }
    const about: SpoolAbout = { receivedAt: receivedAt.toISOString(), clientIp: env.clientIp, camera: identity ? { name: identity.displayName, ip: identity.ip, mac: identity.mac, model: identity.model } : null };
    for (const t of pushTargetsFor(this.host.pushTargets.list(), identity, env.clientIp)) {
      try {
        await this.host.spool.enqueue(path, id, env.from, env.to, t.id, about);
      } catch (e) {
        this.host.logger.error(`relay could not queue a push to ${t.label}`, String(e));
        return smtpError(451, 'Local error while queueing the message for forwarding; try again later');
      }
    }
    return undefined;
  }
}

/** The `message-received` event of a message just indexed. */
function receivedMessage(m: MessageSummary, identity: CameraIdentity | undefined): ReceivedMessage {
  return {
    id: m.id,
    receivedAt: m.receivedAt,
    from: m.from,
    to: m.to,
    subject: m.subject,
    clientIp: m.clientIp,
    size: m.size,
    attachments: m.attachments,
    heloName: m.heloName,
    messageId: m.messageId,
    headerFrom: m.headerFrom,
    camera: m.camera,
    identity,
    sessionId: m.sessionId,
  };
}
