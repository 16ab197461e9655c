/**
 * The embedded SMTP relay: camera-compatible intake on smtp-server (plain SMTP, no AUTH or TLS
 * required, bare LF and empty HELO tolerated, reverse DNS off, explicit limits), an allow-list of client
 * addresses, durable Maildir storage before the 250 reply, on-demand reading, optional forwarding through a
 * durable spool, per-session transcripts with a quirk diagnosis, and in-process events for the UI adapter and the
 * commissioning test run. Plain Node: never imports electron.
 */
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerDataStream, type SMTPServerError, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { z } from 'zod';
import {
  forwardView,
  isClientAllowed,
  isWildcardAddress,
  messageMatches,
  normaliseIp,
  openRelayRisks,
  parseAllowEntry,
  planForward,
  RelayStartOptionsSchema,
  type AllowEntry,
  type MessageQuery,
  type MessageSummary,
  type QueueItem,
  type RelayStartInput,
  type RelayStartOptions,
  type RelayState,
  type SessionSummary,
  type TranscriptLine,
} from '../../../shared/domain/relay';
import { forwardPresets, type ForwardPreset, type MessageDetail, type ReceivedMessage, type SavedRelaySetup, type SessionOpened, type SessionRefused } from '../../../shared/domain/relay-views';
import { AppFailure } from '../../../shared/ipc/result';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { repairBareLfOn } from './line-endings';
import { listenFailure } from './listen-errors';
import { MaildirStore, type Envelope } from './maildir';
import { parseFull, ThumbnailCache } from './reader';
import { Spool, type UpstreamSender } from './spool';
import { summarizeMessage } from './summary';
import type { RelaySetupStore } from './relay-setup-store';
import { SessionLog } from './transcripts';

/** In-process events of the relay (the contract adapter forwards them to the UI; commissioning watches them). */
export interface RelayEvents {
  /** A message was stored (after retention ran, so listeners see the store as it stays). */
  'message-received': ReceivedMessage;
  /** A client the allow-list let in connected (the wizard's live "the camera connected" line). */
  'session-opened': SessionOpened;
  /** A client was turned away by the allow-list. */
  'session-refused': SessionRefused;
  'session-closed': SessionSummary;
  'state-changed': RelayState;
  'queue-changed': QueueItem[];
}

/** What the relay service needs from its host. */
export interface RelayServiceDeps {
  /** Folder for the Maildir, index, spool and thumbnails (created if missing). */
  dataDir: string;
  logger: Logger;
  /** Where the technician's relay setup is kept (startSetup/stopSetup/resumeSetup); without one nothing is saved. */
  setup?: RelaySetupStore;
  /** Milliseconds since the epoch (tests inject a fake clock). */
  clock?: () => number;
  /**
   * Names the camera behind a client address (e.g. from discovery), for the index and search. Not wired by any
   * host yet, so `MessageSummary.camera` stays empty until camera identity is built.
   */
  describeClient?: (ip: string) => string | undefined;
  /** Upstream sender (tests may wrap the nodemailer one). */
  upstreamSender?: UpstreamSender;
  /** Grace period for open sessions when stopping (default 2 s). */
  closeTimeoutMs?: number;
}

/** Where the relay listens after start. */
export interface RelayBound {
  address: string;
  port: number;
}

/** A downloadable file. */
export interface RelayDownload {
  filename: string;
  contentType: string;
  data: Buffer;
}

function smtpError(code: number, message: string): SMTPServerError {
  const e = new Error(message) as SMTPServerError;
  e.responseCode = code;
  return e;
}

/** The embedded SMTP relay service. */
export class RelayService {
  /** In-process events: `relay.events.on('message-received', ...)` returns the unsubscribe function. */
  readonly events = new Emitter<RelayEvents>();
  private readonly store: MaildirStore;
  private readonly spool: Spool;
  private readonly sessions: SessionLog;
  private readonly thumbs: ThumbnailCache;
  private readonly now: () => number;
  private opened?: Promise<void>;
  private server?: SMTPServer;
  private options?: RelayStartOptions;
  private allowList: AllowEntry[] = [];
  private status: RelayState['status'] = 'stopped';
  private bound?: RelayBound;
  private startedAt?: string;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly deps: RelayServiceDeps) {
    this.now = deps.clock ?? Date.now;
    this.store = new MaildirStore(join(deps.dataDir, 'maildir'), deps.logger, this.now);
    this.spool = new Spool(join(deps.dataDir, 'spool'), deps.logger, (items) => this.events.emit('queue-changed', items), this.now, deps.upstreamSender);
    this.sessions = new SessionLog({}, this.now);
    this.thumbs = new ThumbnailCache(join(deps.dataDir, 'thumbs'));
  }

  /** Opens the store and the spool (idempotent; start and every reader call it). */
  open(): Promise<void> {
    this.opened ??= (async () => {
      const r = await this.store.open();
      if (r.rebuilt || r.dropped) this.deps.logger.info(`relay index rebuilt: ${r.rebuilt} summarised from disk, ${r.dropped} stale lines dropped`);
      await this.spool.open();
    })().catch((e: unknown) => {
      this.opened = undefined;
      throw new AppFailure('STORAGE', `The relay cannot open its mail folder ${this.deps.dataDir}: ${(e as Error).message}. Check that the folder is writable and the disk not full.`, String(e));
    });
    return this.opened;
  }

  /** Starts listening. Refuses all-interfaces binds unless asked, and explains port errors per OS. */
  async start(input: RelayStartInput): Promise<RelayBound> {
    const parsed = RelayStartOptionsSchema.safeParse(input);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new AppFailure('VALIDATION', `Relay options: ${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'not accepted'}.`, z.treeifyError(parsed.error));
    }
    const o = parsed.data;
    if (this.status !== 'stopped') throw new AppFailure('CONFLICT', `The relay is already ${this.status}${this.bound ? ` on ${this.bound.address}:${this.bound.port}` : ''}; stop it first.`);
    if (isWildcardAddress(o.listenAddress) && !o.allowAllInterfaces) {
      throw new AppFailure(
        'VALIDATION',
        `Listening on every interface (${o.listenAddress || 'all'}) is refused by default; choose this computer's address on the camera LAN, or explicitly allow all interfaces.`,
      );
    }
    const allow: AllowEntry[] = [];
    for (const a of o.allow) {
      const r = parseAllowEntry(a);
      if (!r.ok) throw new AppFailure('VALIDATION', r.error);
      allow.push(r.entry);
    }
    this.assertNotOpenRelay(allow, !!o.forward);
    await this.open();
    this.status = 'starting';
    this.options = o;
    this.allowList = allow;
    const server = new SMTPServer(this.smtpOptions(o));
    this.patchConnect(server);
    server.on('error', (e) => this.deps.logger.warn('relay smtp error', String(e)));
    try {
      await new Promise<void>((resolve, reject) => {
        const onErr = (e: Error) => reject(e);
        server.server.once('error', onErr);
        server.listen(o.port, o.listenAddress.replace(/^\[|\]$/g, ''), () => {
          server.server.off('error', onErr);
          resolve();
        });
      });
    } catch (e) {
      this.status = 'stopped';
      this.options = undefined;
      server.server.close();
      throw listenFailure(e, o.listenAddress, o.port);
    }
    const addr = server.server.address();
    this.bound = typeof addr === 'object' && addr ? { address: addr.address, port: addr.port } : { address: o.listenAddress, port: o.port };
    this.server = server;
    this.status = 'listening';
    this.startedAt = new Date(this.now()).toISOString();
    this.spool.start(o.forward);
    await this.store.applyRetention(o.retention).catch((e: unknown) => this.deps.logger.warn('relay retention failed', String(e)));
    this.deps.logger.info(`relay listening on ${this.bound.address}:${this.bound.port}`);
    this.emitState();
    return { ...this.bound };
  }

  /** Stops listening, lets open sessions finish (grace period), waits for messages being stored. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server || this.status === 'stopping') return;
    this.status = 'stopping';
    this.emitState();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.allSettled([...this.pending]);
    await this.spool.stop();
    await this.store.close();
    this.server = undefined;
    this.bound = undefined;
    this.startedAt = undefined;
    this.status = 'stopped';
    this.emitState();
  }

  /** The relay state (listening address, allow-list, counts); the doctor reads it. */
  getState(): RelayState {
    const o = this.options;
    const f = o?.forward;
    return {
      status: this.status,
      listenAddress: this.bound?.address,
      port: this.bound?.port,
      allow: this.allowList.map((e) => e.text),
      acceptAnyAuth: o?.acceptAnyAuth ?? true,
      maxMessageBytes: o?.maxMessageBytes ?? RelayStartOptionsSchema.shape.maxMessageBytes.parse(undefined),
      messageCount: this.store.size,
      queueLength: this.spool.length,
      activeSessions: this.server?.connections.size ?? 0,
      forward: f ? forwardView(f) : undefined,
      dataDir: this.deps.dataDir,
      startedAt: this.startedAt,
    };
  }

  /** Adds an IP or CIDR to the allow-list at runtime (the commissioning flow adds the camera). */
  allow(entry: string): RelayState {
    const r = parseAllowEntry(entry);
    if (!r.ok) throw new AppFailure('VALIDATION', r.error);
    if (!this.allowList.some((e) => e.text === r.entry.text)) {
      this.assertNotOpenRelay([r.entry], !!this.options?.forward);
      this.allowList.push(r.entry);
    }
    this.emitState();
    return this.getState();
  }

  /** Replaces the allow-list. */
  setAllowList(entries: readonly string[]): RelayState {
    const next: AllowEntry[] = [];
    for (const a of entries) {
      const r = parseAllowEntry(a);
      if (!r.ok) throw new AppFailure('VALIDATION', r.error);
      if (!next.some((e) => e.text === r.entry.text)) next.push(r.entry);
    }
    this.assertNotOpenRelay(next, !!this.options?.forward);
    this.allowList = next;
    this.emitState();
    return this.getState();
  }

  /** Stored messages matching a query, newest first. */
  async listMessages(query: Partial<MessageQuery> = {}): Promise<{ total: number; items: MessageSummary[] }> {
    await this.open();
    const all = this.store.list().filter((m) => messageMatches(m, query));
    const offset = query.offset ?? 0;
    const limit = query.limit ?? 100;
    return { total: all.length, items: all.slice(offset, offset + limit) };
  }

  /** One stored message parsed, with JPEG thumbnails and the quirks of its session. */
  async getMessage(id: string): Promise<MessageDetail> {
    const { summary, raw } = await this.load(id);
    const parsed = await parseFull(raw);
    const attachments = await Promise.all(
      parsed.attachments.map(async (a, index) => ({
        index,
        filename: a.filename ?? `attachment-${index + 1}`,
        contentType: a.contentType,
        size: a.size,
        thumbnail: /^image\/p?jpe?g$/i.test(a.contentType) ? await this.thumbs.get(id, index, () => a.content) : undefined,
      })),
    );
    const headers: Array<{ key: string; value: string }> = parsed.headerLines.map((h) => ({ key: h.key, value: h.line.slice(h.line.indexOf(':') + 1).trim() }));
    return {
      summary,
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : undefined,
      headers,
      attachments,
      quirks: this.sessions.get(summary.sessionId)?.quirks ?? [],
    };
  }

  /** The raw source of a stored message. */
  async getRaw(id: string): Promise<RelayDownload> {
    const { raw } = await this.load(id);
    return { filename: `${id}.eml`, contentType: 'message/rfc822', data: raw };
  }

  /** One attachment of a stored message. */
  async getAttachment(id: string, index: number): Promise<RelayDownload> {
    const { raw } = await this.load(id);
    const parsed = await parseFull(raw);
    const a = parsed.attachments[index];
    if (!a) throw new AppFailure('NOT_FOUND', `Message ${id} has ${parsed.attachments.length} attachment(s); there is no attachment number ${index + 1}.`);
    return { filename: a.filename ?? `attachment-${index + 1}`, contentType: a.contentType, data: a.content };
  }

  /** Pins (or unpins) a message as commissioning evidence. */
  async pin(id: string, pinned = true): Promise<MessageSummary> {
    await this.open();
    const m = await this.store.pin(id, pinned);
    if (!m) throw this.notFound(id);
    return m;
  }

  /** Deletes a stored message. */
  async deleteMessage(id: string): Promise<boolean> {
    await this.open();
    const n = await this.store.remove([id]);
    if (n) this.emitState();
    return n > 0;
  }

  /** The forwarding queue. */
  async getQueue(): Promise<QueueItem[]> {
    await this.open();
    return this.spool.list();
  }

  /** Retries a queued forward now. */
  async retryNow(id: string): Promise<QueueItem[]> {
    await this.open();
    if (!(await this.spool.retryNow(id))) throw new AppFailure('NOT_FOUND', `No queued forward ${id}; refresh the queue.`);
    return this.spool.list();
  }

  /** Deletes a queued forward (the stored message stays). */
  async deleteQueued(id: string): Promise<QueueItem[]> {
    await this.open();
    if (!(await this.spool.remove(id))) throw new AppFailure('NOT_FOUND', `No queued forward ${id}; refresh the queue.`);
    this.emitState();
    return this.spool.list();
  }

  /** Recent SMTP sessions with their quirk diagnosis, newest first. */
  getSessions(limit = 100): SessionSummary[] {
    return this.sessions.list(limit);
  }

  /** The transcript of one session. */
  getTranscript(id: string): { session: SessionSummary; lines: TranscriptLine[] } {
    const session = this.sessions.get(id);
    const lines = this.sessions.transcript(id);
    if (!session || !lines) throw new AppFailure('NOT_FOUND', `Session ${id.slice(0, 40)} is no longer recorded (only the most recent sessions are kept).`);
    return { session, lines };
  }

  /** The upstream presets with their guides. */
  forwardPresets(): ForwardPreset[] {
    return forwardPresets();
  }

  /** The state after opening the store, so the message and queue counts are those on disk. */
  async currentState(): Promise<RelayState> {
    await this.open();
    return this.getState();
  }

  /**
   * Starts the relay as the technician set it up, and remembers the setup so the relay comes back after a restart.
   * A start without a password for the same upstream server and login reuses the sealed one (the UI never
   * receives it, so it cannot send it back).
   */
  async startSetup(options: RelayStartOptions): Promise<RelayState> {
    const withPassword = this.deps.setup?.withSavedPassword(options) ?? options;
    await this.start(withPassword);
    this.deps.setup?.save(withPassword);
    return this.getState();
  }

  /** Stops the relay on the technician's request: the setup is kept, but the relay no longer comes back by itself. */
  async stopSetup(): Promise<RelayState> {
    await this.stop();
    this.deps.setup?.disableAutoStart();
    return this.getState();
  }

  /** The saved setup without its password (only whether one is saved); null when the relay was never set up. */
  getSavedSetup(): SavedRelaySetup | null {
    return this.deps.setup?.view() ?? null;
  }

  /** Starts the relay as the technician last left it running; a failure is logged, never thrown (app start-up). */
  async resumeSetup(): Promise<void> {
    const saved = this.deps.setup?.load();
    if (!saved?.autoStart) return;
    if (saved.warning) this.deps.logger.warn(saved.warning);
    try {
      await this.start(saved.options);
    } catch (e) {
      this.deps.logger.warn(`the relay did not come back as last started (${saved.options.listenAddress}:${saved.options.port ?? 25}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  private async load(id: string): Promise<{ summary: MessageSummary; raw: Buffer }> {
    await this.open();
    const summary = this.store.get(id);
    const raw = summary ? await this.store.raw(id).catch(() => undefined) : undefined;
    if (!summary || !raw) throw this.notFound(id);
    return { summary, raw };
  }

  private assertNotOpenRelay(allow: AllowEntry[], forwarding: boolean): void {
    const risks = openRelayRisks(allow, forwarding);
    if (risks.length) {
      throw new AppFailure(
        'VALIDATION',
        `Allow-list entry ${risks.join(', ')} includes internet addresses; with forwarding on, that would make an open relay. Allow only the camera LAN (e.g. 192.168.0.0/24).`,
        { risks },
      );
    }
  }

  private notFound(id: string): AppFailure {
    return new AppFailure('NOT_FOUND', `There is no stored message ${id}; it may have been deleted by retention. Refresh the inbox.`);
  }

  private emitState(): void {
    this.events.emit('state-changed', this.getState());
  }

  private smtpOptions(o: RelayStartOptions): SMTPServerOptions {
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
      closeTimeout: this.deps.closeTimeoutMs ?? 2000,
      maxCommandLength: 4096,
      logger: this.sessions.smtpLogger((m) => this.deps.logger.info(`relay smtp: ${m}`)),
      onConnect: (session, cb) => this.onConnect(session, cb),
      onAuth: (auth, session, cb) => this.onAuth(auth, session, cb),
      onData: (stream, session, cb) => this.onData(stream, session, cb),
      onClose: (session) => {
        this.sessions.end(session.id);
        const s = this.sessions.get(session.id);
        if (s) this.events.emit('session-closed', s);
      },
    };
  }

  /**
   * Hooks each new connection: records the session from its first byte (early talkers included), repairs bare
   * LF line endings, and accepts an empty HELO/EHLO (smtp-server answers 501 and then refuses MAIL).
   */
  private patchConnect(server: SMTPServer): void {
    const original = server.connect.bind(server);
    server.connect = (socket, socketOptions) => {
      const repair = repairBareLfOn(socket as Socket);
      original(socket, socketOptions);
      let conn: (typeof server.connections extends Set<infer C> ? C : never) | undefined;
      for (const c of server.connections) conn = c;
      if (!conn) return;
      const c = conn;
      const id = c.id;
      this.sessions.begin(id, normaliseIp(c.remoteAddress));
      const markBareLf = () => {
        if (repair.sawBareLf) this.sessions.flag(id, 'bareLf');
      };
      socket.once('close', markBareLf);
      for (const verb of ['EHLO', 'HELO'] as const) {
        const key = verb === 'EHLO' ? 'handler_EHLO' : 'handler_HELO';
        const handler = c[key].bind(c);
        c[key] = (command: Buffer, callback: () => void) => {
          markBareLf();
          const parts = command.toString().trim().split(/\s+/);
          if (parts.length < 2) {
            this.sessions.flag(id, 'emptyHelo');
            return handler(Buffer.from(`${verb} [${normaliseIp(c.remoteAddress)}]`), callback);
          }
          this.sessions.setHelo(id, parts[1]);
          return handler(command, callback);
        };
      }
    };
  }

  private onConnect(session: SMTPServerSession, cb: (err?: Error | null) => void): void {
    const ip = normaliseIp(session.remoteAddress);
    if (isClientAllowed(ip, this.allowList)) {
      this.events.emit('session-opened', { sessionId: session.id, clientIp: ip, at: new Date(this.now()).toISOString() });
      return cb();
    }
    this.sessions.refused(session.id);
    const reason = `${ip} is not on the allow-list of this relay`;
    this.deps.logger.warn(`relay refused ${ip}: not on the allow-list`);
    this.events.emit('session-refused', { sessionId: session.id, clientIp: ip, reason, at: new Date(this.now()).toISOString() });
    cb(smtpError(554, `${reason}; add it in Sarix Commissioner (Relay > Allowed senders)`));
  }

  private onAuth(auth: SMTPServerAuthentication, session: SMTPServerSession, cb: (err: Error | null | undefined, res?: { user?: unknown }) => void): void {
    if (!this.options?.acceptAnyAuth) return cb(smtpError(535, 'Authentication is not used by this relay; remove the login from the sender'));
    this.sessions.add(session.id, 'I', `accepted any login (${auth.method}, user "${String(auth.username ?? '').slice(0, 64)}") without checking it`);
    cb(null, { user: auth.username || 'anonymous' });
  }

  private onData(stream: SMTPServerDataStream, session: SMTPServerSession, cb: (err?: Error | null, message?: string) => void): void {
    const o = this.options;
    if (!o) {
      stream.resume();
      return cb(smtpError(421, 'Relay is shutting down; try again later'));
    }
    const clientIp = normaliseIp(session.remoteAddress);
    const env: Envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      clientIp,
      heloName: session.hostNameAppearsAs || '',
      sessionId: session.id,
      camera: this.deps.describeClient?.(clientIp),
    };
    const receivedAt = new Date(this.now());
    const work = (async () => {
      let result;
      try {
        result = await this.store.ingest(stream, env, o.maxMessageBytes, receivedAt);
      } catch (e) {
        if ((e as { code?: string }).code === 'ECONNECTION' || (e as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
        this.deps.logger.error('relay could not store a message', String(e));
        return cb(smtpError(451, 'Local error while storing the message; try again later'));
      }
      if (result.oversized) {
        this.sessions.flag(session.id, 'tooLarge');
        return cb(smtpError(552, `Message too large: the limit of this relay is ${o.maxMessageBytes} bytes`));
      }
      const path = this.store.pathOf(result.id) ?? join(this.store.dir, 'new', result.id);
      if (o.forward) {
        const to = planForward(env.to, o.forward.rules);
        if (to) {
          try {
            await this.spool.enqueue(path, result.id, env.from, to);
          } catch (e) {
            this.deps.logger.error('relay could not queue a forward', String(e));
            return cb(smtpError(451, 'Local error while queueing the message for forwarding; try again later'));
          }
        }
      }
      cb(null, `Message stored as ${result.id}`);
      this.sessions.accepted(session.id);
      const content = result.content ?? (await summarizeMessage(this.store.streamPath(path)));
      const m = await this.store.index(result.id, env, result.size, receivedAt, content);
      // Retention runs before the event, so a listener sees the store as it will stay.
      const removed = await this.store.applyRetention(o.retention);
      this.events.emit('message-received', {
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
        sessionId: m.sessionId,
      });
      if (removed.length) this.emitState();
    })().catch((e: unknown) => this.deps.logger.error('relay intake failed after storing', String(e)));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}
