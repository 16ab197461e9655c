/**
 * The offline knowledge base: short markdown articles in `kb/*.md` at the repo root (shipped with the app), each
 * with front matter (id, title, summary, checks), and their translations in `kb/<language>/*.md` (same file
 * names, ids and checks). Parsed with gray-matter and validated with the domain schema, so a broken article fails
 * loudly at load (and in its test), never halfway through a doctor run on site.
 */
import { readdir, readFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type matter from 'gray-matter';
import { lazyModule } from '../common/lazy-module';
import { ArticleFrontMatterSchema, type Article, type ArticleId, type ArticleSummary } from '../../../shared/domain/diagnostics';
import { AppFailure } from '../../../shared/ipc/result';
import type { Language } from '../../../shared/i18n/languages';


/** gray-matter (with its YAML parser) is loaded when an article is first read (common/lazy-module.ts). */
const grayMatter = lazyModule<typeof matter>('gray-matter');
/**
 * Finds the `kb` folder that sits next to the app's package.json, searching upward from this file (works from
 * sources and from a build output folder). Hosts that package the app elsewhere pass the folder explicitly.
 */
export function defaultKbDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && existsSync(join(dir, 'kb'))) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'sarix-commissioner') return join(dir, 'kb');
      } catch {
        // an unreadable package.json is not ours; keep searching upward
      }
    }
    dir = dirname(dir);
  }
  return join(process.cwd(), 'kb');
}

/** Parses one article file's text; throws an Error naming the file and the first problem. */
export function parseArticle(fileName: string, text: string): Article {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // A fresh options object bypasses gray-matter's content cache, so edits in tests are seen.
    parsed = grayMatter()(text, {});
  } catch (e) {
    throw new Error(`${fileName}: the front matter is not valid YAML (${e instanceof Error ? e.message : String(e)}).`, { cause: e });
  }
  const fm = ArticleFrontMatterSchema.safeParse(parsed.data);
  if (!fm.success) {
    const i = fm.error.issues[0];
    throw new Error(`${fileName}: front matter ${i.path.join('.') || '(root)'}: ${i.message}.`);
  }
  const expected = basename(fileName, '.md');
  if (fm.data.id !== expected) throw new Error(`${fileName}: front matter id "${fm.data.id}" must match the file name "${expected}".`);
  const markdown = parsed.content.trim();
  if (markdown.length === 0) throw new Error(`${fileName}: the article has no text.`);
  return { id: fm.data.id, title: fm.data.title, summary: fm.data.summary, checks: fm.data.checks, markdown };
}

/** Reads and validates every `*.md` in a folder; throws on the first invalid article or a duplicate id. */
export async function loadArticles(dir: string): Promise<Article[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.md')).sort();
  } catch (e) {
    throw new AppFailure('NOT_FOUND', `The knowledge base folder ${dir} cannot be read: reinstall the app.`, { error: String(e) });
  }
  const out: Article[] = [];
  for (const n of names) out.push(parseArticle(n, await readFile(join(dir, n), 'utf8')));
  return out;
}

/**
 * Reads the translated articles in `<dir>/<language>/` and checks each against its English original: only ids that
 * exist in English, and the same checks (the doctor links a check to an article id whatever the language). A
 * missing folder is an empty set: every article then falls back to English.
 */
export async function loadTranslatedArticles(dir: string, language: Exclude<Language, 'en'>, english: readonly Article[]): Promise<Article[]> {
  const folder = join(dir, language);
  if (!existsSync(folder)) return [];
  const list = await loadArticles(folder);
  const byId = new Map(english.map((a) => [a.id, a]));
  for (const a of list) {
    const en = byId.get(a.id);
    if (!en) throw new Error(`${language}/${a.id}.md: there is no English article "${a.id}" to translate.`);
    if ([...a.checks].sort().join() !== [...en.checks].sort().join())
      throw new Error(`${language}/${a.id}.md: front matter checks [${a.checks.join(', ')}] must be the English article's [${en.checks.join(', ')}].`);
  }
  return list;
}

/**
 * The loaded knowledge base; articles are read once per language and kept (they ship with the app and do not
 * change). An article without a translation is shown in English.
 */
export class KnowledgeBase {
  private readonly loading = new Map<Language, Promise<Map<string, Article>>>();
  constructor(private readonly dir: string = defaultKbDir()) {}

  private all(language: Language = 'en'): Promise<Map<string, Article>> {
    let p = this.loading.get(language);
    if (!p) {
      p =
        language === 'en'
          ? loadArticles(this.dir).then((list) => new Map(list.map((a) => [a.id, a])))
          : this.all('en').then(async (en) => {
              const translated = await loadTranslatedArticles(this.dir, language, [...en.values()]);
              return new Map([...en, ...translated.map((a) => [a.id, a] as const)]);
            });
      this.loading.set(language, p);
      // A failed load is not cached, so a fixed installation works without a restart.
      p.catch(() => this.loading.delete(language));
    }
    return p;
  }

  /** Every article without its body in a language (English where a translation is missing), sorted by title. */
  async list(language: Language = 'en'): Promise<ArticleSummary[]> {
    const m = await this.all(language);
    return [...m.values()].map(({ markdown: _m, ...s }) => s).sort((a, b) => a.title.localeCompare(b.title, language));
  }

  /** One article with its markdown in a language (English when it has no translation); NOT_FOUND names the known ids. */
  async get(id: string, language: Language = 'en'): Promise<Article> {
    const m = await this.all(language);
    const a = m.get(id);
    if (!a) throw new AppFailure('NOT_FOUND', `There is no knowledge-base article "${id}". Known articles: ${[...m.keys()].join(', ')}.`);
    return a;
  }

  /** True when an article with this id exists (in English; every article has an English original). */
  async has(id: ArticleId): Promise<boolean> {
    return (await this.all()).has(id);
  }
}
