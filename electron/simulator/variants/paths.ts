/**
 * A variant's page paths: path-style (`/config/evtab/edit?id=3`) or query-style
 * (`/cgi-bin/index.cgi?page=evtab&do=edit&id=3`), never the documented guesses except General Settings when the
 * seed keeps it, so the other pages are reachable only through the camera's navigation.
 */
import type { VariantSpec } from './spec';

type Kind = 'source' | 'handler';
type Plain = 'home' | 'system' | 'events' | 'network' | 'users' | 'general' | 'sources' | 'handlers' | 'analytics';

/** A request resolved to a page of the variant. */
export type Route = { page: Plain } | { page: 'item-new' | 'item-save' | 'item-del'; kind: Kind } | { page: 'item-edit' | 'item-confirm'; kind: Kind; key: string | undefined } | { page: 'behaviour'; key: string | undefined };

const DOCUMENTED_GENERAL = '/setup/system/general';

/** Builds and resolves a variant's paths. */
export class VariantPaths {
  constructor(private readonly v: VariantSpec) {}

  private base(seg: string): string {
    return this.v.queryPaths ? `${this.v.prefix}/index.cgi?page=${seg}` : `${this.v.prefix}/${seg}`;
  }

  private sub(seg: string, verb: string, key?: string): string {
    const q = key === undefined ? '' : `${this.v.itemParam}=${encodeURIComponent(key)}`;
    if (this.v.queryPaths) return `${this.base(seg)}&do=${verb}${q ? `&${q}` : ''}`;
    return `${this.base(seg)}/${verb}${q ? `?${q}` : ''}`;
  }

  /** A plain page. */
  page(p: Plain): string {
    if (p === 'general' && this.v.keepGeneralPath) return DOCUMENTED_GENERAL;
    return this.base(this.v.seg[p]);
  }

  /** An item page of sources or handlers. */
  item(kind: Kind, verb: 'new' | 'edit' | 'save' | 'del' | 'confirm', key?: string): string {
    return this.sub(this.v.seg[kind === 'source' ? 'sources' : 'handlers'], this.v.verbs[verb], key);
  }

  /** A behaviour's page (1-based index). */
  behaviour(i: number): string {
    return this.sub(this.v.seg.analytics, this.v.verbs.beh, String(i));
  }

  /** True when a path belongs to the variant's web UI (so it needs a session). */
  isUnder(url: URL): boolean {
    return url.pathname === DOCUMENTED_GENERAL || url.pathname.startsWith(`${this.v.prefix}/`);
  }

  /** The page a request names, or undefined. */
  route(url: URL): Route | undefined {
    if (this.v.keepGeneralPath && url.pathname === DOCUMENTED_GENERAL) return { page: 'general' };
    let seg: string | undefined;
    let verb: string | undefined;
    if (this.v.queryPaths) {
      if (url.pathname !== `${this.v.prefix}/index.cgi`) return undefined;
      seg = url.searchParams.get('page') ?? undefined;
      verb = url.searchParams.get('do') ?? undefined;
    } else {
      if (!url.pathname.startsWith(`${this.v.prefix}/`)) return undefined;
      const parts = url.pathname.slice(this.v.prefix.length + 1).replace(/\/+$/, '').split('/');
      if (parts.length > 2) return undefined;
      [seg, verb] = parts;
    }
    const page = (Object.keys(this.v.seg) as Plain[]).find((k) => this.v.seg[k] === seg);
    if (!page || (page === 'general' && this.v.keepGeneralPath)) return undefined;
    const key = url.searchParams.get(this.v.itemParam) ?? undefined;
    if (!verb) return { page };
    const verbOf = (Object.keys(this.v.verbs) as (keyof VariantSpec['verbs'])[]).find((k) => this.v.verbs[k] === verb);
    if (page === 'analytics' && verbOf === 'beh') return { page: 'behaviour', key };
    if (page !== 'sources' && page !== 'handlers') return undefined;
    const kind: Kind = page === 'sources' ? 'source' : 'handler';
    if (verbOf === 'new' || verbOf === 'save' || verbOf === 'del') return { page: verbOf === 'new' ? 'item-new' : verbOf === 'save' ? 'item-save' : 'item-del', kind };
    if (verbOf === 'edit' || verbOf === 'confirm') return { page: verbOf === 'edit' ? 'item-edit' : 'item-confirm', kind, key };
    return undefined;
  }
}
