/**
 * Seeded firmware variants (docs/camera.md §7): from a number, a web UI that differs the way another firmware
 * version plausibly could: control names and ids, field order, how each label is tied to its control, the
 * anti-CSRF token's name, place and scope, page paths (reachable only through the navigation), navigation
 * markup, option values against their texts, list layouts, save status codes and error-box markup. The visible
 * labels stay the documented ones (case, spacing, colons and the documented synonyms aside) and every camera
 * rule stays (state-ops.ts). The same seed always gives the same variant, so a failing seed can be replayed.
 *
 * Nothing the product's driver imports may import this folder (a test in electron/services/camera checks it).
 */

/** A small deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Choice helpers over one PRNG. */
export class Dice {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = rng(seed);
  }
  /** One element. */
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)];
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** A shuffled copy. */
  shuffle<T>(xs: readonly T[]): T[] {
    const a = [...xs];
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
  /** A short lower-case token of letters and digits. */
  token(n: number): string {
    const abc = 'abcdefghjkmnpqrsuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += abc[Math.floor(this.next() * abc.length)];
    return s;
  }
}

/** How a label is tied to its control. */
export type TieStyle = 'for' | 'wrap' | 'aria-labelledby' | 'aria-label' | 'text-before' | 'title' | 'cell' | 'th' | 'dt';
/** How a form's rows are laid out. */
export type Layout = 'div' | 'table' | 'dl';
/** How option values relate to texts. */
export type OptionStyle = 'index0' | 'index1' | 'code' | 'text' | 'reversed';
/** How the camera answers a save that took. */
export type SaveStyle = 302 | 303 | '200-notice' | '200-confirm';
/** How the camera shows a refusal. */
export type ErrorStyle = 'div-alert' | 'p-msg-err' | 'span-warn' | 'bootstrap' | 'font-red' | 'ul-errors' | 'page-200' | 400 | 409 | 422;

/** Everything a seed decides. */
export interface VariantSpec {
  seed: number;
  /** Path prefix of the setup pages and whether paths are query-style (`/x.cgi?page=...`). */
  prefix: string;
  queryPaths: boolean;
  /** Whether General Settings keeps the documented path. */
  keepGeneralPath: boolean;
  /** Page path segments by page. */
  seg: Record<'general' | 'sources' | 'handlers' | 'analytics' | 'system' | 'events' | 'home' | 'network' | 'users', string>;
  /** Verb segments for item pages. */
  verbs: Record<'new' | 'edit' | 'save' | 'del' | 'confirm' | 'beh', string>;
  /** Edit links name items by name or by index. */
  itemKey: 'name' | 'index';
  itemParam: string;
  nav: 'flat' | 'nested' | 'sections';
  navElement: 'link' | 'onclick' | 'data-href' | 'get-form';
  /** Liveview shows the menu, or only a "Setup" link to a home page that does. */
  liveviewMenu: boolean;
  navTexts: Record<'general' | 'sources' | 'handlers' | 'analytics', string>;
  nameStyle: 'hash' | 'bracket' | 'numeric' | 'camel';
  /** Per form: the row layout and whether controls carry ids (tie styles and field order come from `fieldDice`). */
  forms: Record<string, { layout: Layout; ids: boolean }>;
  labelCase: 'as-is' | 'upper' | 'lower' | 'title';
  colon: boolean;
  token: { name: string; place: 'hidden-first' | 'hidden-last' | 'outside' | 'query'; scope: 'session' | 'form' };
  options: Record<string, OptionStyle>;
  sensitivityControl: 'number' | 'text' | 'select' | 'radio';
  activeControl: 'checkbox' | 'radio' | 'select';
  checkboxValue: string;
  groupStyle: Record<'sources' | 'analyticsBehaviours' | 'days', 'fieldset' | 'row' | 'multiselect' | 'aria-group'>;
  save: SaveStyle;
  error: ErrorStyle;
  list: { layout: 'table-name-first' | 'table-index-first' | 'table-check-first' | 'ul'; edit: 'text' | 'name-link' | 'icon'; del: 'row-form' | 'confirm-link' | 'select'; addText: 'add' | 'new' | 'create' };
  analytics: 'table-links' | 'list-links' | 'inline-forms';
  /** Documented synonyms of some labels. */
  wording: Record<'smtpServer' | 'ntpServer' | 'behaviours' | 'sourceName' | 'handlerName', string>;
  /** A search form in the page header (a second form on every page). */
  headerSearch: boolean;
}

const SEGMENTS = ['cfg', 'sys', 'evt', 'pg', 'mgr', 'opt', 'view', 'panel', 'main', 'conf', 'adm', 'ui', 'web', 'set', 'dev', 'cam'];

/** The variant a seed gives. */
export function makeVariant(seed: number): VariantSpec {
  const d = new Dice(seed * 7919 + 17);
  const used = new Set<string>();
  const seg = () => {
    for (;;) {
      const s = `${d.pick(SEGMENTS)}${d.token(2)}`;
      if (!used.has(s)) {
        used.add(s);
        return s;
      }
    }
  };
  const segs = { general: seg(), sources: seg(), handlers: seg(), analytics: seg(), system: seg(), events: seg(), home: seg(), network: seg(), users: seg() };
  const formIds = ['general', 'source', 'handler', 'profile', 'behaviour'];
  const forms: VariantSpec['forms'] = {};
  for (const id of formIds) forms[id] = { layout: d.pick<Layout>(['div', 'table', 'dl']), ids: d.chance(0.7) };
  const optionKeys = ['timeZone', 'overlayPosition', 'type', 'alarmPolarity', 'sceneType', 'background', 'fineTuning', 'sensitivity', 'active', 'x_prio'];
  const options: Record<string, OptionStyle> = {};
  for (const k of optionKeys) options[k] = d.pick<OptionStyle>(['index0', 'index1', 'code', 'text', 'reversed']);
  return {
    seed,
    prefix: d.pick(['/setup', '/cgi-bin', '/config', '/admin', '/app']),
    queryPaths: d.chance(0.3),
    keepGeneralPath: d.chance(0.4),
    seg: segs,
    verbs: { new: d.pick(['new', 'add', 'create']), edit: d.pick(['edit', 'modify', 'item']), save: d.pick(['save', 'commit', 'apply', 'store']), del: d.pick(['delete', 'remove', 'drop']), confirm: d.pick(['confirm', 'really']), beh: d.pick(['behavior', 'beh', 'rule']) },
    itemKey: d.pick(['name', 'index']),
    itemParam: d.pick(['n', 'id', 'item', 'k', 'sel']),
    nav: d.pick(['flat', 'nested', 'sections']),
    navElement: d.pick(['link', 'link', 'onclick', 'data-href', 'get-form']),
    liveviewMenu: d.chance(0.6),
    navTexts: {
      general: d.pick(['General', 'General Settings']),
      sources: d.pick(['Sources', 'Event Sources']),
      handlers: d.pick(['Handlers', 'Event Handlers']),
      analytics: d.pick(['Analytic Configuration', 'Analytics']),
    },
    nameStyle: d.pick(['hash', 'bracket', 'numeric', 'camel']),
    forms,
    labelCase: d.pick(['as-is', 'as-is', 'upper', 'lower', 'title']),
    colon: d.chance(0.5),
    token: { name: d.pick(['csrf', '_tok', '__RequestVerificationToken', 'sid_x', 'f_k', 'authenticity']) + d.token(2), place: d.pick(['hidden-first', 'hidden-last', 'outside', 'query']), scope: d.pick(['session', 'form']) },
    options,
    sensitivityControl: d.pick(['number', 'text', 'select', 'radio']),
    activeControl: d.pick(['checkbox', 'checkbox', 'radio', 'select']),
    checkboxValue: d.pick(['1', 'on', 'true', 'yes', 'enabled']),
    groupStyle: {
      sources: d.pick(['fieldset', 'row', 'multiselect', 'aria-group']),
      analyticsBehaviours: d.pick(['fieldset', 'row', 'multiselect', 'aria-group']),
      days: d.pick(['fieldset', 'row', 'aria-group']),
    },
    save: d.pick<SaveStyle>([302, 303, '200-notice', '200-confirm']),
    error: d.pick<ErrorStyle>(['div-alert', 'p-msg-err', 'span-warn', 'bootstrap', 'font-red', 'ul-errors', 'page-200', 400, 409, 422]),
    list: {
      layout: d.pick(['table-name-first', 'table-index-first', 'table-check-first', 'ul']),
      edit: d.pick(['text', 'name-link', 'icon']),
      del: d.pick(['row-form', 'confirm-link', 'select']),
      addText: d.pick(['add', 'new', 'create']),
    },
    analytics: d.pick(['table-links', 'list-links', 'inline-forms']),
    wording: {
      smtpServer: d.pick(['SMTP Server', 'SMTP Server Address', 'Mail Server (SMTP)']),
      ntpServer: d.pick(['Time Server', 'NTP Server', 'Time Server (NTP)']),
      behaviours: d.pick(['Behaviors', 'Behaviours', 'Analytics Behaviors']),
      sourceName: d.pick(['Name', 'Source Name']),
      handlerName: d.pick(['Name', 'Handler Name']),
    },
    headerSearch: d.chance(0.4),
  };
}

/** Dice for one form or field of a variant (stable per seed and key, independent of rendering order). */
export function fieldDice(v: VariantSpec, ...key: string[]): Dice {
  let h = 0x811c9dc5 ^ v.seed;
  for (const ch of key.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return new Dice(h);
}

/** One line saying what a seed varies (printed with a failing seed). */
export function describeVariant(v: VariantSpec): string {
  const f = (id: string) => `${id}:${v.forms[id].layout}`;
  return [
    `seed ${v.seed}`,
    `paths ${v.prefix}${v.queryPaths ? '?' : '/'} general ${v.keepGeneralPath ? 'documented' : 'moved'}`,
    `nav ${v.nav}/${v.navElement}${v.liveviewMenu ? '' : ' via Setup'}`,
    `names ${v.nameStyle}`,
    `forms ${['general', 'source', 'handler', 'behaviour'].map(f).join(',')}`,
    `labels ${v.labelCase}${v.colon ? ':' : ''}`,
    `token ${v.token.place}/${v.token.scope}`,
    `sensitivity ${v.sensitivityControl} (${v.options.sensitivity})`,
    `active ${v.activeControl}`,
    `groups ${v.groupStyle.sources}/${v.groupStyle.analyticsBehaviours}`,
    `save ${v.save}`,
    `error ${v.error}`,
    `list ${v.list.layout}/${v.list.edit}/${v.list.del}`,
    `analytics ${v.analytics}`,
  ].join('; ');
}
