/**
 * Every catalog key the source names exists in every shipped catalog: the renderer's t('…') and key maps, the
 * machine side's failure(code, '…') and msg('…'). A key typed wrong or added in one language only fails here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatten, keysInSource } from '../shared/i18n/catalog-check';
import { CATALOGS } from '../shared/i18n/i18n';
import { LANGUAGES } from '../shared/i18n/languages';

const ROOTS = ['renderer/src', 'electron', 'shared'];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(p);
  }
  return out;
}

describe('catalog keys used in the source', () => {
  const used = new Map<string, string>();
  for (const f of ROOTS.flatMap(sourceFiles)) for (const k of keysInSource(readFileSync(f, 'utf8'), CATALOGS.en)) used.set(k, f);

  it('the scan finds the keys of every converted area', () => {
    expect(used.size).toBeGreaterThan(300);
    for (const ns of ['settings', 'relay', 'report', 'troubleshoot', 'errors']) expect([...used.keys()].some((k) => k.startsWith(`${ns}.`))).toBe(true);
  });

  for (const lang of LANGUAGES) {
    it(`exist in the ${lang} catalog`, () => {
      const flat = flatten(CATALOGS[lang]);
      const missing = [...used].filter(([k]) => typeof flat.get(k) !== 'string').map(([k, f]) => `${k} (${f})`);
      expect(missing).toEqual([]);
    });
  }

  it('t() is called with literal keys only (a computed key escapes this check)', () => {
    const computed: string[] = [];
    for (const f of ROOTS.flatMap(sourceFiles)) {
      const src = readFileSync(f, 'utf8');
      for (const m of src.matchAll(/\bt\(\s*`[^`]*\$\{/g)) computed.push(`${f}: ${m[0]}`);
    }
    expect(computed).toEqual([]);
  });
});
