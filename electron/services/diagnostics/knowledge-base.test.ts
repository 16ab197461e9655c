import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ARTICLE_IDS, CHECK_CATALOG, CHECK_IDS } from '../../../shared/domain/diagnostics';
import { defaultKbDir, KnowledgeBase, loadArticles, parseArticle } from './knowledge-base';

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
