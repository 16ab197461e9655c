/**
 * Finding a page the way a person does (docs/camera.md §4): the paths the profile knows are a first guess;
 * when a guess answers 404 or shows a page without what the page must have, the driver follows the camera's own
 * navigation by its visible text (System > General; Events > Sources / Handlers / Analytic Configuration):
 * links, menu items, tabs, buttons with a target, GET forms. Paths found are remembered for the driver's life.
 * Nothing that could change the camera (delete, reboot, log out, ...) is ever followed.
 */
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { failure, sub } from '../../../shared/i18n/messages';
import type { SubMessage } from '../../../shared/ipc/result';
import type { FirmwareProfile, PageKey } from './firmware-profile';
import { normalizeLabel, visibleText } from './labels';
import type { Page, PageAccess } from './page-access';

/** Something a person can click that leads to another page. */
export interface NavTarget {
  text: string;
  /** Path and query on the camera. */
  path: string;
  /** Labels of the menus it sits in, outermost first (e.g. ["Events"] for Events > Sources). */
  menus: string[];
  how: 'link' | 'button' | 'form' | 'option';
}

const ONCLICK_TARGET = /(?:location(?:\.href)?\s*=|location\.(?:assign|replace)\()\s*['"]([^'"]+)['"]/;

/** The label of a menu item that holds a sub-menu: its own text without the sub-list. */
function menuLabel(li: Element): string {
  const own = li.children.filter((c) => !(c.type === 'tag' && ['ul', 'ol', 'div'].includes((c as Element).name)));
  return normalizeLabel(own.map(visibleText).join(' '));
}

/** Every navigation target of a page on the camera's own origin. */
export function navTargets($: CheerioAPI, pageUrl: string, root?: Element): NavTarget[] {
  const scope = (root ? $(root) : $.root()) as unknown as Cheerio<Element>;
  const origin = new URL(pageUrl).origin;
  const out: NavTarget[] = [];
  const push = (el: Element, raw: string | undefined, how: NavTarget['how'], text?: string, groups: string[] = []) => {
    if (!raw || /^(?:javascript:|mailto:|#)/i.test(raw.trim())) return;
    let u: URL;
    try {
      u = new URL(raw.trim(), pageUrl);
    } catch {
      return;
    }
    if (u.origin !== origin) return;
    const t = normalizeLabel(text ?? (visibleText(el) || el.attribs.title || el.attribs['aria-label'] || ''));
    if (!t) return;
    const menus: string[] = [];
    let inner: Element | undefined;
    for (let p = el.parent; p; p = p.parent) {
      if (p.type !== 'tag') continue;
      const e = p as Element;
      if (e.name === 'li' && inner) menus.unshift(menuLabel(e));
      if (e.name === 'ul' || e.name === 'ol' || e.attribs.role === 'menu' || e.attribs.role === 'tablist') inner = e;
      if (e.name === 'body') break;
    }
    out.push({ text: t, path: u.pathname + u.search, menus: [...menus, ...groups].filter(Boolean), how });
  };
  scope.find('a[href], area[href]').each((_i, el) => push(el as Element, (el as Element).attribs.href, 'link'));
  scope.find('[data-href], [data-url], [data-link], [onclick]').each((_i, el) => {
    const e = el as Element;
    const target = e.attribs['data-href'] ?? e.attribs['data-url'] ?? e.attribs['data-link'] ?? ONCLICK_TARGET.exec(e.attribs.onclick ?? '')?.[1];
    push(e, target, 'button');
  });
  scope.find('select option').each((_i, el) => {
    const e = el as Element;
    // A jump menu (`<select onchange="location=this.value">`): visibleText skips option text, so read it here;
    // an <optgroup label="System"> is the menu the option sits in (System > General).
    const group = e.parent?.type === 'tag' && (e.parent as Element).name === 'optgroup' ? normalizeLabel((e.parent as Element).attribs.label ?? '') : '';
    if (/^\//.test(e.attribs.value ?? '')) push(e, e.attribs.value, 'option', $(e).text(), group ? [group] : []);
  });
  scope.find('form').each((_i, el) => {
    const f = el as Element;
    if ((f.attribs.method ?? 'get').toLowerCase() !== 'get') return;
    const $f = $(f);
    if ($f.find('input:not([type=hidden]):not([type=submit]), select, textarea').length) return;
    const q = new URLSearchParams();
    $f.find('input[type=hidden][name]').each((_j, h) => q.append((h as Element).attribs.name, (h as Element).attribs.value ?? ''));
    $f.find('button, input[type=submit]').each((_j, b) => {
      const be = b as Element;
      const action = new URL(f.attribs.action ?? '', pageUrl);
      const qs = new URLSearchParams(q);
      if (be.attribs.name) qs.append(be.attribs.name, be.attribs.value ?? '');
      const s = qs.toString();
      push(be, action.pathname + (s ? `?${s}` : ''), 'form', be.name === 'button' ? visibleText(be) : be.attribs.value);
    });
  });
  return out;
}

/** How promising a target is for a page: 0 best, undefined = not worth following. */
function priority(t: NavTarget, trails: RegExp[][], navWords: RegExp): number | undefined {
  let best: number | undefined;
  for (const trail of trails) {
    const last = trail[trail.length - 1];
    if (last.test(t.text)) {
      const inMenus = trail.slice(0, -1).every((step) => t.menus.some((m) => step.test(m)));
      best = Math.min(best ?? 9, inMenus ? 0 : 1);
    } else if (trail.slice(0, -1).some((step) => step.test(t.text))) best = Math.min(best ?? 9, 2);
  }
  if (best === undefined && navWords.test(t.text)) best = 3;
  return best;
}

/** What one look-up tried, for the failure message and the capture. */
export interface FindTrace {
  page: PageKey;
  tried: string[];
  foundAt?: string;
}

/** Finds the logical pages of one camera and remembers where they are. */
export class PageFinder {
  private readonly found = new Map<PageKey, string>();
  /** Every look-up's trace (captures report them). */
  readonly traces: FindTrace[] = [];

  constructor(
    private readonly pages: PageAccess,
    private readonly p: FirmwareProfile,
    private readonly recognise: Record<PageKey, (page: Page) => boolean>,
    /** What each page must show, in words ("found no SMTP server field"), for the failure message. */
    private readonly wants: Record<PageKey, SubMessage>,
    private readonly maxFetches = 30,
  ) {}

  /** Where a page was found (undefined until found). */
  pathOf(key: PageKey): string | undefined {
    return this.found.get(key);
  }

  private readonly seen = new WeakMap<Page, Map<PageKey, boolean>>();

  /** Whether a page is that logical page (each page judged once per key). */
  private is(key: PageKey, page: Page): boolean {
    let m = this.seen.get(page);
    if (!m) this.seen.set(page, (m = new Map()));
    let v = m.get(key);
    if (v === undefined) m.set(key, (v = page.status === 200 && this.recognise[key](page)));
    return v;
  }

  private isGood(key: PageKey, page: Page): boolean {
    return this.is(key, page);
  }

  /** Remembers every other page this one turns out to be. */
  private learn(page: Page): void {
    if (page.status !== 200) return;
    for (const k of Object.keys(this.recognise) as PageKey[]) if (!this.found.has(k) && this.is(k, page)) this.found.set(k, page.path);
  }

  /** The page, found by the known paths first and then through the camera's navigation. */
  async find(key: PageKey, fresh = false): Promise<Page> {
    const trace: FindTrace = { page: key, tried: [] };
    this.traces.push(trace);
    const known = this.found.get(key);
    if (known) {
      const page = await this.pages.get(known, fresh);
      if (this.isGood(key, page)) {
        trace.foundAt = page.path;
        return page;
      }
      this.found.delete(key);
      trace.tried.push(`${known} (remembered) → ${this.describe(page)}`);
    }
    const guide = this.p.pages[key];
    const visited = new Set<string>();
    for (const path of guide.paths) {
      visited.add(path);
      const page = await this.pages.get(path, fresh);
      if (this.isGood(key, page)) return this.hit(key, page, trace);
      trace.tried.push(`${path} → ${this.describe(page)}`);
      this.learn(page);
    }
    const queue: Array<{ path: string; prio: number; via: string }> = [];
    const enqueue = (page: Page) => {
      if (page.status !== 200) return;
      for (const t of this.pages.targets(page)) {
        if (visited.has(t.path) || this.p.neverFollow.test(t.text) || this.p.neverFollow.test(t.path)) continue;
        const prio = priority(t, guide.nav, this.p.navWords);
        if (prio === undefined) continue;
        const prev = queue.find((q) => q.path === t.path);
        if (prev) prev.prio = Math.min(prev.prio, prio);
        else queue.push({ path: t.path, prio, via: `"${[...t.menus, t.text].join(' > ')}" on ${page.path}` });
      }
    };
    let fetches = 0;
    for (const start of [...this.pages.cachedPaths(), ...this.p.start]) {
      if (visited.has(start)) continue;
      visited.add(start);
      const page = await this.pages.get(start);
      fetches++;
      if (this.isGood(key, page)) return this.hit(key, page, trace);
      this.learn(page);
      enqueue(page);
    }
    while (queue.length && fetches < this.maxFetches) {
      queue.sort((a, b) => a.prio - b.prio);
      const next = queue.shift()!;
      visited.add(next.path);
      const page = await this.pages.get(next.path);
      fetches++;
      if (this.isGood(key, page)) return this.hit(key, page, trace);
      trace.tried.push(`${next.path} (via ${next.via}) → ${this.describe(page)}`);
      this.learn(page);
      enqueue(page);
    }
    const names: Record<PageKey, string> = { general: 'System > General', sources: 'Events > Sources', handlers: 'Events > Handlers', analytics: 'Events > Analytic Configuration' };
    const tried = trace.tried.slice(0, 6).join('; ');
    throw failure(
      'CAMERA_ERROR',
      'errors.CAMERA_ERROR.pageNotFound',
      { page: names[key], wants: this.wants[key], tried: tried || sub('driver.word.nothing'), more: Math.max(0, trace.tried.length - 6) },
      { page: key, tried: trace.tried },
    );
  }

  private hit(key: PageKey, page: Page, trace: FindTrace): Page {
    this.found.set(key, page.path);
    trace.foundAt = page.path;
    return page;
  }

  private describe(page: Page): string {
    if (page.status !== 200) return `HTTP ${page.status}`;
    const title = normalizeLabel(this.pages.doc(page).$('title').first().text() || this.pages.doc(page).$('h1').first().text());
    return `a page without it${title ? ` ("${title.slice(0, 60)}")` : ''}`;
  }
}
