import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePrivateDir, makeTreePrivate } from './private-files';

const modeOf = (p: string) => lstatSync(p).mode & 0o777;

describe('private files', () => {
  const base = mkdtempSync(join(tmpdir(), 'private-files-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('ensurePrivateDir creates missing folders 0700 and tightens an existing one', () => {
    const deep = join(base, 'a', 'b', 'c');
    ensurePrivateDir(deep);
    for (const p of [join(base, 'a'), join(base, 'a', 'b'), deep]) expect(modeOf(p)).toBe(0o700);
    const open = join(base, 'open');
    mkdirSync(open, { mode: 0o755 });
    chmodSync(open, 0o755);
    ensurePrivateDir(open);
    expect(modeOf(open)).toBe(0o700);
  });

  it('makeTreePrivate takes group/other bits from the named entries, recursively, and from nothing else', async () => {
    const root = join(base, 'data');
    mkdirSync(join(root, 'relay', 'maildir', 'new'), { recursive: true });
    for (const d of [root, join(root, 'relay'), join(root, 'relay', 'maildir'), join(root, 'relay', 'maildir', 'new')]) chmodSync(d, 0o755);
    writeFileSync(join(root, 'relay', 'maildir', 'new', 'm1'), 'mail', { mode: 0o644 });
    writeFileSync(join(root, 'settings.json'), '{}', { mode: 0o640 });
    writeFileSync(join(root, 'user-notes.txt'), 'not ours', { mode: 0o644 });
    const outside = join(base, 'outside.txt');
    writeFileSync(outside, 'outside', { mode: 0o644 });
    symlinkSync(outside, join(root, 'relay', 'link'));
    const changed = await makeTreePrivate(root, ['relay', 'settings.json', 'missing']);
    expect(modeOf(root)).toBe(0o700);
    expect(modeOf(join(root, 'relay'))).toBe(0o700);
    expect(modeOf(join(root, 'relay', 'maildir', 'new'))).toBe(0o700);
    expect(modeOf(join(root, 'relay', 'maildir', 'new', 'm1'))).toBe(0o600);
    expect(modeOf(join(root, 'settings.json'))).toBe(0o600);
    expect(modeOf(join(root, 'user-notes.txt'))).toBe(0o644);
    // A link is neither followed nor changed.
    expect(modeOf(outside)).toBe(0o644);
    expect(changed).toHaveLength(6);
    expect(await makeTreePrivate(root, ['relay', 'settings.json'])).toEqual([]);
  });
});
