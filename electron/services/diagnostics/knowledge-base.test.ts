import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTICLE_IDS, CHECK_CATALOG, CHECK_IDS } from '../../../shared/domain/diagnostics';
import { mkdir } from 'node:fs/promises';
import { defaultKbDir, KnowledgeBase, loadArticles, loadTranslatedArticles, parseArticle } from './knowledge-base';

const kbDir = defaultKbDir();

describe('shipped knowledge base', () => {
  it('has a valid article for every article id, and no article without an id', async () => {
    const articles = await loadArticles(kbDir);
    expect(articles.map((a) => a.id).sort()).toEqual([...ARTICLE_IDS].sort());
  });

  it('has an article for every article a check points to', async () => {
    const ids = new Set((await loadArticles(kbDir)).map((a) => a.id));
    for (const id of CHECK_IDS) expect(ids.has(CHECK_CATALOG[id].article), `${id} → ${CHECK_CATALOG[id].article}`).toBe(true);
  });

  it('links every check from at least one article, and each article lists its own check ids', async () => {
    const articles = await loadArticles(kbDir);
    const listed = new Set(articles.flatMap((a) => a.checks));
    for (const id of CHECK_IDS) expect(listed.has(id), `no article lists ${id}`).toBe(true);
    for (const id of CHECK_IDS) {
      const home = articles.find((a) => a.id === CHECK_CATALOG[id].article)!;
      expect(home.checks, `${home.id} should list ${id}`).toContain(id);
    }
  });

  it('only cross-references articles that exist', async () => {
    const articles = await loadArticles(kbDir);
    const ids = new Set<string>(ARTICLE_IDS);
    for (const a of articles) {
      // Articles refer to each other as `article-id` in backticks; anything id-like must be a real article.
      const refs = [...a.markdown.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)].map((m) => m[1]).filter((r) => ids.has(r) || /^(?:forward|ntp|local|setup|port|smtp|factory|firmware)-/.test(r));
      for (const r of refs) expect(ids.has(r), `${a.id} refers to unknown article ${r}`).toBe(true);
    }
  });

  it('keeps articles short (offline reading on site)', async () => {
    for (const a of await loadArticles(kbDir)) expect(a.markdown.split('\n').length, a.id).toBeLessThan(90);
  });

  it('lists and gets articles, and names the known ids for an unknown one', async () => {
    const kb = new KnowledgeBase(kbDir);
    const list = await kb.list();
    expect(list).toHaveLength(ARTICLE_IDS.length);
    expect(list[0]).not.toHaveProperty('markdown');
    const a = await kb.get('local-relay');
    expect(a.markdown).toMatch(/port 25/);
    await expect(kb.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/local-relay/) });
  });
});

/** What a translation must keep byte for byte: fenced code blocks, inline code (commands, replies, article refs), links. */
function untranslatable(markdown: string) {
  const fences = [...markdown.matchAll(/^```[^\n]*\n[\s\S]*?^```/gm)].map((m) => m[0]);
  const rest = markdown.replace(/^```[^\n]*\n[\s\S]*?^```/gm, '');
  const code = [...new Set([...rest.matchAll(/`([^`\n]+)`/g)].map((m) => m[1]))].sort();
  const urls = [...new Set([...markdown.matchAll(/https?:\/\/[^\s)>\]]+|\]\(([^)]+)\)/g)].map((m) => m[1] ?? m[0]))].sort();
  return { fences, code, urls };
}

describe('German knowledge base (kb/de)', () => {
  it('has a German article for every English one, with the same id, checks, code blocks, inline code and links', async () => {
    const en = await loadArticles(kbDir);
    const de = await loadArticles(join(kbDir, 'de'));
    expect(de.map((a) => a.id)).toEqual(en.map((a) => a.id));
    for (const e of en) {
      const d = de.find((a) => a.id === e.id)!;
      expect(d.checks, e.id).toEqual(e.checks);
      expect(untranslatable(d.markdown), e.id).toEqual(untranslatable(e.markdown));
      // Translated, not copied: the title, summary and body all differ from the English text.
      expect(d.title, e.id).not.toBe(e.title);
      expect(d.summary, e.id).not.toBe(e.summary);
      expect(d.markdown.split('\n')[0], e.id).not.toBe(e.markdown.split('\n')[0]);
      expect(d.markdown.split('\n').length, e.id).toBeLessThan(90);
    }
    // The comparison has something to compare (the articles' commands, replies and examples).
    expect(en.flatMap((a) => untranslatable(a.markdown).fences)).toHaveLength(3);
    expect(en.flatMap((a) => untranslatable(a.markdown).code).length).toBeGreaterThan(40);
  });

  it('passes the same validation as the English set (ids and checks match the originals)', async () => {
    const en = await loadArticles(kbDir);
    expect((await loadTranslatedArticles(kbDir, 'de', en)).length).toBe(ARTICLE_IDS.length);
  });

  it('serves German text for article(id, "de") and German titles in list("de"); English stays the default', async () => {
    const kb = new KnowledgeBase(kbDir);
    const a = await kb.get('local-relay', 'de');
    expect(a.title).toBe('Warum ältere Sarix-Kameras ein lokales Relay brauchen, und was „lokal“ bedeutet');
    expect(a.markdown).toMatch(/^# Warum die Kamera ein lokales Relay braucht\n/);
    expect(a.markdown).toMatch(/Diese App hat ein solches Relay eingebaut\./);
    expect((await kb.get('port-25', 'de')).markdown).toMatch(/Ports unter 1024 sind privilegiert/);
    const list = await kb.list('de');
    expect(list).toHaveLength(ARTICLE_IDS.length);
    expect(list.find((s) => s.id === 'setup-order')?.title).toBe('Reihenfolge der Kameraeinrichtung und ihre Grenzen');
    expect((await kb.get('local-relay')).markdown).toMatch(/^# Why the camera needs a local relay/);
  });
});

describe('translated articles', () => {
  const en = (id: string, title: string, checks: string) => `---\nid: ${id}\ntitle: ${title}\nsummary: An English summary line.\nchecks: [${checks}]\n---\n# ${title}\n`;
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  async function kbFolder(files: Record<string, string>): Promise<string> {
    const d = await mkdtemp(join(tmpdir(), 'kb-lang-test-'));
    dirs.push(d);
    await mkdir(join(d, 'de'));
    for (const [name, text] of Object.entries(files)) await writeFile(join(d, name), text);
    return d;
  }

  it('falls back to English for an article without a German file', async () => {
    const d = await kbFolder({
      'port-25.md': en('port-25', 'Port 25', 'smtp-connect'),
      'setup-order.md': en('setup-order', 'Setup order', 'camera-handlers'),
      'de/port-25.md': en('port-25', 'Port 25 auf allen Systemen', 'smtp-connect').replace('An English summary line.', 'Eine deutsche Zusammenfassung.'),
    });
    const kb = new KnowledgeBase(d);
    expect((await kb.get('port-25', 'de')).title).toBe('Port 25 auf allen Systemen');
    expect((await kb.get('setup-order', 'de')).title).toBe('Setup order');
    expect((await kb.list('de')).map((a) => a.title)).toEqual(['Port 25 auf allen Systemen', 'Setup order']);
  });

  it('falls back to English entirely when the language folder is missing', async () => {
    const d = await kbFolder({ 'port-25.md': en('port-25', 'Port 25', 'smtp-connect') });
    await rm(join(d, 'de'), { recursive: true });
    expect((await new KnowledgeBase(d).get('port-25', 'de')).title).toBe('Port 25');
  });

  it('refuses a translation whose checks differ from the English article', async () => {
    const d = await kbFolder({ 'port-25.md': en('port-25', 'Port 25', 'smtp-connect'), 'de/port-25.md': en('port-25', 'Port 25 (de)', 'smtp-connect, relay-listening') });
    await expect(new KnowledgeBase(d).get('port-25', 'de')).rejects.toThrow(/de\/port-25\.md: front matter checks \[smtp-connect, relay-listening\] must be the English article's \[smtp-connect\]/);
  });

  it('refuses a translation without an English original, and an invalid one like an English one', async () => {
    const d = await kbFolder({ 'port-25.md': en('port-25', 'Port 25', 'smtp-connect'), 'de/setup-order.md': en('setup-order', 'Reihenfolge', 'camera-handlers') });
    await expect(new KnowledgeBase(d).list('de')).rejects.toThrow(/no English article "setup-order"/);
    const e = await kbFolder({ 'port-25.md': en('port-25', 'Port 25', 'smtp-connect'), 'de/port-25.md': en('port-25', 'x', 'smtp-connect') });
    await expect(new KnowledgeBase(e).list('de')).rejects.toThrow(/port-25\.md: front matter title/);
  });
});

describe('article parsing', () => {
  const good = '---\nid: port-25\ntitle: Port 25\nsummary: Why port twenty-five matters.\nchecks: [smtp-connect]\n---\n# Body\n';
  it('accepts a valid article', () => {
    expect(parseArticle('port-25.md', good)).toMatchObject({ id: 'port-25', checks: ['smtp-connect'], markdown: '# Body' });
  });
  it.each([
    ['unknown id', good.replace('id: port-25', 'id: port-26'), /id/],
    ['id not matching the file name', good.replace('id: port-25', 'id: local-relay'), /must match the file name/],
    ['unknown check', good.replace('[smtp-connect]', '[smtp-banana]'), /checks\.0/],
    ['missing title', good.replace('title: Port 25\n', ''), /title/],
    ['extra key', good.replace('checks:', 'author: me\nchecks:'), /unrecognized|author/i],
    ['broken YAML', good.replace('checks: [smtp-connect]', 'checks: [smtp-connect'), /not valid YAML/],
    ['empty body', good.replace('# Body\n', ''), /no text/],
  ])('refuses %s', (_name, text, re) => {
    expect(() => parseArticle('port-25.md', text)).toThrow(re);
  });

  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  it('fails loading a folder with one bad article, naming the file', async () => {
    const d = await mkdtemp(join(tmpdir(), 'kb-test-'));
    dirs.push(d);
    await writeFile(join(d, 'port-25.md'), good);
    await writeFile(join(d, 'setup-order.md'), good.replace('id: port-25', 'id: setup-order').replace('title: Port 25', 'title: x'));
    await expect(loadArticles(d)).rejects.toThrow(/setup-order\.md: front matter title/);
  });
  it('reports a missing folder as NOT_FOUND', async () => {
    await expect(new KnowledgeBase('/nonexistent/kb-folder').list()).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
