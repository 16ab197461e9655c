/**
 * Which stored messages the technician has opened (the inbox's unread state). Kept apart from the Maildir index,
 * in `<relay data>/read.json`: one list of read ids, rewritten in one batched write after changes (10,000 ids are
 * about 400 KB). Ids of messages that are gone are dropped when the store tells (`retain`). Losing this file loses
 * nothing but the unread marks.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../common/logger';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../common/private-files';

/** The read marks of the relay inbox. */
export class ReadState {
  private read = new Set<string>();
  private isLoaded = false;
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  /** Whether a message was opened. */
  isRead(id: string): boolean {
    this.load();
    return this.read.has(id);
  }

  /** Marks messages read or unread; returns how many changed. */
  mark(ids: readonly string[], isRead: boolean): number {
    this.load();
    let n = 0;
    for (const id of ids) {
      if (isRead === this.read.has(id)) continue;
      if (isRead) this.read.add(id);
      else this.read.delete(id);
      n++;
    }
    if (n) this.schedule();
    return n;
  }

  /** Forgets marks of messages no longer stored. */
  retain(isStored: (id: string) => boolean): void {
    this.load();
    let n = 0;
    for (const id of this.read) {
      if (!isStored(id)) {
        this.read.delete(id);
        n++;
      }
    }
    if (n) this.schedule();
  }

  /**
   * Writes pending changes now (shutdown, tests); nothing when none are pending, so a flush never writes a list
   * that was not loaded over the saved one.
   */
  flush(): void {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.write();
  }

  private schedule(): void {
    if (this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.write();
    }, 500);
    this.saveTimer.unref();
  }

  private load(): void {
    if (this.isLoaded) return;
    this.isLoaded = true;
    try {
      const ids = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (Array.isArray(ids)) this.read = new Set(ids.filter((x): x is string => typeof x === 'string'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`relay read marks ${this.file} unreadable; every message shows as unread`, String(e));
    }
  }

  private write(): void {
    try {
      ensurePrivateDir(dirname(this.file));
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify([...this.read]), { mode: PRIVATE_FILE_MODE });
      renameSync(tmp, this.file);
    } catch (e) {
      this.log.warn(`relay read marks could not be saved to ${this.file}`, String(e));
    }
  }
}
