/**
 * The camera's web UI pages: General Settings, Sources, Handlers, Analytics, Users. Each GET renders a form or a
 * list; each POST validates with the firmware rules (state.ts), replaces the whole object, and answers 302 to
 * the list page, or 200 with the form re-rendered and `<div class="error" role="alert">` on a refused value.
 */
import { BEHAVIOUR_IDS, BEHAVIOUR_NAMES, WEEKDAYS, type BehaviourId, type SimHandler, type SimSource, type SimState, type SimUser } from './types';
import { bool, esc, fieldName, list, num, parseFields, renderFields, str, tokenName, type FieldSpec, type FormSpec, type FormValues, type FormVariant } from './forms';
import {
  SIM_ERRORS,
  checkBehaviour,
  checkGeneral,
  checkHandler,
  checkSource,
  checkUser,
  defaultBehaviour,
  defaultGeneral,
  defaultHandler,
  defaultProfile,
  defaultSource,
  isSensitivity,
} from './state';

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

const TIME_ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'Europe/Paris', 'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Asia/Tokyo', 'Asia/Singapore', 'Australia/Sydney'];

const opts = (pairs: [string, string][]) => pairs.map(([value, label]) => ({ value, label }));

const ALT_EXTRAS: FieldSpec[] = [
  { key: 'x_lang', label: 'lang', kind: 'hidden', altOnly: true },
  { key: 'x_notes', label: 'Installer Notes', kind: 'text', altOnly: true },
  { key: 'x_beep', label: 'Play Sound On Save', kind: 'checkbox', altOnly: true },
];

const GENERAL: FormSpec = {
  id: 'general',
  fields: [
    { key: 'deviceName', label: 'Device Name', kind: 'text' },
    { key: 'location', label: 'Location', kind: 'text' },
    { key: 'smtpServer', label: 'SMTP Server', kind: 'text' },
    { key: 'ntpServer', label: 'Time Server', kind: 'text' },
    { key: 'timeZone', label: 'Time Zone', kind: 'select', options: opts(TIME_ZONES.map((z) => [z, z])) },
    { key: 'nameOverlay', label: 'Show Device Name Overlay', kind: 'checkbox' },
    { key: 'dateOverlay', label: 'Show Date/Time Overlay', kind: 'checkbox' },
    {
      key: 'overlayPosition',
      label: 'Overlay Position',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['top-left', 'Top Left'],
        ['top-right', 'Top Right'],
        ['bottom-left', 'Bottom Left'],
        ['bottom-right', 'Bottom Right'],
      ]),
    },
    ...ALT_EXTRAS,
  ],
};

const SOURCE_TYPES = opts([
  ['alarm', 'Alarm'],
  ['system', 'System'],
  ['timer', 'Timer'],
  ['analytics', 'Analytics'],
]);

const SOURCE: FormSpec = {
  id: 'source',
  fields: [
    { key: 'orig', label: 'orig', kind: 'hidden' },
    { key: 'name', label: 'Name', kind: 'text' },
    { key: 'type', label: 'Source Type', kind: 'select', opaqueOptions: true, options: SOURCE_TYPES },
    { key: 'alarmDwellS', label: 'Dwell Time (seconds)', kind: 'number' },
    {
      key: 'alarmPolarity',
      label: 'Polarity',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['normally-open', 'Normally Open'],
        ['normally-closed', 'Normally Closed'],
      ]),
    },
    { key: 'timerIntervalS', label: 'Interval (seconds)', kind: 'number' },
    { key: 'analyticsAny', label: 'Any Analytics', kind: 'checkbox' },
    { key: 'analyticsBehaviours', label: 'Behaviors', kind: 'checkgroup', opaqueOptions: true, options: BEHAVIOUR_IDS.map((id) => ({ value: id, label: BEHAVIOUR_NAMES[id] })) },
    ...ALT_EXTRAS,
  ],
};

const HANDLER_TYPES = opts([
  ['email', 'Send Email'],
  ['ftp', 'Upload JPEG to FTP'],
  ['sd', 'Write JPEG to SD card'],
  ['relay', 'Open/Close Relay'],
]);

const DAY_NAMES: Record<string, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };

function handlerForm(sourceNames: string[]): FormSpec {
  return {
    id: 'handler',
    fields: [
      { key: 'orig', label: 'orig', kind: 'hidden' },
      { key: 'name', label: 'Name', kind: 'text' },
      { key: 'type', label: 'Handler Type', kind: 'select', opaqueOptions: true, options: HANDLER_TYPES },
      { key: 'to', label: 'To', kind: 'email' },
      { key: 'from', label: 'From', kind: 'email' },
      { key: 'subject', label: 'Subject', kind: 'text' },
      { key: 'message', label: 'Message', kind: 'textarea' },
      { key: 'jpegSnapshot', label: 'JPEG Snapshot', kind: 'checkbox' },
      { key: 'rawEventData', label: 'Attach Raw Event Data', kind: 'checkbox' },
      { key: 'ftpServer', label: 'FTP Server', kind: 'text' },
      { key: 'ftpPath', label: 'FTP Path', kind: 'text' },
      { key: 'relayDurationS', label: 'Relay Duration (seconds)', kind: 'number', step: '0.1' },
      { key: 'days', label: 'Days', kind: 'checkgroup', opaqueOptions: true, options: WEEKDAYS.map((d) => ({ value: d, label: DAY_NAMES[d] })) },
      { key: 'startTime', label: 'Start Time (HHMM)', kind: 'text' },
      { key: 'endTime', label: 'End Time (HHMM)', kind: 'text' },
      { key: 'sources', label: 'Sources', kind: 'checkgroup', options: sourceNames.map((n) => ({ value: n, label: n })) },
      ...ALT_EXTRAS,
    ],
  };
}

const PROFILE: FormSpec = {
  id: 'profile',
  fields: [
    {
      key: 'sceneType',
      label: 'Scene Type',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['indoor', 'Indoor'],
        ['outdoor', 'Outdoor'],
      ]),
    },
    {
      key: 'background',
      label: 'Background',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['still', 'Still'],
        ['noisy', 'Noisy'],
      ]),
    },
    {
      key: 'fineTuning',
      label: 'Fine Tuning',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['conservative', 'Conservative'],
        ['normal', 'Normal'],
        ['aggressive', 'Aggressive'],
      ]),
    },
    { key: 'sensitivity', label: 'Sensitivity', kind: 'number' },
    ...ALT_EXTRAS,
  ],
};

const BEHAVIOUR: FormSpec = {
  id: 'behaviour',
  fields: [
    { key: 'active', label: 'Activate Behavior', kind: 'checkbox' },
    { key: 'sensitivity', label: 'Sensitivity', kind: 'number' },
    ...ALT_EXTRAS,
  ],
};

const USER: FormSpec = {
  id: 'user',
  fields: [
    { key: 'orig', label: 'orig', kind: 'hidden' },
    { key: 'name', label: 'Username', kind: 'text' },
    { key: 'password', label: 'Password', kind: 'password' },
    {
      key: 'role',
      label: 'Role',
      kind: 'select',
      opaqueOptions: true,
      options: opts([
        ['admin', 'Admin'],
        ['manager', 'Manager'],
        ['viewer', 'Viewer'],
      ]),
    },
    ...ALT_EXTRAS,
  ],
};

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
    const d = defaultGeneral(this.ctx.defaultDeviceName);
    const next = {
      deviceName: str(values, 'deviceName', d.deviceName),
      smtpServer: str(values, 'smtpServer', d.smtpServer),
      ntpServer: str(values, 'ntpServer', d.ntpServer),
      timeZone: str(values, 'timeZone', d.timeZone),
      nameOverlay: bool(values, 'nameOverlay'),
      dateOverlay: bool(values, 'dateOverlay'),
      overlayPosition: str(values, 'overlayPosition', d.overlayPosition) as typeof d.overlayPosition,
    };
    const err = checkGeneral(next);
    if (err) return this.general(token, err, values);
    this.ctx.state.general = next;
    this.ctx.extras.location = str(values, 'location', '');
    this.keepExtras(values);
    this.ctx.changed();
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
    const d = defaultSource();
    const next: SimSource = {
      name: str(values, 'name', d.name),
      type: str(values, 'type', d.type) as SimSource['type'],
      alarmDwellS: num(values, 'alarmDwellS', d.alarmDwellS),
      alarmPolarity: str(values, 'alarmPolarity', d.alarmPolarity) as SimSource['alarmPolarity'],
      timerIntervalS: num(values, 'timerIntervalS', d.timerIntervalS),
      analyticsAny: bool(values, 'analyticsAny'),
      analyticsBehaviours: list(values, 'analyticsBehaviours') as BehaviourId[],
    };
    const st = this.ctx.state;
    if (orig !== null && !st.sources.some((o) => o.name === orig)) return this.sources(token, SIM_ERRORS.notFound('Source'));
    const err = checkSource(st, next, orig ?? undefined);
    if (err) return this.sourceForm(token, orig, err, values);
    if (orig === null) st.sources.push(next);
    else {
      st.sources = st.sources.map((o) => (o.name === orig ? next : o));
      // A rename carries over to the handlers that list the source.
      if (orig !== next.name) for (const h of st.handlers) h.sources = h.sources.map((n) => (n === orig ? next.name : n));
    }
    this.keepExtras(values);
    this.ctx.changed();
    return { status: 302, location: '/setup/events/sources' };
  }

  /** POST /setup/events/sources/delete. */
  deleteSource(posted: URLSearchParams, token: string): PageResult {
    const name = posted.get(fieldName(this.v, SOURCE.id, 'orig')) ?? '';
    const st = this.ctx.state;
    if (!st.sources.some((o) => o.name === name)) return this.sources(token, SIM_ERRORS.notFound('Source'));
    const user = st.handlers.find((h) => h.sources.includes(name));
    if (user) return this.sources(token, SIM_ERRORS.sourceInUse(name, user.name));
    st.sources = st.sources.filter((o) => o.name !== name);
    this.ctx.changed();
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
    const d = defaultHandler();
    const next: SimHandler = {
      name: str(values, 'name', d.name),
      type: str(values, 'type', d.type) as SimHandler['type'],
      to: str(values, 'to', d.to),
      from: str(values, 'from', d.from),
      subject: str(values, 'subject', d.subject),
      message: str(values, 'message', d.message),
      jpegSnapshot: bool(values, 'jpegSnapshot'),
      rawEventData: bool(values, 'rawEventData'),
      ftpServer: str(values, 'ftpServer', d.ftpServer),
      ftpPath: str(values, 'ftpPath', d.ftpPath),
      relayDurationS: num(values, 'relayDurationS', d.relayDurationS),
      days: list(values, 'days') as SimHandler['days'],
      startTime: str(values, 'startTime', d.startTime),
      endTime: str(values, 'endTime', d.endTime),
      sources: list(values, 'sources'),
    };
    const st = this.ctx.state;
    if (orig !== null && !st.handlers.some((o) => o.name === orig)) return this.handlers(token, SIM_ERRORS.notFound('Handler'));
    const err = checkHandler(st, next, orig ?? undefined);
    if (err) return this.handlerForm(token, orig, err, values);
    if (orig === null) st.handlers.push(next);
    else st.handlers = st.handlers.map((o) => (o.name === orig ? next : o));
    this.keepExtras(values);
    this.ctx.changed();
    return { status: 302, location: '/setup/events/handlers' };
  }

  /** POST /setup/events/handlers/delete. */
  deleteHandler(posted: URLSearchParams, token: string): PageResult {
    const name = posted.get(fieldName(this.v, 'handler', 'orig')) ?? '';
    const st = this.ctx.state;
    if (!st.handlers.some((o) => o.name === name)) return this.handlers(token, SIM_ERRORS.notFound('Handler'));
    st.handlers = st.handlers.filter((o) => o.name !== name);
    this.ctx.changed();
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
    const d = defaultProfile();
    const next = {
      sceneType: str(values, 'sceneType', d.sceneType) as typeof d.sceneType,
      background: str(values, 'background', d.background) as typeof d.background,
      fineTuning: str(values, 'fineTuning', d.fineTuning) as typeof d.fineTuning,
      sensitivity: num(values, 'sensitivity', d.sensitivity),
    };
    if (!isSensitivity(next.sensitivity)) return this.analytics(token, SIM_ERRORS.sensitivity, values);
    this.ctx.state.analytics.profile = next;
    this.keepExtras(values);
    this.ctx.changed();
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
    const d = defaultBehaviour();
    const next = { active: bool(values, 'active'), sensitivity: num(values, 'sensitivity', d.sensitivity) };
    const err = checkBehaviour(this.ctx.state, id, next, this.ctx.maxActiveBehaviours);
    if (err) return this.behaviour(token, id, err, values);
    this.ctx.state.analytics.behaviours[id] = next;
    this.keepExtras(values);
    this.ctx.changed();
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
