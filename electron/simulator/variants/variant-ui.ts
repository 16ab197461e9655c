/**
 * The web UI of a seeded firmware variant (spec.ts): its own paths, navigation, list pages, forms, form tokens,
 * save answers and error boxes, over the same camera state and rules as the classic pages (state-ops.ts).
 * Every POST of a known form is checked for fields the page rendered but the POST left out; those are recorded
 * (`dropped`), because on a real camera they would silently go back to factory defaults.
 */
import { randomBytes } from 'node:crypto';
import { esc, str, type FormSpec, type FormValues } from '../forms';
import { BEHAVIOUR, GENERAL, HANDLER_TYPES, PROFILE, SOURCE, SOURCE_TYPES, handlerForm } from '../form-specs';
import { SIM_ERRORS, defaultHandler, defaultSource } from '../state';
import { deleteHandlerByName, deleteSourceByName, saveBehaviourValues, saveGeneralValues, saveHandlerValues, saveProfileValues, saveSourceValues, type OpContext, type OpResult } from '../state-ops';
import { BEHAVIOUR_IDS, BEHAVIOUR_NAMES, type BehaviourId } from '../types';
import { nameOf, parseVariantFields, renderVariantFields } from './render';
import { fieldDice, type VariantSpec } from './spec';
import { VariantChrome } from './chrome';
import { VariantPaths, type Route } from './paths';
import type { DroppedFields } from '../dropped';

/** A page answer. */
export interface VariantAnswer {
  status: number;
  html?: string;
  location?: string;
}

/** What the variant UI needs from its camera. */
export interface VariantHost extends OpContext {
  readonly model: string;
  readonly firmware: string;
  /** General Settings' Location (kept by the camera). */
  readonly extras: Record<string, string>;
}


type Kind = 'source' | 'handler';

/** One variant's web UI. */
export class VariantUi {
  readonly paths: VariantPaths;
  private readonly c: VariantChrome;
  /** POSTs that left fields out. */
  readonly dropped: DroppedFields[] = [];
  /** Every per-form token ever issued (tests check that captures never contain one). */
  readonly issuedTokens: string[] = [];
  /** Per-form tokens (scope "form"): token → session id, spent on use. */
  private readonly formTokens = new Map<string, string>();
  /** Values of the unrelated extra fields, per form and item. */
  private readonly extraValues = new Map<string, FormValues>();

  constructor(
    readonly v: VariantSpec,
    private readonly host: VariantHost,
  ) {
    this.paths = new VariantPaths(v);
    this.c = new VariantChrome(v, this.paths, host.model);
    // Unrelated fields start away from their defaults, so a driver that resets one is caught.
    const d = fieldDice(v, 'extras');
    const lived = () => ({ x_lang: d.pick(['de', 'fr', 'en-GB']), x_notes: d.pick(['Mounted by ACME', 'Pole 4, north side', 'Installer: J. Doe']), x_beep: d.chance(0.5) });
    host.extras.location ??= d.pick(['Loading dock', 'Lobby', 'Gate 2']);
    for (const key of ['general:', 'profile:', ...BEHAVIOUR_IDS.map((id) => `behaviour:${id}`), ...host.state.sources.map((x) => `source:${x.name}`), ...host.state.handlers.map((x) => `handler:${x.name}`)]) this.extraValues.set(key, lived());
  }

  /** The unrelated extra fields' values (for "every unrelated field unchanged" checks). */
  extrasSnapshot(): Record<string, FormValues> {
    return Object.fromEntries([...this.extraValues].map(([k, x]) => [k, structuredClone(x)]));
  }

  /** The live view page's menu part (or only a Setup link). */
  liveviewNav(): string {
    return this.c.liveviewNav();
  }

  // ------------------------------------------------------------------ tokens and forms

  private issue(session: { id: string; formToken: string }): string {
    if (this.v.token.scope === 'session') return session.formToken;
    const t = randomBytes(10).toString('hex');
    this.formTokens.set(t, session.id);
    if (this.issuedTokens.length < 5000) this.issuedTokens.push(t);
    if (this.formTokens.size > 500) this.formTokens.delete(this.formTokens.keys().next().value!);
    return t;
  }

  private tokenOk(posted: URLSearchParams, url: URL, session: { id: string; formToken: string }): boolean {
    const t = posted.get(this.v.token.name) ?? url.searchParams.get(this.v.token.name);
    if (!t) return false;
    if (this.v.token.scope === 'session') return t === session.formToken;
    const owner = this.formTokens.get(t);
    if (owner !== session.id) return false;
    this.formTokens.delete(t);
    return true;
  }

  private form(action: string, formId: string, spec: FormSpec, values: FormValues, session: { id: string; formToken: string }, submit = 'Save'): string {
    const token = this.issue(session);
    const tn = esc(this.v.token.name);
    const input = `<input type="hidden" name="${tn}" value="${esc(token)}">`;
    const place = this.v.token.place;
    const act = place === 'query' ? `${action}${action.includes('?') ? '&' : '?'}${encodeURIComponent(this.v.token.name)}=${token}` : action;
    const fid = `f${formId}${fieldDice(this.v, formId, 'fid').token(3)}`;
    const named = fieldDice(this.v, formId, 'btn').chance(0.3) ? ' name="act" value="save"' : '';
    const inner = `${place === 'hidden-first' ? input : ''}${renderVariantFields(this.v, formId, spec, values, `${formId.slice(0, 2)}`)}${place === 'hidden-last' ? input : ''}<div class="buttons"><button type="submit"${named}>${esc(submit)}</button></div>`;
    return `<form method="post" action="${esc(act)}" id="${fid}">${inner}</form>${place === 'outside' ? input.replace('<input ', `<input form="${fid}" `) : ''}`;
  }

  private extrasOf(formId: string, item = ''): FormValues {
    return this.extraValues.get(`${formId}:${item}`) ?? { x_lang: 'en', x_notes: '', x_beep: false };
  }

  private keepExtras(formId: string, item: string, values: FormValues, renamedFrom?: string | null): void {
    if (renamedFrom) this.extraValues.delete(`${formId}:${renamedFrom}`);
    this.extraValues.set(`${formId}:${item}`, { x_lang: str(values, 'x_lang', 'en'), x_notes: str(values, 'x_notes', ''), x_beep: values.x_beep === true });
  }

  private parse(formId: string, spec: FormSpec, posted: URLSearchParams, url: URL): { values: FormValues; error?: string } {
    const r = parseVariantFields(this.v, formId, spec, posted);
    if (r.dropped.length) this.dropped.push({ path: url.pathname + url.search, form: formId, fields: r.dropped });
    return r;
  }

  // ------------------------------------------------------------------ answers

  private saved(target: string, render: () => string, what: string): VariantAnswer {
    if (this.v.save === 302 || this.v.save === 303) return { status: this.v.save, location: target };
    if (this.v.save === '200-notice') return { status: 200, html: render().replace('<div id="content">', `<div id="content">${this.c.notice(`${what} saved.`)}`) };
    return { status: 200, html: this.c.chrome('Saved', `${this.c.notice('Your changes have been saved.')}<p><a href="${esc(target)}">Back</a></p>`) };
  }

  private refused(error: string, render: () => string, back: string): VariantAnswer {
    if (this.v.error === 'page-200') return { status: 200, html: this.c.chrome('Error', `<p>Save failed: ${esc(error)}</p><p><a href="${esc(back)}">Back</a></p>`) };
    const status = typeof this.v.error === 'number' ? this.v.error : 200;
    return { status, html: render().replace('<div id="content">', `<div id="content">${this.c.errorBox(error)}`) };
  }

  /** Answers one web-UI request of a logged-in session; undefined when the path is not a page. */
  handle(method: string, url: URL, posted: URLSearchParams | undefined, session: { id: string; formToken: string }): VariantAnswer | undefined {
    const route = this.paths.route(url);
    if (!route) return undefined;
    if (method === 'POST') {
      const body = posted ?? new URLSearchParams();
      if (!this.tokenOk(body, url, session)) {
        const page = this.get(route.page === 'item-save' || route.page === 'item-del' ? { page: route.kind === 'source' ? 'sources' : 'handlers' } : route, url, session) ?? { status: 200, html: this.c.chrome('Error', '') };
        return { status: 403, html: (page.html ?? '').replace('<div id="content">', `<div id="content">${this.c.errorBox(SIM_ERRORS.token)}`) };
      }
      return this.post(route, url, body, session);
    }
    return this.get(route, url, session);
  }

  private get(route: Route, url: URL, s: { id: string; formToken: string }): VariantAnswer | undefined {
    const p = this.paths;
    switch (route.page) {
      case 'home':
        return { status: 200, html: this.c.chrome('Setup', '<p>Choose a page from the menu.</p>') };
      case 'system':
        return { status: 200, html: this.c.chrome('System', '<p>System settings.</p>', 'system') };
      case 'events':
        return { status: 200, html: this.c.chrome('Events', '<p>Event settings.</p>', 'events') };
      case 'network':
        return { status: 200, html: this.c.chrome('Network', '<p>DHCP: on</p>', 'system') };
      case 'users':
        return { status: 200, html: this.c.chrome('Users', '<p>admin</p>', 'system') };
      case 'general':
        return { status: 200, html: this.generalPage(s) };
      case 'sources':
      case 'handlers':
        return { status: 200, html: this.listPage(route.page === 'sources' ? 'source' : 'handler', s) };
      case 'item-new':
        return { status: 200, html: this.itemPage(route.kind, null, s) };
      case 'item-edit': {
        const name = this.itemName(route.kind, route.key);
        if (name === undefined) return { status: 200, html: this.listPage(route.kind, s, SIM_ERRORS.notFound(route.kind === 'source' ? 'Source' : 'Handler')) };
        return { status: 200, html: this.itemPage(route.kind, name ?? null, s) };
      }
      case 'item-confirm': {
        const name = this.itemName(route.kind, route.key);
        if (name === undefined) return { status: 200, html: this.listPage(route.kind, s, SIM_ERRORS.notFound('Item')) };
        const tn = esc(this.v.token.name);
        const tok = this.issue(s);
        const del = p.item(route.kind, 'del');
        return { status: 200, html: this.c.chrome(`Delete ${name}`, `<p>Really delete ${esc(name)}?</p><form method="post" action="${esc(del)}"><input type="hidden" name="${tn}" value="${esc(tok)}"><input type="hidden" name="${esc(nameOf(this.v, route.kind, 'del'))}" value="${esc(this.keyOf(route.kind, name))}"><button type="submit">Yes, delete</button> <a href="${esc(p.page(route.kind === 'source' ? 'sources' : 'handlers'))}">Cancel</a></form>`, 'events') };
      }
      case 'analytics':
        return { status: 200, html: this.analyticsPage(s) };
      case 'behaviour': {
        const id = BEHAVIOUR_IDS[Number(route.key) - 1];
        if (!id) return { status: 200, html: this.analyticsPage(s, SIM_ERRORS.notFound('Behavior')) };
        return { status: 200, html: this.behaviourPage(id, s) };
      }
      default:
        return undefined;
    }
  }

  private post(route: Route, url: URL, body: URLSearchParams, s: { id: string; formToken: string }): VariantAnswer | undefined {
    const p = this.paths;
    const ctx = this.host;
    switch (route.page) {
      case 'general': {
        if (!body.has(nameOf(this.v, 'general', 'smtpServer')) && body.has(nameOf(this.v, 'general', 'reboot'))) return this.saved(p.page('general'), () => this.generalPage(s), 'Settings');
        const { values, error } = this.parse('general', GENERAL, body, url);
        const r: OpResult = error ? { error } : saveGeneralValues(ctx, values);
        if (r.error) return this.refused(r.error, () => this.generalPage(s, values), p.page('general'));
        ctx.extras.location = str(values, 'location', '');
        this.keepExtras('general', '', values);
        return this.saved(p.page('general'), () => this.generalPage(s), 'Settings');
      }
      case 'item-save': {
        const kind = route.kind;
        const spec = kind === 'source' ? SOURCE : handlerForm(ctx.state.sources.map((x) => x.name));
        const { values, error } = this.parse(kind, spec, body, url);
        const orig = str(values, 'orig', '') || null;
        const r: OpResult = error ? { error } : kind === 'source' ? saveSourceValues(ctx, values, orig) : saveHandlerValues(ctx, values, orig);
        const list = p.page(kind === 'source' ? 'sources' : 'handlers');
        if (r.notFound) return this.refused(r.error!, () => this.listPage(kind, s), list);
        if (r.error) return this.refused(r.error, () => this.itemPage(kind, orig, s, values), list);
        this.keepExtras(kind, str(values, 'name', ''), values, orig);
        return this.saved(list, () => this.listPage(kind, s), kind === 'source' ? 'Source' : 'Handler');
      }
      case 'item-del': {
        const kind = route.kind;
        const keys = [...body.getAll(nameOf(this.v, kind, 'del')), ...body.getAll(nameOf(this.v, kind, 'sel'))];
        const list = p.page(kind === 'source' ? 'sources' : 'handlers');
        for (const key of keys) {
          const name = this.itemName(kind, key);
          const r = name === undefined ? { error: SIM_ERRORS.notFound('Item') } : kind === 'source' ? deleteSourceByName(ctx, name) : deleteHandlerByName(ctx, name);
          if (r.error) return this.refused(r.error, () => this.listPage(kind, s), list);
          this.extraValues.delete(`${kind}:${name}`);
        }
        return this.saved(list, () => this.listPage(kind, s), 'List');
      }
      case 'analytics': {
        const { values, error } = this.parse('profile', PROFILE, body, url);
        const r = error ? { error } : saveProfileValues(ctx, values);
        if (r.error) return this.refused(r.error, () => this.analyticsPage(s, undefined, values), p.page('analytics'));
        this.keepExtras('profile', '', values);
        return this.saved(p.page('analytics'), () => this.analyticsPage(s), 'Profile');
      }
      case 'behaviour': {
        const id = BEHAVIOUR_IDS[Number(route.key) - 1];
        if (!id) return this.refused(SIM_ERRORS.notFound('Behavior'), () => this.analyticsPage(s), p.page('analytics'));
        const { values, error } = this.parse('behaviour', BEHAVIOUR, body, url);
        const r = error ? { error } : saveBehaviourValues(ctx, id, values);
        const back = () => (this.v.analytics === 'inline-forms' ? this.analyticsPage(s, undefined, undefined, { id, values }) : this.behaviourPage(id, s, values));
        if (r.error) return this.refused(r.error, back, p.page('analytics'));
        this.keepExtras('behaviour', id, values);
        return this.saved(p.page('analytics'), () => this.analyticsPage(s), BEHAVIOUR_NAMES[id]);
      }
      default:
        return undefined;
    }
  }

  // ------------------------------------------------------------------ pages

  private generalPage(s: { id: string; formToken: string }, values?: FormValues): string {
    const g = this.host.state.general;
    const vals = values ?? { ...g, location: this.host.extras.location ?? '', ...this.extrasOf('general') };
    const reboot = `<form method="post" action="${esc(this.paths.page('general'))}"><input type="hidden" name="${esc(this.v.token.name)}" value="${esc(this.issue(s))}"><button type="submit" name="${esc(nameOf(this.v, 'general', 'reboot'))}" value="1">Reboot Camera</button></form>`;
    return this.c.chrome('General Settings', `${this.form(this.paths.page('general'), 'general', GENERAL, vals, s)}\n${reboot}\n<p class="info">Model ${esc(this.host.model)}, firmware ${esc(this.host.firmware)}</p>`, 'system');
  }

  private items(kind: Kind): string[] {
    return kind === 'source' ? this.host.state.sources.map((x) => x.name) : this.host.state.handlers.map((x) => x.name);
  }

  private keyOf(kind: Kind, name: string): string {
    return this.v.itemKey === 'name' ? name : String(this.items(kind).indexOf(name) + 1);
  }

  private itemName(kind: Kind, key: string | undefined): string | undefined {
    if (key === undefined) return undefined;
    const names = this.items(kind);
    return this.v.itemKey === 'name' ? names.find((n) => n === key) : names[Number(key) - 1];
  }

  private listPage(kind: Kind, s: { id: string; formToken: string }, error?: string): string {
    const p = this.paths;
    const l = this.v.list;
    const isSource = kind === 'source';
    const names = this.items(kind);
    const typeText = (name: string) =>
      isSource ? (SOURCE_TYPES.find((t) => t.value === this.host.state.sources.find((x) => x.name === name)?.type)?.label ?? '') : (HANDLER_TYPES.find((t) => t.value === this.host.state.handlers.find((x) => x.name === name)?.type)?.label ?? '');
    const srcs = (name: string) => (isSource ? '' : (this.host.state.handlers.find((x) => x.name === name)?.sources ?? []).join(', '));
    const editStyle = l.layout === 'ul' && l.edit === 'name-link' ? 'text' : l.edit;
    const tn = esc(this.v.token.name);
    const delName = esc(nameOf(this.v, kind, 'del'));
    const rows = names.map((name, i) => {
      const key = this.keyOf(kind, name);
      const edit = p.item(kind, 'edit', key);
      const nameCell = editStyle === 'name-link' ? `<a href="${esc(edit)}">${esc(name)}</a>` : esc(name);
      const editCell = editStyle === 'text' ? `<a href="${esc(edit)}">Edit</a>` : editStyle === 'icon' ? `<a href="${esc(edit)}" title="Edit"><img src="/img/edit.png" alt=""></a>` : '';
      const del =
        l.del === 'row-form'
          ? `<form method="post" action="${esc(p.item(kind, 'del'))}" class="inline"><input type="hidden" name="${tn}" value="${esc(this.issue(s))}"><input type="hidden" name="${delName}" value="${esc(key)}"><button type="submit">${fieldDice(this.v, 'delw').pick(['Delete', 'Remove'])}</button></form>`
          : l.del === 'confirm-link'
            ? `<a href="${esc(p.item(kind, 'confirm', key))}">Delete</a>`
            : '';
      const sel = l.del === 'select' ? `<input type="checkbox" name="${esc(nameOf(this.v, kind, 'sel'))}" value="${esc(key)}" aria-label="Select ${esc(name)}">` : '';
      if (l.layout === 'ul') return `<li><span class="nm">${nameCell}</span> <span class="ty">(${esc(typeText(name))})</span> ${sel} ${editCell} ${del}</li>`;
      const lead = l.layout === 'table-index-first' ? `<td>${i + 1}</td>` : l.layout === 'table-check-first' ? `<td>${sel}</td>` : '';
      return `<tr>${lead}<td>${nameCell}</td><td>${esc(typeText(name))}</td>${isSource ? '' : `<td>${esc(srcs(name))}</td>`}<td>${editCell} ${l.layout === 'table-check-first' ? '' : sel} ${del}</td></tr>`;
    });
    const head = `${l.layout === 'table-index-first' ? '<th>#</th>' : l.layout === 'table-check-first' ? '<th></th>' : ''}<th>Name</th><th>Type</th>${isSource ? '' : '<th>Sources</th>'}<th>Actions</th>`;
    let table = l.layout === 'ul' ? `<ul class="items">${rows.join('\n')}</ul>` : `<table class="list"><thead><tr>${head}</tr></thead><tbody>${rows.join('\n')}</tbody></table>`;
    if (l.del === 'select') table = `<form method="post" action="${esc(p.item(kind, 'del'))}"><input type="hidden" name="${tn}" value="${esc(this.issue(s))}">${table}<button type="submit">Delete</button></form>`;
    const noun = isSource ? 'Source' : 'Handler';
    const add = `${l.addText === 'add' ? 'Add' : l.addText === 'new' ? 'New' : 'Create'} ${noun}`;
    const count = isSource ? '' : `<p class="count">${names.length} of 20 handlers used</p>`;
    const title = isSource ? this.v.navTexts.sources : this.v.navTexts.handlers;
    return this.c.chrome(title, `${error ? this.c.errorBox(error) : ''}<p>${this.c.navItem(add, p.item(kind, 'new'))}</p>${count}${table}`, 'events');
  }

  private itemPage(kind: Kind, name: string | null, s: { id: string; formToken: string }, values?: FormValues): string {
    const st = this.host.state;
    let vals: FormValues;
    if (kind === 'source') {
      const src = name === null ? defaultSource() : (st.sources.find((x) => x.name === name) ?? defaultSource());
      vals = values ?? { ...src, alarmDwellS: String(src.alarmDwellS), timerIntervalS: String(src.timerIntervalS), orig: name ?? '', ...this.extrasOf('source', name ?? '') };
    } else {
      const h = name === null ? defaultHandler() : (st.handlers.find((x) => x.name === name) ?? defaultHandler());
      vals = values ?? { ...h, relayDurationS: String(h.relayDurationS), orig: name ?? '', ...this.extrasOf('handler', name ?? '') };
    }
    const spec = kind === 'source' ? SOURCE : handlerForm(st.sources.map((x) => x.name));
    const title = `${name === null ? 'Add' : 'Edit'} ${kind === 'source' ? 'Source' : 'Handler'}`;
    return this.c.chrome(title, this.form(this.paths.item(kind, 'save'), kind, spec, vals, s), 'events');
  }

  private analyticsPage(s: { id: string; formToken: string }, error?: string, profileValues?: FormValues, failed?: { id: BehaviourId; values: FormValues }): string {
    const a = this.host.state.analytics;
    const p = this.paths;
    const prof = this.form(p.page('analytics'), 'profile', PROFILE, profileValues ?? { ...a.profile, sensitivity: String(a.profile.sensitivity), ...this.extrasOf('profile') }, s);
    let list: string;
    if (this.v.analytics === 'inline-forms') {
      list = BEHAVIOUR_IDS.map((id, i) => {
        const b = a.behaviours[id];
        const vals = failed?.id === id ? failed.values : { active: b.active, sensitivity: String(b.sensitivity), ...this.extrasOf('behaviour', id) };
        return `<h3>${esc(BEHAVIOUR_NAMES[id])}</h3>\n${this.form(p.behaviour(i + 1), 'behaviour', BEHAVIOUR, vals, s)}`;
      }).join('\n');
    } else if (this.v.analytics === 'list-links') {
      list = `<ul class="behaviours">${BEHAVIOUR_IDS.map((id, i) => `<li><a href="${esc(p.behaviour(i + 1))}">${esc(BEHAVIOUR_NAMES[id])}</a> (${a.behaviours[id].active ? 'Active' : 'Inactive'})</li>`).join('')}</ul>`;
    } else {
      const cols = fieldDice(this.v, 'anacols').chance(0.5);
      const rows = BEHAVIOUR_IDS.map((id, i) => `<tr><td><a href="${esc(p.behaviour(i + 1))}">${esc(BEHAVIOUR_NAMES[id])}</a></td>${cols ? `<td>${a.behaviours[id].active ? 'Active' : 'Inactive'}</td><td>${a.behaviours[id].sensitivity}</td>` : ''}</tr>`).join('');
      list = `<table class="list"><thead><tr><th>Behavior</th>${cols ? '<th>Status</th><th>Sensitivity</th>' : ''}</tr></thead><tbody>${rows}</tbody></table>`;
    }
    return this.c.chrome(this.v.navTexts.analytics, `${error ? this.c.errorBox(error) : ''}<h2>Profile</h2>\n${prof}\n<h2>Behaviors</h2>\n${list}`, 'events');
  }

  private behaviourPage(id: BehaviourId, s: { id: string; formToken: string }, values?: FormValues): string {
    const b = this.host.state.analytics.behaviours[id];
    const vals = values ?? { active: b.active, sensitivity: String(b.sensitivity), ...this.extrasOf('behaviour', id) };
    return this.c.chrome(`Behavior ${BEHAVIOUR_NAMES[id]}`, `<h2>${esc(BEHAVIOUR_NAMES[id])}</h2>\n${this.form(this.paths.behaviour(BEHAVIOUR_IDS.indexOf(id) + 1), 'behaviour', BEHAVIOUR, vals, s)}`, 'events');
  }
}
