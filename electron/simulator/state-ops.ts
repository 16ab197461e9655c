/**
 * What a save does to the camera's state, whatever the page looked like (docs/camera.md §4): the posted values
 * (by field key) replace the whole object, a value left out goes back to its factory default, and the firmware
 * rules (state.ts) refuse what the camera refuses, with the camera's error text. The classic pages and every
 * seeded variant call these, so they all keep the same rules.
 */
import { bool, list, num, str, type FormValues } from './forms';
import { SIM_ERRORS, checkBehaviour, checkGeneral, checkHandler, checkSource, defaultBehaviour, defaultGeneral, defaultHandler, defaultProfile, defaultSource, isSensitivity } from './state';
import type { BehaviourId, SimHandler, SimSource, SimState } from './types';

/** The camera state a save changes. */
export interface OpContext {
  readonly state: SimState;
  readonly defaultDeviceName: string;
  readonly maxActiveBehaviours: number;
  /** Called after any settings change (timers follow the sources). */
  changed(): void;
}

/** An operation's answer: nothing (saved), the camera's error text, or "that item no longer exists". */
export type OpResult = { error?: string; notFound?: boolean };

/** System > General. */
export function saveGeneralValues(ctx: OpContext, values: FormValues): OpResult {
  const d = defaultGeneral(ctx.defaultDeviceName);
  const next = {
    deviceName: str(values, 'deviceName', d.deviceName),
    smtpServer: str(values, 'smtpServer', d.smtpServer),
    ntpServer: str(values, 'ntpServer', d.ntpServer),
    timeZone: str(values, 'timeZone', d.timeZone),
    nameOverlay: bool(values, 'nameOverlay'),
    dateOverlay: bool(values, 'dateOverlay'),
    overlayPosition: str(values, 'overlayPosition', d.overlayPosition) as typeof d.overlayPosition,
  };
  const error = checkGeneral(next);
  if (error) return { error };
  ctx.state.general = next;
  ctx.changed();
  return {};
}

/** Creates (orig null) or replaces a source; a rename carries over to the handlers that list it. */
export function saveSourceValues(ctx: OpContext, values: FormValues, orig: string | null): OpResult {
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
  const st = ctx.state;
  if (orig !== null && !st.sources.some((o) => o.name === orig)) return { notFound: true, error: SIM_ERRORS.notFound('Source') };
  const error = checkSource(st, next, orig ?? undefined);
  if (error) return { error };
  if (orig === null) st.sources.push(next);
  else {
    st.sources = st.sources.map((o) => (o.name === orig ? next : o));
    if (orig !== next.name) for (const h of st.handlers) h.sources = h.sources.map((n) => (n === orig ? next.name : n));
  }
  ctx.changed();
  return {};
}

/** Deletes a source (refused while a handler lists it). */
export function deleteSourceByName(ctx: OpContext, name: string): OpResult {
  const st = ctx.state;
  if (!st.sources.some((o) => o.name === name)) return { notFound: true, error: SIM_ERRORS.notFound('Source') };
  const user = st.handlers.find((h) => h.sources.includes(name));
  if (user) return { error: SIM_ERRORS.sourceInUse(name, user.name) };
  st.sources = st.sources.filter((o) => o.name !== name);
  ctx.changed();
  return {};
}

/** Creates (orig null) or replaces a handler (the 21st is refused; its sources must exist). */
export function saveHandlerValues(ctx: OpContext, values: FormValues, orig: string | null): OpResult {
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
  const st = ctx.state;
  if (orig !== null && !st.handlers.some((o) => o.name === orig)) return { notFound: true, error: SIM_ERRORS.notFound('Handler') };
  const error = checkHandler(st, next, orig ?? undefined);
  if (error) return { error };
  if (orig === null) st.handlers.push(next);
  else st.handlers = st.handlers.map((o) => (o.name === orig ? next : o));
  ctx.changed();
  return {};
}

/** Deletes a handler. */
export function deleteHandlerByName(ctx: OpContext, name: string): OpResult {
  const st = ctx.state;
  if (!st.handlers.some((o) => o.name === name)) return { notFound: true, error: SIM_ERRORS.notFound('Handler') };
  st.handlers = st.handlers.filter((o) => o.name !== name);
  ctx.changed();
  return {};
}

/** The analytics profile (sensitivity 1–10). */
export function saveProfileValues(ctx: OpContext, values: FormValues): OpResult {
  const d = defaultProfile();
  const next = {
    sceneType: str(values, 'sceneType', d.sceneType) as typeof d.sceneType,
    background: str(values, 'background', d.background) as typeof d.background,
    fineTuning: str(values, 'fineTuning', d.fineTuning) as typeof d.fineTuning,
    sensitivity: num(values, 'sensitivity', d.sensitivity),
  };
  if (!isSensitivity(next.sensitivity)) return { error: SIM_ERRORS.sensitivity };
  ctx.state.analytics.profile = next;
  ctx.changed();
  return {};
}

/** One behaviour (sensitivity 1–10; "not enough processing power" past the active limit). */
export function saveBehaviourValues(ctx: OpContext, id: BehaviourId, values: FormValues): OpResult {
  const d = defaultBehaviour();
  const next = { active: bool(values, 'active'), sensitivity: num(values, 'sensitivity', d.sensitivity) };
  const error = checkBehaviour(ctx.state, id, next, ctx.maxActiveBehaviours);
  if (error) return { error };
  ctx.state.analytics.behaviours[id] = next;
  ctx.changed();
  return {};
}
