import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DurableWriter } from './durable-writer';

function owned(text: string): Buffer {
  const b = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  b.write(text);
  return b;
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
    await Promise.all(Array.from({ length: 10 }, (_, i) => writer.writeFile(join(dir, `t${i}`), join(dir, `f${i}`), owned(`message ${i}\r\n`))));
    const names = (await readdir(dir)).sort();
    expect(names).toEqual(Array.from({ length: 10 }, (_, i) => `f${i}`).sort());
    expect(await readFile(join(dir, 'f7'), 'utf8')).toBe('message 7\r\n');
  });

  it('refuses an existing tmp name (exclusive create) and leaves the existing file alone', async () => {
    await writeFile(join(dir, 't'), 'someone else');
    await expect(writer.writeFile(join(dir, 't'), join(dir, 'f'), owned('x'))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await readFile(join(dir, 't'), 'utf8')).toBe('someone else');
    expect(await readdir(dir)).toEqual(['t']);
  });

  it('removes the tmp file when the rename fails', async () => {
    await expect(writer.writeFile(join(dir, 't'), join(dir, 'missing', 'f'), owned('x'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('rejects a buffer that shares its memory (it would be transferred away from its owner)', () => {
    const shared = Buffer.from('shared pool slice');
    expect(() => writer.writeFile(join(dir, 't'), join(dir, 'f'), shared)).toThrow(/owns its memory/);
  });
});
