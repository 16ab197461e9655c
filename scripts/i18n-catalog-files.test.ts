/**
 * The catalog files as text: no key named twice in one object. A text merge of two branches can add the same key in
 * two places; JSON.parse then keeps the last one silently and the other wording is lost. (Here, not in shared/: it
 * reads files.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../shared/i18n/languages';

describe('catalog files', () => {
  it('name no key twice in one object (a text merge can add one; JSON.parse would then keep the last silently)', () => {
    for (const lang of LANGUAGES) {
      const text = readFileSync(join(import.meta.dirname, '..', 'shared', 'i18n', `${lang}.json`), 'utf8');
      const seen: Array<Set<string>> = [];
      const path: string[] = [];
      const twice: string[] = [];
      let lastKey = '';
      for (const m of text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:|[{}]|"(?:[^"\\]|\\.)*"/g)) {
        if (m[0] === '{') {
          seen.push(new Set());
          path.push(lastKey);
        } else if (m[0] === '}') {
          seen.pop();
          path.pop();
        } else if (m[1] !== undefined) {
          const keys = seen[seen.length - 1];
          if (keys.has(m[1])) twice.push([...path.slice(1), m[1]].join('.'));
          keys.add(m[1]);
          lastKey = m[1];
        }
      }
      expect(twice, lang).toEqual([]);
    }
  });

});
