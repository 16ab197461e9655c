/**
 * Pages of one camera's web UI as the driver reads them: fetched through the session, parsed once (cheerio
 * document and forms), and kept until the next save (a save can change what any page shows, and per-form
 * tokens are spent by a submission, so every save forgets every page).
 */
import type { CheerioAPI } from 'cheerio';
import { navTargets, type NavTarget } from './navigation';
import { loadHtml, WebForm } from './web-form';
import type { WebResponse, WebSession } from './web-session';

/** One fetched page. */
export interface Page {
  /** Path and query as requested (after same-origin redirects: where it ended). */
  path: string;
  url: string;
  status: number;
  body: string;
  /** For an unfollowed redirect (POST answers): the absolute Location. */
  location?: string;
}

/** Fetches, caches and parses pages. */
export class PageAccess {
  private readonly cache = new Map<string, Page>();
  private readonly parsed = new WeakMap<Page, { $: CheerioAPI; forms: WebForm[]; targets?: NavTarget[] }>();
  private cacheLogins = 0;

  constructor(private readonly session: WebSession) {}

  /** The camera origin. */
  get origin(): string {
    return this.session.base;
  }

  /** Path and query of a URL on the camera. */
  pathOf(url: string): string {
    const u = new URL(url, this.origin);
    return u.pathname + u.search;
  }

  private wrap(r: WebResponse): Page {
    return { path: this.pathOf(r.url), url: r.url, status: r.status, body: r.body, ...(r.location ? { location: r.location } : {}) };
  }

  /** GET a page (any status), from the cache when no save or new login happened since. */
  async get(path: string, fresh = false): Promise<Page> {
    if (this.session.logins !== this.cacheLogins) {
      // A new login means new form tokens: forget every cached form.
      this.cache.clear();
      this.cacheLogins = this.session.logins;
    }
    const hit = this.cache.get(path);
    if (hit && !fresh) return hit;
    const page = this.wrap(await this.session.page('GET', path));
    if (page.status === 200) {
      this.cache.set(path, page);
      if (page.path !== path) this.cache.set(page.path, page);
    }
    this.cacheLogins = this.session.logins;
    return page;
  }

  /** POSTs a form body; forgets every cached page (the save may show anywhere, and spends tokens). */
  async post(path: string, body: string): Promise<Page> {
    try {
      return this.wrap(await this.session.page('POST', path, body));
    } finally {
      this.cache.clear();
    }
  }

  /** Paths of the pages in the cache (navigation starts from what was already seen). */
  cachedPaths(): string[] {
    return [...this.cache.keys()];
  }

  /** The parsed document and forms of a page (parsed once). */
  doc(page: Page): { $: CheerioAPI; forms: WebForm[]; targets?: NavTarget[] } {
    let d = this.parsed.get(page);
    if (!d) {
      const $ = loadHtml(page.body);
      d = { $, forms: WebForm.parseAll($, page.url) };
      this.parsed.set(page, d);
    }
    return d;
  }

  /** The page's navigation targets (read once). */
  targets(page: Page): NavTarget[] {
    const d = this.doc(page);
    return (d.targets ??= navTargets(d.$, page.url));
  }

  /** Forgets every cached page. */
  clear(): void {
    this.cache.clear();
  }
}
