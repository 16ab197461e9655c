/** Group commit of directory fsyncs for the relay's Maildir and spool (a rename is durable only after one). */
import { open, type FileHandle } from 'node:fs/promises';

/**
 * Shares one directory fsync between renames that finish close together (group commit): every caller gets a
 * sync that started after its rename, but 20 concurrent deliveries cost a few fsyncs, not 20.
 */
export class DirSyncer {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private handle?: FileHandle;
  /** `fsyncFd` runs the fsync elsewhere (the writer threads); by default it runs on libuv's pool. */
  constructor(
    private readonly dir: string,
    private readonly fsyncFd?: (fd: number) => Promise<void>,
  ) {}

  /** Closes the kept-open directory handle. */
  async close(): Promise<void> {
    await this.running;
    await this.next;
    await this.handle?.close();
    this.handle = undefined;
  }

  /** Resolves once an fsync of the directory that began after this call has completed. */
  sync(): Promise<void> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
      });
      return this.running;
    }
    if (!this.next) {
      this.next = this.running.then(() => {
        this.next = null;
        return this.sync();
      });
    }
    return this.next;
  }

  private async run(): Promise<void> {
    try {
      // The directory stays open between syncs: one fsync per group, no open/close around it.
      this.handle ??= await open(this.dir, 'r');
      if (this.fsyncFd) await this.fsyncFd(this.handle.fd);
      else await this.handle.sync();
    } catch (e) {
      // Windows cannot open or fsync a directory; NTFS journals the rename itself.
      if (process.platform !== 'win32') throw e;
    }
  }
}
