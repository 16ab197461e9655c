/**
 * The relay's message store: a Maildir (tmp → fsync → rename into new → fsync of the directory, all before the
 * 250 reply) plus a summary index. The index is an append-only JSON-lines file next to the Maildir (one `add`
 * line per message, `pin`/`del` lines for changes); it is derived data: at start it is read in one go, checked
 * against the directory listing (messages without a line are summarised from their file, lines without a file
 * dropped) and compacted, so a crash at any point loses no accepted message and 10,000 messages load fast.
 */
// Long on purpose: the durable write path, the index and the start-up check against the directory are one consistency unit (each relies on the order the others write in); the directory fsync group commit is dir-syncer.ts, the file writes durable-writer.ts.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, rename, rm, stat, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { MessageIdSchema, retentionVictimsBy, type MessageSummary, type Retention } from '../../../shared/domain/relay';
import type { Logger } from '../common/logger';
import { DurableWriter, isIncomplete, sharedDirSync, type SharedDirSync } from './durable-writer';
import { FILE_MODE, privateDir } from './private-files';
import { summarizeBuffer, type ContentSummary } from './summary';
import { DirSyncer } from './dir-syncer';

/** Messages up to this size are kept in memory while written, so the summary needs no second read. */
const IN_MEMORY_LIMIT = 2 * 1024 * 1024;
/**
 * New-message index lines wait this long to go out together: the index is derived data (rebuilt from the Maildir
 * at start), so a delay costs nothing, and under load one write per 100 ms replaces one per few messages.
 */
const INDEX_DELAY_MS = 100;

/** The result of writing one message. */
export interface IngestResult {
  id: string;
  /** Bytes received from the client (without the trace headers the relay adds). */
  size: number;
  /** True when the client sent more than the limit: nothing was stored. */
  oversized: boolean;
  /** The index summary, when the message was small enough to summarise from memory (else read the file). */
  content?: ContentSummary;
}

/** What the intake knows about a message besides its content. */
export interface Envelope {
  from: string;
  to: string[];
  clientIp: string;
  heloName: string;
  sessionId: string;
  camera?: string;
}

type IndexLine = ({ op: 'add' } & MessageSummary) | { op: 'pin'; id: string; pinned: boolean } | { op: 'del'; id: string };

/** The Maildir store with its summary index. */
export class MaildirStore {
  private readonly tmpDir: string;
  private readonly newDir: string;
  private readonly curDir: string;
  private readonly indexPath: string;
  private readonly messages = new Map<string, MessageSummary>();
  /** receivedAt in milliseconds per message, and the stored bytes: retention checks them after every message once full. */
  private readonly receivedMs = new Map<string, number>();
  private totalBytes = 0;
  private readonly writer = new DurableWriter();
  private readonly newSync: DirSyncer;
  /** new/ kept open for the writer threads' shared directory fsyncs (undefined where directories cannot be opened). */
  private newDirSync?: Promise<{ handle?: FileHandle; shared?: SharedDirSync }>;
  private seq = 0;
  /** Random per store instance (not per message: one getrandom call, not one per delivery), so ids stay unique across restarts that reuse a pid. */
  private readonly nonce = randomBytes(4).toString('hex');
  private indexLines: string[] = [];
  private indexFlushing?: Promise<void>;
  private indexBatch?: Promise<void>;
  private indexHandle?: FileHandle;

  constructor(
    readonly dir: string,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {
    this.tmpDir = join(dir, 'tmp');
    this.newDir = join(dir, 'new');
    this.curDir = join(dir, 'cur');
    this.indexPath = join(dir, 'index.jsonl');
    this.newSync = new DirSyncer(this.newDir, (fd) => this.writer.fsync(fd));
  }

  /** Number of stored messages. */
  get size(): number {
    return this.messages.size;
  }

  /** Creates the folders and rebuilds the index from disk. Returns how many messages it had to re-summarise. */
  async open(): Promise<{ loaded: number; rebuilt: number; dropped: number }> {
    for (const d of [this.dir, this.tmpDir, this.newDir, this.curDir]) await privateDir(d);
    // Leftovers in tmp/ were never acknowledged with 250 (the rename happens first), so they are not mail.
    for (const f of await readdir(this.tmpDir)) await rm(join(this.tmpDir, f), { force: true });
    const lines = await readFile(this.indexPath, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    const indexed = new Map<string, MessageSummary>();
    let garbage = 0;
    for (const raw of lines.split('\n')) {
      if (!raw) continue;
      let l: IndexLine;
      try {
        l = JSON.parse(raw) as IndexLine;
      } catch {
        garbage++;
        continue;
      }
      if (l.op === 'add') {
        const { op: _op, ...m } = l;
        indexed.set(m.id, m);
      } else if (l.op === 'pin') {
        const m = indexed.get(l.id);
        if (m) m.pinned = l.pinned;
        garbage++;
      } else if (l.op === 'del') {
        indexed.delete(l.id);
        garbage++;
      }
    }
    const files = new Map<string, string>();
    for (const d of [this.newDir, this.curDir]) {
      for (const f of await readdir(d)) {
        const id = f.split(':')[0];
        if (MessageIdSchema.safeParse(id).success) files.set(id, join(d, f));
      }
    }
    let dropped = 0;
    for (const id of indexed.keys()) {
      if (!files.has(id)) {
        indexed.delete(id);
        dropped++;
      }
    }
    let rebuilt = 0;
    let incomplete = 0;
    for (const [id, path] of files) {
      if (indexed.has(id)) continue;
      // Only a message whose index line is missing can be one a crash cut short (lines follow the 250).
      const m = await this.summaryFromFile(id, path);
      if (m) {
        indexed.set(id, m);
        rebuilt++;
      } else {
        await rm(path, { force: true });
        incomplete++;
      }
    }
    if (incomplete) this.log.warn(`relay: removed ${incomplete} message file(s) a crash left unfinished in new/ (never acknowledged to the sender)`);
    const sorted = [...indexed.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const m of sorted) this.add(m);
    if (garbage || dropped || rebuilt) await this.compact();
    return { loaded: this.messages.size, rebuilt, dropped };
  }

  /** A new unique message id (Maildir style: time, pid, sequence, random). */
  newId(): string {
    return `${String(this.now()).padStart(13, '0')}.P${process.pid}Q${++this.seq}R${this.nonce}`;
  }

  /**
   * Writes one message from the DATA stream durably: tmp file, fsync, rename into new/, fsync of new/. Resolves
   * only when the message survives a power cut; the caller replies 250 after that.
   */
  async ingest(stream: Readable, env: Envelope, maxBytes: number, receivedAt: Date): Promise<IngestResult> {
    const id = this.newId();
    const tmp = join(this.tmpDir, id);
    // UTF-8: the relay offers SMTPUTF8, so envelope addresses and the HELO name may be non-ASCII (RFC 6531/6532),
    // and the index rebuild reads these lines back as UTF-8.
    const trace = Buffer.from(
      `Return-Path: <${env.from}>\r\nX-Envelope-To: ${env.to.join(', ')}\r\nReceived: from ${env.heloName || 'unknown'} ([${env.clientIp}])\r\n\tby sarix-relay with SMTP id ${id};\r\n\t${receivedAt.toUTCString()}\r\n`,
      'utf8',
    );
    const final = join(this.newDir, id);
    const chunks: Buffer[] = [trace];
    let held = trace.length;
    let size = 0;
    let oversized = false;
    let fh: FileHandle | undefined;
    let failed: unknown;
    let content: ContentSummary | undefined;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) oversized = true;
        if (oversized) continue; // drain the rest so the client gets its reply
        if (!fh && held + chunk.length <= IN_MEMORY_LIMIT) {
          chunks.push(chunk);
          held += chunk.length;
          continue;
        }
        // Too big to hold: stream the rest to the tmp file from here on.
        if (!fh) {
          fh = await open(tmp, 'wx', FILE_MODE);
          await fh.writev(chunks);
          chunks.length = 0;
        }
        await fh.write(chunk);
      }
      if (!oversized && fh) await this.writer.fsync(fh.fd);
    } catch (e) {
      failed = e;
    } finally {
      await fh?.close();
    }
    if (failed || oversized) {
      if (fh) await unlink(tmp).catch(() => undefined);
      if (failed) throw failed;
      return { id, size, oversized: true };
    }
    if (!fh) {
      // Small message (the normal case): one copy into a writer slab, one round trip to a writer thread, while
      // this thread summarises the same bytes. The thread creates the file in new/ as incomplete (mode 0000),
      // fsyncs new/ (shared between concurrent deliveries) in parallel with writing, marking complete and fsyncing
      // the file: file and folder fsync both before the 250, in one journal commit's time (the Postfix way: it too
      // writes its queue file in place and marks it complete). Where directories cannot be opened (Windows):
      // tmp/, fsync, rename into new/, and NTFS journals the rename itself.
      const { shared } = await this.openNewDir();
      content = shared ? await this.writer.placeFile(final, chunks, held, summarizeBuffer, shared) : await this.writer.writeFile(tmp, final, chunks, held, summarizeBuffer);
      chunks.length = 0;
      if (!shared) await this.newSync.sync();
      return { id, size, oversized: false, content };
    }
    await rename(tmp, final);
    await this.newSync.sync();
    return { id, size, oversized: false };
  }

  /**
   * Records the summary of a freshly ingested message. Its index line is derived data: written later in a batch,
   * without fsync, and not waited for (a crash before it is written only means a re-summary at start).
   */
  async index(id: string, env: Envelope, size: number, receivedAt: Date, content: ContentSummary): Promise<MessageSummary> {
    const m: MessageSummary = {
      id,
      receivedAt: receivedAt.toISOString(),
      from: env.from,
      to: env.to,
      headerFrom: content.headerFrom,
      subject: content.subject,
      date: content.date,
      messageId: content.messageId,
      clientIp: env.clientIp,
      heloName: env.heloName,
      camera: env.camera,
      size,
      attachments: content.attachments,
      pinned: false,
      sessionId: env.sessionId,
    };
    this.add(m);
    void this.appendIndex({ op: 'add', ...m }, INDEX_DELAY_MS);
    return m;
  }

  /** The summary of one message, if stored. */
  get(id: string): MessageSummary | undefined {
    return this.messages.get(id);
  }

  /** All summaries, newest first. */
  list(): MessageSummary[] {
    return [...this.messages.values()].reverse();
  }

  /** The path of a stored message file, if stored. */
  pathOf(id: string): string | undefined {
    return this.messages.has(id) ? join(this.newDir, id) : undefined;
  }

  /** The raw bytes of a stored message as received (with the relay's trace headers). */
  async raw(id: string): Promise<Buffer | undefined> {
    const p = this.pathOf(id);
    return p ? readFile(p) : undefined;
  }

  /** A read stream of a stored message. */
  stream(id: string): Readable | undefined {
    const p = this.pathOf(id);
    return p ? createReadStream(p) : undefined;
  }

  /** A read stream of a message file by path (used right after ingest, before the index line exists). */
  streamPath(path: string): Readable {
    return createReadStream(path);
  }

  /** Pins or unpins a message (pinned = commissioning evidence: retention never removes it). */
  async pin(id: string, pinned: boolean): Promise<MessageSummary | undefined> {
    const m = this.messages.get(id);
    if (!m) return undefined;
    m.pinned = pinned;
    await this.appendIndex({ op: 'pin', id, pinned });
    return m;
  }

  /** Removes a message file that was written but refused before the 250 (never indexed). */
  async discard(id: string): Promise<void> {
    await unlink(join(this.newDir, id)).catch(() => undefined);
  }

  /** Deletes messages (file first, then the index line; `batched`: the line may wait for the next batch). */
  async remove(ids: readonly string[], batched = false): Promise<number> {
    let n = 0;
    for (const id of ids) {
      if (!this.messages.has(id)) continue;
      await unlink(join(this.newDir, id)).catch(() => undefined);
      this.totalBytes -= this.messages.get(id)?.size ?? 0;
      this.messages.delete(id);
      this.receivedMs.delete(id);
      const written = this.appendIndex({ op: 'del', id }, batched ? INDEX_DELAY_MS : 0);
      if (!batched) await written;
      n++;
    }
    return n;
  }

  /** Applies retention by count, age and total size (pinned messages are kept); returns the removed ids. */
  async applyRetention(policy: Retention): Promise<string[]> {
    const cutoff = this.now() - policy.maxAgeDays * 86400_000;
    const first = this.messages.values().next().value;
    if (this.messages.size <= policy.maxCount && (!first || this.timeOf(first) >= cutoff) && this.totalBytes <= policy.maxTotalMb * 1024 * 1024) return [];
    // No copy, no Date.parse and no sort of the whole store per message (about 9 ms at 10,000 stored, several times
    // the rest of a message's work): cached times, and only the oldest few candidates are ordered.
    const victims = retentionVictimsBy({ [Symbol.iterator]: () => this.messages.values() }, this.timeOf, policy, this.now());
    // Retention runs after every message once the store is full: its deletions go out with the next batch.
    await this.remove(victims, true);
    return victims;
  }

  private add(m: MessageSummary): void {
    const prev = this.messages.get(m.id);
    if (prev) this.totalBytes -= prev.size;
    this.messages.set(m.id, m);
    this.receivedMs.set(m.id, Date.parse(m.receivedAt));
    this.totalBytes += m.size;
  }

  private readonly timeOf = (m: MessageSummary): number => this.receivedMs.get(m.id) ?? Date.parse(m.receivedAt);

  /** Waits for pending index appends. */
  async flush(): Promise<void> {
    while (this.indexBatch || this.indexFlushing) await (this.indexBatch ?? this.indexFlushing);
  }

  /** Stops the writer threads and closes the index; the store stays readable. */
  async close(): Promise<void> {
    await this.flush();
    await this.newSync.close();
    await this.writer.close();
    const dir = await this.newDirSync;
    this.newDirSync = undefined;
    await dir?.handle?.close();
    await this.indexHandle?.close();
    this.indexHandle = undefined;
  }

  private openNewDir(): Promise<{ handle?: FileHandle; shared?: SharedDirSync }> {
    this.newDirSync ??= open(this.newDir, 'r').then(
      (handle) => ({ handle, shared: sharedDirSync(handle.fd) }),
      (e: unknown) => {
        // Windows cannot open a directory; NTFS journals the rename itself.
        if (process.platform === 'win32') return {};
        this.newDirSync = undefined;
        throw e;
      },
    );
    return this.newDirSync;
  }

  /**
   * Queues an index line; resolves once the batch holding it is written. Lines that arrive while a write runs or
   * within `delayMs` go out together in the next single write on a kept-open handle (one write per batch, not
   * three file operations per message). A failure is logged: the index is rebuilt from the Maildir at the next start.
   */
  private appendIndex(line: IndexLine, delayMs = 0): Promise<void> {
    this.indexLines.push(JSON.stringify(line) + '\n');
    this.indexBatch ??= (this.indexFlushing ?? Promise.resolve())
      .then(() => (delayMs ? new Promise<void>((r) => setTimeout(r, delayMs)) : undefined))
      .then(() => this.writeIndexBatch());
    return this.indexBatch;
  }

  private writeIndexBatch(): Promise<void> {
    const text = this.indexLines.join('');
    this.indexLines = [];
    this.indexBatch = undefined;
    const run = (async () => {
      try {
        this.indexHandle ??= await open(this.indexPath, 'a', FILE_MODE);
        await this.indexHandle.write(text);
      } catch (e) {
        this.log.warn('relay index append failed; it will be rebuilt at next start', String(e));
      }
    })();
    this.indexFlushing = run.finally(() => {
      if (this.indexFlushing === flushing) this.indexFlushing = undefined;
    });
    const flushing = this.indexFlushing;
    return flushing;
  }

  private async compact(): Promise<void> {
    await this.indexHandle?.close();
    this.indexHandle = undefined;
    const tmp = this.indexPath + '.tmp';
    await writeFile(tmp, [...this.messages.values()].map((m) => JSON.stringify({ op: 'add', ...m }) + '\n').join(''), { mode: FILE_MODE });
    await rename(tmp, this.indexPath);
  }

  /** The summary of a message file, or undefined for a file whose write never finished (see isIncomplete). */
  private async summaryFromFile(id: string, path: string): Promise<MessageSummary | undefined> {
    const st = await stat(path);
    if (isIncomplete(st.mode)) return undefined;
    const raw = await readFile(path);
    const content = await summarizeBuffer(raw);
    // The relay writes its trace lines in UTF-8 (ingest); a character cut at the 4 KiB end cannot reach them.
    const head = raw.subarray(0, Math.min(raw.length, 4096)).toString('utf8');
    const returnPath = /^Return-Path: <([^>\r\n]*)>/im.exec(head)?.[1] ?? '';
    const envTo = /^X-Envelope-To: ([^\r\n]*)/im.exec(head)?.[1] ?? '';
    const received = /^Received: from (\S+) \(\[([^\]\r\n]+)\]\)/im.exec(head);
    const ms = Number(id.slice(0, 13));
    return {
      id,
      receivedAt: new Date(Number.isFinite(ms) ? ms : st.mtimeMs).toISOString(),
      from: returnPath,
      to: envTo ? envTo.split(', ').filter(Boolean) : [],
      headerFrom: content.headerFrom,
      subject: content.subject,
      date: content.date,
      messageId: content.messageId,
      clientIp: received?.[2] ?? '',
      heloName: received?.[1] ?? '',
      size: st.size,
      attachments: content.attachments,
      pinned: false,
      sessionId: '',
    };
  }
}
