/**
 * The site journal on disk: `<userData>/sites/<slug>/journal.jsonl`, one JSON entry per line, append-only.
 * Each append is one write() on a file opened with O_APPEND followed by fsync, so an entry is on disk before
 * record() resolves, and several processes (the app and a `sarix` command) can append to the same journal
 * without overwriting each other. A crash can tear only the last line; reading skips a line that is not complete
 * JSON of a known entry (and counts it), and the next append starts on a fresh line, so a torn line never
 * swallows the entry after it. Evidence pictures sit beside it as `snapshots/<sha256>.jpg`, written to a
 * temporary file, fsynced and renamed before the entry that names them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { JournalEntrySchema, siteSlug, type JournalEntry, type JournalInput } from '../../../shared/domain/site-journal';
import { failure } from '../../../shared/i18n/messages';

/** What reading a journal gives. */
export interface JournalRead {
  /** Valid entries, oldest first (by time, then by position in the file). */
  entries: JournalEntry[];
  /** Lines that were not a complete, known entry (a torn last line after a crash, or a hand edit). */
  unreadable: number;
}

/** SHA-256 of bytes as lower-case hex. */
export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes a new file's name durable (POSIX); Windows cannot open a directory for it, and NTFS
  // journals names itself.
  if (process.platform === 'win32') return;
  const h = await open(dir, 'r');
  try {
    await h.sync();
  } finally {
    await h.close();
  }
}

/** Writes a file durably: temporary name, fsync, rename, fsync of the folder. */
export async function writeFileDurably(file: string, data: Buffer | string, mode = 0o600): Promise<void> {
  const dir = join(file, '..');
  const tmp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  const h = await open(tmp, 'w', mode);
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
  try {
    await rename(tmp, file);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dir);
}

/** One site's journal and its evidence pictures. */
export class SiteJournal {
  /** The journal file. */
  readonly file: string;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    /** The site's folder. */
    readonly dir: string,
    private readonly clock: () => number = Date.now,
  ) {
    this.file = join(dir, 'journal.jsonl');
  }

  /** Appends one entry (validated first) and resolves once it is on disk. */
  append(input: JournalInput, by = ''): Promise<JournalEntry> {
    const entry = JournalEntrySchema.parse({ v: 1, id: randomUUID(), at: new Date(this.clock()).toISOString(), by, ...input });
    return this.appendEntries([entry]).then(() => entry);
  }

  /** Appends already complete entries (an import), in one write, durably. */
  appendEntries(entries: readonly JournalEntry[]): Promise<void> {
    const run = this.chain.then(() => this.write(entries));
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async write(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const isNew = !(await stat(this.file).catch(() => undefined));
      const h = await open(this.file, 'a+', 0o600);
      try {
        // After a crash the file may end in a torn line: start on a fresh line so this entry stays readable.
        const { size } = await h.stat();
        let prefix = '';
        if (size > 0) {
          const last = Buffer.alloc(1);
          await h.read(last, 0, 1, size - 1);
          if (last[0] !== 0x0a) prefix = '\n';
        }
        await h.write(prefix + text);
        await h.sync();
      } finally {
        await h.close();
      }
      if (isNew) await fsyncDir(this.dir);
    } catch (e) {
      throw failure('STORAGE', 'errors.STORAGE.journalWrite', { file: this.file, reason: (e as Error).message }, String(e));
    }
  }

  /** Reads every entry; a missing journal is an empty one. */
  async read(): Promise<JournalRead> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { entries: [], unreadable: 0 };
      throw failure('STORAGE', 'errors.STORAGE.journalRead', { file: this.file, reason: (e as Error).message });
    }
    const entries: Array<{ e: JournalEntry; i: number }> = [];
    const seen = new Set<string>();
    let unreadable = 0;
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        unreadable++;
        return;
      }
      const r = JournalEntrySchema.safeParse(json);
      if (!r.success) {
        unreadable++;
        return;
      }
      if (seen.has(r.data.id)) return;
      seen.add(r.data.id);
      entries.push({ e: r.data, i });
    });
    entries.sort((a, b) => (a.e.at < b.e.at ? -1 : a.e.at > b.e.at ? 1 : a.i - b.i));
    return { entries: entries.map((x) => x.e), unreadable };
  }

  /** Stores an evidence picture under its SHA-256 (idempotent) and returns the hash. */
  async savePicture(jpeg: Buffer): Promise<string> {
    const sha = sha256Hex(jpeg);
    const file = this.picturePath(sha);
    if (await stat(file).catch(() => undefined)) return sha;
    try {
      await mkdir(join(this.dir, 'snapshots'), { recursive: true, mode: 0o700 });
      await writeFileDurably(file, jpeg);
    } catch (e) {
      throw failure('STORAGE', 'errors.STORAGE.snapshotWrite', { dir: this.dir, reason: (e as Error).message }, String(e));
    }
    return sha;
  }

  /** An evidence picture by hash, checked against it; undefined when missing or altered. */
  async readPicture(sha: string): Promise<Buffer | undefined> {
    if (!/^[0-9a-f]{64}$/.test(sha)) return undefined;
    const data = await readFile(this.picturePath(sha)).catch(() => undefined);
    return data && sha256Hex(data) === sha ? data : undefined;
  }

  private picturePath(sha: string): string {
    return join(this.dir, 'snapshots', `${sha}.jpg`);
  }
}

/** The site folders under `<userData>/sites`. */
export class SiteStore {
  private readonly journals = new Map<string, SiteJournal>();

  constructor(
    /** The `sites` folder. */
    readonly root: string,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The journal of a site by its name (same folder for names that differ only in accents or punctuation). */
  journal(siteName: string): SiteJournal {
    const slug = siteSlug(siteName);
    let j = this.journals.get(slug);
    if (!j) {
      j = new SiteJournal(join(this.root, slug), this.clock);
      this.journals.set(slug, j);
    }
    return j;
  }

  /** The slugs of every site with a journal. */
  async slugs(): Promise<string[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    const out: string[] = [];
    for (const n of names.sort()) if (await stat(join(this.root, n, 'journal.jsonl')).catch(() => undefined)) out.push(n);
    return out;
  }
}
