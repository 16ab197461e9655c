import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DurableWriter, isIncomplete, sharedDirSync } from './durable-writer';

const none = async () => undefined;

function write(writer: DurableWriter, tmp: string, final: string, text: string): Promise<undefined> {
  const chunks = [Buffer.from(text.slice(0, 3)), Buffer.from(text.slice(3))];
  return writer.writeFile(tmp, final, chunks, Buffer.byteLength(text), none);
}

describe('DurableWriter.writeFile', () => {
  let dir: string;
  let writer: DurableWriter;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'relay-dw-'));
    writer = new DurableWriter(2);
  });
  afterEach(async () => {
    await writer.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes, fsyncs and renames concurrent files in the writer threads', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => write(writer, join(dir, `t${i}`), join(dir, `f${i}`), `message ${i}\r\n`)));
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(Array.from({ length: 10 }, (_, i) => `f${i}`).sort());
    expect(await readFile(join(dir, 'f7'), 'utf8')).toBe('message 7\r\n');
  });

  it('stops the threads beyond one once idle (memory at rest), and writes on afterwards', async () => {
    const idle = new DurableWriter(4, 16 * 1024 * 1024, 50, 1);
    try {
      await Promise.all(Array.from({ length: 8 }, (_, i) => write(idle, join(dir, `t${i}`), join(dir, `f${i}`), `m${i}`)));
      expect(idle.threads).toBe(4);
      await vi.waitFor(() => expect(idle.threads).toBe(1), { timeout: 5000, interval: 20 });
      await write(idle, join(dir, 'tx'), join(dir, 'fx'), 'after the trim');
      expect(await readFile(join(dir, 'fx'), 'utf8')).toBe('after the trim');
    } finally {
      await idle.close();
    }
  });

  it('refuses an existing tmp name (exclusive create) and leaves the existing file alone', async () => {
    await writeFile(join(dir, 't'), 'someone else');
    await expect(write(writer, join(dir, 't'), join(dir, 'f'), 'x')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(dir, 't'), 'utf8')).toBe('someone else');
    expect(await readdir(dir)).toEqual(['t']);
  });

  it('removes the tmp file when the rename fails', async () => {
    await expect(write(writer, join(dir, 't'), join(dir, 'missing', 'f'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('hands the caller the bytes while they are written, reuses slabs, and copes with messages over the slab size', async () => {
    const big = 'y'.repeat(200 * 1024);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const got = await writer.writeFile(join(dir, `t${i}`), join(dir, `f${i}`), [Buffer.from('head:'), Buffer.from(big)], 5 + big.length, async (view) => {
        seen.push(view.subarray(0, 5).toString());
        return view.length;
      });
      expect(got).toBe(5 + big.length);
    }
    expect(seen).toEqual(['head:', 'head:', 'head:']);
    expect((await readFile(join(dir, 'f2'), 'utf8')).length).toBe(5 + big.length);
  });

  it('waits for the caller before reusing a slab when the write fails, and reports the write error', async () => {
    let finished = false;
    await expect(
      writer.writeFile(join(dir, 't'), join(dir, 'missing', 'f'), [Buffer.from('x')], 1, async () => {
        await new Promise((r) => setTimeout(r, 20));
        finished = true;
      }),
    ).rejects.toMatchObject({ code: 'ENOENT' });
    expect(finished).toBe(true);
  });
});

describe('DurableWriter shared directory fsync', () => {
  it('covers every rename with a directory fsync shared between threads, and reports a failing one to its waiters', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'relay-dw-'));
    const writer = new DurableWriter(4);
    const handle = await open(dir, 'r');
    try {
      const shared = sharedDirSync(handle.fd);
      await Promise.all(Array.from({ length: 24 }, (_, i) => writer.writeFile(join(dir, `t${i}`), join(dir, `f${i}`), [Buffer.from(`m${i}`)], `m${i}`.length, none, shared)));
      const [lock, renames, covered] = new BigInt64Array(shared.ctl);
      expect({ lock, renames }).toEqual({ lock: 0n, renames: 24n });
      expect(covered).toBe(24n);
      expect((await readdir(dir)).length).toBe(24);
      // A directory descriptor that is no longer open: the write itself lands, the 250 must not be given.
      const broken = sharedDirSync(999_999);
      const results = await Promise.allSettled(Array.from({ length: 3 }, (_, i) => writer.writeFile(join(dir, `u${i}`), join(dir, `g${i}`), [Buffer.from('x')], 1, none, broken)));
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
      expect(new BigInt64Array(broken.ctl)[0]).toBe(0n);
    } finally {
      await handle.close();
      await writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('DurableWriter.placeFile (in place, mode 0000 until complete)', () => {
  it('writes each file in its folder as 0600, covers every creation with a shared folder fsync, and reports a failing one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'relay-dw-'));
    const writer = new DurableWriter(4);
    const handle = await open(dir, 'r');
    try {
      const shared = sharedDirSync(handle.fd);
      const seen = await Promise.all(Array.from({ length: 24 }, (_, i) => writer.placeFile(join(dir, `f${i}`), [Buffer.from('m'), Buffer.from(`${i}`)], `m${i}`.length, async (view) => view.toString(), shared)));
      expect(seen).toEqual(Array.from({ length: 24 }, (_, i) => `m${i}`));
      const [lock, created, covered] = new BigInt64Array(shared.ctl);
      expect({ lock, created, covered }).toEqual({ lock: 0n, created: 24n, covered: 24n });
      for (let i = 0; i < 24; i++) {
        expect(await readFile(join(dir, `f${i}`), 'utf8')).toBe(`m${i}`);
        expect((await stat(join(dir, `f${i}`))).mode & 0o777).toBe(0o600);
      }
      // The folder fsync fails (descriptor not open): the 250 must not be given.
      const broken = sharedDirSync(999_999);
      const results = await Promise.allSettled([writer.placeFile(join(dir, 'g'), [Buffer.from('x')], 1, none, broken)]);
      expect(results.map((r) => r.status)).toEqual(['rejected']);
      expect(new BigInt64Array(broken.ctl)[0]).toBe(0n);
    } finally {
      await handle.close();
      await writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses an existing name and leaves that file alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'relay-dw-'));
    const writer = new DurableWriter(1);
    const handle = await open(dir, 'r');
    try {
      await writeFile(join(dir, 'f'), 'someone else');
      await expect(writer.placeFile(join(dir, 'f'), [Buffer.from('x')], 1, none, sharedDirSync(handle.fd))).rejects.toMatchObject({ code: 'EEXIST' });
      expect(await readFile(join(dir, 'f'), 'utf8')).toBe('someone else');
    } finally {
      await handle.close();
      await writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('marks a file it has not finished as incomplete (mode 0000)', () => {
    expect(isIncomplete(0o100000)).toBe(process.platform !== 'win32');
    expect(isIncomplete(0o100600)).toBe(false);
  });
});
