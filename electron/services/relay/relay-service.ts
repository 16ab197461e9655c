/**
 * The embedded SMTP relay: camera-compatible intake on smtp-server (plain SMTP, no AUTH or TLS
 * required, bare LF and empty HELO tolerated, reverse DNS off, explicit limits), an allow-list of client
 * addresses, durable Maildir storage before the 250 reply, on-demand reading, optional forwarding through a
 * durable spool, per-session transcripts with a quirk diagnosis, and in-process events for the UI adapter and the
 * commissioning test run. Plain Node: never imports electron.
 */
import { join } from 'node:path';
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
  plainPasswordRisk,
  planForward,
  RelayStartOptionsSchema,
  RetentionSchema,
  type AllowEntry,
  type MessageQuery,
  type MessageSummary,
  type QueueItem,
  type RelayStartInput,
  type RelayStartOptions,
  type RelayState,
  type Retention,
  type SessionSummary,
  type TranscriptLine,
} from '../../../shared/domain/relay';
import { forwardPresets, type ForwardPreset, type MessageDetail, type ReceivedMessage, type SavedRelaySetup, type SessionOpened, type SessionRefused } from '../../../shared/domain/relay-views';
import type { CameraOverview } from '../../../shared/domain/relay-cameras';
import type { Advice } from '../../../shared/domain/relay-diagnosis';
import type { DeleteResult, DiskUsage, InboxCounts, InboxPage, InboxQuery, MessageSource, SessionDetail, SessionRow, Snapshot } from '../../../shared/domain/relay-inbox';
import { pushTargetsFor, type PushTargetInput, type PushTargetView } from '../../../shared/domain/relay-push';
import { AppFailure } from '../../../shared/ipc/result';
import type { AxiosInstance } from 'axios';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import type { SecretBox } from '../common/secret-box';
import { CameraRegistry } from './camera-registry';
import { pushHttpClient, pushSpoolTarget, type DescribeMessage } from './push-senders';
import { PushTargetStore } from './push-target-store';
import { ReadState } from './read-state';
import { RelayInbox, type DeleteScope } from './relay-inbox';
import { listenFailure } from './listen-errors';
import { MaildirStore, type Envelope } from './maildir';
import { parseFull, ThumbnailCache } from './reader';
import { Spool, type SpoolAbout, type UpstreamSender } from './spool';
import { summarizeMessage } from './summary';
import { cleanAttachmentName } from './attachment-name';
import { privateDir } from './private-files';
import type { RelaySetupStore } from './relay-setup-store';
import { adaptSmtpServer } from './smtp-adaptations';
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
  /** The counts behind the badges changed (mail, read marks, queue, refusals, cameras); at most a few per second. */
  'inbox-changed': InboxCounts;
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
   * The cameras the relay knows (discovery, commissioning and practice feed it in process; the technician names
   * them). Default: a registry kept in `<dataDir>/cameras.json`.
   */
  cameras?: CameraRegistry;
  /** Seals push-target tokens at rest (Electron safeStorage); without one, tokens are kept for the run only. */
  secrets?: SecretBox;
  /** HTTP client of the push targets (tests may shorten its timeout). */
  pushHttp?: AxiosInstance;
  /** Upstream sender (tests may wrap the nodemailer one). */
  upstreamSender?: UpstreamSender;
  /** Grace period for open sessions when stopping (default 2 s). */
  closeTimeoutMs?: number;
  /** Connection limits beyond smtp-server's (defaults: sessionLimitsFor(maxClients)). */
  sessionLimits?: Partial<SessionLimits>;
}

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
  private limits: SessionLimits = sessionLimitsFor(100);
  /** Normalised address and allow-list verdict per socket address (a connection asks several times; cleared when the list changes). */
  private readonly clients = new Map<string, { ip: string; isAllowed: boolean }>();
  private readonly pending = new Set<Promise<void>>();
  /** The camera registry (identity of every message and session). */
  readonly cameras: CameraRegistry;
  private readonly reads: ReadState;
  private readonly pushTargets: PushTargetStore;
  private readonly inbox: RelayInbox;
  private readonly pushHttp: AxiosInstance;
  private countsTimer?: NodeJS.Timeout;

  constructor(private readonly deps: RelayServiceDeps) {
    this.now = deps.clock ?? Date.now;
    this.store = new MaildirStore(join(deps.dataDir, 'maildir'), deps.logger, this.now);
    this.spool = new Spool(
      join(deps.dataDir, 'spool'),
      deps.logger,
      (items) => {
        this.events.emit('queue-changed', items);
        this.countsChanged();
      },
      this.now,
      deps.upstreamSender,
    );
    this.sessions = new SessionLog({}, this.now);
    this.thumbs = new ThumbnailCache(join(deps.dataDir, 'thumbs'));
    this.cameras = deps.cameras ?? new CameraRegistry(join(deps.dataDir, 'cameras.json'), deps.logger, this.now);
    this.cameras.events.on('changed', () => this.countsChanged());
    this.reads = new ReadState(join(deps.dataDir, 'read.json'), deps.logger);
    this.pushTargets = new PushTargetStore(join(deps.dataDir, 'push-targets.json'), deps.logger, deps.secrets);
    this.pushHttp = deps.pushHttp ?? pushHttpClient();
    this.inbox = new RelayInbox({
      dataDir: deps.dataDir,
      store: this.store,
      sessions: this.sessions,
      spool: this.spool,
      cameras: this.cameras,
      reads: this.reads,
      thumbsDir: join(deps.dataDir, 'thumbs'),
      now: this.now,
      isListening: () => this.status === 'listening',
      isAllowed: (ip) => isClientAllowed(ip, this.allowList),
      retention: () => this.options?.retention ?? RelayStartOptionsSchema.shape.retention.parse(undefined),
      upstreamHost: () => this.options?.forward?.host,
    });
  }

  /** Opens the store and the spool (idempotent; start and every reader call it). */
  open(): Promise<void> {
    this.opened ??= (async () => {
      // The data folder and everything in it: this user only (private-files.ts); thumbnails left by an older version too.
      await privateDir(this.deps.dataDir);
      await this.thumbs.tighten();
      const r = await this.store.open();
      if (r.rebuilt || r.dropped) this.deps.logger.info(`relay index rebuilt: ${r.rebuilt} summarised from disk, ${r.dropped} stale lines dropped`);
      await this.spool.open();
      this.spool.setPushTargets(this.pushTargets.list().map((t) => pushSpoolTarget(t, this.describeForPush, this.pushHttp)));
      await this.inbox.sweepThumbnails();
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
    const clearLogin = o.forward && plainPasswordRisk(o.forward);
    if (clearLogin) throw new AppFailure('VALIDATION', clearLogin);
    if (o.forward && o.forward.security === 'none' && (o.forward.user || o.forward.password)) {
      this.deps.logger.warn(`relay: forwarding to ${o.forward.host}:${o.forward.port} sends its login unencrypted (allowed explicitly)`);
    }
    await this.open();
    this.status = 'starting';
    this.options = o;
    this.allowList = allow;
    this.clients.clear();
    this.limits = { ...sessionLimitsFor(o.maxClients), ...this.deps.sessionLimits };
    const server = new SMTPServer(this.smtpOptions(o));
    this.server = server;
    adaptSmtpServer(
      server,
      {
        onSession: (id, ip) => this.sessions.begin(id, this.client(ip).ip),
        isTrusted: (ip) => this.client(ip).isAllowed,
        onHelo: (id, name) => (name === undefined ? this.sessions.flag(id, 'emptyHelo') : this.sessions.setHelo(id, name)),
        onBareLf: (id) => this.sessions.flag(id, 'bareLf'),
        onDeadline: (id, ip) => this.deps.logger.warn(`relay: session ${id} from ${this.client(ip).ip} reached the ${this.limits.sessionDeadlineMs / 1000} s session limit and was closed`),
      },
      { sessionDeadlineMs: this.limits.sessionDeadlineMs },
    );
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
      this.server = undefined;
      server.server.close();
      throw listenFailure(e, o.listenAddress, o.port);
    }
    const addr = server.server.address();
    this.bound = typeof addr === 'object' && addr ? { address: addr.address, port: addr.port } : { address: o.listenAddress, port: o.port };
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
    this.cameras.flush();
    this.reads.flush();
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
      this.clients.clear();
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
    this.clients.clear();
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
    const parsed = await parseFull(raw, `Message ${id}`);
    const attachments = await Promise.all(
      parsed.attachments.map(async (a, index) => ({
        index,
        filename: cleanAttachmentName(a.filename) || `attachment-${index + 1}`,
        contentType: a.contentType,
        size: a.size,
        thumbnail: /^image\/p?jpe?g$/i.test(a.contentType) ? await this.thumbs.get(id, index, () => a.content) : undefined,
      })),
    );
    // The name as written in the message ("Received", "X-Envelope-To"), not mailparser's lower-cased key.
    const headers: Array<{ key: string; value: string }> = parsed.headerLines.map((h) => ({ key: h.line.slice(0, Math.max(0, h.line.indexOf(':'))).trim() || h.key, value: h.line.slice(h.line.indexOf(':') + 1).trim() }));
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
    const { summary, raw } = await this.load(id);
    return { filename: this.inbox.rawName(summary), contentType: 'message/rfc822', data: raw };
  }

  /** One attachment of a stored message. */
  async getAttachment(id: string, index: number): Promise<RelayDownload> {
    const { summary, raw } = await this.load(id);
    const parsed = await parseFull(raw, `Message ${id}`);
    const a = parsed.attachments[index];
    if (!a) throw new AppFailure('NOT_FOUND', `Message ${id} has ${parsed.attachments.length} attachment(s); there is no attachment number ${index + 1}.`);
    return { filename: this.inbox.attachmentName(summary, cleanAttachmentName(a.filename) || `attachment-${index + 1}`), contentType: a.contentType, data: a.content };
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
    await this.inbox.forget([id]);
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

  /** One window of the inbox for a search (operators: see shared/domain/relay-search.ts), with identity and unread marks. */
  async searchMessages(q: InboxQuery): Promise<InboxPage> {
    await this.open();
    return this.inbox.search(q);
  }

  /** The counts behind the live badges. */
  async getCounts(): Promise<InboxCounts> {
    await this.open();
    return this.inbox.counts();
  }

  /** Marks messages read or unread (opening a message in the inbox marks it read). */
  async markRead(ids: readonly string[], isRead: boolean): Promise<InboxCounts> {
    await this.open();
    if (this.inbox.markRead(ids, isRead)) this.countsChanged();
    return this.inbox.counts();
  }

  /** Marks every message matching a search read. */
  async markAllRead(q: string, tzOffsetMinutes: number): Promise<InboxCounts> {
    await this.open();
    if (this.inbox.markAllRead(q, tzOffsetMinutes)) this.countsChanged();
    return this.inbox.counts();
  }

  /** Deletes messages by id, by search or all; pinned evidence only with includePinned (the UI asks first). */
  async deleteMessages(scope: DeleteScope, includePinned: boolean): Promise<DeleteResult> {
    await this.open();
    const r = await this.inbox.delete(scope, includePinned);
    if (r.deleted) {
      this.emitState();
      this.countsChanged();
    }
    return r;
  }

  /** The Cameras tab: each known camera (and unknown sender) with mail count, last mail, last refusal, test result. */
  async getCameras(): Promise<CameraOverview[]> {
    await this.open();
    return this.inbox.cameraOverview();
  }

  /** Names a camera (by key or address; an address nobody knows becomes a named camera), or clears the name. */
  async nameCamera(ref: string, label: string | null): Promise<CameraOverview[]> {
    await this.open();
    this.cameras.setLabel(ref, label);
    return this.inbox.cameraOverview();
  }

  /** Recent SMTP sessions (refused ones included) with who it was and the first piece of advice. */
  listSessions(limit = 100): SessionRow[] {
    return this.inbox.sessionRows(limit);
  }

  /** One session: transcript, advice in plain words with actions, its messages and their queued forwards. */
  async getSession(id: string): Promise<SessionDetail> {
    await this.open();
    return this.inbox.session(id);
  }

  /** Advice for failed queued forwards ("550 from the upstream"). */
  async getQueueAdvice(): Promise<Array<{ id: string; advice: Advice }>> {
    await this.open();
    return this.inbox.queueAdvice(this.spool.list());
  }

  /** The raw source of a message for reading (cut at 512 KiB; the download has it all). */
  async getSource(id: string): Promise<MessageSource> {
    await this.open();
    return this.inbox.source(id);
  }

  /** A JPEG attachment at full size, re-encoded on the machine side. */
  async getSnapshot(id: string, index: number): Promise<Snapshot> {
    await this.open();
    return this.inbox.snapshot(id, index);
  }

  /** How much disk the relay uses, what is left, and the retention that bounds it. */
  async getDiskUsage(): Promise<DiskUsage> {
    await this.open();
    return this.inbox.diskUsage();
  }

  /** Changes retention while running (and in the saved setup), then applies it at once; returns the removed count. */
  async setRetention(input: Partial<Retention>): Promise<{ removed: number; retention: Retention }> {
    await this.open();
    if (!this.options) throw new AppFailure('CONFLICT', 'Start the relay first: retention is part of its setup and applies while it runs.');
    const retention = RetentionSchema.parse({ ...this.options.retention, ...input });
    this.options = { ...this.options, retention };
    this.deps.setup?.save(this.options);
    const removed = await this.store.applyRetention(retention);
    await this.inbox.forget(removed);
    if (removed.length) {
      this.emitState();
      this.countsChanged();
    }
    return { removed: removed.length, retention };
  }

  /** The push targets (ntfy, webhooks) without their tokens. */
  getPushTargets(): PushTargetView[] {
    return this.pushTargets.views();
  }

  /** Replaces the push targets; a target sent without a token keeps its saved one. */
  async setPushTargets(targets: readonly PushTargetInput[]): Promise<PushTargetView[]> {
    await this.open();
    const views = this.pushTargets.save(targets);
    this.spool.setPushTargets(this.pushTargets.list().map((t) => pushSpoolTarget(t, this.describeForPush, this.pushHttp)));
    return views;
  }

  /** Sends a test notification to one push target now (not queued), and says whether it was accepted. */
  async testPushTarget(id: string): Promise<{ target: string }> {
    const t = this.pushTargets.list().find((x) => x.id === id);
    if (!t) throw new AppFailure('NOT_FOUND', `No push target "${id}"; save it first.`);
    const at = new Date(this.now());
    const raw = Buffer.from(
      `From: Sarix Commissioner relay <relay@sarix.invalid>\r\nTo: ${t.label.replace(/[\r\n]/g, ' ')}\r\nSubject: Test from the Sarix Commissioner relay\r\nDate: ${at.toUTCString()}\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n\r\nThis is a test. Camera mail received by the relay will arrive here like this.\r\n',
    );
    try {
      await pushSpoolTarget(t, () => undefined, this.pushHttp).send({ id: `test-${at.getTime()}`, messageId: 'test', from: 'relay@sarix.invalid', to: [t.label] }, raw);
    } catch (e) {
      throw new AppFailure('NETWORK', `${t.label} did not accept the test: ${e instanceof Error ? e.message : String(e)}. Check the URL and the token.`);
    }
    return { target: t.label };
  }

  /** What a push says about a stored message: when, from where, which camera. */
  private readonly describeForPush: DescribeMessage = (messageId) => {
    const m = this.store.get(messageId);
    if (!m) return undefined;
    const id = this.cameras.identify(m.clientIp, m.heloName);
    return { receivedAt: m.receivedAt, clientIp: m.clientIp, camera: id ? { name: id.displayName, ip: id.ip, mac: id.mac, model: id.model } : null };
  };

  /**
   * Emits inbox-changed with fresh counts, at most every 250 ms (a burst of mail is one update, not hundreds).
   * Nothing at all when nobody listens (`sarix relay`): the counts walk every stored message and session, which at
   * 10,000 stored cost more CPU during a burst than the mail itself.
   */
  private countsChanged(): void {
    if (this.countsTimer || this.events.listenerCount('inbox-changed') === 0) return;
    this.countsTimer = setTimeout(() => {
      this.countsTimer = undefined;
      if (this.opened) this.events.emit('inbox-changed', this.inbox.counts());
    }, 250);
    this.countsTimer.unref();
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
    // The allow-list or the message count may have changed: the badges follow.
    this.countsChanged();
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

  private onConnect(session: SMTPServerSession, cb: (err?: Error | null) => void): void {
    const { ip, isAllowed } = this.client(session.remoteAddress);
    if (isAllowed) {
      const busy = this.overLimit(session.remoteAddress);
      if (!busy) this.events.emit('session-opened', { sessionId: session.id, clientIp: ip, at: new Date(this.now()).toISOString() });
      return cb(busy);
    }
    this.sessions.refused(session.id);
    const reason = `${ip} is not on the allow-list of this relay`;
    this.deps.logger.warn(`relay refused ${ip}: not on the allow-list`);
    const at = new Date(this.now()).toISOString();
    this.cameras.noteRefusal(ip, reason, at);
    this.events.emit('session-refused', { sessionId: session.id, clientIp: ip, reason, at, camera: this.cameras.identify(ip)?.displayName });
    cb(smtpError(554, `${reason}; add it in Sarix Commissioner (Relay > Allowed senders)`));
  }

  /** The normalised address of a socket address and whether the allow-list admits it (cached: parsing costs). */
  private client(remoteAddress: string): { ip: string; isAllowed: boolean } {
    let c = this.clients.get(remoteAddress);
    if (!c) {
      const ip = normaliseIp(remoteAddress);
      c = { ip, isAllowed: isClientAllowed(ip, this.allowList) };
      // Bounded: a sweep of many addresses only costs re-parsing.
      if (this.clients.size >= 4096) this.clients.clear();
      this.clients.set(remoteAddress, c);
    }
    return c;
  }

  /**
   * A 421 (try again later) when this connection would break the slot sharing (SessionLimits), else null.
   * Counts smtp-server's open connections, this one included (a refused or closing one no longer counts).
   */
  private overLimit(remoteAddress: string): SMTPServerError | null {
    const connections = this.server?.connections;
    if (!connections) return null;
    let mine = 0;
    for (const c of connections) if (c.remoteAddress === remoteAddress) mine++;
    const { maxPerClient, reservedSlots } = this.limits;
    const { ip } = this.client(remoteAddress);
    if (mine > maxPerClient) {
      this.deps.logger.warn(`relay refused a connection from ${ip}: it already has ${mine - 1} open (limit ${maxPerClient} per address)`);
      return smtpError(421, `Too many connections from ${ip} (at most ${maxPerClient} at once); try again in a moment`);
    }
    const maxClients = this.options?.maxClients ?? Infinity;
    if (mine > 1 && connections.size > maxClients - reservedSlots) {
      this.deps.logger.warn(`relay refused a further connection from ${ip}: the last ${reservedSlots} slots are kept for other senders`);
      return smtpError(421, `The relay is busy; the remaining slots are kept for other senders. Try again in a moment`);
    }
    return null;
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
    const clientIp = this.client(session.remoteAddress).ip;
    // smtp-server leaves hostNameAppearsAs false until a HELO/EHLO arrives.
    const identity = this.cameras.identify(clientIp, session.hostNameAppearsAs || '');
    const env: Envelope = {
      from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
      to: session.envelope.rcptTo.map((r) => r.address),
      clientIp,
      heloName: session.hostNameAppearsAs || '',
      sessionId: session.id,
      camera: identity?.displayName,
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
      // Summarised before the 250 (in memory while writing; big messages from the file): a message over the MIME
      // parser's limits could never be opened, so the sender gets a 5xx it can log instead of a 250.
      const content = result.content ?? (await summarizeMessage(this.store.streamPath(path)));
      if (content.overLimit) {
        await this.store.discard(result.id);
        this.deps.logger.warn(`relay refused a message from ${clientIp}: it has ${content.overLimit}`);
        return cb(smtpError(554, `Message refused: it has ${content.overLimit}, which this relay cannot open; send a simpler message`));
      }
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
      // Push targets (ntfy, webhook) use the same durable spool: queued before the 250, like a forward.
      const about: SpoolAbout = { receivedAt: receivedAt.toISOString(), clientIp, camera: identity ? { name: identity.displayName, ip: identity.ip, mac: identity.mac, model: identity.model } : null };
      for (const t of pushTargetsFor(this.pushTargets.list(), identity, clientIp)) {
        try {
          await this.spool.enqueue(path, result.id, env.from, env.to, t.id, about);
        } catch (e) {
          this.deps.logger.error(`relay could not queue a push to ${t.label}`, String(e));
          return cb(smtpError(451, 'Local error while queueing the message for forwarding; try again later'));
        }
      }
      cb(null, `Message stored as ${result.id}`);
      this.sessions.accepted(session.id);
      const m = await this.store.index(result.id, env, result.size, receivedAt, content);
      // Retention runs before the event, so a listener sees the store as it will stay.
      const removed = await this.store.applyRetention(o.retention);
      if (removed.length) await this.inbox.forget(removed);
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
        identity,
        sessionId: m.sessionId,
      });
      this.countsChanged();
      if (removed.length) this.emitState();
    })().catch((e: unknown) => this.deps.logger.error('relay intake failed after storing', String(e)));
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }
}
