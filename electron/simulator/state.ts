/**
 * One camera's in-memory settings: factory defaults and the firmware's rules (docs/camera.md §4), with the
 * error texts the camera shows. Every save replaces the whole object (fields left out revert to
 * factory defaults), because Pelco Set* operations and the web forms behave that way.
 */
import {
  BEHAVIOUR_IDS,
  BEHAVIOUR_NAMES,
  WEEKDAYS,
  type BehaviourId,
  type SimAnalytics,
  type SimAnalyticsProfile,
  type SimBehaviour,
  type SimGeneralSettings,
  type SimHandler,
  type SimSource,
  type SimState,
  type SimUser,
} from './types';

/** The most event handlers a camera holds (docs/camera.md §1). */
export const MAX_HANDLERS = 20;

/** The error texts the camera shows. The processing-power text is verbatim from the Pelco manual. */
export const SIM_ERRORS = {
  name: (what: string) => `${what} name must be 2 to 23 letters or digits (A-Z, a-z, 0-9), with no spaces.`,
  duplicate: (what: string, name: string) => `A ${what.toLowerCase()} named "${name}" already exists. Choose another name.`,
  maxHandlers: `The maximum number of event handlers (${MAX_HANDLERS}) has been reached. Delete a handler before adding another.`,
  missingSource: (name: string) => `The source "${name}" does not exist. Create the source first.`,
  noSource: 'Select at least one source for this handler.',
  sensitivity: 'Sensitivity must be a whole number from 1 to 10.',
  processingPower: 'The camera does not have enough processing power to activate this behavior',
  password: 'Password must be 4 to 16 characters.',
  relayDuration: 'Relay duration must be between 0.1 and 200 seconds.',
  hhmm: 'Times must be 24-hour HHMM, e.g. 0800 or 1730.',
  email: (field: string) => `${field} must be an e-mail address.`,
  required: (field: string) => `${field} is required.`,
  interval: 'Interval must be a whole number of seconds from 1 to 86400.',
  dwell: 'Dwell time must be a whole number of seconds from 0 to 3600.',
  sourceInUse: (name: string, handler: string) => `The source "${name}" is used by the handler "${handler}". Remove it from the handler first.`,
  lastAdmin: 'The last admin user cannot be removed or demoted.',
  selfDelete: 'You cannot delete the user you are logged in as.',
  timeZone: 'Unknown time zone.',
  hostname: 'Enter a host name or IP address (letters, digits, dots and hyphens).',
  behaviourAnalytics: 'Choose "Any analytics" or at least one behavior.',
  notFound: (what: string) => `That ${what.toLowerCase()} no longer exists.`,
  token: 'The form has expired. Reload the page and try again.',
} as const;

/** Factory-default General Settings. */
export function defaultGeneral(deviceName: string): SimGeneralSettings {
  return { deviceName, smtpServer: '', ntpServer: '', timeZone: 'UTC', nameOverlay: false, dateOverlay: false, overlayPosition: 'top-left' };
}

/** Factory-default source of a type (every field present, as the firmware stores it). */
export function defaultSource(name = ''): SimSource {
  return { name, type: 'alarm', alarmDwellS: 0, alarmPolarity: 'normally-open', timerIntervalS: 60, analyticsAny: true, analyticsBehaviours: [] };
}

/** Factory-default handler. */
export function defaultHandler(name = ''): SimHandler {
  return {
    name,
    type: 'email',
    to: '',
    from: '',
    subject: '',
    message: '',
    jpegSnapshot: false,
    rawEventData: false,
    ftpServer: '',
    ftpPath: '',
    relayDurationS: 1,
    days: [],
    startTime: '',
    endTime: '',
    sources: [],
  };
}

/** Factory-default analytics profile. */
export function defaultProfile(): SimAnalyticsProfile {
  return { sceneType: 'indoor', background: 'still', fineTuning: 'normal', sensitivity: 5 };
}

/** Factory-default behaviour (inactive, sensitivity 5). */
export function defaultBehaviour(): SimBehaviour {
  return { active: false, sensitivity: 5 };
}

/** Factory-default analytics. */
export function defaultAnalytics(): SimAnalytics {
  const behaviours = {} as Record<BehaviourId, SimBehaviour>;
  for (const id of BEHAVIOUR_IDS) behaviours[id] = defaultBehaviour();
  return { profile: defaultProfile(), behaviours };
}

/** Factory-default state: one admin user, no sources or handlers. */
export function factoryState(deviceName: string, username: string, password: string): SimState {
  return { general: defaultGeneral(deviceName), sources: [], handlers: [], analytics: defaultAnalytics(), users: [{ name: username, password, role: 'admin' }] };
}

const NAME_RE = /^[A-Za-z0-9]{2,23}$/;
const HOST_RE = /^[A-Za-z0-9]([A-Za-z0-9.-]{0,252})$/;
const EMAIL_RE = /^[^\s@<>"]+@[^\s@<>"]+$/;
const HHMM_RE = /^([01]\d|2[0-3])[0-5]\d$/;

/** True when `tz` is a time zone this Node knows. */
export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Checks General Settings; returns the error text or undefined. */
export function checkGeneral(g: SimGeneralSettings): string | undefined {
  if (!NAME_RE.test(g.deviceName) && !/^[A-Za-z0-9][A-Za-z0-9 _-]{0,30}$/.test(g.deviceName)) return 'Device name must be 1 to 31 letters, digits, spaces, hyphens or underscores.';
  if (g.smtpServer !== '' && !HOST_RE.test(g.smtpServer)) return `SMTP Server: ${SIM_ERRORS.hostname}`;
  if (g.ntpServer !== '' && !HOST_RE.test(g.ntpServer)) return `Time Server: ${SIM_ERRORS.hostname}`;
  if (!isTimeZone(g.timeZone)) return SIM_ERRORS.timeZone;
  return undefined;
}

/** Checks a source against the others (`replacing` = the name being edited, if any). */
export function checkSource(state: SimState, s: SimSource, replacing?: string): string | undefined {
  if (!NAME_RE.test(s.name)) return SIM_ERRORS.name('Source');
  if (state.sources.some((o) => o.name.toLowerCase() === s.name.toLowerCase() && o.name !== replacing)) return SIM_ERRORS.duplicate('Source', s.name);
  if (s.type === 'timer' && (!Number.isInteger(s.timerIntervalS) || s.timerIntervalS < 1 || s.timerIntervalS > 86400)) return SIM_ERRORS.interval;
  if (s.type === 'alarm' && (!Number.isInteger(s.alarmDwellS) || s.alarmDwellS < 0 || s.alarmDwellS > 3600)) return SIM_ERRORS.dwell;
  if (s.type === 'analytics' && !s.analyticsAny && s.analyticsBehaviours.length === 0) return SIM_ERRORS.behaviourAnalytics;
  return undefined;
}

/** Checks a handler against the state (`replacing` = the name being edited, if any). */
export function checkHandler(state: SimState, h: SimHandler, replacing?: string): string | undefined {
  if (replacing === undefined && state.handlers.length >= MAX_HANDLERS) return SIM_ERRORS.maxHandlers;
  if (!NAME_RE.test(h.name)) return SIM_ERRORS.name('Handler');
  if (state.handlers.some((o) => o.name.toLowerCase() === h.name.toLowerCase() && o.name !== replacing)) return SIM_ERRORS.duplicate('Handler', h.name);
  if (h.sources.length === 0) return SIM_ERRORS.noSource;
  for (const s of h.sources) if (!state.sources.some((o) => o.name === s)) return SIM_ERRORS.missingSource(s);
  if (h.type === 'email') {
    if (h.to === '') return SIM_ERRORS.required('To');
    if (!EMAIL_RE.test(h.to)) return SIM_ERRORS.email('To');
    if (h.from === '') return SIM_ERRORS.required('From');
    if (!EMAIL_RE.test(h.from)) return SIM_ERRORS.email('From');
  }
  if (h.type === 'ftp' && (h.ftpServer === '' || !HOST_RE.test(h.ftpServer))) return `FTP Server: ${SIM_ERRORS.hostname}`;
  if (h.type === 'relay' && !(h.relayDurationS >= 0.1 && h.relayDurationS <= 200)) return SIM_ERRORS.relayDuration;
  if ((h.startTime !== '' && !HHMM_RE.test(h.startTime)) || (h.endTime !== '' && !HHMM_RE.test(h.endTime))) return SIM_ERRORS.hhmm;
  if ((h.startTime === '') !== (h.endTime === '')) return SIM_ERRORS.hhmm;
  return undefined;
}

/** True for a whole number 1–10. */
export function isSensitivity(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 10;
}

/** Checks a behaviour change against the processing-power limit. */
export function checkBehaviour(state: SimState, id: BehaviourId, b: SimBehaviour, maxActive: number): string | undefined {
  if (!isSensitivity(b.sensitivity)) return SIM_ERRORS.sensitivity;
  if (b.active && !state.analytics.behaviours[id].active) {
    const active = BEHAVIOUR_IDS.filter((k) => state.analytics.behaviours[k].active).length;
    if (active >= maxActive) return SIM_ERRORS.processingPower;
  }
  return undefined;
}

/** Checks a user against the others. */
export function checkUser(state: SimState, u: SimUser, replacing?: string): string | undefined {
  if (!NAME_RE.test(u.name)) return SIM_ERRORS.name('User');
  if (state.users.some((o) => o.name.toLowerCase() === u.name.toLowerCase() && o.name !== replacing)) return SIM_ERRORS.duplicate('User', u.name);
  if (u.password.length < 4 || u.password.length > 16) return SIM_ERRORS.password;
  if (replacing !== undefined && u.role !== 'admin') {
    const old = state.users.find((o) => o.name === replacing);
    if (old?.role === 'admin' && state.users.filter((o) => o.role === 'admin').length === 1) return SIM_ERRORS.lastAdmin;
  }
  return undefined;
}

/** True when the handler's time filter admits this moment in the camera's time zone. */
export function timeFilterMatches(h: SimHandler, cameraNowMs: number, timeZone: string): boolean {
  // A zone the web form would refuse can still come in through initialState; evaluate it as UTC then.
  const zone = isTimeZone(timeZone) ? timeZone : 'UTC';
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(cameraNowMs));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  const day = get('weekday').slice(0, 3).toLowerCase();
  if (h.days.length > 0 && !h.days.includes(day as (typeof WEEKDAYS)[number])) return false;
  if (h.startTime === '' || h.endTime === '') return true;
  const hhmm = get('hour') + get('minute');
  // A range like 2200–0600 spans midnight.
  return h.startTime <= h.endTime ? hhmm >= h.startTime && hhmm <= h.endTime : hhmm >= h.startTime || hhmm <= h.endTime;
}

/** Detection rule of a behaviour trigger: 'full' is seen at sensitivity ≥ 1, 'partial' only at ≥ 8. */
export function isDetected(strength: 'full' | 'partial', sensitivity: number): boolean {
  return strength === 'full' ? sensitivity >= 1 : sensitivity >= 8;
}

/** Maps a free-form behaviour reference ("camera-sabotage", "Camera Sabotage", "camerasabotage") to its id. */
export function behaviourId(ref: string): BehaviourId | undefined {
  const norm = ref.toLowerCase().replace(/[^a-z]/g, '');
  return BEHAVIOUR_IDS.find((id) => id.replace(/-/g, '') === norm || BEHAVIOUR_NAMES[id].toLowerCase().replace(/[^a-z]/g, '') === norm);
}
