/**
 * Test support: an independently written camera web UI whose drop-downs carry zero-based indexes as option
 * values: Sensitivity "4" is `<option value="3">4</option>`, so a driver that writes the text as the value moves
 * Camera Sabotage to 5. Labels are row headers (`<th>SMTP Server</th><td><input></td>`). The login answers 200
 * with a meta refresh (no redirect) and allows one session at a time (a new login ends the old one). General
 * Settings stays at its documented path; the event pages are tabs of one /setup/events.php page. List rows have
 * no header row: a number, the name, the type, "Modify" and "Remove" links; Remove asks on its own page ("OK").
 * A save answers 302 back to the page it came from; a refusal answers HTTP 400 with the form and a `<font
 * color="red">` message.
 */
import { BEHAVIOUR_NAMES, HANDLER_TYPE_TEXT, SOURCE_TYPE_TEXT, TIME_ZONES, WEEKDAYS, blankHandler, blankSource, defaultState, type FakeBackend, type FakeHandler, type FakeSource, type HandlerType, type SourceType } from './backend';
import { esc, field, fields, notFound, pelcoApi, redirect, serve, Sessions, type CameraUi, type IndependentCamera, type Req, type Res, type StartOptions } from './http-kit';

const SRC_TYPES: SourceType[] = ['alarm', 'system', 'timer', 'analytics'];
const HDL_TYPES: HandlerType[] = ['email', 'ftp', 'sd', 'relay'];
const TABS = `<ul class="tabs"><li><a href="/setup/events.php?tab=src">Sources</a></li><li><a href="/setup/events.php?tab=hdl">Handlers</a></li><li><a href="/setup/events.php?tab=vca">Analytic Configuration</a></li></ul>`;

function page(title: string, body: string, error?: string): string {
  return `<html><head><title>Sarix&trade;</title></head><body>
<div class="menu"><a href="/setup/system/general">General Settings</a> | <a href="/setup/events.php">Events</a> | <a href="/logout">Log Out</a></div>
<h2>${esc(title)}</h2>${error ? `<font color="red">${esc(error)}</font>` : ''}${body}<p>Pelco.com</p></body></html>`;
}

const tr = (label: string, control: string) => `<tr><th align="left">${esc(label)}</th><td>${control}</td></tr>`;
const txt = (name: string, v: string | number) => `<input type="text" name="${name}" value="${esc(v)}">`;
const chk = (name: string, on: boolean, value = '1') => `<input type="checkbox" name="${name}" value="${value}"${on ? ' checked' : ''}>`;
/** A drop-down whose option values are the zero-based indexes of their texts. */
function indexed(name: string, texts: string[], chosen: string): string {
  return `<select name="${name}">${texts.map((t, i) => `<option value="${i}"${t === chosen ? ' selected' : ''}>${esc(t)}</option>`).join('')}</select>`;
}
const LEVELS = Array.from({ length: 10 }, (_x, i) => String(i + 1));

/** The zero-index UI over a backend. */
export class ZeroIndexUi implements CameraUi {
  private readonly sessions = new Sessions();
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

  /** An index posted for a list of choices ('' when out of range). */
  private pick<T>(r: Req, name: string, choices: readonly T[], dflt: T): T {
    return choices[Number(this.take(r, name, String(choices.indexOf(dflt))))] ?? dflt;
  }

  handle(r: Req): Res {
    const api = pelcoApi(r, 'digest', { model: 'IBE322', firmware: '1.9.4', mac: '00:0B:AB:AA:BB:CC', serial: 'B3220007' }, this.b.state.general.deviceName, this.nonces);
    if (api) return api;
    if (r.path === '/auth/validate' && r.method === 'POST') {
      if (field(r, 'username') !== 'admin' || field(r, 'password') !== 'admin') return redirect('/login');
      // One admin session at a time: a new login ends the others.
      this.sessions.clear();
      const s = this.sessions.open();
      return { status: 200, headers: { 'Set-Cookie': [`sessionToken=${s}; Path=/; HttpOnly`] }, body: '<html><head><meta http-equiv="refresh" content="0;url=/liveview"></head><body>Logging in...</body></html>' };
    }
    if (r.path === '/login' || r.path === '/') return { status: 200, body: '<html><head><title>Sarix&trade;</title></head><body><form method="POST" action="/auth/validate"><table><tr><th>User Name</th><td><input name="username"></td></tr><tr><th>Password</th><td><input type="password" name="password"></td></tr></table><input type="submit" value="Login"></form></body></html>' };
    if (!this.sessions.has(r.cookies.sessionToken)) return redirect('/login');
    if (r.path === '/liveview') return { status: 200, body: page('Live View', '<img src="/jpeg">') };
    if (r.path === '/setup/system/general') return this.general(r);
    if (r.path === '/setup/events.php') {
      const tab = r.query.get('tab') ?? '';
      if (tab === 'src') return this.sources(r);
      if (tab === 'hdl') return this.handlers(r);
      if (tab === 'vca') return this.analytics(r);
      return { status: 200, body: page('Events', TABS) };
    }
    return notFound();
  }

  // ------------------------------------------------------------------ general

  private general(r: Req): Res {
    const d = defaultState().general;
    if (r.method === 'POST') {
      this.b.setGeneral({
        deviceName: this.take(r, 'dn', d.deviceName),
        ipAddress: this.take(r, 'ip', d.ipAddress),
        dhcp: this.pick(r, 'dh', ['Off', 'On'], 'On') === 'On',
        smtpServer: this.take(r, 'ms', d.smtpServer),
        ntpServer: this.take(r, 'ts', d.ntpServer),
        timeZone: this.pick(r, 'tz', TIME_ZONES, d.timeZone),
        dst: field(r, 'ds') === '1',
        location: this.take(r, 'lc', d.location),
        overlay: field(r, 'ov') === '1',
      });
      return redirect('/setup/system/general', 302);
    }
    const g = this.b.state.general;
    const body = `<form method="POST" action="/setup/system/general"><table>
${tr('Device Name', txt('dn', g.deviceName))}
${tr('DHCP', indexed('dh', ['Off', 'On'], g.dhcp ? 'On' : 'Off'))}
${tr('IP Address', txt('ip', g.ipAddress))}
${tr('SMTP Server', txt('ms', g.smtpServer))}
${tr('NTP Server', txt('ts', g.ntpServer))}
${tr('Time Zone', indexed('tz', TIME_ZONES, g.timeZone))}
${tr('Daylight Saving Time', chk('ds', g.dst))}
${tr('Location', txt('lc', g.location))}
${tr('Show Name on Video', chk('ov', g.overlay))}
</table><input type="submit" value="Save"></form>`;
    return { status: 200, body: page('General Settings', body) };
  }

  // ------------------------------------------------------------------ sources

  private sourceForm(s: FakeSource, orig: string | null, error?: string): Res {
    const body = `${TABS}<form method="POST" action="/setup/events.php?tab=src"><input type="hidden" name="was" value="${esc(orig ?? '')}"><table>
${tr('Source Name', txt('nm', s.name))}
${tr('Source Type', indexed('ty', SRC_TYPES.map((t) => SOURCE_TYPE_TEXT[t]), SOURCE_TYPE_TEXT[s.type]))}
${tr('Dwell Time', txt('dw', s.dwellS))}
${tr('Polarity', indexed('po', ['Normally Open', 'Normally Closed'], s.polarity === 'open' ? 'Normally Open' : 'Normally Closed'))}
${tr('Interval', txt('iv', s.intervalS))}
${tr('Any Analytics', chk('aa', s.anyAnalytics))}
${tr('Behaviors', BEHAVIOUR_NAMES.map((n, i) => `<input type="checkbox" id="bh${i}" name="bh" value="${i}"${s.behaviours.includes(n) ? ' checked' : ''}><label for="bh${i}">${esc(n)}</label>`).join('<br>'))}
</table><input type="submit" value="Save"></form>`;
    return { status: error ? 400 : 200, body: page(orig === null ? 'Add Source' : 'Modify Source', body, error) };
  }

  private sources(r: Req): Res {
    const name = r.query.get('name') ?? '';
    const action = r.query.get('action');
    if (action === 'remove') {
      if (r.method === 'POST') {
        const bad = this.b.deleteSource(name);
        return bad ? { status: 400, body: page('Sources', TABS + this.sourceRows(), bad) } : redirect('/setup/events.php?tab=src', 302);
      }
      return { status: 200, body: page('Remove Source', `<p>Remove ${esc(name)}?</p><form method="POST" action="/setup/events.php?tab=src&amp;action=remove&amp;name=${encodeURIComponent(name)}"><input type="submit" value="OK"></form><a href="/setup/events.php?tab=src">Cancel</a>`) };
    }
    if (r.method === 'POST') {
      const d = blankSource();
      const orig = field(r, 'was') || null;
      const s: FakeSource = {
        name: this.take(r, 'nm', ''),
        type: this.pick(r, 'ty', SRC_TYPES, 'alarm'),
        dwellS: Number(this.take(r, 'dw', String(d.dwellS))),
        polarity: this.take(r, 'po', '0') === '1' ? 'closed' : 'open',
        intervalS: Number(this.take(r, 'iv', String(d.intervalS))),
        anyAnalytics: field(r, 'aa') === '1',
        behaviours: fields(r, 'bh').map((i) => BEHAVIOUR_NAMES[Number(i)]).filter(Boolean),
      };
      const bad = this.b.putSource(orig, s);
      return bad ? this.sourceForm(s, orig, bad) : redirect('/setup/events.php?tab=src', 302);
    }
    if (action === 'add') return this.sourceForm(blankSource(), null);
    if (action === 'modify') {
      const s = this.b.state.sources.find((x) => x.name === name);
      return s ? this.sourceForm(s, name) : notFound();
    }
    return { status: 200, body: page('Sources', TABS + this.sourceRows()) };
  }

  private sourceRows(): string {
    const rows = this.b.state.sources.map((s, i) => `<tr><td>${i + 1}</td><td>${esc(s.name)}</td><td>${esc(SOURCE_TYPE_TEXT[s.type])}</td><td><a href="/setup/events.php?tab=src&amp;action=modify&amp;name=${encodeURIComponent(s.name)}">Modify</a></td><td><a href="/setup/events.php?tab=src&amp;action=remove&amp;name=${encodeURIComponent(s.name)}">Remove</a></td></tr>`);
    return `<table class="grid">${rows.join('\n')}</table><form method="GET" action="/setup/events.php"><input type="hidden" name="tab" value="src"><input type="hidden" name="action" value="add"><input type="submit" value="Add Source"></form>`;
  }

  // ------------------------------------------------------------------ handlers

  private handlerForm(h: FakeHandler, orig: string | null, error?: string): Res {
    const body = `${TABS}<form method="POST" action="/setup/events.php?tab=hdl"><input type="hidden" name="was" value="${esc(orig ?? '')}"><table>
${tr('Handler Name', txt('nm', h.name))}
${tr('Handler Type', indexed('ty', HDL_TYPES.map((t) => HANDLER_TYPE_TEXT[t]), HANDLER_TYPE_TEXT[h.type]))}
${tr('To', txt('to', h.to))}
${tr('From', txt('fr', h.from))}
${tr('Subject', txt('sb', h.subject))}
${tr('Message', `<textarea name="mg" rows="4">${esc(h.message)}</textarea>`)}
${tr('JPEG Snapshot', chk('jp', h.jpeg))}
${tr('Attach Raw Event Data', chk('rw', h.raw))}
${tr('FTP Server', txt('fs', h.ftpServer))}
${tr('Relay Duration', txt('rd', h.relaySeconds))}
${tr('Days', WEEKDAYS.map((d, i) => `<input type="checkbox" id="dy${i}" name="dy" value="${i}"${h.days.includes(d) ? ' checked' : ''}><label for="dy${i}">${d}</label>`).join(' '))}
${tr('Start Time', txt('st', h.start))}
${tr('End Time', txt('et', h.end))}
${tr('Sources', this.b.state.sources.map((s, i) => `<input type="checkbox" id="sr${i}" name="sr" value="${esc(s.name)}"${h.sources.includes(s.name) ? ' checked' : ''}><label for="sr${i}">${esc(s.name)}</label>`).join('<br>'))}
</table><input type="submit" value="Save"></form>`;
    return { status: error ? 400 : 200, body: page(orig === null ? 'Add Handler' : 'Modify Handler', body, error) };
  }

  private handlers(r: Req): Res {
    const name = r.query.get('name') ?? '';
    const action = r.query.get('action');
    if (action === 'remove') {
      if (r.method === 'POST') {
        const bad = this.b.deleteHandler(name);
        return bad ? { status: 400, body: page('Handlers', TABS + this.handlerRows(), bad) } : redirect('/setup/events.php?tab=hdl', 302);
      }
      return { status: 200, body: page('Remove Handler', `<p>Remove ${esc(name)}?</p><form method="POST" action="/setup/events.php?tab=hdl&amp;action=remove&amp;name=${encodeURIComponent(name)}"><input type="submit" value="OK"></form><a href="/setup/events.php?tab=hdl">Cancel</a>`) };
    }
    if (r.method === 'POST') {
      const d = blankHandler();
      const orig = field(r, 'was') || null;
      const h: FakeHandler = {
        name: this.take(r, 'nm', ''),
        type: this.pick(r, 'ty', HDL_TYPES, 'email'),
        to: this.take(r, 'to', d.to),
        from: this.take(r, 'fr', d.from),
        subject: this.take(r, 'sb', d.subject),
        message: this.take(r, 'mg', d.message).replace(/\r\n/g, '\n'),
        jpeg: field(r, 'jp') === '1',
        raw: field(r, 'rw') === '1',
        ftpServer: this.take(r, 'fs', d.ftpServer),
        relaySeconds: this.take(r, 'rd', d.relaySeconds),
        days: fields(r, 'dy').map((i) => WEEKDAYS[Number(i)]).filter(Boolean),
        start: this.take(r, 'st', d.start),
        end: this.take(r, 'et', d.end),
        sources: fields(r, 'sr'),
      };
      const bad = this.b.putHandler(orig, h);
      return bad ? this.handlerForm(h, orig, bad) : redirect('/setup/events.php?tab=hdl', 302);
    }
    if (action === 'add') return this.handlerForm(blankHandler(), null);
    if (action === 'modify') {
      const h = this.b.state.handlers.find((x) => x.name === name);
      return h ? this.handlerForm(h, name) : notFound();
    }
    return { status: 200, body: page('Handlers', TABS + this.handlerRows()) };
  }

  private handlerRows(): string {
    const rows = this.b.state.handlers.map((h, i) => `<tr><td>${i + 1}</td><td>${esc(h.name)}</td><td>${esc(HANDLER_TYPE_TEXT[h.type])}</td><td><a href="/setup/events.php?tab=hdl&amp;action=modify&amp;name=${encodeURIComponent(h.name)}">Modify</a></td><td><a href="/setup/events.php?tab=hdl&amp;action=remove&amp;name=${encodeURIComponent(h.name)}">Remove</a></td></tr>`);
    return `<table class="grid">${rows.join('\n')}</table><form method="GET" action="/setup/events.php"><input type="hidden" name="tab" value="hdl"><input type="hidden" name="action" value="add"><input type="submit" value="Add Handler"></form>`;
  }

  // ------------------------------------------------------------------ analytics

  private analytics(r: Req): Res {
    let error: string | undefined;
    const shown = { ...this.b.state.analytics.behaviours };
    let profile = this.b.state.analytics.profile;
    if (r.method === 'POST') {
      const part = field(r, 'part');
      if (part === 'profile') {
        const next = {
          scene: this.pick(r, 'sc', ['Indoor', 'Outdoor'] as const, profile.scene),
          background: this.pick(r, 'bg', ['Still', 'Noisy'] as const, profile.background),
          tuning: this.pick(r, 'ft', ['Conservative', 'Normal', 'Aggressive'] as const, profile.tuning),
          sensitivity: Number(this.pick(r, 'ps', LEVELS, '5')),
        };
        const bad = this.b.setProfile(next);
        if (!bad) return redirect('/setup/events.php?tab=vca', 302);
        error = bad;
        profile = next;
      } else {
        const name = BEHAVIOUR_NAMES[Number(part)];
        if (!name) return notFound();
        const next = { active: field(r, 'ac') === '1', sensitivity: Number(this.pick(r, 'se', LEVELS, '5')), zone: this.take(r, 'zn', 'Full frame') };
        const bad = this.b.setBehaviour(name, next);
        if (!bad) return redirect('/setup/events.php?tab=vca', 302);
        error = bad;
        shown[name] = next;
      }
    }
    const head = `<form method="POST" action="/setup/events.php?tab=vca"><input type="hidden" name="part" value="profile"><table>
${tr('Scene Type', indexed('sc', ['Indoor', 'Outdoor'], profile.scene))}
${tr('Background', indexed('bg', ['Still', 'Noisy'], profile.background))}
${tr('Fine Tuning', indexed('ft', ['Conservative', 'Normal', 'Aggressive'], profile.tuning))}
${tr('Sensitivity', indexed('ps', LEVELS, String(profile.sensitivity)))}
</table><input type="submit" value="Save"></form>`;
    const forms = BEHAVIOUR_NAMES.map((n, i) => {
      const b = shown[n];
      return `<h3>${esc(n)}</h3><form method="POST" action="/setup/events.php?tab=vca"><input type="hidden" name="part" value="${i}"><table>
${tr('Activate Behavior', chk('ac', b.active))}
${tr('Sensitivity', indexed('se', LEVELS, String(b.sensitivity)))}
${tr('Zone', txt('zn', b.zone))}
</table><input type="submit" value="Save"></form>`;
    }).join('\n');
    return { status: error ? 400 : 200, body: page('Analytic Configuration', TABS + head + forms, error) };
  }
}

/** Starts the zero-index UI. */
export function startZeroIndexCamera(o: StartOptions): Promise<IndependentCamera> {
  return serve(o, (b) => new ZeroIndexUi(b));
}
