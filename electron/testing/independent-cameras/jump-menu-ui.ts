/**
 * Test support: an independently written camera web UI with a jump menu and faulty saves. Pages live under
 * /config/*.html (every /setup/* path answers 404) and are reached through a drop-down jump menu whose option
 * values are paths; labels are plain text before the control in the same block ("SMTP Server: <input>") or a
 * `title` attribute; Activate Behavior is an On/Off drop-down (values 1/0), Sensitivity a text box. List pages
 * link each item by its name under a "Name" column and delete through row checkboxes and one "Delete" button.
 * Refusals come back as a 200 page with a `<p class="warnbox">`. Faults to switch on: a new handler that the
 * camera "saves" without storing it, an HTTP 500 on a behaviour save, an HTTP 500 on the undo's first General save,
 * a lost session mid-plan.
 */
import { BEHAVIOUR_NAMES, HANDLER_TYPE_TEXT, SOURCE_TYPE_TEXT, TIME_ZONES, WEEKDAYS, blankHandler, blankSource, defaultState, type FakeBackend, type FakeHandler, type FakeSource, type HandlerType, type SourceType } from './backend';
import { esc, field, fields, notFound, pelcoApi, redirect, serve, Sessions, type CameraUi, type IndependentCamera, type Req, type Res, type StartOptions } from './http-kit';

/** Faults this UI can show. */
export interface JumpMenuFaults {
  /** A new handler's save answers "Saved" but the camera keeps nothing. */
  isHandlerSaveSilent?: boolean;
  /** The first behaviour save of Camera Sabotage answers HTTP 500 and changes nothing. */
  isBehaviourSave500?: boolean;
  /** The second General Settings save (the undo's) answers HTTP 500 once and changes nothing. */
  isGeneralUndo500?: boolean;
  /** Every session ends after this many requests (the camera's idle timer, or another admin logging in). */
  sessionRequests?: number;
}

const SRC_TYPES: SourceType[] = ['alarm', 'system', 'timer', 'analytics'];
const HDL_TYPES: HandlerType[] = ['email', 'ftp', 'sd', 'relay'];

const MENU = `<form name="jump"><select name="go" onchange="location=this.value">
<option value="">-- Settings --</option>
<optgroup label="System"><option value="/config/general.html">General</option><option value="/config/network.html">Network</option></optgroup>
<optgroup label="Events"><option value="/config/srclist.html">Sources</option><option value="/config/hdllist.html">Handlers</option><option value="/config/vca.html">Analytic Configuration</option></optgroup>
</select></form>`;

function page(title: string, body: string, warn?: string): string {
  return `<html><head><title>Sarix&trade; - ${esc(title)}</title></head><body><div id="hdr">Sarix&trade; ${MENU}</div><h3>${esc(title)}</h3>${warn ? `<p class="warnbox">${esc(warn)}</p>` : ''}${body}</body></html>`;
}

const fld = (label: string, control: string) => `<div class="fld">${esc(label)}: ${control}</div>`;
const txt = (name: string, v: string | number) => `<input type="text" name="${name}" value="${esc(v)}">`;
const chk = (name: string, on: boolean, value = 'y') => `<input type="checkbox" name="${name}" value="${value}"${on ? ' checked' : ''}>`;
function drop(name: string, options: Array<[string, string]>, chosen: string): string {
  return `<select name="${name}">${options.map(([v, t]) => `<option value="${esc(v)}"${v === chosen ? ' selected' : ''}>${esc(t)}</option>`).join('')}</select>`;
}

/** The jump-menu UI over a backend. */
export class JumpMenuUi implements CameraUi {
  private readonly sessions = new Sessions();
  private readonly nonces = new Set<string>();
  private readonly used = new Map<string, number>();
  private hasFailedBehaviour = false;
  private generalSaves = 0;
  constructor(
    private readonly b: FakeBackend,
    private readonly faults: JumpMenuFaults,
  ) {}

  private take(r: Req, name: string, dflt: string): string {
    const v = field(r, name);
    if (v === undefined) {
      this.b.dropped.push(name);
      return dflt;
    }
    return v;
  }

  handle(r: Req): Res {
    const api = pelcoApi(r, 'basic', { model: 'IME219', firmware: '1.9.2.10', mac: '00:0B:AB:77:88:99', serial: 'M2190042' }, this.b.state.general.deviceName, this.nonces);
    if (api) return api;
    if (r.path === '/auth/validate' && r.method === 'POST') {
      if (field(r, 'username') !== 'admin' || field(r, 'password') !== 'admin') return redirect('/login');
      const s = this.sessions.open();
      return redirect('/liveview', 302, { 'Set-Cookie': [`PHPSESSID=${s}; Path=/`] });
    }
    if (r.path === '/login' || r.path === '/') return { status: 200, body: '<html><body>Sarix&trade; Login<form method="POST" action="/auth/validate">User: <input name="username"> Password: <input type="password" name="password"> <input type="submit" value="Login"></form></body></html>' };
    const sid = r.cookies.PHPSESSID;
    if (!this.sessions.has(sid)) return redirect('/login');
    const n = (this.used.get(sid) ?? 0) + 1;
    this.used.set(sid, n);
    if (this.faults.sessionRequests && n > this.faults.sessionRequests) {
      this.sessions.clear();
      return redirect('/login');
    }
    switch (r.path) {
      case '/liveview':
        return { status: 200, body: page('Live', '<img src="/jpeg">') };
      case '/config/general.html':
        return this.general(r);
      case '/config/network.html':
        return { status: 200, body: page('Network', '<p>Network settings are read-only here.</p>') };
      case '/config/srclist.html':
      case '/config/src.html':
        return this.sources(r);
      case '/config/hdllist.html':
      case '/config/hdl.html':
        return this.handlers(r);
      case '/config/vca.html':
        return this.analytics(r);
      default:
        return notFound();
    }
  }

  // ------------------------------------------------------------------ general

  private general(r: Req): Res {
    const d = defaultState().general;
    if (r.method === 'POST') {
      if (this.faults.isGeneralUndo500 && ++this.generalSaves === 2) return { status: 500, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
      this.b.setGeneral({
        deviceName: this.take(r, 'G1', d.deviceName),
        ipAddress: this.take(r, 'G2', d.ipAddress),
        dhcp: field(r, 'G3') === 'y',
        smtpServer: this.take(r, 'G4', d.smtpServer),
        ntpServer: this.take(r, 'G5', d.ntpServer),
        timeZone: this.take(r, 'G6', d.timeZone),
        dst: field(r, 'G7') === 'y',
        location: this.take(r, 'G8', d.location),
        overlay: field(r, 'G9') === 'y',
      });
      return redirect('/config/general.html', 302);
    }
    const g = this.b.state.general;
    const body = `<form method="POST" action="/config/general.html">
${fld('Device Name', txt('G1', g.deviceName))}
${fld('IP Address', txt('G2', g.ipAddress))}
${fld('DHCP', chk('G3', g.dhcp))}
${fld('SMTP Server', txt('G4', g.smtpServer))}
<div class="fld"><input type="text" name="G5" value="${esc(g.ntpServer)}" title="NTP Server"></div>
${fld('Time Zone', drop('G6', TIME_ZONES.map((z) => [z, z.replace('_', ' ')]), g.timeZone))}
${fld('Daylight Saving', chk('G7', g.dst))}
${fld('Location', txt('G8', g.location))}
${fld('Overlay', chk('G9', g.overlay))}
<input type="submit" value="Apply"></form>`;
    return { status: 200, body: page('General', body) };
  }

  // ------------------------------------------------------------------ sources

  private sourceForm(s: FakeSource, orig: string | null, warn?: string): Res {
    const body = `<form method="POST" action="/config/src.html"><input type="hidden" name="orig" value="${esc(orig ?? '')}">
${fld('Name', txt('S1', s.name))}
${fld('Type', drop('S2', SRC_TYPES.map((t, i) => [String(i + 1), SOURCE_TYPE_TEXT[t]]), String(SRC_TYPES.indexOf(s.type) + 1)))}
${fld('Dwell', txt('S3', s.dwellS))}
${fld('Polarity', drop('S4', [['o', 'Open'], ['c', 'Closed']], s.polarity[0]))}
${fld('Interval', txt('S5', s.intervalS))}
${fld('Any Analytics', chk('S6', s.anyAnalytics))}
<div class="fld">Behaviors: ${BEHAVIOUR_NAMES.map((b, i) => `<label>${chk('S7', s.behaviours.includes(b), `k${i}`)}${esc(b)}</label>`).join(' ')}</div>
<input type="submit" value="Apply"></form>`;
    return { status: 200, body: page(orig === null ? 'New Source' : 'Source', body, warn) };
  }

  private sources(r: Req): Res {
    if (r.method === 'POST' && field(r, 'act') === 'delete') {
      for (const name of fields(r, 'sel')) {
        const bad = this.b.deleteSource(name);
        if (bad) return { status: 200, body: page('Sources', this.sourceRows(), bad) };
      }
      return redirect('/config/srclist.html', 302);
    }
    if (r.method === 'POST') {
      const d = blankSource();
      const orig = field(r, 'orig') || null;
      const s: FakeSource = {
        name: this.take(r, 'S1', ''),
        type: SRC_TYPES[Number(this.take(r, 'S2', '1')) - 1] ?? 'alarm',
        dwellS: Number(this.take(r, 'S3', String(d.dwellS))),
        polarity: this.take(r, 'S4', 'o') === 'c' ? 'closed' : 'open',
        intervalS: Number(this.take(r, 'S5', String(d.intervalS))),
        anyAnalytics: field(r, 'S6') === 'y',
        behaviours: fields(r, 'S7').map((k) => BEHAVIOUR_NAMES[Number(k.slice(1))]).filter(Boolean),
      };
      const bad = this.b.putSource(orig, s);
      return bad ? this.sourceForm(s, orig, bad) : redirect('/config/srclist.html', 302);
    }
    if (r.path === '/config/src.html') {
      const name = r.query.get('id');
      if (!name) return this.sourceForm(blankSource(), null);
      const s = this.b.state.sources.find((x) => x.name === name);
      return s ? this.sourceForm(s, name) : notFound();
    }
    return { status: 200, body: page('Sources', this.sourceRows()) };
  }

  private sourceRows(): string {
    const rows = this.b.state.sources.map((s) => `<tr><td><input type="checkbox" name="sel" value="${esc(s.name)}"></td><td><a href="/config/src.html?id=${encodeURIComponent(s.name)}">${esc(s.name)}</a></td><td>${esc(SOURCE_TYPE_TEXT[s.type])}</td></tr>`);
    return `<form method="POST" action="/config/srclist.html"><input type="hidden" name="act" value="delete"><table><tr><th></th><th>Name</th><th>Type</th></tr>${rows.join('')}</table><input type="submit" value="Delete"></form><p><a href="/config/src.html">New Source</a></p>`;
  }

  // ------------------------------------------------------------------ handlers

  private handlerForm(h: FakeHandler, orig: string | null, warn?: string): Res {
    const body = `<form method="POST" action="/config/hdl.html"><input type="hidden" name="orig" value="${esc(orig ?? '')}">
${fld('Name', txt('H1', h.name))}
${fld('Type', drop('H2', HDL_TYPES.map((t, i) => [String(i + 1), HANDLER_TYPE_TEXT[t]]), String(HDL_TYPES.indexOf(h.type) + 1)))}
${fld('To', txt('H3', h.to))}
${fld('From', txt('H4', h.from))}
${fld('Subject', txt('H5', h.subject))}
<div class="fld">Message:<br><textarea name="H6">${esc(h.message)}</textarea></div>
${fld('JPEG Snapshot', chk('H7', h.jpeg))}
${fld('Attach Raw Event Data', chk('H8', h.raw))}
${fld('FTP Server', txt('H9', h.ftpServer))}
${fld('Relay Time', txt('H10', h.relaySeconds))}
<div class="fld">Days: ${WEEKDAYS.map((d) => `<label>${chk('H11', h.days.includes(d), d)}${d}</label>`).join(' ')}</div>
${fld('Start', txt('H12', h.start))}
${fld('End', txt('H13', h.end))}
<div class="fld">Sources: ${this.b.state.sources.map((s) => `<label>${chk('H14', h.sources.includes(s.name), s.name)}${esc(s.name)}</label>`).join(' ')}</div>
<input type="submit" value="Apply"></form>`;
    return { status: 200, body: page(orig === null ? 'New Handler' : 'Handler', body, warn) };
  }

  private handlers(r: Req): Res {
    if (r.method === 'POST' && field(r, 'act') === 'delete') {
      for (const name of fields(r, 'sel')) {
        const bad = this.b.deleteHandler(name);
        if (bad) return { status: 200, body: page('Handlers', this.handlerRows(), bad) };
      }
      return redirect('/config/hdllist.html', 302);
    }
    if (r.method === 'POST') {
      const d = blankHandler();
      const orig = field(r, 'orig') || null;
      const h: FakeHandler = {
        name: this.take(r, 'H1', ''),
        type: HDL_TYPES[Number(this.take(r, 'H2', '1')) - 1] ?? 'email',
        to: this.take(r, 'H3', d.to),
        from: this.take(r, 'H4', d.from),
        subject: this.take(r, 'H5', d.subject),
        message: this.take(r, 'H6', d.message).replace(/\r\n/g, '\n'),
        jpeg: field(r, 'H7') === 'y',
        raw: field(r, 'H8') === 'y',
        ftpServer: this.take(r, 'H9', d.ftpServer),
        relaySeconds: this.take(r, 'H10', d.relaySeconds),
        days: fields(r, 'H11'),
        start: this.take(r, 'H12', d.start),
        end: this.take(r, 'H13', d.end),
        sources: fields(r, 'H14'),
      };
      // The fault: the camera answers as if it had stored the new handler.
      if (orig === null && this.faults.isHandlerSaveSilent) return redirect('/config/hdllist.html', 302);
      const bad = this.b.putHandler(orig, h);
      return bad ? this.handlerForm(h, orig, bad) : redirect('/config/hdllist.html', 302);
    }
    if (r.path === '/config/hdl.html') {
      const name = r.query.get('id');
      if (!name) return this.handlerForm(blankHandler(), null);
      const h = this.b.state.handlers.find((x) => x.name === name);
      return h ? this.handlerForm(h, name) : notFound();
    }
    return { status: 200, body: page('Handlers', this.handlerRows()) };
  }

  private handlerRows(): string {
    const rows = this.b.state.handlers.map((h) => `<tr><td><input type="checkbox" name="sel" value="${esc(h.name)}"></td><td><a href="/config/hdl.html?id=${encodeURIComponent(h.name)}">${esc(h.name)}</a></td><td>${esc(HANDLER_TYPE_TEXT[h.type])}</td><td>${esc(h.sources.join(' '))}</td></tr>`);
    return `<form method="POST" action="/config/hdllist.html"><input type="hidden" name="act" value="delete"><table><tr><th></th><th>Name</th><th>Type</th><th>Sources</th></tr>${rows.join('')}</table><input type="submit" value="Delete"></form><p><a href="/config/hdl.html">New Handler</a></p>`;
  }

  // ------------------------------------------------------------------ analytics

  private analytics(r: Req): Res {
    let warn: string | undefined;
    const shown = { ...this.b.state.analytics.behaviours };
    if (r.method === 'POST') {
      const i = Number(this.take(r, 'V0', '-1'));
      const name = BEHAVIOUR_NAMES[i];
      if (!name) return notFound();
      if (name === 'Camera Sabotage' && this.faults.isBehaviourSave500 && !this.hasFailedBehaviour) {
        this.hasFailedBehaviour = true;
        return { status: 500, body: '<html><body><h1>500 Internal Server Error</h1></body></html>' };
      }
      const next = { active: this.take(r, 'V1', '0') === '1', sensitivity: Number(this.take(r, 'V2', '5')), zone: this.take(r, 'V3', 'Full frame') };
      const bad = this.b.setBehaviour(name, next);
      if (!bad) return redirect('/config/vca.html', 302);
      warn = bad;
      shown[name] = next;
    }
    const pr = this.b.state.analytics.profile;
    const forms = BEHAVIOUR_NAMES.map((n, i) => {
      const b = shown[n];
      return `<fieldset><legend>${esc(n)}</legend><form method="POST" action="/config/vca.html"><input type="hidden" name="V0" value="${i}"><input type="hidden" name="V3" value="${esc(b.zone)}">
${fld('Activate Behavior', drop('V1', [['1', 'On'], ['0', 'Off']], b.active ? '1' : '0'))}
${fld('Sensitivity', txt('V2', b.sensitivity))}
<input type="submit" value="Apply"></form></fieldset>`;
    }).join('\n');
    const profile = `<p>Scene Type: ${esc(pr.scene)}, Background: ${esc(pr.background)}, Fine Tuning: ${esc(pr.tuning)}, Profile sensitivity: ${pr.sensitivity}</p>`;
    return { status: 200, body: page('Analytic Configuration', profile + forms, warn) };
  }
}

/** Starts the jump-menu UI, optionally with faults. */
export function startJumpMenuCamera(o: StartOptions, faults: JumpMenuFaults = {}): Promise<IndependentCamera> {
  return serve(o, (b) => new JumpMenuUi(b, faults));
}
