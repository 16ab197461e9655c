/**
 * Test support: an independently written camera web UI in the style of the OLDER Sarix generation
 * (`<title>Sarix&trade;</title>`, docs/camera.md §3.4): CGI pages under /cgi-bin/ (every /setup/* path answers
 * 404), reached from the landing page through a "Setup" link and a nested System / Events menu; labels in the
 * left table cell of each row; drop-downs whose option values are codes ("s4" shows "4", "2" shows
 * "Europe/Berlin"); saves answer POST-redirect-GET (303) with a message box.
 */
import { BEHAVIOUR_NAMES, HANDLER_TYPE_TEXT, SOURCE_TYPE_TEXT, TIME_ZONES, WEEKDAYS, blankHandler, blankSource, defaultState, type FakeBackend, type FakeHandler, type FakeSource, type HandlerType, type SourceType } from './backend';
import { esc, field, fields, notFound, pelcoApi, redirect, serve, Sessions, type CameraUi, type IndependentCamera, type Req, type Res, type StartOptions } from './http-kit';

const SRC_TYPES: SourceType[] = ['alarm', 'system', 'timer', 'analytics'];
const HDL_CODES: Record<HandlerType, string> = { email: 'em', ftp: 'ftp', sd: 'sd', relay: 'rly' };

function page(title: string, body: string, msg?: { text: string; isError: boolean }): string {
  const box = msg ? `<div class="msgbox${msg.isError ? ' msg-err' : ''}">${esc(msg.text)}</div>` : '';
  return `<html><head><title>Sarix&trade;</title></head><body>
<table width="100%"><tr><td valign="top" width="160">
<ul class="leftmenu">
 <li>System<ul><li><a href="/cgi-bin/general.cgi">General</a></li></ul></li>
 <li>Events<ul><li><a href="/cgi-bin/evsrc.cgi">Sources</a></li><li><a href="/cgi-bin/evhdl.cgi">Handlers</a></li><li><a href="/cgi-bin/analytics.cgi">Analytic Configuration</a></li></ul></li>
</ul></td><td valign="top"><h1>${esc(title)}</h1>${box}${body}</td></tr></table>
<p class="foot">Pelco.com</p></body></html>`;
}

const row = (label: string, control: string) => `<tr><td class="lbl">${esc(label)}</td><td>${control}</td></tr>`;
const text = (name: string, v: string | number) => `<input type="text" name="${name}" value="${esc(v)}">`;
const box = (name: string, on: boolean, value = '1') => `<input type="checkbox" name="${name}" value="${value}"${on ? ' checked' : ''}>`;
function select(name: string, options: Array<[string, string]>, chosen: string): string {
  return `<select name="${name}">${options.map(([v, t]) => `<option value="${esc(v)}"${v === chosen ? ' selected' : ''}>${esc(t)}</option>`).join('')}</select>`;
}
const sensOptions = (prefix: string): Array<[string, string]> => Array.from({ length: 10 }, (_x, i) => [`${prefix}${i + 1}`, String(i + 1)]);

/** The older-generation UI over a backend. */
export class LegacyTableUi implements CameraUi {
  private readonly sessions = new Sessions();
  private readonly nonces = new Set<string>();
  constructor(
    private readonly b: FakeBackend,
    /** 'grid': every behaviour is a row of one form on the Analytic Configuration page (no page per behaviour). */
    private readonly behaviourLayout: 'pages' | 'grid' = 'pages',
  ) {}

  /** A posted field; a missing one falls back to its factory default and is recorded as dropped (full-form replace). */
  private take(r: Req, name: string, dflt: string): string {
    const v = field(r, name);
    if (v === undefined) {
      this.b.dropped.push(name);
      return dflt;
    }
    return v;
  }

  handle(r: Req): Res {
    // Older firmware: the Pelco API with HTTP Basic (docs/camera.md §5).
    const api = pelcoApi(r, 'basic', { model: 'IXE20DN', firmware: '1.8.2-20120327', mac: '00:0B:AB:11:22:33', serial: 'T41120001' }, this.b.state.general.deviceName, this.nonces);
    if (api) return api;
    if (r.path === '/auth/validate' && r.method === 'POST') {
      if (field(r, 'username') !== 'admin' || field(r, 'password') !== 'admin') return redirect('/login');
      const s = this.sessions.open();
      return redirect('/liveview', 302, { 'Set-Cookie': [`PHPSESSID=${s}; Path=/`, `authos-token=${s.slice(0, 8)}; Path=/`] });
    }
    if (r.path === '/login' || r.path === '/') return { status: 200, body: '<html><head><title>Sarix&trade;</title></head><body><form method="POST" action="/auth/validate">User <input name="username"> Password <input type="password" name="password"><input type="submit" value="Login"></form>Pelco.com</body></html>' };
    if (!this.sessions.has(r.cookies.PHPSESSID) || !r.cookies['authos-token']) return redirect('/login');
    switch (r.path) {
      case '/liveview':
        return { status: 200, body: `<html><head><title>Sarix&trade;</title></head><body><a href="/cgi-bin/setup.cgi">Setup</a> <img src="/jpeg"></body></html>` };
      case '/cgi-bin/setup.cgi':
        return { status: 200, body: page('Setup', '<p>Choose a page from the menu.</p>') };
      case '/cgi-bin/general.cgi':
        return this.general(r);
      case '/cgi-bin/evsrc.cgi':
        return this.sources(r);
      case '/cgi-bin/evhdl.cgi':
        return this.handlers(r);
      case '/cgi-bin/analytics.cgi':
        return this.analytics(r);
      case '/cgi-bin/behavior.cgi':
        return this.behaviour(r);
      default:
        return notFound();
    }
  }

  // ------------------------------------------------------------------ general

  private general(r: Req, msg?: { text: string; isError: boolean }): Res {
    const d = defaultState().general;
    if (r.method === 'POST') {
      const tz = Number(this.take(r, 'tz', '0'));
      this.b.setGeneral({
        deviceName: this.take(r, 'devnm', d.deviceName),
        smtpServer: this.take(r, 'smtpsrv', d.smtpServer),
        ntpServer: this.take(r, 'ntpsrv', d.ntpServer),
        timeZone: TIME_ZONES[tz] ?? d.timeZone,
        dst: field(r, 'dst') === '1',
        dhcp: field(r, 'dhcp') === '1',
        ipAddress: this.take(r, 'ipaddr', d.ipAddress),
        location: this.take(r, 'loc', d.location),
        overlay: field(r, 'ovl') === '1',
      });
      return redirect('/cgi-bin/general.cgi?saved=1', 303);
    }
    const g = this.b.state.general;
    if (r.query.get('saved')) msg = { text: 'Settings saved.', isError: false };
    const form = `<form method="POST" action="/cgi-bin/general.cgi"><table>
${row('Device Name', text('devnm', g.deviceName))}
${row('IP Address', text('ipaddr', g.ipAddress))}
${row('DHCP', box('dhcp', g.dhcp))}
${row('SMTP Server', text('smtpsrv', g.smtpServer))}
${row('NTP Server', text('ntpsrv', g.ntpServer))}
${row('Time Zone', select('tz', TIME_ZONES.map((z, i) => [String(i), z]), String(TIME_ZONES.indexOf(g.timeZone))))}
${row('Daylight Saving', box('dst', g.dst))}
${row('Location', text('loc', g.location))}
${row('Name Overlay', box('ovl', g.overlay))}
</table><input type="submit" value="Save"></form>`;
    return { status: 200, body: page('General Settings', form, msg) };
  }

  // ------------------------------------------------------------------ sources

  private sourceForm(s: FakeSource, orig: string | null, msg?: { text: string; isError: boolean }): Res {
    const bh = BEHAVIOUR_NAMES.map((n, i) => `<label>${box('bh', s.behaviours.includes(n), String(i))} ${esc(n)}</label><br>`).join('');
    const form = `<form method="POST" action="/cgi-bin/evsrc.cgi"><input type="hidden" name="op" value="save"><input type="hidden" name="orig" value="${esc(orig ?? '')}"><table>
${row('Source Name', text('sn', s.name))}
${row('Source Type', select('st', SRC_TYPES.map((t, i) => [String(i), SOURCE_TYPE_TEXT[t]]), String(SRC_TYPES.indexOf(s.type))))}
${row('Dwell Time (s)', text('dw', s.dwellS))}
${row('Polarity', select('pl', [['NO', 'Normally Open'], ['NC', 'Normally Closed']], s.polarity === 'open' ? 'NO' : 'NC'))}
${row('Interval (s)', text('iv', s.intervalS))}
${row('Any Analytics', box('anyan', s.anyAnalytics))}
${row('Behaviors', bh)}
</table><input type="submit" value="Save"></form>`;
    return { status: 200, body: page(orig === null ? 'New Source' : `Source ${orig}`, form, msg) };
  }

  private sources(r: Req): Res {
    if (r.method === 'POST' && field(r, 'op') === 'del') {
      const bad = this.b.deleteSource(field(r, 'n') ?? '');
      return bad ? this.sourceList({ text: bad, isError: true }) : redirect('/cgi-bin/evsrc.cgi?saved=1', 303);
    }
    if (r.method === 'POST') {
      const d = blankSource();
      const orig = field(r, 'orig') || null;
      const s: FakeSource = {
        name: this.take(r, 'sn', ''),
        type: SRC_TYPES[Number(this.take(r, 'st', '0'))] ?? 'alarm',
        dwellS: Number(this.take(r, 'dw', String(d.dwellS))),
        polarity: this.take(r, 'pl', 'NO') === 'NC' ? 'closed' : 'open',
        intervalS: Number(this.take(r, 'iv', String(d.intervalS))),
        anyAnalytics: field(r, 'anyan') === '1',
        behaviours: fields(r, 'bh').map((i) => BEHAVIOUR_NAMES[Number(i)]).filter(Boolean),
      };
      const bad = this.b.putSource(orig, s);
      return bad ? this.sourceForm(s, orig, { text: bad, isError: true }) : redirect('/cgi-bin/evsrc.cgi?saved=1', 303);
    }
    if (r.query.get('op') === 'new') return this.sourceForm(blankSource(), null);
    const n = r.query.get('n');
    if (r.query.get('op') === 'edit' && n) {
      const s = this.b.state.sources.find((x) => x.name === n);
      return s ? this.sourceForm(s, n) : notFound();
    }
    return this.sourceList(r.query.get('saved') ? { text: 'Settings saved.', isError: false } : undefined);
  }

  private sourceList(msg?: { text: string; isError: boolean }): Res {
    const rows = this.b.state.sources
      .map((s) => `<tr><td>${esc(s.name)}</td><td>${esc(SOURCE_TYPE_TEXT[s.type])}</td><td><a href="/cgi-bin/evsrc.cgi?op=edit&amp;n=${encodeURIComponent(s.name)}">Edit</a></td><td><form method="POST" action="/cgi-bin/evsrc.cgi"><input type="hidden" name="op" value="del"><input type="hidden" name="n" value="${esc(s.name)}"><input type="submit" value="Delete"></form></td></tr>`)
      .join('\n');
    return { status: 200, body: page('Event Sources', `<table border="1"><tr><th>Name</th><th>Type</th><th></th><th></th></tr>\n${rows}</table><p><a href="/cgi-bin/evsrc.cgi?op=new">Add Source</a></p>`, msg) };
  }

  // ------------------------------------------------------------------ handlers

  private handlerForm(h: FakeHandler, orig: string | null, msg?: { text: string; isError: boolean }): Res {
    const days = WEEKDAYS.map((d) => `<label>${box('dy', h.days.includes(d), d)} ${d[0].toUpperCase()}${d.slice(1)}</label>`).join(' ');
    const srcs = this.b.state.sources.map((s) => `<label>${box('src', h.sources.includes(s.name), s.name)} ${esc(s.name)}</label><br>`).join('');
    const form = `<form method="POST" action="/cgi-bin/evhdl.cgi"><input type="hidden" name="op" value="save"><input type="hidden" name="orig" value="${esc(orig ?? '')}"><table>
${row('Handler Name', text('hn', h.name))}
${row('Handler Type', select('ht', (Object.keys(HDL_CODES) as HandlerType[]).map((t) => [HDL_CODES[t], HANDLER_TYPE_TEXT[t]]), HDL_CODES[h.type]))}
${row('To', text('to', h.to))}
${row('From', text('fr', h.from))}
${row('Subject', text('sj', h.subject))}
${row('Message', `<textarea name="ms">${esc(h.message)}</textarea>`)}
${row('JPEG Snapshot', box('js', h.jpeg))}
${row('Attach Raw Event Data', box('rw', h.raw))}
${row('FTP Server', text('fs', h.ftpServer))}
${row('Relay Duration (s)', text('rd', h.relaySeconds))}
${row('Days', days)}
${row('Start Time', text('stt', h.start))}
${row('End Time', text('ent', h.end))}
${row('Sources', srcs)}
</table><input type="submit" value="Save"></form>`;
    return { status: 200, body: page(orig === null ? 'New Handler' : `Handler ${orig}`, form, msg) };
  }

  private handlers(r: Req): Res {
    if (r.method === 'POST' && field(r, 'op') === 'del') {
      const bad = this.b.deleteHandler(field(r, 'n') ?? '');
      return bad ? this.handlerList({ text: bad, isError: true }) : redirect('/cgi-bin/evhdl.cgi?saved=1', 303);
    }
    if (r.method === 'POST') {
      const d = blankHandler();
      const orig = field(r, 'orig') || null;
      const code = this.take(r, 'ht', 'em');
      const h: FakeHandler = {
        name: this.take(r, 'hn', ''),
        type: (Object.keys(HDL_CODES) as HandlerType[]).find((t) => HDL_CODES[t] === code) ?? 'email',
        to: this.take(r, 'to', d.to),
        from: this.take(r, 'fr', d.from),
        subject: this.take(r, 'sj', d.subject),
        message: this.take(r, 'ms', d.message).replace(/\r\n/g, '\n'),
        jpeg: field(r, 'js') === '1',
        raw: field(r, 'rw') === '1',
        ftpServer: this.take(r, 'fs', d.ftpServer),
        relaySeconds: this.take(r, 'rd', d.relaySeconds),
        days: fields(r, 'dy'),
        start: this.take(r, 'stt', d.start),
        end: this.take(r, 'ent', d.end),
        sources: fields(r, 'src'),
      };
      const bad = this.b.putHandler(orig, h);
      return bad ? this.handlerForm(h, orig, { text: bad, isError: true }) : redirect('/cgi-bin/evhdl.cgi?saved=1', 303);
    }
    if (r.query.get('op') === 'new') return this.handlerForm(blankHandler(), null);
    const n = r.query.get('n');
    if (r.query.get('op') === 'edit' && n) {
      const h = this.b.state.handlers.find((x) => x.name === n);
      return h ? this.handlerForm(h, n) : notFound();
    }
    return this.handlerList(r.query.get('saved') ? { text: 'Settings saved.', isError: false } : undefined);
  }

  private handlerList(msg?: { text: string; isError: boolean }): Res {
    const rows = this.b.state.handlers
      .map((h) => `<tr><td>${esc(h.name)}</td><td>${esc(HANDLER_TYPE_TEXT[h.type])}</td><td>${esc(h.sources.join(', '))}</td><td><a href="/cgi-bin/evhdl.cgi?op=edit&amp;n=${encodeURIComponent(h.name)}">Edit</a></td><td><form method="POST" action="/cgi-bin/evhdl.cgi"><input type="hidden" name="op" value="del"><input type="hidden" name="n" value="${esc(h.name)}"><input type="submit" value="Delete"></form></td></tr>`)
      .join('\n');
    return { status: 200, body: page('Event Handlers', `<table border="1"><tr><th>Name</th><th>Type</th><th>Sources</th><th></th><th></th></tr>\n${rows}</table><p><a href="/cgi-bin/evhdl.cgi?op=new">Add Handler</a></p>`, msg) };
  }

  // ------------------------------------------------------------------ analytics

  private analytics(r: Req): Res {
    if (this.behaviourLayout === 'grid' && r.method === 'POST' && field(r, 'grid') === '1') return this.analyticsGrid(r);
    const p = this.b.state.analytics.profile;
    let msg: { text: string; isError: boolean } | undefined;
    if (r.method === 'POST') {
      const sens = Number(this.take(r, 'psens', 'p5').slice(1));
      const bad = this.b.setProfile({
        scene: this.take(r, 'scene', 'in') === 'out' ? 'Outdoor' : 'Indoor',
        background: this.take(r, 'bg', '0') === '1' ? 'Noisy' : 'Still',
        tuning: ({ c: 'Conservative', n: 'Normal', a: 'Aggressive' } as const)[this.take(r, 'tune', 'n') as 'c' | 'n' | 'a'] ?? 'Normal',
        sensitivity: sens,
      });
      if (!bad) return redirect('/cgi-bin/analytics.cgi?saved=1', 303);
      msg = { text: bad, isError: true };
    }
    if (r.query.get('saved')) msg = { text: 'Settings saved.', isError: false };
    if (this.behaviourLayout === 'grid') return this.analyticsGrid(r, msg);
    const list = BEHAVIOUR_NAMES.map((n, i) => {
      const b = this.b.state.analytics.behaviours[n];
      return `<tr><td><a href="/cgi-bin/behavior.cgi?b=${i}">${esc(n)}</a></td><td>${b.active ? 'Active' : 'Inactive'}</td></tr>`;
    }).join('\n');
    const form = `<form method="POST" action="/cgi-bin/analytics.cgi"><table>
${row('Scene Type', select('scene', [['in', 'Indoor'], ['out', 'Outdoor']], p.scene === 'Indoor' ? 'in' : 'out'))}
${row('Background', select('bg', [['0', 'Still'], ['1', 'Noisy']], p.background === 'Still' ? '0' : '1'))}
${row('Fine Tuning', select('tune', [['c', 'Conservative'], ['n', 'Normal'], ['a', 'Aggressive']], p.tuning[0].toLowerCase()))}
${row('Sensitivity', select('psens', sensOptions('p'), `p${p.sensitivity}`))}
</table><input type="submit" value="Save"></form>
<h2>Behaviors</h2><table border="1"><tr><th>Behavior</th><th>Status</th></tr>
${list}</table>`;
    return { status: 200, body: page('Analytic Configuration', form, msg) };
  }

  /** Profile and all behaviours in one grid form: a row per behaviour, the controls under column headers. */
  private analyticsGrid(r: Req, msg?: { text: string; isError: boolean }): Res {
    const p = this.b.state.analytics.profile;
    let shown = this.b.state.analytics.behaviours;
    if (r.method === 'POST' && field(r, 'grid') === '1') {
      const next: typeof shown = {};
      BEHAVIOUR_NAMES.forEach((n, i) => {
        next[n] = { active: fields(r, 'act').includes(String(i)), sensitivity: Number(this.take(r, `sens${i}`, 's5').replace(/^s/, '')), zone: this.take(r, `zone${i}`, 'Full frame') };
      });
      const bad = this.b.setAllBehaviours(next);
      if (!bad) return redirect('/cgi-bin/analytics.cgi?saved=1', 303);
      msg = { text: bad, isError: true };
      shown = next;
    }
    const rows = BEHAVIOUR_NAMES.map((n, i) => {
      const b = shown[n];
      return `<tr><td>${esc(n)}</td><td>${box('act', b.active, String(i))}</td><td>${select(`sens${i}`, sensOptions('s'), `s${b.sensitivity}`)}</td><td>${text(`zone${i}`, b.zone)}</td></tr>`;
    }).join('\n');
    const body = `<form method="POST" action="/cgi-bin/analytics.cgi"><table>
${row('Scene Type', select('scene', [['in', 'Indoor'], ['out', 'Outdoor']], p.scene === 'Indoor' ? 'in' : 'out'))}
${row('Background', select('bg', [['0', 'Still'], ['1', 'Noisy']], p.background === 'Still' ? '0' : '1'))}
${row('Fine Tuning', select('tune', [['c', 'Conservative'], ['n', 'Normal'], ['a', 'Aggressive']], p.tuning[0].toLowerCase()))}
${row('Sensitivity', select('psens', sensOptions('p'), `p${p.sensitivity}`))}
</table><input type="submit" value="Save"></form>
<form method="POST" action="/cgi-bin/analytics.cgi"><input type="hidden" name="grid" value="1"><table border="1"><thead><tr><th>Behavior</th><th>Activate Behavior</th><th>Sensitivity</th><th>Zone</th></tr></thead><tbody>
${rows}</tbody></table><input type="submit" value="Apply"></form>`;
    return { status: 200, body: page('Analytic Configuration', body, msg) };
  }

  private behaviour(r: Req): Res {
    const i = Number(r.query.get('b'));
    const name = BEHAVIOUR_NAMES[i];
    if (!name) return notFound();
    let msg: { text: string; isError: boolean } | undefined;
    let shown = this.b.state.analytics.behaviours[name];
    if (r.method === 'POST') {
      const next = { active: field(r, 'act') === 'on', sensitivity: Number(this.take(r, 'sens', 's5').replace(/^s/, '')), zone: this.take(r, 'zone', 'Full frame') };
      const bad = this.b.setBehaviour(name, next);
      if (!bad) return redirect(`/cgi-bin/behavior.cgi?b=${i}&saved=1`, 303);
      msg = { text: bad, isError: true };
      shown = next;
    }
    if (r.query.get('saved')) msg = { text: 'Settings saved.', isError: false };
    const form = `<form method="POST" action="/cgi-bin/behavior.cgi?b=${i}"><table>
${row('Activate Behavior', box('act', shown.active, 'on'))}
${row('Sensitivity', select('sens', sensOptions('s'), `s${shown.sensitivity}`))}
${row('Zone', text('zone', shown.zone))}
</table><input type="submit" value="Apply"></form><p><a href="/cgi-bin/analytics.cgi">Back</a></p>`;
    return { status: 200, body: page(name, form, msg) };
  }
}

/** Starts the older-generation UI. */
export function startLegacyTableCamera(o: StartOptions, behaviourLayout: 'pages' | 'grid' = 'pages'): Promise<IndependentCamera> {
  return serve(o, (b) => new LegacyTableUi(b, behaviourLayout));
}
