/**
 * The camera's web UI pages: General Settings, Sources, Handlers, Analytics, Users. Each GET renders a form or a
 * list; each POST validates with the firmware rules (state.ts), replaces the whole object, and answers 302 to
 * the list page, or 200 with the form re-rendered and `<div class="error" role="alert">` on a refused value.
 */
import { BEHAVIOUR_IDS, BEHAVIOUR_NAMES, type BehaviourId, type SimState, type SimUser } from './types';
import { BEHAVIOUR, GENERAL, HANDLER_TYPES, PROFILE, SOURCE, SOURCE_TYPES, USER, handlerForm } from './form-specs';
import { deleteHandlerByName, deleteSourceByName, saveBehaviourValues, saveGeneralValues, saveHandlerValues, saveProfileValues, saveSourceValues } from './state-ops';
import { bool, esc, fieldName, parseFields, renderFields, str, tokenName, type FormSpec, type FormValues, type FormVariant } from './forms';
import { SIM_ERRORS, checkUser, defaultHandler, defaultSource } from './state';

/** What the pages need from the camera. */
export interface PageContext {
  readonly variant: FormVariant;
  readonly state: SimState;
  readonly model: string;
  readonly firmware: string;
  readonly defaultDeviceName: string;
  readonly maxActiveBehaviours: number;
  /** Values of the alt variant's extra fields (kept, and reset to default when not posted, like all fields). */
  readonly extras: Record<string, string>;
  /** Called after any settings change (timers follow the sources). */
  changed(): void;
}

/** A page answer. */
export interface PageResult {
  status: number;
  html?: string;
  location?: string;
}

const NAV: [string, string][] = [
  ['/liveview', 'Live View'],
  ['/setup/system/general', 'General Settings'],
  ['/setup/events/sources', 'Sources'],
  ['/setup/events/handlers', 'Handlers'],
  ['/setup/events/analytics', 'Analytics'],
  ['/setup/users', 'Users'],
  ['/auth/logout', 'Log Out'],
];

/** Wraps page content in the camera's chrome. */
export function layout(ctx: { model: string }, title: string, body: string): string {
  const nav = NAV.map(([href, text]) => `<a href="${href}">${esc(text)}</a>`).join(' | ');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Pelco Sarix&trade; ${esc(ctx.model)} - ${esc(title)}</title></head>
<body><div id="header">Pelco Sarix&trade; ${esc(ctx.model)}</div><div id="nav">${nav}</div>
<div id="content"><h1>${esc(title)}</h1>
${body}
</div></body></html>`;
}

function errorBox(error?: string): string {
  return error ? `<div class="error" role="alert">${esc(error)}</div>\n` : '';
}

/** The web UI pages of one camera, bound to a session's form token. */
export class SimPages {
  constructor(private readonly ctx: PageContext) {}

  private get v(): FormVariant {
    return this.ctx.variant;
  }

  private extrasValues(): FormValues {
    return { x_lang: this.ctx.extras.x_lang ?? 'en', x_notes: this.ctx.extras.x_notes ?? '', x_beep: this.ctx.extras.x_beep === '1' };
  }

  private keepExtras(values: FormValues): void {
    if (this.v !== 'alt') return;
    this.ctx.extras.x_lang = str(values, 'x_lang', 'en');
    this.ctx.extras.x_notes = str(values, 'x_notes', '');
    this.ctx.extras.x_beep = bool(values, 'x_beep') ? '1' : '';
  }

  private form(action: string, spec: FormSpec, values: FormValues, token: string, submit = 'Save'): string {
    return `<form method="post" action="${esc(action)}">
<input type="hidden" name="${tokenName(this.v)}" value="${esc(token)}">
${renderFields(this.v, spec, { ...this.extrasValues(), ...values })}
<div class="buttons"><button type="submit">${esc(submit)}</button> <a href="${esc(action.replace(/\/(save|new)$/, ''))}">Cancel</a></div>
</form>`;
  }

  private deleteForm(action: string, spec: FormSpec, name: string, token: string): string {
    return `<form method="post" action="${esc(action)}" class="inline"><input type="hidden" name="${tokenName(this.v)}" value="${esc(token)}"><input type="hidden" name="${fieldName(this.v, spec.id, 'orig')}" value="${esc(name)}"><button type="submit">Delete</button></form>`;
  }

  private editHref(base: string, name: string): string {
    return `${base}/edit?${this.v === 'standard' ? 'n' : 'item'}=${encodeURIComponent(name)}`;
  }

  /** The name in an edit link's query. */
  editParam(q: URLSearchParams): string | null {
    return q.get(this.v === 'standard' ? 'n' : 'item');
  }

  // ---- General Settings

  /** GET /setup/system/general. */
  general(token: string, error?: string, values?: FormValues): PageResult {
    const g = this.ctx.state.general;
    const vals: FormValues = values ?? { ...g, location: this.ctx.extras.location ?? '' };
    const body = `${errorBox(error)}${this.form('/setup/system/general', GENERAL, vals, token)}
<form method="post" action="/setup/system/general/reboot"><input type="hidden" name="${tokenName(this.v)}" value="${esc(token)}"><button type="submit">Reboot Camera</button></form>
<p class="info">Model ${esc(this.ctx.model)}, firmware ${esc(this.ctx.firmware)}</p>`;
    return { status: 200, html: layout(this.ctx, 'General Settings', body) };
  }

  /** POST /setup/system/general. */
  saveGeneral(posted: URLSearchParams, token: string): PageResult {
    const { values, error } = parseFields(this.v, GENERAL, posted);
    if (error) return this.general(token, error, values);
    const r = saveGeneralValues(this.ctx, values);
    if (r.error) return this.general(token, r.error, values);
    this.ctx.extras.location = str(values, 'location', '');
    this.keepExtras(values);
    return { status: 302, location: '/setup/system/general' };
  }

  // ---- Sources

  /** GET /setup/events/sources. */
  sources(token: string, error?: string): PageResult {
    const rows = this.ctx.state.sources
      .map((s) => `<tr><td class="name">${esc(s.name)}</td><td>${esc(SOURCE_TYPES.find((t) => t.value === s.type)?.label ?? s.type)}</td><td><a href="${esc(this.editHref('/setup/events/sources', s.name))}">Edit</a></td><td>${this.deleteForm('/setup/events/sources/delete', SOURCE, s.name, token)}</td></tr>`)
      .join('\n');
    const body = `${errorBox(error)}<p><a href="/setup/events/sources/new">Add Source</a></p>
<table class="list"><thead><tr><th>Name</th><th>Type</th><th></th><th></th></tr></thead><tbody>
${rows}
</tbody></table>`;
    return { status: 200, html: layout(this.ctx, 'Sources', body) };
  }

  /** GET the create/edit form of a source. */
  sourceForm(token: string, name: string | null, error?: string, values?: FormValues): PageResult {
    const s = name === null ? defaultSource() : this.ctx.state.sources.find((o) => o.name === name);
    if (!s) return this.sources(token, SIM_ERRORS.notFound('Source'));
    const vals: FormValues = values ?? { ...s, alarmDwellS: String(s.alarmDwellS), timerIntervalS: String(s.timerIntervalS), orig: name ?? '' };
    const title = name === null ? 'Add Source' : `Edit Source ${name}`;
    return { status: 200, html: layout(this.ctx, title, `${errorBox(error)}${this.form('/setup/events/sources/save', SOURCE, vals, token)}`) };
  }

  /** POST /setup/events/sources/save (create when the hidden original name is empty). */
  saveSource(posted: URLSearchParams, token: string): PageResult {
    const { values, error } = parseFields(this.v, SOURCE, posted);
    const orig = str(values, 'orig', '') || null;
    if (error) return this.sourceForm(token, orig, error, values);
    const r = saveSourceValues(this.ctx, values, orig);
    if (r.notFound) return this.sources(token, r.error);
    if (r.error) return this.sourceForm(token, orig, r.error, values);
    this.keepExtras(values);
    return { status: 302, location: '/setup/events/sources' };
  }

  /** POST /setup/events/sources/delete. */
  deleteSource(posted: URLSearchParams, token: string): PageResult {
    const r = deleteSourceByName(this.ctx, posted.get(fieldName(this.v, SOURCE.id, 'orig')) ?? '');
    if (r.error) return this.sources(token, r.error);
    return { status: 302, location: '/setup/events/sources' };
  }

  // ---- Handlers

  /** GET /setup/events/handlers. */
  handlers(token: string, error?: string): PageResult {
    const rows = this.ctx.state.handlers
      .map((h) => `<tr><td class="name">${esc(h.name)}</td><td>${esc(HANDLER_TYPES.find((t) => t.value === h.type)?.label ?? h.type)}</td><td>${esc(h.sources.join(', '))}</td><td><a href="${esc(this.editHref('/setup/events/handlers', h.name))}">Edit</a></td><td>${this.deleteForm('/setup/events/handlers/delete', handlerForm([]), h.name, token)}</td></tr>`)
      .join('\n');
    const body = `${errorBox(error)}<p><a href="/setup/events/handlers/new">Add Handler</a></p>
<p class="count">${this.ctx.state.handlers.length} of 20 handlers used</p>
<table class="list"><thead><tr><th>Name</th><th>Type</th><th>Sources</th><th></th><th></th></tr></thead><tbody>
${rows}
</tbody></table>`;
    return { status: 200, html: layout(this.ctx, 'Handlers', body) };
  }

  /** GET the create/edit form of a handler. */
  handlerForm(token: string, name: string | null, error?: string, values?: FormValues): PageResult {
    const h = name === null ? defaultHandler() : this.ctx.state.handlers.find((o) => o.name === name);
    if (!h) return this.handlers(token, SIM_ERRORS.notFound('Handler'));
    const vals: FormValues = values ?? { ...h, relayDurationS: String(h.relayDurationS), orig: name ?? '' };
    const title = name === null ? 'Add Handler' : `Edit Handler ${name}`;
    const spec = handlerForm(this.ctx.state.sources.map((s) => s.name));
    return { status: 200, html: layout(this.ctx, title, `${errorBox(error)}${this.form('/setup/events/handlers/save', spec, vals, token)}`) };
  }

  /** POST /setup/events/handlers/save. */
  saveHandler(posted: URLSearchParams, token: string): PageResult {
    const spec = handlerForm(this.ctx.state.sources.map((s) => s.name));
    const { values, error } = parseFields(this.v, spec, posted);
    const orig = str(values, 'orig', '') || null;
    if (error) return this.handlerForm(token, orig, error, values);
    const r = saveHandlerValues(this.ctx, values, orig);
    if (r.notFound) return this.handlers(token, r.error);
    if (r.error) return this.handlerForm(token, orig, r.error, values);
    this.keepExtras(values);
    return { status: 302, location: '/setup/events/handlers' };
  }

  /** POST /setup/events/handlers/delete. */
  deleteHandler(posted: URLSearchParams, token: string): PageResult {
    const r = deleteHandlerByName(this.ctx, posted.get(fieldName(this.v, 'handler', 'orig')) ?? '');
    if (r.error) return this.handlers(token, r.error);
    return { status: 302, location: '/setup/events/handlers' };
  }

  // ---- Analytics

  private behaviourHref(id: BehaviourId): string {
    return `/setup/events/analytics/behavior?${this.v === 'standard' ? 'b' : 'beh'}=${BEHAVIOUR_IDS.indexOf(id) + 1}`;
  }

  /** The behaviour a behaviour-page query names. */
  behaviourParam(q: URLSearchParams): BehaviourId | undefined {
    const n = Number(q.get(this.v === 'standard' ? 'b' : 'beh'));
    return Number.isInteger(n) && n >= 1 && n <= BEHAVIOUR_IDS.length ? BEHAVIOUR_IDS[n - 1] : undefined;
  }

  /** GET /setup/events/analytics: the profile form and the behaviour list. */
  analytics(token: string, error?: string, values?: FormValues): PageResult {
    const a = this.ctx.state.analytics;
    const vals: FormValues = values ?? { ...a.profile, sensitivity: String(a.profile.sensitivity) };
    const rows = BEHAVIOUR_IDS.map((id) => {
      const b = a.behaviours[id];
      return `<tr><td class="name"><a href="${this.behaviourHref(id)}">${esc(BEHAVIOUR_NAMES[id])}</a></td><td>${b.active ? 'Active' : 'Inactive'}</td><td>${b.sensitivity}</td></tr>`;
    }).join('\n');
    const body = `${errorBox(error)}<h2>Profile</h2>
${this.form('/setup/events/analytics', PROFILE, vals, token)}
<h2>Behaviors</h2>
<table class="list"><thead><tr><th>Behavior</th><th>Status</th><th>Sensitivity</th></tr></thead><tbody>
${rows}
</tbody></table>`;
    return { status: 200, html: layout(this.ctx, 'Analytics', body) };
  }

  /** POST /setup/events/analytics (the profile). */
  saveProfile(posted: URLSearchParams, token: string): PageResult {
    const { values, error } = parseFields(this.v, PROFILE, posted);
    if (error) return this.analytics(token, error, values);
    const r = saveProfileValues(this.ctx, values);
    if (r.error) return this.analytics(token, r.error, values);
    this.keepExtras(values);
    return { status: 302, location: '/setup/events/analytics' };
  }

  /** GET a behaviour's form. */
  behaviour(token: string, id: BehaviourId | undefined, error?: string, values?: FormValues): PageResult {
    if (!id) return this.analytics(token, SIM_ERRORS.notFound('Behavior'));
    const b = this.ctx.state.analytics.behaviours[id];
    const vals: FormValues = values ?? { active: b.active, sensitivity: String(b.sensitivity) };
    const action = this.behaviourHref(id);
    const body = `${errorBox(error)}<h2>${esc(BEHAVIOUR_NAMES[id])}</h2>\n${this.form(action, BEHAVIOUR, vals, token)}`;
    return { status: 200, html: layout(this.ctx, `Behavior ${BEHAVIOUR_NAMES[id]}`, body) };
  }

  /** POST a behaviour's form. */
  saveBehaviour(posted: URLSearchParams, token: string, id: BehaviourId | undefined): PageResult {
    if (!id) return this.analytics(token, SIM_ERRORS.notFound('Behavior'));
    const { values, error } = parseFields(this.v, BEHAVIOUR, posted);
    if (error) return this.behaviour(token, id, error, values);
    const r = saveBehaviourValues(this.ctx, id, values);
    if (r.error) return this.behaviour(token, id, r.error, values);
    this.keepExtras(values);
    return { status: 302, location: '/setup/events/analytics' };
  }

  // ---- Users

  /** GET /setup/users. */
  users(token: string, error?: string): PageResult {
    const rows = this.ctx.state.users
      .map((u) => `<tr><td class="name">${esc(u.name)}</td><td>${esc(u.role)}</td><td><a href="${esc(this.editHref('/setup/users', u.name))}">Edit</a></td><td>${this.deleteForm('/setup/users/delete', USER, u.name, token)}</td></tr>`)
      .join('\n');
    const body = `${errorBox(error)}<p><a href="/setup/users/new">Add User</a></p>
<table class="list"><thead><tr><th>Username</th><th>Role</th><th></th><th></th></tr></thead><tbody>
${rows}
</tbody></table>`;
    return { status: 200, html: layout(this.ctx, 'Users', body) };
  }

  /** GET the create/edit form of a user (the password is never echoed). */
  userForm(token: string, name: string | null, error?: string, values?: FormValues): PageResult {
    const u = name === null ? { name: '', password: '', role: 'viewer' as const } : this.ctx.state.users.find((o) => o.name === name);
    if (!u) return this.users(token, SIM_ERRORS.notFound('User'));
    const vals: FormValues = values ? { ...values, password: '' } : { name: u.name, role: u.role, password: '', orig: name ?? '' };
    const title = name === null ? 'Add User' : `Edit User ${name}`;
    return { status: 200, html: layout(this.ctx, title, `${errorBox(error)}${this.form('/setup/users/save', USER, vals, token)}`) };
  }

  /** POST /setup/users/save. */
  saveUser(posted: URLSearchParams, token: string): PageResult {
    const { values, error } = parseFields(this.v, USER, posted);
    const orig = str(values, 'orig', '') || null;
    if (error) return this.userForm(token, orig, error, values);
    const next: SimUser = { name: str(values, 'name', ''), password: str(values, 'password', ''), role: str(values, 'role', 'viewer') as SimUser['role'] };
    const st = this.ctx.state;
    if (orig !== null && !st.users.some((o) => o.name === orig)) return this.users(token, SIM_ERRORS.notFound('User'));
    const err = checkUser(st, next, orig ?? undefined);
    if (err) return this.userForm(token, orig, err, values);
    if (orig === null) st.users.push(next);
    else st.users = st.users.map((o) => (o.name === orig ? next : o));
    this.keepExtras(values);
    this.ctx.changed();
    return { status: 302, location: '/setup/users' };
  }

  /** POST /setup/users/delete. */
  deleteUser(posted: URLSearchParams, token: string, currentUser: string): PageResult {
    const name = posted.get(fieldName(this.v, USER.id, 'orig')) ?? '';
    const st = this.ctx.state;
    const u = st.users.find((o) => o.name === name);
    if (!u) return this.users(token, SIM_ERRORS.notFound('User'));
    if (u.role === 'admin' && st.users.filter((o) => o.role === 'admin').length === 1) return this.users(token, SIM_ERRORS.lastAdmin);
    if (name === currentUser) return this.users(token, SIM_ERRORS.selfDelete);
    st.users = st.users.filter((o) => o.name !== name);
    this.ctx.changed();
    return { status: 302, location: '/setup/users' };
  }
}
