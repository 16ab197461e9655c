/**
 * The embedded SMTP relay: camera-compatible intake on smtp-server (plain SMTP, no AUTH or TLS
 * required, bare LF and empty HELO tolerated, reverse DNS off, explicit limits), an allow-list of client
 * addresses, durable Maildir storage before the 250 reply, on-demand reading, optional forwarding through a
 * durable spool, per-session transcripts with a quirk diagnosis, and in-process events for the UI adapter and the
 * commissioning test run. Plain Node: never imports electron.
 */
// Long on purpose: RelayService is the relay's one public face (the contract maps some 40 channels to its methods, most a few lines that open the store and delegate); the SMTP intake is smtp-intake.ts, the inbox views relay-inbox.ts, the saved setup relay-setup-store.ts.
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import { z } from 'zod';
import {
  forwardView,
  isClientAllowed,
  isWildcardAddress,
  messageMatches,
  openRelayRisks,
  parseAllowEntry,
  plainPasswordRefusal,
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
import { forwardPresets, type ForwardPreset, type MessageDetail, type SavedRelaySetup } from '../../../shared/domain/relay-views';
import type { CameraOverview } from '../../../shared/domain/relay-cameras';
import { createCoalescer, LIVE_REFRESH } from '../../../shared/domain/coalesce';
import type { Advice } from '../../../shared/domain/relay-diagnosis';
import type { DeleteResult, DiskUsage, InboxCounts, InboxPage, InboxQuery, MessageSource, SessionDetail, SessionRow, Snapshot } from '../../../shared/domain/relay-inbox';
import type { PushTargetInput, PushTargetView } from '../../../shared/domain/relay-push';
import { failure } from '../../../shared/i18n/messages';
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
import { MaildirStore } from './maildir';
import { parseFull, ThumbnailCache } from './reader';
import { Spool, type UpstreamSender } from './spool';
import { cleanAttachmentName } from './attachment-name';
import { privateDir } from './private-files';
import type { RelaySetupStore } from './relay-setup-store';
import { adaptSmtpServer } from './smtp-adaptations';
import { SessionLog } from './transcripts';
import type { RelayEvents } from './relay-events';
import { SmtpIntake, sessionLimitsFor, type SessionLimits } from './smtp-intake';

export type { RelayEvents } from './relay-events';
export { sessionLimitsFor, type SessionLimits } from './smtp-intake';

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
  private readonly intake: SmtpIntake;
  /** The camera registry (identity of every message and session). */
  readonly cameras: CameraRegistry;
  private readonly reads: ReadState;
  private readonly pushTargets: PushTargetStore;
  private readonly inbox: RelayInbox;
  /** Made on first use: most relays have no push target, and axios is then never loaded (common/lazy-module.ts). */
  private pushHttpClient?: AxiosInstance;
  private get pushHttp(): AxiosInstance {
    return (this.pushHttpClient ??= pushHttpClient());
  }
  /** One `inbox-changed` per burst of changes (a quarter second after it, at least once a second during it). */
  private readonly countsRefresh = createCoalescer(
    () => {
      if (this.opened) this.events.emit('inbox-changed', this.inbox.counts());
    },
    LIVE_REFRESH,
    { set: (fn, ms) => setTimeout(fn, ms).unref(), clear: (h) => clearTimeout(h as NodeJS.Timeout) },
  );

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
    this.pushHttpClient = deps.pushHttp;
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
    this.intake = new SmtpIntake({
      logger: deps.logger,
      now: this.now,
      closeTimeoutMs: deps.closeTimeoutMs,
      events: this.events,
      sessions: this.sessions,
      cameras: this.cameras,
      store: this.store,
      spool: this.spool,
      inbox: this.inbox,
      pushTargets: this.pushTargets,
      options: () => this.options,
      allowList: () => this.allowList,
      limits: () => this.limits,
      connections: () => this.server?.connections,
      countsChanged: () => this.countsChanged(),
      stateChanged: () => this.emitState(),
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
      throw failure('STORAGE', 'errors.STORAGE.relayFolder', { folder: this.deps.dataDir, reason: (e as Error).message }, String(e));
    });
    return this.opened;
  }

  /** Starts listening. Refuses all-interfaces binds unless asked, and explains port errors per OS. */
  async start(input: RelayStartInput): Promise<RelayBound> {
    const parsed = RelayStartOptionsSchema.safeParse(input);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      const details = z.treeifyError(parsed.error);
      if (!i) throw failure('VALIDATION', 'errors.VALIDATION.relayOptionsRefused', undefined, details);
      throw failure('VALIDATION', 'errors.VALIDATION.relayOptions', { path: i.path.join('.') || '(root)', problem: i.message }, details);
    }
    const o = parsed.data;
    if (this.status !== 'stopped') {
      const status = this.status;
      throw this.bound
        ? failure('CONFLICT', 'errors.CONFLICT.relayRunningOn', { status, address: this.bound.address, port: String(this.bound.port) })
        : failure('CONFLICT', 'errors.CONFLICT.relayRunning', { status });
    }
    if (isWildcardAddress(o.listenAddress) && !o.allowAllInterfaces) {
      throw failure('VALIDATION', 'errors.VALIDATION.everyInterface', { address: o.listenAddress || 'all' });
    }
    const allow: AllowEntry[] = [];
    for (const a of o.allow) {
      const r = parseAllowEntry(a);
      if (!r.ok) throw failure('VALIDATION', r.key, r.params);
      allow.push(r.entry);
    }
    this.assertNotOpenRelay(allow, !!o.forward);
    const clearLogin = o.forward && plainPasswordRefusal(o.forward);
    if (clearLogin) throw failure('VALIDATION', clearLogin.key, clearLogin.params);
    if (o.forward && o.forward.security === 'none' && (o.forward.user || o.forward.password)) {
      this.deps.logger.warn(`relay: forwarding to ${o.forward.host}:${o.forward.port} sends its login unencrypted (allowed explicitly)`);
    }
    await this.open();
    this.status = 'starting';
    this.options = o;
    this.allowList = allow;
    this.intake.clearClients();
    this.limits = { ...sessionLimitsFor(o.maxClients), ...this.deps.sessionLimits };
    const server = new SMTPServer(this.intake.smtpOptions(o));
    this.server = server;
    adaptSmtpServer(
      server,
      {
        onSession: (id, ip) => this.sessions.begin(id, this.intake.client(ip).ip),
        isTrusted: (ip) => this.intake.client(ip).isAllowed,
        onHelo: (id, name) => (name === undefined ? this.sessions.flag(id, 'emptyHelo') : this.sessions.setHelo(id, name)),
        onBareLf: (id) => this.sessions.flag(id, 'bareLf'),
        onDeadline: (id, ip) => this.deps.logger.warn(`relay: session ${id} from ${this.intake.client(ip).ip} reached the ${this.limits.sessionDeadlineMs / 1000} s session limit and was closed`),
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
    if (!server) {
      // Never started (a CLI command, the app before the relay runs): what the registry learned meanwhile (a camera
      // commissioned, a name given) is still waiting in its 300 ms batch; the process may exit right after this.
      this.cameras.flush();
      this.reads.flush();
      return;
    }
    if (this.status === 'stopping') return;
    this.status = 'stopping';
    this.emitState();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.intake.settled();
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
    if (!r.ok) throw failure('VALIDATION', r.key, r.params);
    if (!this.allowList.some((e) => e.text === r.entry.text)) {
      this.assertNotOpenRelay([r.entry], !!this.options?.forward);
      this.allowList.push(r.entry);
      this.intake.clearClients();
    }
    this.emitState();
    return this.getState();
  }

  /** Replaces the allow-list. */
  setAllowList(entries: readonly string[]): RelayState {
    const next: AllowEntry[] = [];
    for (const a of entries) {
      const r = parseAllowEntry(a);
      if (!r.ok) throw failure('VALIDATION', r.key, r.params);
      if (!next.some((e) => e.text === r.entry.text)) next.push(r.entry);
    }
    this.assertNotOpenRelay(next, !!this.options?.forward);
    this.allowList = next;
    this.intake.clearClients();
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
    const parsed = await parseFull(raw, id);
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
    const parsed = await parseFull(raw, id);
    const a = parsed.attachments[index];
    if (!a) throw failure('NOT_FOUND', 'errors.NOT_FOUND.noAttachment', { id, count: String(parsed.attachments.length), number: String(index + 1) });
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
    if (!(await this.spool.retryNow(id))) throw failure('NOT_FOUND', 'errors.NOT_FOUND.queuedForward', { id });
    return this.spool.list();
  }

  /** Deletes a queued forward (the stored message stays). */
  async deleteQueued(id: string): Promise<QueueItem[]> {
    await this.open();
    if (!(await this.spool.remove(id))) throw failure('NOT_FOUND', 'errors.NOT_FOUND.queuedForward', { id });
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
    if (!session || !lines) throw failure('NOT_FOUND', 'errors.NOT_FOUND.relaySession', { id: id.slice(0, 40) });
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
    if (!this.options) throw failure('CONFLICT', 'errors.CONFLICT.retentionNeedsRelay');
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
    if (!t) throw failure('NOT_FOUND', 'errors.NOT_FOUND.pushTarget', { id });
    const at = new Date(this.now());
    const raw = Buffer.from(
      `From: Sarix Commissioner relay <relay@sarix.invalid>\r\nTo: ${t.label.replace(/[\r\n]/g, ' ')}\r\nSubject: Test from the Sarix Commissioner relay\r\nDate: ${at.toUTCString()}\r\n` +
        'Content-Type: text/plain; charset=utf-8\r\n\r\nThis is a test. Camera mail received by the relay will arrive here like this.\r\n',
    );
    try {
      await pushSpoolTarget(t, () => undefined, this.pushHttp).send({ id: `test-${at.getTime()}`, messageId: 'test', from: 'relay@sarix.invalid', to: [t.label] }, raw);
    } catch (e) {
      throw failure('NETWORK', 'errors.NETWORK.pushTest', { target: t.label, reason: e instanceof Error ? e.message : String(e) });
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

  /** Emits inbox-changed with fresh counts once per burst of changes (a burst of mail is one update, not hundreds). */
  private countsChanged(): void {
    // Nothing at all when nobody listens (`sarix relay`): the counts walk every stored message and session, which at
    // 10,000 stored cost more CPU during a burst than the mail itself.
    if (this.events.listenerCount('inbox-changed') === 0) return;
    this.countsRefresh.notify();
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
      throw failure('VALIDATION', 'errors.VALIDATION.openRelay', { entries: risks.join(', ') }, { risks });
    }
  }

  private notFound(id: string): AppFailure {
    return failure('NOT_FOUND', 'errors.NOT_FOUND.message', { id });
  }

  private emitState(): void {
    this.events.emit('state-changed', this.getState());
    // The allow-list or the message count may have changed: the badges follow.
    this.countsChanged();
  }
}
