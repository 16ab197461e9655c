/**
 * The reading side of the relay, as the inbox shows it: search with operators over the summary index (paged, so a
 * 10,000-message inbox moves one window at a time), camera identity on every row, unread marks, delete and
 * delete-all (pinned evidence only when asked), the Cameras tab, sessions with advice in plain words, the raw
 * source, snapshots at full size, readable download names and the disk use. It reads the relay's parts; intake,
 * storage and forwarding stay in relay-service.ts.
 */
import { readdir, stat, statfs, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import type { MessageSummary, QueueItem, Retention } from '../../../shared/domain/relay';
import { cameraOverview, cameraSearchText, isCommissionedCamera, type CameraOverview, type SenderStats } from '../../../shared/domain/relay-cameras';
import { explainForwardError, explainSession, nothingToReport, type Advice } from '../../../shared/domain/relay-diagnosis';
import {
  downloadName,
  type DeleteResult,
  type DiskUsage,
  type InboxCounts,
  type InboxPage,
  type InboxQuery,
  type MessageRow,
  type MessageSource,
  type SessionDetail,
  type SessionRow,
  type Snapshot,
} from '../../../shared/domain/relay-inbox';
import { isEmptySearch, matchesMessageSearch, parseMessageSearch, type MessageSearch } from '../../../shared/domain/relay-search';
import { failure } from '../../../shared/i18n/messages';
import type { AppFailure } from '../../../shared/ipc/result';
import type { CameraRegistry } from './camera-registry';
import type { MaildirStore } from './maildir';
import type { ReadState } from './read-state';
import { cleanAttachmentName } from './attachment-name';
import { downscaleRgba, parseFull } from './reader';
import type { Spool } from './spool';
import type { SessionLog } from './transcripts';

/** Longest side of a full-size snapshot as shown (larger ones are scaled down on the machine side). */
export const SNAPSHOT_MAX_SIDE = 4096;
/** The Raw tab shows at most this much of a message (the whole file is one download away). */
export const SOURCE_MAX_BYTES = 512 * 1024;

/** The relay parts the inbox reads. */
export interface InboxParts {
  dataDir: string;
  store: MaildirStore;
  sessions: SessionLog;
  spool: Spool;
  cameras: CameraRegistry;
  reads: ReadState;
  thumbsDir: string;
  now: () => number;
  isListening: () => boolean;
  /** Whether an address is on the allow-list now (a refusal that was allowed since is no longer open). */
  isAllowed: (ip: string) => boolean;
  retention: () => Retention;
  /** The upstream host, for the right guide in forwarding advice. */
  upstreamHost: () => string | undefined;
}

/** Which messages a delete is about. */
export type DeleteScope = { scope: 'ids'; ids: string[] } | { scope: 'search'; q: string; tzOffsetMinutes: number } | { scope: 'all' };

/** The machine's offset east of UTC at an instant, in minutes (download names use local time). */
function localOffsetAt(iso: string): number {
  return -new Date(iso).getTimezoneOffset();
}

/** The reading side of the relay. */
export class RelayInbox {
  constructor(private readonly p: InboxParts) {}

  /** A message row: the summary, who sent it, whether it was opened. */
  row(m: MessageSummary): MessageRow {
    return { ...m, identity: this.p.cameras.identify(m.clientIp, m.heloName), isUnread: !this.p.reads.isRead(m.id) };
  }

  /** One window of the messages matching a search, newest first. */
  search(q: InboxQuery): InboxPage {
    const s = parseMessageSearch(q.q, { nowMs: this.p.now(), tzOffsetMinutes: q.tzOffsetMinutes });
    const all = this.matching(s);
    return { total: all.length, offset: q.offset, items: all.slice(q.offset, q.offset + q.limit).map((m) => this.row(m)), problems: s.problems };
  }

  /**
   * The counts behind the badges, in one walk over the stored messages (the badges refresh after every burst of
   * mail, so this must not build the whole Cameras tab as it once did).
   */
  counts(): InboxCounts {
    let unread = 0;
    let pinned = 0;
    // Silent: commissioned, and no stored message identified as theirs (the rule of cameraOverview).
    const unheard = new Set(
      this.p.cameras
        .list()
        .filter(isCommissionedCamera)
        .map((c) => c.key),
    );
    for (const m of this.p.store.list()) {
      if (!this.p.reads.isRead(m.id)) unread++;
      if (m.pinned) pinned++;
      if (unheard.size) {
        const key = this.p.cameras.identify(m.clientIp, m.heloName)?.key;
        if (key) unheard.delete(key);
      }
    }
    let refusedSessions = 0;
    for (const ip of this.p.sessions.refusedClients()) if (!this.p.isAllowed(ip)) refusedSessions++;
    return {
      total: this.p.store.size,
      unread,
      pinned,
      queued: this.p.spool.length,
      refusedSessions,
      silentCameras: unheard.size,
      isListening: this.p.isListening(),
    };
  }

  /** Marks messages read or unread. */
  markRead(ids: readonly string[], isRead: boolean): number {
    return this.p.reads.mark(
      ids.filter((id) => this.p.store.get(id)),
      isRead,
    );
  }

  /** Marks every message matching a search read (the "mark all read" of the list). */
  markAllRead(q: string, tzOffsetMinutes: number): number {
    const s = parseMessageSearch(q, { nowMs: this.p.now(), tzOffsetMinutes });
    return this.p.reads.mark(
      this.matching(s).map((m) => m.id),
      true,
    );
  }

  /**
   * Deletes messages: the given ids, those matching a search, or all. Pinned evidence is kept unless
   * `includePinned`; the answer says how many were kept, so the UI can ask first.
   */
  async delete(scope: DeleteScope, includePinned: boolean): Promise<DeleteResult> {
    let targets: MessageSummary[];
    if (scope.scope === 'ids') targets = scope.ids.map((id) => this.p.store.get(id)).filter((m): m is MessageSummary => !!m);
    else if (scope.scope === 'search') targets = this.matching(parseMessageSearch(scope.q, { nowMs: this.p.now(), tzOffsetMinutes: scope.tzOffsetMinutes }));
    else targets = this.p.store.list();
    const victims = targets.filter((m) => includePinned || !m.pinned).map((m) => m.id);
    const deleted = await this.p.store.remove(victims);
    await this.forget(victims);
    return { deleted, keptPinned: targets.length - victims.length };
  }

  /** Drops what belongs to removed messages: read marks and cached thumbnails. */
  async forget(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    this.p.reads.retain((id) => !!this.p.store.get(id));
    const gone = new Set(ids);
    const files = await readdir(this.p.thumbsDir).catch(() => [] as string[]);
    await Promise.all(files.filter((f) => gone.has(f.replace(/-\d+\.jpg$/, ''))).map((f) => unlink(join(this.p.thumbsDir, f)).catch(() => undefined)));
  }

  /** Removes thumbnails of messages that are no longer stored (retention ran while the app was closed). */
  async sweepThumbnails(): Promise<number> {
    const files = await readdir(this.p.thumbsDir).catch(() => [] as string[]);
    const stale = files.filter((f) => !this.p.store.get(f.replace(/-\d+\.jpg$/, '')));
    await Promise.all(stale.map((f) => unlink(join(this.p.thumbsDir, f)).catch(() => undefined)));
    this.p.reads.retain((id) => !!this.p.store.get(id));
    return stale.length;
  }

  /** The Cameras tab. */
  cameraOverview(): CameraOverview[] {
    const stats = new Map<string, SenderStats>();
    for (const m of this.p.store.list()) {
      const id = this.p.cameras.identify(m.clientIp, m.heloName);
      const k = id?.key ?? `ip:${m.clientIp}`;
      let s = stats.get(k);
      const t = Date.parse(m.receivedAt);
      if (!s) stats.set(k, (s = { ip: m.clientIp, key: id?.key, mailCount: 0, unreadCount: 0, lastMailAtMs: t, lastSubject: m.subject }));
      s.mailCount++;
      if (!this.p.reads.isRead(m.id)) s.unreadCount++;
      if (t > s.lastMailAtMs) {
        s.lastMailAtMs = t;
        s.lastSubject = m.subject;
      }
    }
    return cameraOverview(this.p.cameras.list(), [...stats.values()], this.p.cameras.refusals());
  }

  /** Recent sessions, newest first, with who it was and the first piece of advice. */
  sessionRows(limit: number): SessionRow[] {
    return this.p.sessions.list(limit).map((s) => {
      const lines = this.p.sessions.transcript(s.id) ?? [];
      const advice = explainSession(s, lines);
      return { ...s, identity: this.p.cameras.identify(s.clientIp, s.heloName), headline: advice[0] ?? nothingToReport() };
    });
  }

  /** One session: transcript, advice, its messages and their forwards still queued. */
  session(id: string): SessionDetail {
    const s = this.p.sessions.get(id);
    const lines = this.p.sessions.transcript(id);
    if (!s || !lines) throw failure('NOT_FOUND', 'errors.NOT_FOUND.relaySession', { id: id.slice(0, 40) });
    const messageIds = this.p.store
      .list()
      .filter((m) => m.sessionId === id)
      .map((m) => m.id);
    const ids = new Set(messageIds);
    const queue = this.p.spool.list().filter((q) => ids.has(q.messageId));
    const advice: Advice[] = explainSession(s, lines);
    for (const q of queue) {
      const a = explainForwardError(q, this.p.upstreamHost());
      if (a) advice.push(a);
    }
    const headline = advice[0] ?? nothingToReport();
    return { session: { ...s, identity: this.p.cameras.identify(s.clientIp, s.heloName), headline }, lines, advice, messageIds, queue };
  }

  /** Advice for every queued forward that failed (the queue tab shows it inline). */
  queueAdvice(items: readonly QueueItem[]): Array<{ id: string; advice: Advice }> {
    return items.flatMap((q) => {
      const a = explainForwardError(q, this.p.upstreamHost());
      return a ? [{ id: q.id, advice: a }] : [];
    });
  }

  /** The start of the raw source for the Raw tab. */
  async source(id: string): Promise<MessageSource> {
    const m = this.mustGet(id);
    const raw = await this.p.store.raw(id);
    if (!raw) throw this.notFound(id);
    const isTruncated = raw.length > SOURCE_MAX_BYTES;
    // Mail is 7-bit or UTF-8 (SMTPUTF8) nearly always; other 8-bit bytes show as replacement characters.
    const text = raw.subarray(0, SOURCE_MAX_BYTES).toString('utf8');
    return { text, size: raw.length, isTruncated, filename: this.rawName(m) };
  }

  /** A JPEG attachment at full size (at most SNAPSHOT_MAX_SIDE), decoded under caps and re-encoded here. */
  async snapshot(id: string, index: number): Promise<Snapshot> {
    const m = this.mustGet(id);
    const raw = await this.p.store.raw(id);
    if (!raw) throw this.notFound(id);
    const parsed = await parseFull(raw);
    const a = parsed.attachments[index];
    if (!a || !/^image\/p?jpe?g$/i.test(a.contentType)) throw failure('NOT_FOUND', 'errors.NOT_FOUND.notSnapshot', { number: String(index + 1) });
    let img: { width: number; height: number; data: Uint8Array };
    try {
      img = jpeg.decode(a.content, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: 40, maxMemoryUsageInMB: 512, tolerantDecoding: true });
    } catch (e) {
      throw failure('UNAVAILABLE', 'errors.UNAVAILABLE.snapshotDecode', { reason: e instanceof Error ? e.message : String(e) });
    }
    const fitted = Math.max(img.width, img.height) > SNAPSHOT_MAX_SIDE ? downscaleRgba(img, SNAPSHOT_MAX_SIDE) : img;
    const out = jpeg.encode({ width: fitted.width, height: fitted.height, data: fitted.data }, 90).data;
    return { dataUrl: `data:image/jpeg;base64,${Buffer.from(out).toString('base64')}`, width: fitted.width, height: fitted.height, filename: this.attachmentName(m, cleanAttachmentName(a.filename) || `snapshot-${index + 1}.jpg`) };
  }

  /** The readable download name of a message's raw source. */
  rawName(m: MessageSummary): string {
    return downloadName(m, '.eml', localOffsetAt(m.receivedAt));
  }

  /** The readable download name of an attachment. */
  attachmentName(m: MessageSummary, filename: string): string {
    return downloadName(m, filename || 'attachment', localOffsetAt(m.receivedAt));
  }

  /** How much disk the relay's folder uses (files measured, not estimated) and what the volume has left. */
  async diskUsage(): Promise<DiskUsage> {
    const sizeOf = async (dir: string): Promise<number> => {
      let total = 0;
      let entries: import('node:fs').Dirent[];
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return 0;
      }
      // Bounded parallelism: 10,000 stats at once would open too many handles on some systems.
      for (let i = 0; i < entries.length; i += 256) {
        const sizes = await Promise.all(
          entries.slice(i, i + 256).map(async (e) => {
            const p = join(dir, e.name);
            if (e.isDirectory()) return sizeOf(p);
            return stat(p).then(
              (st) => st.size,
              () => 0,
            );
          }),
        );
        for (const s of sizes) total += s;
      }
      return total;
    };
    const maildir = join(this.p.dataDir, 'maildir');
    const [messagesBytes, thumbnailsBytes, spoolBytes, allBytes] = await Promise.all([
      sizeOf(join(maildir, 'new')).then(async (n) => n + (await sizeOf(join(maildir, 'cur')))),
      sizeOf(this.p.thumbsDir),
      sizeOf(join(this.p.dataDir, 'spool')),
      sizeOf(this.p.dataDir),
    ]);
    const fs = await statfs(this.p.dataDir).catch(() => undefined);
    const r = this.p.retention();
    return {
      dataDir: this.p.dataDir,
      messageCount: this.p.store.size,
      messagesBytes,
      thumbnailsBytes,
      spoolBytes,
      otherBytes: Math.max(0, allBytes - messagesBytes - thumbnailsBytes - spoolBytes),
      totalBytes: allBytes,
      freeBytes: fs ? Number(fs.bavail) * Number(fs.bsize) : null,
      retention: { maxCount: r.maxCount, maxAgeDays: r.maxAgeDays, maxTotalMb: r.maxTotalMb },
    };
  }

  private matching(s: MessageSearch): MessageSummary[] {
    const all = this.p.store.list();
    if (isEmptySearch(s)) return all;
    return all.filter((m) => {
      const identity = this.p.cameras.identify(m.clientIp, m.heloName);
      return matchesMessageSearch(
        {
          from: m.from,
          headerFrom: m.headerFrom,
          to: m.to,
          subject: m.subject,
          cameraText: cameraSearchText(identity, m.heloName, m.camera),
          clientIp: m.clientIp,
          receivedAtMs: Date.parse(m.receivedAt),
          attachmentCount: m.attachments.length,
          isPinned: m.pinned,
          isUnread: !this.p.reads.isRead(m.id),
        },
        s,
      );
    });
  }

  private mustGet(id: string): MessageSummary {
    const m = this.p.store.get(id);
    if (!m) throw this.notFound(id);
    return m;
  }

  private notFound(id: string): AppFailure {
    return failure('NOT_FOUND', 'errors.NOT_FOUND.message', { id });
  }
}
