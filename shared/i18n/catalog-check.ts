/**
 * Checks of the shipped catalogs, used by the tests (and usable by a build step): the same keys in every language,
 * every message valid ICU, the same arguments in each translation as in English, and the keys the source uses.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import type { Catalog } from './i18n';

/** Every leaf of a catalog as `dotted.key → message`; a non-string leaf is reported as a problem by catalogProblems. */
export function flatten(c: Catalog, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(c)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
    else out.set(key, v);
  }
  return out;
}

// intl-messageformat's AST element types (TYPE in @formatjs/icu-messageformat-parser).
const ARGUMENT_TYPES = new Set([1, 2, 3, 4, 5, 6]);
type AstElement = { type: number; value?: unknown; options?: Record<string, { value: AstElement[] }>; children?: AstElement[] };

function collectArguments(elements: AstElement[], into: Set<string>): Set<string> {
  for (const el of elements) {
    if (ARGUMENT_TYPES.has(el.type) && typeof el.value === 'string') into.add(el.value);
    if (el.options) for (const o of Object.values(el.options)) collectArguments(o.value, into);
    if (el.children) collectArguments(el.children, into);
  }
  return into;
}

/** The argument names of one ICU message; throws on an ICU syntax error. */
export function messageArguments(message: string, language: string): Set<string> {
  const ast = new IntlMessageFormat(message, language, undefined, { ignoreTag: true }).getAst() as unknown as AstElement[];
  return collectArguments(ast, new Set());
}

/**
 * Everything wrong with a set of catalogs against the reference (English): keys missing or extra per language,
 * messages that are not strings or not valid ICU, and translations whose arguments differ from the reference's.
 */
export function catalogProblems(catalogs: Record<string, Catalog>, reference = 'en'): string[] {
  const problems: string[] = [];
  const ref = flatten(catalogs[reference]);
  const refArgs = new Map<string, Set<string>>();
  for (const [lang, catalog] of Object.entries(catalogs)) {
    const flat = flatten(catalog);
    for (const key of ref.keys()) if (!flat.has(key)) problems.push(`${lang}: missing key ${key}`);
    for (const key of flat.keys()) if (!ref.has(key)) problems.push(`${lang}: key ${key} is not in ${reference}`);
    for (const [key, message] of flat) {
      if (typeof message !== 'string') {
        problems.push(`${lang}: ${key} is not a string`);
        continue;
      }
      let args: Set<string>;
      try {
        args = messageArguments(message, lang);
      } catch (e) {
        problems.push(`${lang}: ${key} is not valid ICU (${e instanceof Error ? e.message : String(e)})`);
        continue;
      }
      if (lang === reference) refArgs.set(key, args);
      else {
        const want = refArgs.get(key) ?? (typeof ref.get(key) === 'string' ? safeArgs(ref.get(key) as string, reference) : undefined);
        if (want && [...want].sort().join(',') !== [...args].sort().join(',')) problems.push(`${lang}: ${key} uses {${[...args].join(', ')}} but ${reference} uses {${[...want].join(', ')}}`);
      }
    }
  }
  return problems;
}

function safeArgs(message: string, language: string): Set<string> | undefined {
  try {
    return messageArguments(message, language);
  } catch {
    return undefined;
  }
}

/**
 * The catalog keys a source file names. Two kinds: the first argument of t('…') / msg('…') / localized('…') and
 * the key of failure(CODE, '…'), always; and other string literals shaped like a key whose first two segments are
 * a known group (`'report.save.pdf'` in a key map), so `'settings.json'` is not taken for one. Template literals
 * with `${}` are never keys: the convention is literal keys only, so this scan sees every one.
 */
export function keysInSource(source: string, catalog: Catalog): string[] {
  const out = new Set<string>();
  const calls = /(?:\b(?:t|msg|localized)\(\s*|\bfailure\(\s*'[A-Z_]+'\s*,\s*)(['"`])([A-Za-z0-9_.-]+)\1/g;
  for (const m of source.matchAll(calls)) out.add(m[2]);
  const groups = new Set<string>();
  for (const [ns, v] of Object.entries(catalog)) if (v && typeof v === 'object') for (const k of Object.keys(v)) groups.add(`${ns}.${k}`);
  for (const m of source.matchAll(/(['"`])([A-Za-z][A-Za-z0-9_-]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)\1/g)) {
    const [a, b] = m[2].split('.');
    if (groups.has(`${a}.${b}`)) out.add(m[2]);
  }
  return [...out];
}
