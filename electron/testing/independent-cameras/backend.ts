/**
 * Test support: the firmware "back end" shared by the independently written fake Sarix web UIs in this folder
 * (docs/camera.md §4, §6). It was written from the camera rules alone, without looking at the simulator, so the
 * driver can be checked against UIs that do not share the simulator's blind spots. It holds one camera's state,
 * enforces the documented rules (names 2–23 letters/digits, at most 20 handlers, a handler's sources must exist,
 * a source in use cannot be deleted, sensitivity 1–10, at most three behaviours active at once, "Activate
 * Behavior"), and sends the camera's e-mail (plain SMTP, no AUTH, no STARTTLS) when Camera Sabotage fires.
 * Nothing in the product imports this folder.
 */
import { createTransport } from 'nodemailer';
import jpeg from 'jpeg-js';

/** The documented behaviours, in the order the camera lists them. */
export const BEHAVIOUR_NAMES = ['Camera Sabotage', 'Adaptive Motion', 'Directional Motion', 'Abandoned Object', 'Object Counting', 'Object Removal', 'Loitering Detection', 'Stopped Vehicle'] as const;

/** Source types (docs/camera.md §4). */
export type SourceType = 'alarm' | 'system' | 'timer' | 'analytics';
/** Handler types (docs/camera.md §4). */
export type HandlerType = 'email' | 'ftp' | 'sd' | 'relay';

/** One event source. */
export interface FakeSource {
  name: string;
  type: SourceType;
  dwellS: number;
  polarity: 'open' | 'closed';
  intervalS: number;
  anyAnalytics: boolean;
  behaviours: string[];
}

/** One event handler. */
export interface FakeHandler {
  name: string;
  type: HandlerType;
  to: string;
  from: string;
  subject: string;
  message: string;
  jpeg: boolean;
  raw: boolean;
  ftpServer: string;
  relaySeconds: string;
  /** Weekdays the handler is active ('mon'…'sun'); none = always. */
  days: string[];
  /** HHMM–HHMM, '' = all day. */
  start: string;
  end: string;
  sources: string[];
}

/** One analytics behaviour. */
export interface FakeBehaviour {
  active: boolean;
  sensitivity: number;
  /** A behaviour setting the plan never touches (a full-form replace must keep it). */
  zone: string;
}

/** Everything a camera holds. */
export interface FakeState {
  general: {
    deviceName: string;
    smtpServer: string;
    ntpServer: string;
    timeZone: string;
    dst: boolean;
    dhcp: boolean;
    ipAddress: string;
    location: string;
    overlay: boolean;
  };
  sources: FakeSource[];
  handlers: FakeHandler[];
  analytics: {
    profile: { scene: 'Indoor' | 'Outdoor'; background: 'Still' | 'Noisy'; tuning: 'Conservative' | 'Normal' | 'Aggressive'; sensitivity: number };
    behaviours: Record<string, FakeBehaviour>;
  };
}

/** Time zones the General page offers (firmware lists them by index). */
export const TIME_ZONES = ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'America/Chicago', 'Asia/Tokyo'];
/** Weekdays in the order the handler pages show them. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
/** Visible names of the source types. */
export const SOURCE_TYPE_TEXT: Record<SourceType, string> = { alarm: 'Alarm', system: 'System', timer: 'Timer', analytics: 'Analytics' };
/** Visible names of the handler types. */
export const HANDLER_TYPE_TEXT: Record<HandlerType, string> = { email: 'Send Email', ftp: 'Upload JPEG to FTP', sd: 'Write JPEG to SD card', relay: 'Open/Close Relay' };

/** Camera texts for refusals (docs/camera.md §4 where documented, else plain camera wording). */
export const SAYS = {
  name: (what: string) => `${what} name must be 2 to 23 letters or digits.`,
  duplicate: (what: string, n: string) => `A ${what} named ${n} already exists.`,
  handlerLimit: 'The maximum number of event handlers (20) has been reached.',
  noSource: (n: string) => `The source ${n} does not exist.`,
  sourceInUse: (n: string, h: string) => `The source ${n} is used by the handler ${h} and cannot be deleted.`,
  sensitivity: 'Sensitivity must be between 1 and 10.',
  power: 'The camera does not have enough processing power to activate this behavior.',
  email: 'To and From must be e-mail addresses.',
} as const;

const NAME = /^[A-Za-z0-9]{2,23}$/;
const MAX_HANDLERS = 20;
const MAX_ACTIVE = 3;

/** A factory-default state (what a full-form replace falls back to field by field). */
export function defaultState(): FakeState {
  const behaviours: Record<string, FakeBehaviour> = {};
  for (const b of BEHAVIOUR_NAMES) behaviours[b] = { active: false, sensitivity: 5, zone: 'Full frame' };
  return {
    general: { deviceName: 'Sarix', smtpServer: '', ntpServer: '', timeZone: 'UTC', dst: false, dhcp: true, ipAddress: '192.168.0.20', location: '', overlay: false },
    sources: [],
    handlers: [],
    analytics: { profile: { scene: 'Indoor', background: 'Still', tuning: 'Normal', sensitivity: 5 }, behaviours },
  };
}

/** A handler with every field at its default. */
export function blankHandler(name = ''): FakeHandler {
  return { name, type: 'email', to: '', from: '', subject: '', message: '', jpeg: false, raw: false, ftpServer: '', relaySeconds: '1', days: [], start: '', end: '', sources: [] };
}

/** A source with every field at its default. */
export function blankSource(name = ''): FakeSource {
  return { name, type: 'alarm', dwellS: 0, polarity: 'open', intervalS: 60, anyAnalytics: false, behaviours: [] };
}

/** A lived-in camera: other sources and handlers, behaviours in use, non-default General fields. */
export function livedInState(seed: number): FakeState {
  const s = defaultState();
  s.general = { deviceName: `Gate${seed}`, smtpServer: '10.20.0.5', ntpServer: 'old-ntp.site.lan', timeZone: TIME_ZONES[seed % TIME_ZONES.length], dst: seed % 2 === 0, dhcp: seed % 3 !== 0, ipAddress: `10.20.1.${seed}`, location: `Building ${seed}, north gate`, overlay: true };
  s.sources = [
    { ...blankSource('Door1'), type: 'alarm', dwellS: 5 + seed, polarity: seed % 2 ? 'closed' : 'open' },
    { ...blankSource('Boot'), type: 'system' },
    { ...blankSource('Motion2'), type: 'analytics', behaviours: ['Adaptive Motion'] },
  ];
  s.handlers = [
    { ...blankHandler('DoorMail'), to: 'guard@site.lan', from: `gate${seed}@site.lan`, subject: 'Door opened', message: 'Door 1 opened.\nCheck the gate.', jpeg: true, raw: seed % 2 === 1, days: ['mon', 'tue', 'fri'], start: '0700', end: '1900', sources: ['Door1'] },
    { ...blankHandler('MotionFtp'), type: 'ftp', ftpServer: '10.20.0.9', sources: ['Motion2'] },
  ];
  const b = s.analytics.behaviours;
  b['Camera Sabotage'] = { active: seed % 2 === 0, sensitivity: 1 + (seed % 7), zone: 'Full frame' };
  b['Adaptive Motion'] = { active: true, sensitivity: 6, zone: 'Driveway' };
  b['Object Counting'] = { active: true, sensitivity: 2 + (seed % 8), zone: 'Lobby door' };
  s.analytics.profile = { scene: seed % 2 ? 'Outdoor' : 'Indoor', background: 'Noisy', tuning: seed % 3 === 0 ? 'Aggressive' : 'Conservative', sensitivity: 1 + (seed % 10) };
  return s;
}

/** Result of a change: the camera's refusal in its own words, or null when taken. */
export type Refusal = string | null;

/** What a cover-the-lens trigger did. */
export interface TriggerResult {
  detected: boolean;
  reason?: string;
  mails: number;
}

/** Options for the e-mail side (a real camera always uses TCP 25; tests point it at the relay's port). */
export interface MailOptions {
  /** The camera's own address: mail is sent from it (the relay matches the test mail by client IP). */
  address: string;
  smtpPort: number;
  /** Resolves the SMTP server field to an address (tests: loopback; never real DNS). */
  resolve: (host: string) => Promise<string>;
}

let snapshotJpeg: Buffer | undefined;
/** A small real JPEG (a grey gradient), made once. */
function snapshot(): Buffer {
  if (!snapshotJpeg) {
    const width = 64;
    const height = 48;
    const data = Buffer.alloc(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const at = (y * width + x) * 4;
        data.fill(Math.round((x / width) * 200) + 30, at, at + 3);
        data[at + 3] = 255;
      }
    }
    snapshotJpeg = jpeg.encode({ width, height, data }, 60).data;
  }
  return snapshotJpeg;
}

/** One camera's firmware state and rules. */
export class FakeBackend {
  state: FakeState;
  /** Field names a POST left out although the form had them (a full-form replace lost them). */
  readonly dropped: string[] = [];
  /** E-mails handed to the SMTP server (for tests). */
  readonly sent: Array<{ to: string; subject: string }> = [];
  /** Mail errors (logged by the camera, not retried: docs/camera.md §6). */
  readonly mailErrors: string[] = [];

  constructor(
    initial: FakeState,
    private readonly mail: MailOptions,
  ) {
    this.state = structuredClone(initial);
  }

  /** A deep copy of the state. */
  snapshot(): FakeState {
    return structuredClone(this.state);
  }

  // ------------------------------------------------------------------ general

  /** Replaces the General settings (the caller fills missing fields with defaults). */
  setGeneral(g: FakeState['general']): Refusal {
    this.state.general = { ...g };
    return null;
  }

  // ------------------------------------------------------------------ sources

  /** Creates (old = null) or replaces a source. */
  putSource(old: string | null, s: FakeSource): Refusal {
    if (!NAME.test(s.name)) return SAYS.name('Source');
    const clash = this.state.sources.find((x) => x.name.toLowerCase() === s.name.toLowerCase() && x.name !== old);
    if (clash) return SAYS.duplicate('source', s.name);
    if (s.type === 'analytics' && s.behaviours.some((b) => !(BEHAVIOUR_NAMES as readonly string[]).includes(b))) return 'Unknown behavior.';
    const clean = { ...s, behaviours: s.type === 'analytics' ? s.behaviours : [], anyAnalytics: s.type === 'analytics' && s.anyAnalytics };
    if (old === null) this.state.sources.push(clean);
    else {
      const i = this.state.sources.findIndex((x) => x.name === old);
      if (i < 0) return `The source ${old} no longer exists.`;
      if (old !== s.name) for (const h of this.state.handlers) h.sources = h.sources.map((n) => (n === old ? s.name : n));
      this.state.sources[i] = clean;
    }
    return null;
  }

  /** Deletes a source; refused while a handler lists it. */
  deleteSource(name: string): Refusal {
    const user = this.state.handlers.find((h) => h.sources.includes(name));
    if (user) return SAYS.sourceInUse(name, user.name);
    const before = this.state.sources.length;
    this.state.sources = this.state.sources.filter((s) => s.name !== name);
    return before === this.state.sources.length ? `The source ${name} does not exist.` : null;
  }

  // ------------------------------------------------------------------ handlers

  /** Creates (old = null) or replaces a handler. */
  putHandler(old: string | null, h: FakeHandler): Refusal {
    if (!NAME.test(h.name)) return SAYS.name('Handler');
    if (old === null && this.state.handlers.length >= MAX_HANDLERS) return SAYS.handlerLimit;
    const clash = this.state.handlers.find((x) => x.name.toLowerCase() === h.name.toLowerCase() && x.name !== old);
    if (clash) return SAYS.duplicate('handler', h.name);
    const missing = h.sources.find((n) => !this.state.sources.some((s) => s.name === n));
    if (missing) return SAYS.noSource(missing);
    if (h.type === 'email' && (!/^[^@\s]+@[^@\s]+$/.test(h.to) || !/^[^@\s]+@[^@\s]+$/.test(h.from))) return SAYS.email;
    if (old === null) this.state.handlers.push({ ...h });
    else {
      const i = this.state.handlers.findIndex((x) => x.name === old);
      if (i < 0) return `The handler ${old} no longer exists.`;
      this.state.handlers[i] = { ...h };
    }
    return null;
  }

  /** Deletes a handler. */
  deleteHandler(name: string): Refusal {
    const before = this.state.handlers.length;
    this.state.handlers = this.state.handlers.filter((h) => h.name !== name);
    return before === this.state.handlers.length ? `The handler ${name} does not exist.` : null;
  }

  // ------------------------------------------------------------------ analytics

  /** Checks behaviour settings without applying them. */
  checkBehaviours(next: Record<string, FakeBehaviour>): Refusal {
    for (const b of Object.values(next)) if (!Number.isInteger(b.sensitivity) || b.sensitivity < 1 || b.sensitivity > 10) return SAYS.sensitivity;
    const activeNow = Object.values(next).filter((b) => b.active).length;
    const wasActive = Object.values(this.state.analytics.behaviours).filter((b) => b.active).length;
    if (activeNow > MAX_ACTIVE && activeNow > wasActive) return SAYS.power;
    return null;
  }

  /** Replaces one behaviour's settings. */
  setBehaviour(name: string, b: FakeBehaviour): Refusal {
    if (!(name in this.state.analytics.behaviours)) return 'Unknown behavior.';
    const next = { ...this.state.analytics.behaviours, [name]: b };
    const bad = this.checkBehaviours(next);
    if (bad) return bad;
    this.state.analytics.behaviours = next;
    return null;
  }

  /** Replaces every behaviour at once (a page that lists them all in one form). */
  setAllBehaviours(all: Record<string, FakeBehaviour>): Refusal {
    const bad = this.checkBehaviours(all);
    if (bad) return bad;
    this.state.analytics.behaviours = all;
    return null;
  }

  /** Replaces the analytics profile. */
  setProfile(p: FakeState['analytics']['profile']): Refusal {
    if (!Number.isInteger(p.sensitivity) || p.sensitivity < 1 || p.sensitivity > 10) return SAYS.sensitivity;
    this.state.analytics.profile = { ...p };
    return null;
  }

  // ------------------------------------------------------------------ events and e-mail

  /**
   * Someone covers the lens: Camera Sabotage detects it when active and sensitive enough (a partial cover needs
   * sensitivity 8 or more), and every Send Email handler triggered by a source that watches it sends its mail.
   */
  async coverLens(how: 'full' | 'partial' = 'partial'): Promise<TriggerResult> {
    const b = this.state.analytics.behaviours['Camera Sabotage'];
    if (!b.active) return { detected: false, reason: 'Camera Sabotage is not active', mails: 0 };
    if (how === 'partial' && b.sensitivity < 8) return { detected: false, reason: `sensitivity ${b.sensitivity} is too low for a partial cover`, mails: 0 };
    const now = new Date();
    const sources = this.state.sources.filter((s) => s.type === 'analytics' && (s.anyAnalytics || s.behaviours.includes('Camera Sabotage')));
    let mails = 0;
    for (const h of this.state.handlers) {
      if (h.type !== 'email' || !isActiveAt(h, now)) continue;
      const src = sources.find((s) => h.sources.includes(s.name));
      if (!src) continue;
      await this.sendMail(h, src, now);
      mails++;
    }
    return { detected: true, mails };
  }

  private async sendMail(h: FakeHandler, src: FakeSource, at: Date): Promise<void> {
    const g = this.state.general;
    if (!g.smtpServer) {
      this.mailErrors.push('no SMTP server set');
      return;
    }
    let host: string;
    try {
      host = await this.mail.resolve(g.smtpServer);
    } catch (e) {
      this.mailErrors.push(`cannot resolve ${g.smtpServer}: ${(e as Error).message}`);
      return;
    }
    // EHLO with the device name when it is a usable host name, else the address (docs/camera.md §6).
    const helo = /^[A-Za-z0-9-]{1,63}$/.test(g.deviceName) ? g.deviceName : `[${this.mail.address}]`;
    const transport = createTransport({ host, port: this.mail.smtpPort, secure: false, ignoreTLS: true, name: helo, localAddress: this.mail.address, connectionTimeout: 5000, greetingTimeout: 5000, socketTimeout: 5000 });
    const raw = `Source: ${src.name}\r\nType: Analytics\r\nBehavior: Camera Sabotage\r\nState: Active\r\nTime: ${at.toISOString()}\r\n`;
    const text = h.raw ? `${h.message}\r\n\r\n${raw}` : h.message;
    try {
      await transport.sendMail({
        from: h.from,
        to: h.to,
        subject: h.subject,
        date: at,
        text,
        envelope: { from: h.from, to: [h.to] },
        ...(h.jpeg ? { attachments: [{ filename: `snapshot-${at.getTime()}.jpg`, content: snapshot(), contentType: 'image/jpeg' }] } : {}),
      });
      this.sent.push({ to: h.to, subject: h.subject });
    } catch (e) {
      // Logged, never retried (docs/camera.md §6).
      this.mailErrors.push((e as Error).message);
    } finally {
      transport.close();
    }
  }
}

/** Whether a handler's time filter lets an event at `at` through (no days = always). */
function isActiveAt(h: FakeHandler, at: Date): boolean {
  if (!h.days.length) return true;
  const day = WEEKDAYS[(at.getDay() + 6) % 7];
  if (!h.days.includes(day)) return false;
  if (!h.start || !h.end) return true;
  const hhmm = `${String(at.getHours()).padStart(2, '0')}${String(at.getMinutes()).padStart(2, '0')}`;
  return hhmm >= h.start && hhmm < h.end;
}
