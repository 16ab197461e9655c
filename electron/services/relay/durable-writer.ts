/**
 * Durable writes off the main thread and off libuv's threadpool: a few worker threads either fsync a descriptor
 * the main thread opened and wrote, or write a whole small message file in one request (create, write, fsync,
 * close, rename: one thread hand-off per message instead of five round trips through libuv's pool, each of
 * which wakes a pool thread and then the main loop again). Why threads of our own: with fs/promises an fsync
 * occupies one of libuv's 4 pool threads (shared with every other fs call, DNS and zlib, and only resizable by
 * an environment variable before start-up) for milliseconds, so 20 cameras delivering at once queue behind each
 * other's fsyncs; dedicated threads keep several fsyncs in flight, which ext4/NTFS/APFS journals batch into one
 * commit. Message bytes reach a thread through a small pool of reused SharedArrayBuffer slabs: one copy into
 * memory that is already mapped, no transfer, no fresh allocation per message (a fresh 70 KB buffer per message,
 * freed later by another thread's GC, cost more main-thread time than the copy itself). The worker code is
 * inline plain JS so it runs the same under tsx, in the packaged Electron app and in tests, without a loader.
 */
import { Worker } from 'node:worker_threads';

const WORKER_CODE = `
const { parentPort } = require('node:worker_threads');
const fs = require('node:fs');
function writeDurably(m) {
  const fd = fs.openSync(m.tmp, 'wx', 0o600);
  try {
    const data = new Uint8Array(m.sab, 0, m.len);
    for (let off = 0; off < data.length; ) off += fs.writeSync(fd, data, off, data.length - off);
    fs.fsyncSync(fd);
  } catch (e) {
    try { fs.closeSync(fd); } catch {}
    try { fs.unlinkSync(m.tmp); } catch {}
    throw e;
  }
  fs.closeSync(fd);
  try {
    fs.renameSync(m.tmp, m.final);
  } catch (e) {
    try { fs.unlinkSync(m.tmp); } catch {}
    throw e;
  }
}
// Group commit of the directory fsync across writer threads, in shared memory: ctl[0] is a lock, ctl[1] counts
// finished renames and creations, ctl[2] is how many of them the last finished directory fsync covered. A request
// completes once a directory fsync that started after its own rename or creation has finished, running it itself
// when nobody else is. Never blocks the thread: the fsync runs on libuv's pool and the wait for the lock is
// Atomics.waitAsync, so a thread keeps writing (placeDurably) while its folder is being synced.
async function syncDir(fd, ctl, mine) {
  for (;;) {
    if (Atomics.load(ctl, 2) >= mine) return;
    if (Atomics.compareExchange(ctl, 0, 0n, 1n) === 0n) {
      try {
        if (Atomics.load(ctl, 2) >= mine) return;
        const covers = Atomics.load(ctl, 1);
        await new Promise((resolve, reject) => fs.fsync(fd, (e) => (e ? reject(e) : resolve())));
        if (covers > Atomics.load(ctl, 2)) Atomics.store(ctl, 2, covers);
      } finally {
        Atomics.store(ctl, 0, 0n);
        Atomics.notify(ctl, 0);
      }
      return;
    }
    const w = Atomics.waitAsync(ctl, 0, 1n);
    if (w.async) await w.value;
  }
}
// Creates the final file with mode 0000 (incomplete: unreadable, and removed at start if a crash leaves it), and
// from that moment fsyncs its folder in parallel with writing the bytes, marking it complete (0600) and fsyncing
// the file: both fsyncs, one journal commit's wait instead of two in a row.
async function placeDurably(m) {
  const fd = fs.openSync(m.final, 'wx', 0);
  const ctl = new BigInt64Array(m.dir.ctl);
  const dirSynced = syncDir(m.dir.fd, ctl, Atomics.add(ctl, 1, 1n) + 1n);
  dirSynced.catch(() => undefined);
  try {
    const data = new Uint8Array(m.sab, 0, m.len);
    for (let off = 0; off < data.length; ) off += fs.writeSync(fd, data, off, data.length - off);
    fs.fchmodSync(fd, 0o600);
    fs.fsyncSync(fd);
  } catch (e) {
    try { fs.closeSync(fd); } catch {}
    try { fs.unlinkSync(m.final); } catch {}
    throw e;
  }
  fs.closeSync(fd);
  await dirSynced;
}
parentPort.on('message', async (m) => {
  try {
    if (m.place) await placeDurably(m);
    else if (m.tmp) {
      writeDurably(m);
      if (m.dir) {
        const ctl = new BigInt64Array(m.dir.ctl);
        await syncDir(m.dir.fd, ctl, Atomics.add(ctl, 1, 1n) + 1n);
      }
    }
    else fs.fsyncSync(m.fd);
    parentPort.postMessage({ seq: m.seq });
  } catch (e) {
    parentPort.postMessage({ seq: m.seq, error: String((e && e.message) || e), code: e && e.code });
  }
});
`;

/** A directory whose fsyncs the writer threads share (group commit in shared memory, see syncDir above). */
export interface SharedDirSync {
  /** An open descriptor of the directory. */
  fd: number;
  /** Three BigInt64 counters: lock, renames finished, renames covered by the last finished fsync. */
  ctl: SharedArrayBuffer;
}

/** True for a file placeFile had not finished (mode 0000): never acknowledged, safe to remove. */
export function isIncomplete(mode: number): boolean {
  return process.platform !== 'win32' && (mode & 0o777) === 0;
}

/** Makes the shared state for group-committed fsyncs of one open directory. */
export function sharedDirSync(fd: number): SharedDirSync {
  return { fd, ctl: new SharedArrayBuffer(3 * 8) };
}

interface Slot {
  w: Worker;
  busy: number;
}

interface Pending {
  slot: Slot;
  resolve: () => void;
  reject: (e: Error) => void;
}

/** A small pool of writer threads for durable (fsync'd, atomically renamed) file writes. */
export class DurableWriter {
  private readonly workers: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private seq = 0;

  /** Free slabs by size (powers of two from 64 KiB), reused so their pages stay mapped. */
  private readonly slabs = new Map<number, SharedArrayBuffer[]>();
  private pooledBytes = 0;

  private idleTimer?: NodeJS.Timeout;

  /**
   * `size` writer threads at most; at most `maxPooledBytes` of idle slab memory is kept for reuse. After `idleMs`
   * without a write, threads beyond `keepWarm` stop and the slabs are freed: each thread is a V8 isolate of about
   * 8 MB, and a relay at rest between alarms should not hold a burst's worth of them.
   */
  constructor(
    private readonly size = 8,
    private readonly maxPooledBytes = 16 * 1024 * 1024,
    private readonly idleMs = 5000,
    private readonly keepWarm = 1,
  ) {}

  /** Writer threads running now. */
  get threads(): number {
    return this.workers.length;
  }

  /**
   * fsyncs an open file descriptor in a writer thread (threads share the process's descriptors, so only the
   * number crosses, never the data); resolves when the data is on stable storage.
   */
  fsync(fd: number): Promise<void> {
    return this.request({ fd });
  }

  /**
   * Writes the concatenation of `chunks` (`total` bytes) to a new file `tmp` (exclusive create), fsyncs and
   * closes it, then renames it to `final`, all in one writer thread; resolves once the content is on stable
   * storage under its final name. With `dir` (the folder of `final`) the same thread then waits for an fsync of
   * that folder that began after the rename (shared with the other threads' renames), so the rename itself is
   * durable too; without it the caller must fsync the folder. On failure
   * the tmp file is removed. The chunks are copied before this returns, so the caller may reuse them at once.
   * `whileWriting` runs on this thread with a view of the bytes while the writer thread writes them (e.g. to
   * summarise the message without a second copy); the view is valid only until its promise settles.
   */
  async writeFile<T>(tmp: string, final: string, chunks: readonly Buffer[], total: number, whileWriting: (data: Buffer) => Promise<T>, dir?: SharedDirSync): Promise<T> {
    const sab = this.slab(total);
    const view = Buffer.from(sab, 0, total);
    let off = 0;
    for (const c of chunks) off += c.copy(view, off);
    const [written, used] = await Promise.allSettled([this.request({ tmp, final, sab, len: total, dir }), whileWriting(view)]);
    // The slab goes back only after both the writer thread and the caller are done with it.
    this.release(sab);
    if (written.status === 'rejected') throw written.reason;
    if (used.status === 'rejected') throw used.reason;
    return used.value;
  }

  /**
   * Writes the concatenation of `chunks` (`total` bytes) as the new file `final` in its folder `dir`, durably, in
   * one writer-thread request: the file is created with mode 0000 (incomplete), the folder's fsync starts at once
   * (shared with the other threads) while the bytes are written, the file is marked complete (0600) and fsynced.
   * Resolves when the content and its name survive a power cut. A crash before that leaves a mode-0000 file, which
   * `isIncomplete` recognises. On failure the file is removed. `whileWriting` as in writeFile. Not for Windows
   * (no folder fsync, no mode 0000): use writeFile there.
   */
  async placeFile<T>(final: string, chunks: readonly Buffer[], total: number, whileWriting: (data: Buffer) => Promise<T>, dir: SharedDirSync): Promise<T> {
    const sab = this.slab(total);
    const view = Buffer.from(sab, 0, total);
    let off = 0;
    for (const c of chunks) off += c.copy(view, off);
    const [written, used] = await Promise.allSettled([this.request({ place: true, final, sab, len: total, dir }), whileWriting(view)]);
    this.release(sab);
    if (written.status === 'rejected') throw written.reason;
    if (used.status === 'rejected') throw used.reason;
    return used.value;
  }

  private slab(bytes: number): SharedArrayBuffer {
    let size = 64 * 1024;
    while (size < bytes) size *= 2;
    const free = this.slabs.get(size);
    const sab = free?.pop();
    if (sab) {
      this.pooledBytes -= size;
      return sab;
    }
    return new SharedArrayBuffer(size);
  }

  private release(sab: SharedArrayBuffer): void {
    if (this.pooledBytes + sab.byteLength > this.maxPooledBytes) return;
    let free = this.slabs.get(sab.byteLength);
    if (!free) this.slabs.set(sab.byteLength, (free = []));
    free.push(sab);
    this.pooledBytes += sab.byteLength;
  }

  private request(
    body: { fd: number } | { tmp: string; final: string; sab: SharedArrayBuffer; len: number; dir?: SharedDirSync } | { place: true; final: string; sab: SharedArrayBuffer; len: number; dir: SharedDirSync },
  ): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const slot = this.pick();
    const seq = ++this.seq;
    slot.busy++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(seq, {
        slot,
        resolve: () => {
          slot.busy--;
          this.whenIdle();
          resolve();
        },
        reject: (e) => {
          slot.busy--;
          this.whenIdle();
          reject(e);
        },
      });
      slot.w.postMessage({ seq, ...body });
    });
  }

  /** Arms the trim once nothing is in flight. */
  private whenIdle(): void {
    if (this.pending.size || this.idleTimer || this.workers.length <= this.keepWarm) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.pending.size) return;
      for (const s of this.workers.splice(this.keepWarm)) void s.w.terminate();
      this.slabs.clear();
      this.pooledBytes = 0;
    }, this.idleMs);
    this.idleTimer.unref();
  }

  /** Stops the writer threads after the writes in flight (a later write starts new ones). */
  async close(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    while (this.pending.size) await new Promise((r) => setImmediate(r));
    await Promise.all(this.workers.splice(0).map((s) => s.w.terminate()));
    this.slabs.clear();
    this.pooledBytes = 0;
  }

  private pick(): Slot {
    let best = this.workers.find((s) => s.busy === 0);
    if (!best && this.workers.length < this.size) best = this.spawn();
    if (!best) best = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    return best;
  }

  private spawn(): Slot {
    const w = new Worker(WORKER_CODE, { eval: true });
    w.unref();
    const slot: Slot = { w, busy: 0 };
    w.on('message', (m: { seq: number; error?: string; code?: string }) => {
      const p = this.pending.get(m.seq);
      if (!p) return;
      this.pending.delete(m.seq);
      if (m.error) p.reject(Object.assign(new Error(m.error), { code: m.code }));
      else p.resolve();
    });
    w.on('error', (e) => {
      // A crashed writer fails its own writes; the next write spawns a fresh one.
      const i = this.workers.indexOf(slot);
      if (i >= 0) this.workers.splice(i, 1);
      for (const [seq, p] of this.pending) {
        if (p.slot !== slot) continue;
        this.pending.delete(seq);
        p.reject(e);
      }
    });
    this.workers.push(slot);
    return slot;
  }
}
