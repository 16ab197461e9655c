/**
 * Test support: an independently written camera web UI in the style of the NEWER Sarix generation
 * (`<span>Sarix&trade;</span>`, a Pelco copyright footer, tooltip.js / cookie.js; docs/camera.md §3.4). Pages
 * live under /app/ (every /setup/* path answers 404) and are reached through tab BUTTONS (data-href / onclick),
 * not links. Labels are tied by aria-labelledby, definition lists, wrapping labels and fieldset legends;
 * Source Type and Sensitivity are radio buttons whose values differ from their texts ("lv4" for 4), Activate
 * Behavior is a Yes/No radio pair, a handler's sources are a multiple select. Every form carries a per-session
 * anti-CSRF token; a save answers a 200 confirmation page without the form; a refusal shows the form again with
 * a role="alert" box. Deleting goes through a confirmation page. The Pelco API uses HTTP Digest (firmware 1.9+).
 */
import { BEHAVIOUR_NAMES, HANDLER_TYPE_TEXT, SOURCE_TYPE_TEXT, TIME_ZONES, WEEKDAYS, blankHandler, blankSource, defaultState, type FakeBackend, type FakeBehaviour, type FakeHandler, type FakeSource, type HandlerType, type SourceType } from './backend';
import { esc, field, fields, notFound, pelcoApi, redirect, serve, Sessions, token, type CameraUi, type IndependentCamera, type Req, type Res, type StartOptions } from './http-kit';

const SRC_CODES: Record<SourceType, string> = { alarm: 'a', system: 's', timer: 't', analytics: 'x' };
const HDL_TYPES: HandlerType[] = ['email', 'ftp', 'sd', 'relay'];

function shell(title: string, tabs: Array<[string, string]>, body: string, alert?: string): string {
  const top = `<div class="topnav" role="tablist"><button type="button" role="tab" data-href="/app/home">Live</button><button type="button" role="tab" data-href="/app/system">System</button><button type="button" role="tab" onclick="location.href='/app/events'">Events</button></div>`;
  const sub = tabs.length ? `<div class="subnav" role="tablist">${tabs.map(([t, h]) => `<button type="button" role="tab" data-href="${h}">${esc(t)}</button>`).join('')}</div>` : '';
  return `<!DOCTYPE html><html><head><title>${esc(title)}</title><script src="/js/tooltip.js"></script><script src="/js/cookie.js"></script></head><body>
<header><span>Sarix&trade;</span></header>${top}${sub}<main><h2>${esc(title)}</h2>${alert ? `<div class="notice" role="alert">${esc(alert)}</div>` : ''}${body}</main>
<footer>Copyright &copy; 2014-2019, Pelco</footer></body></html>`;
}

const SYSTEM_TABS: Array<[string, string]> = [
  ['General', '/app/system/general'],
  ['Users', '/app/system/users'],
];
const EVENT_TABS: Array<[string, string]> = [
  ['Sources', '/app/events/sources'],
  ['Handlers', '/app/events/handlers'],
  ['Analytic Configuration', '/app/events/analytics'],
];

/** A labelled row tied by aria-labelledby. */
const aria = (id: string, label: string, control: string) => `<div class="row"><span id="${id}" class="lbl">${esc(label)}</span>${control}</div>`;
const input = (name: string, v: string | number, labelledBy: string) => `<input type="text" name="${name}" value="${esc(v)}" aria-labelledby="${labelledBy}">`;
function radios(legend: string, name: string, choices: Array<[string, string]>, chosen: string): string {
  return `<fieldset><legend>${esc(legend)}</legend>${choices.map(([v, t]) => `<label><input type="radio" name="${name}" value="${esc(v)}"${v === chosen ? ' checked' : ''}> ${esc(t)}</label>`).join(' ')}</fieldset>`;
}

/** The newer-generation UI over a backend. */
export class ModernAriaUi implements CameraUi {
  private readonly sessions = new Sessions();
  private readonly csrf = new Map<string, string>();
  private readonly nonces = new Set<string>();
  constructor(private readonly b: FakeBackend) {}

  private take(r: Req, name: string, dflt: string): string {
    const v = field(r, name);
    if (v === undefined) {
      this.b.dropped.push(name);
      return dflt;
    }
    return v;
  }

  private hidden(sid: string): string {
    return `<input type="hidden" name="_csrf" value="${this.csrf.get(sid)}">`;
  }

  handle(r: Req): Res {
    const api = pelcoApi(r, 'digest', { model: 'IXE22', firmware: '2.1.0.1234', mac: '00:0B:AB:44:55:66', serial: 'X2201133' }, this.b.state.general.deviceName, this.nonces);
    if (api) return api;
    if (r.path === '/auth/validate' && r.method === 'POST') {
      if (field(r, 'username') !== 'admin' || field(r, 'password') !== 'admin') return redirect('/login', 303);
      const sid = this.sessions.open();
      this.csrf.set(sid, token());
      return redirect('/app/home', 303, { 'Set-Cookie': [`SESSIONID=${sid}; Path=/; HttpOnly`, `authos-token=${token()}; Path=/`] });
    }
    if (r.path === '/login' || r.path === '/') return { status: 200, body: `<html><body><span>Sarix&trade;</span><form method="POST" action="/auth/validate"><label>Username <input name="username"></label><label>Password <input type="password" name="password"></label><button>Log In</button></form></body></html>` };
    const sid = r.cookies.SESSIONID;
    if (!this.sessions.has(sid)) return redirect('/login');
    if (r.method === 'POST' && field(r, '_csrf') !== this.csrf.get(sid)) return { status: 403, body: shell('Error', [], '', 'Invalid form token. Reload the page and try again.') };
    const p = r.path;
    if (p === '/app/home' || p === '/liveview') return { status: 200, body: shell('Live', [], '<img src="/jpeg" alt="live">') };
    if (p === '/app/system') return { status: 200, body: shell('System', SYSTEM_TABS, '<p>Choose a tab.</p>') };
    if (p === '/app/events') return { status: 200, body: shell('Events', EVENT_TABS, '<p>Choose a tab.</p>') };
    if (p === '/app/system/general') return this.general(r, sid);
    if (p.startsWith('/app/events/sources')) return this.sources(r, sid);
    if (p.startsWith('/app/events/handlers')) return this.handlers(r, sid);
    if (p === '/app/events/analytics') return this.analytics(r, sid);
    return notFound();
  }

  private saved(title: string, tabs: Array<[string, string]>, back: string): Res {
    return { status: 200, body: shell(title, tabs, `<p class="confirm">Your changes have been saved.</p><p><a href="${back}">Back</a></p>`) };
  }

  // ------------------------------------------------------------------ general

  private general(r: Req, sid: string): Res {
    const d = defaultState().general;
    if (r.method === 'POST') {
      this.b.setGeneral({
        deviceName: this.take(r, 'cam_nm', d.deviceName),
        smtpServer: this.take(r, 'mail_host', d.smtpServer),
        ntpServer: this.take(r, 'time_host', d.ntpServer),
        timeZone: this.take(r, 'tzone', d.timeZone),
        dst: field(r, 'dst') === 'true',
        dhcp: this.take(r, 'ipmode', 'dhcp') === 'dhcp',
        ipAddress: this.take(r, 'ip4', d.ipAddress),
        location: this.take(r, 'where', d.location),
        overlay: field(r, 'osd') === 'true',
      });
      return this.saved('General', SYSTEM_TABS, '/app/system/general');
    }
    const g = this.b.state.general;
    const body = `<form method="POST" action="/app/system/general">${this.hidden(sid)}
<label>Camera Name <input type="text" name="cam_nm" value="${esc(g.deviceName)}"></label>
<dl>
<dt id="dt-ip">IP Address</dt><dd><input type="text" name="ip4" value="${esc(g.ipAddress)}" aria-labelledby="dt-ip"></dd>
<dt>Address Mode</dt><dd><select name="ipmode"><option value="dhcp"${g.dhcp ? ' selected' : ''}>DHCP</option><option value="static"${g.dhcp ? '' : ' selected'}>Static</option></select></dd>
<dt id="dt-smtp">SMTP Server</dt><dd><input type="text" name="mail_host" value="${esc(g.smtpServer)}" aria-labelledby="dt-smtp"></dd>
<dt>Time Server</dt><dd><input type="text" name="time_host" value="${esc(g.ntpServer)}"></dd>
<dt>Time Zone</dt><dd><select name="tzone" aria-label="Time Zone">${TIME_ZONES.map((z) => `<option${z === g.timeZone ? ' selected' : ''}>${esc(z)}</option>`).join('')}</select></dd>
<dt>Daylight Saving</dt><dd><input type="checkbox" name="dst" value="true"${g.dst ? ' checked' : ''}></dd>
<dt>Location</dt><dd><input type="text" name="where" value="${esc(g.location)}"></dd>
<dt>Text Overlay</dt><dd><input type="checkbox" name="osd" value="true"${g.overlay ? ' checked' : ''}></dd>
</dl><button type="submit">Save</button></form>`;
    return { status: 200, body: shell('General', SYSTEM_TABS, body) };
  }

  // ------------------------------------------------------------------ sources

  private sourceForm(sid: string, s: FakeSource, orig: string | null, alert?: string): Res {
    const action = orig === null ? '/app/events/sources/new' : `/app/events/sources/edit?name=${encodeURIComponent(orig)}`;
    const body = `<form method="POST" action="${esc(action)}">${this.hidden(sid)}
${aria('l-sname', 'Source Name', input('s_name', s.name, 'l-sname'))}
${radios('Source Type', 's_kind', (Object.keys(SRC_CODES) as SourceType[]).map((t) => [SRC_CODES[t], SOURCE_TYPE_TEXT[t]]), SRC_CODES[s.type])}
${aria('l-dwell', 'Dwell Time', input('s_dwell', s.dwellS, 'l-dwell'))}
${radios('Polarity', 's_pol', [['0', 'Normally Open'], ['1', 'Normally Closed']], s.polarity === 'open' ? '0' : '1')}
${aria('l-int', 'Interval', input('s_int', s.intervalS, 'l-int'))}
<label><input type="checkbox" name="s_any" value="yes"${s.anyAnalytics ? ' checked' : ''}> Any Analytics</label>
<label for="s-beh">Behaviors</label><select id="s-beh" name="s_beh" multiple>${BEHAVIOUR_NAMES.map((n, i) => `<option value="b${i}"${s.behaviours.includes(n) ? ' selected' : ''}>${esc(n)}</option>`).join('')}</select>
<button type="submit">Save</button></form>`;
    return { status: 200, body: shell(orig === null ? 'Add Source' : 'Edit Source', EVENT_TABS, body, alert) };
  }

  private sources(r: Req, sid: string): Res {
    const p = r.path;
    const name = r.query.get('name') ?? '';
    if (p === '/app/events/sources/remove') {
      if (r.method === 'POST') {
        const bad = this.b.deleteSource(name);
        return bad ? { status: 200, body: shell('Sources', EVENT_TABS, this.sourceRows(), bad) } : redirect('/app/events/sources', 303);
      }
      return { status: 200, body: shell('Delete Source', EVENT_TABS, `<p>Delete the source ${esc(name)}?</p><form method="POST" action="/app/events/sources/remove?name=${encodeURIComponent(name)}">${this.hidden(sid)}<button type="submit">Yes</button></form><p><a href="/app/events/sources">No</a></p>`) };
    }
    if (p === '/app/events/sources/new' || p === '/app/events/sources/edit') {
      const orig = p.endsWith('/new') ? null : name;
      if (r.method === 'POST') {
        const d = blankSource();
        const code = this.take(r, 's_kind', 'a');
        const s: FakeSource = {
          name: this.take(r, 's_name', ''),
          type: (Object.keys(SRC_CODES) as SourceType[]).find((t) => SRC_CODES[t] === code) ?? 'alarm',
          dwellS: Number(this.take(r, 's_dwell', String(d.dwellS))),
          polarity: this.take(r, 's_pol', '0') === '1' ? 'closed' : 'open',
          intervalS: Number(this.take(r, 's_int', String(d.intervalS))),
          anyAnalytics: field(r, 's_any') === 'yes',
          behaviours: fields(r, 's_beh').map((v) => BEHAVIOUR_NAMES[Number(v.slice(1))]).filter(Boolean),
        };
        const bad = this.b.putSource(orig, s);
        return bad ? this.sourceForm(sid, s, orig, bad) : this.saved('Sources', EVENT_TABS, '/app/events/sources');
      }
      const s = orig === null ? blankSource() : this.b.state.sources.find((x) => x.name === orig);
      return s ? this.sourceForm(sid, s, orig) : notFound();
    }
    if (p === '/app/events/sources') return { status: 200, body: shell('Sources', EVENT_TABS, this.sourceRows()) };
    return notFound();
  }

  private sourceRows(): string {
    const items = this.b.state.sources.map((s) => `<li><span class="n">${esc(s.name)}</span> <span class="t">${esc(SOURCE_TYPE_TEXT[s.type])}</span> <a href="/app/events/sources/edit?name=${encodeURIComponent(s.name)}">Edit</a> <a href="/app/events/sources/remove?name=${encodeURIComponent(s.name)}">Delete</a></li>`);
    return `<ul class="items">${items.join('\n')}</ul><button type="button" onclick="location.href='/app/events/sources/new'">Add Source</button>`;
  }

  // ------------------------------------------------------------------ handlers

  private handlerForm(sid: string, h: FakeHandler, orig: string | null, alert?: string): Res {
    const action = orig === null ? '/app/events/handlers/new' : `/app/events/handlers/edit?name=${encodeURIComponent(orig)}`;
    const body = `<form method="POST" action="${esc(action)}">${this.hidden(sid)}
${aria('l-hname', 'Handler Name', input('h_name', h.name, 'l-hname'))}
<label for="h-type">Handler Type</label><select id="h-type" name="h_type">${HDL_TYPES.map((t, i) => `<option value="${i}"${t === h.type ? ' selected' : ''}>${esc(HANDLER_TYPE_TEXT[t])}</option>`).join('')}</select>
${aria('l-to', 'To', input('h_to', h.to, 'l-to'))}
${aria('l-from', 'From', input('h_from', h.from, 'l-from'))}
<input type="text" name="h_subj" value="${esc(h.subject)}" title="Subject">
<label>Message <textarea name="h_msg">${esc(h.message)}</textarea></label>
<label><input type="checkbox" name="h_jpg" value="1"${h.jpeg ? ' checked' : ''}> JPEG Snapshot</label>
<input type="checkbox" id="h-raw" name="h_raw" value="1"${h.raw ? ' checked' : ''}><label for="h-raw">Attach Raw Event Data</label>
${aria('l-ftp', 'FTP Server', input('h_ftp', h.ftpServer, 'l-ftp'))}
${aria('l-rly', 'Relay Duration', input('h_rly', h.relaySeconds, 'l-rly'))}
<fieldset><legend>Days</legend>${WEEKDAYS.map((d) => `<label><input type="checkbox" name="h_day" value="${d}"${h.days.includes(d) ? ' checked' : ''}> ${d}</label>`).join(' ')}</fieldset>
${aria('l-start', 'Start Time', input('h_start', h.start, 'l-start'))}
${aria('l-end', 'End Time', input('h_end', h.end, 'l-end'))}
<label for="h-src">Sources</label><select id="h-src" name="h_src" multiple>${this.b.state.sources.map((s) => `<option${h.sources.includes(s.name) ? ' selected' : ''}>${esc(s.name)}</option>`).join('')}</select>
<button type="submit">Save</button></form>`;
    return { status: 200, body: shell(orig === null ? 'Add Handler' : 'Edit Handler', EVENT_TABS, body, alert) };
  }

  private handlers(r: Req, sid: string): Res {
    const p = r.path;
    const name = r.query.get('name') ?? '';
    if (p === '/app/events/handlers/remove') {
      if (r.method === 'POST') {
        const bad = this.b.deleteHandler(name);
        return bad ? { status: 200, body: shell('Handlers', EVENT_TABS, this.handlerRows(), bad) } : redirect('/app/events/handlers', 303);
      }
      return { status: 200, body: shell('Delete Handler', EVENT_TABS, `<p>Delete the handler ${esc(name)}?</p><form method="POST" action="/app/events/handlers/remove?name=${encodeURIComponent(name)}">${this.hidden(sid)}<button type="submit">Yes</button></form><p><a href="/app/events/handlers">No</a></p>`) };
    }
    if (p === '/app/events/handlers/new' || p === '/app/events/handlers/edit') {
      const orig = p.endsWith('/new') ? null : name;
      if (r.method === 'POST') {
        const d = blankHandler();
        const h: FakeHandler = {
          name: this.take(r, 'h_name', ''),
          type: HDL_TYPES[Number(this.take(r, 'h_type', '0'))] ?? 'email',
          to: this.take(r, 'h_to', d.to),
          from: this.take(r, 'h_from', d.from),
          subject: this.take(r, 'h_subj', d.subject),
          message: this.take(r, 'h_msg', d.message).replace(/\r\n/g, '\n'),
          jpeg: field(r, 'h_jpg') === '1',
          raw: field(r, 'h_raw') === '1',
          ftpServer: this.take(r, 'h_ftp', d.ftpServer),
          relaySeconds: this.take(r, 'h_rly', d.relaySeconds),
          days: fields(r, 'h_day'),
          start: this.take(r, 'h_start', d.start),
          end: this.take(r, 'h_end', d.end),
          sources: fields(r, 'h_src'),
        };
        const bad = this.b.putHandler(orig, h);
        return bad ? this.handlerForm(sid, h, orig, bad) : this.saved('Handlers', EVENT_TABS, '/app/events/handlers');
      }
      const h = orig === null ? blankHandler() : this.b.state.handlers.find((x) => x.name === orig);
      return h ? this.handlerForm(sid, h, orig) : notFound();
    }
    if (p === '/app/events/handlers') return { status: 200, body: shell('Handlers', EVENT_TABS, this.handlerRows()) };
    return notFound();
  }

  private handlerRows(): string {
    const items = this.b.state.handlers.map((h) => `<li><span class="n">${esc(h.name)}</span> <span class="t">${esc(HANDLER_TYPE_TEXT[h.type])}</span> <a href="/app/events/handlers/edit?name=${encodeURIComponent(h.name)}">Edit</a> <a href="/app/events/handlers/remove?name=${encodeURIComponent(h.name)}">Delete</a></li>`);
    return `<ul class="items">${items.join('\n')}</ul><button type="button" onclick="location.href='/app/events/handlers/new'">Add Handler</button>`;
  }

  // ------------------------------------------------------------------ analytics

  private analytics(r: Req, sid: string): Res {
    let alert: string | undefined;
    const shown: Record<string, FakeBehaviour> = { ...this.b.state.analytics.behaviours };
    if (r.method === 'POST') {
      const which = field(r, 'which');
      if (which === 'profile') {
        const sens = Number(this.take(r, 'p_sens', 'lv5').replace(/^lv/, ''));
        const bad = this.b.setProfile({
          scene: this.take(r, 'p_scene', 'Indoor') === 'Outdoor' ? 'Outdoor' : 'Indoor',
          background: this.take(r, 'p_bg', 'Still') === 'Noisy' ? 'Noisy' : 'Still',
          tuning: (['Conservative', 'Normal', 'Aggressive'] as const).find((t) => t === field(r, 'p_tune')) ?? 'Normal',
          sensitivity: sens,
        });
        if (!bad) return this.saved('Analytic Configuration', EVENT_TABS, '/app/events/analytics');
        alert = bad;
      } else {
        const name = BEHAVIOUR_NAMES[Number(which)];
        if (!name) return notFound();
        const next = { active: this.take(r, 'b_on', '0') === '1', sensitivity: Number(this.take(r, 'b_sens', 'lv5').replace(/^lv/, '')), zone: this.take(r, 'b_zone', 'Full frame') };
        const bad = this.b.setBehaviour(name, next);
        if (!bad) return this.saved('Analytic Configuration', EVENT_TABS, '/app/events/analytics');
        alert = bad;
        shown[name] = next;
      }
    }
    const pr = this.b.state.analytics.profile;
    const sel = (name: string, id: string, label: string, choices: string[], chosen: string) =>
      `<label for="${id}">${label}</label><select id="${id}" name="${name}">${choices.map((c) => `<option${c === chosen ? ' selected' : ''}>${c}</option>`).join('')}</select>`;
    const levels = Array.from({ length: 10 }, (_x, i): [string, string] => [`lv${i + 1}`, String(i + 1)]);
    const profile = `<section><h3>Profile</h3><form method="POST" action="/app/events/analytics">${this.hidden(sid)}<input type="hidden" name="which" value="profile">
${sel('p_scene', 'p-scene', 'Scene Type', ['Indoor', 'Outdoor'], pr.scene)}
${sel('p_bg', 'p-bg', 'Background', ['Still', 'Noisy'], pr.background)}
${sel('p_tune', 'p-tune', 'Fine Tuning', ['Conservative', 'Normal', 'Aggressive'], pr.tuning)}
${radios('Sensitivity', 'p_sens', levels, `lv${pr.sensitivity}`)}
<button type="submit">Save</button></form></section>`;
    const behaviours = BEHAVIOUR_NAMES.map((n, i) => {
      const b = shown[n];
      return `<section><h3>${esc(n)}</h3><form method="POST" action="/app/events/analytics">${this.hidden(sid)}<input type="hidden" name="which" value="${i}"><input type="hidden" name="b_zone" value="${esc(b.zone)}">
${radios('Activate Behavior', 'b_on', [['1', 'Yes'], ['0', 'No']], b.active ? '1' : '0')}
${radios('Sensitivity', 'b_sens', levels, `lv${b.sensitivity}`)}
<button type="submit">Save</button></form></section>`;
    }).join('\n');
    return { status: 200, body: shell('Analytic Configuration', EVENT_TABS, profile + behaviours, alert) };
  }
}

/** Starts the newer-generation UI. */
export function startModernAriaCamera(o: StartOptions): Promise<IndependentCamera> {
  return serve(o, (b) => new ModernAriaUi(b));
}
