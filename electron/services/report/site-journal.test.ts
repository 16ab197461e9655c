import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { siteSlug } from '../../../shared/domain/site-journal';
import { SiteJournal, SiteStore } from './site-journal';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const note = (text: string) => ({ kind: 'note' as const, text, owner: 'technician' as const });

describe('site journal', () => {
  it('appends entries that read back in order, with who and when', async () => {
    let t = Date.parse('2026-11-29T10:00:00Z');
    const j = new SiteJournal(join(dir, 'site'), () => (t += 1000));
    const a = await j.append(note('first'), 'Ana');
    const b = await j.append(note('second'), 'Ana');
    const r = await j.read();
    expect(r.unreadable).toBe(0);
    expect(r.entries.map((e) => e.id)).toEqual([a.id, b.id]);
    expect(r.entries[0]).toMatchObject({ v: 1, by: 'Ana', at: '2026-11-29T10:00:01.000Z', kind: 'note', text: 'first' });
  });

  it('refuses an entry that does not fit the schema, and writes nothing', async () => {
    const j = new SiteJournal(join(dir, 'site'));
    expect(() => j.append({ kind: 'note', text: '', owner: 'technician' })).toThrow();
    expect((await j.read()).entries).toHaveLength(0);
  });

  it('a torn last line is skipped, counted, and the next entry starts on a fresh line', async () => {
    const j = new SiteJournal(join(dir, 'site'));
    await j.append(note('before the crash'));
    const whole = JSON.stringify({ v: 1, id: 'torn-entry-0001', at: new Date().toISOString(), by: '', kind: 'note', text: 'half written', owner: 'technician' });
    await appendFile(j.file, whole.slice(0, 40));
    expect(await j.read()).toMatchObject({ unreadable: 1, entries: [{ text: 'before the crash' }] });
    await j.append(note('after the crash'));
    const r = await j.read();
    expect(r.unreadable).toBe(1);
    expect(r.entries.map((e) => (e.kind === 'note' ? e.text : ''))).toEqual(['before the crash', 'after the crash']);
  });

  it('a line torn exactly before its newline is complete and kept', async () => {
    const j = new SiteJournal(join(dir, 'site'));
    await j.append(note('one'));
    const whole = JSON.stringify({ v: 1, id: 'no-newline-0001', at: new Date().toISOString(), by: '', kind: 'note', text: 'two', owner: 'technician' });
    await appendFile(j.file, whole);
    await j.append(note('three'));
    expect((await j.read()).entries.map((e) => (e.kind === 'note' ? e.text : ''))).toEqual(['one', 'two', 'three']);
  });

  it('survives a SIGKILL of the writing process: every confirmed entry is there, at most the last line is torn', async () => {
    const siteDir = join(dir, 'killed');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'journal-writer.fixture.ts'), siteDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const confirmed: string[] = [];
    let buf = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    await new Promise<void>((resolve, reject) => {
      child.on('exit', (code) => reject(new Error(`the writer exited early (${code}): ${stderr}`)));
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const lines = buf.split('\n');
        buf = lines.pop()!;
        confirmed.push(...lines.filter(Boolean));
        if (confirmed.length >= 40) resolve();
      });
    });
    child.removeAllListeners('exit');
    const exited = new Promise((r) => child.on('exit', (_code, signal) => r(signal)));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const j = new SiteJournal(siteDir);
    const r = await j.read();
    expect(r.unreadable).toBeLessThanOrEqual(1);
    const ids = new Set(r.entries.map((e) => e.id));
    for (const id of confirmed) expect(ids.has(id)).toBe(true);
    // Every line but possibly the last is a complete entry.
    const lines = (await readFile(j.file, 'utf8')).split('\n').filter(Boolean);
    expect(lines.slice(0, -1).every((l) => JSON.parse(l).v === 1)).toBe(true);
    // The journal goes on: a new entry is readable and nothing before it was lost.
    const after = await j.append(note('after the kill'));
    const r2 = await j.read();
    expect(r2.entries.at(-1)?.id).toBe(after.id);
    expect(r2.entries.length).toBe(r.entries.length + 1);
    expect(r2.unreadable).toBe(r.unreadable);
  }, 60_000);

  it('keeps evidence pictures by hash and notices when one was altered', async () => {
    const j = new SiteJournal(join(dir, 'site'));
    const sha = await j.savePicture(Buffer.from('jpeg bytes'));
    expect(await j.savePicture(Buffer.from('jpeg bytes'))).toBe(sha);
    expect((await j.readPicture(sha))?.toString()).toBe('jpeg bytes');
    await writeFile(join(j.dir, 'snapshots', `${sha}.jpg`), 'altered');
    expect(await j.readPicture(sha)).toBeUndefined();
    expect(await j.readPicture('../../etc/passwd')).toBeUndefined();
  });

  it('one folder per site name, the same for names that differ only in accents or punctuation', async () => {
    expect(siteSlug('Lagerhalle Köln-Süd')).toBe('lagerhalle-koln-sud');
    expect(siteSlug('  Straße / Nr. 5  ')).toBe('strasse-nr-5');
    expect(siteSlug('../..')).toBe('unnamed-site');
    const store = new SiteStore(dir);
    await store.journal('Lagerhalle Köln-Süd').append(note('x'));
    expect(store.journal('lagerhalle koln sud')).toBe(store.journal('Lagerhalle Köln-Süd'));
    expect(await store.slugs()).toEqual(['lagerhalle-koln-sud']);
  });
});
