/**
 * Every assumption the driver makes about real Sarix firmware, in one place (docs/camera.md §4, §8): the data
 * of profile-data.ts compiled to regular expressions, plus the machine-interface endpoints. No field `name` of
 * any camera appears here: fields are matched by their label. A new layout or label wording is added as DATA:
 * a JSON profile file (same shape as `ProfileData`) whose patterns and paths are added to the defaults.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { failure, sub } from '../../../shared/i18n/messages';
import type { SubMessage } from '../../../shared/ipc/result';
import { DEFAULT_PROFILE_DATA, type LabelKey, type ListKey, type MessageKey, type OptionKey, type PageKey, type ProfileData } from './profile-data';

export type { PageKey, ProfileData } from './profile-data';

/** Where one logical page may be and how a person reaches it. */
export interface PageGuide {
  paths: string[];
  /** Each trail: the menu texts clicked in order (e.g. System, General). */
  nav: RegExp[][];
}

/** The compiled firmware assumptions the driver works from. */
export interface FirmwareProfile {
  name: string;
  /** Login form [V3]: path and field names come from third-party code that logs in to real cameras. */
  login: { path: string; usernameField: string; passwordField: string; loginPage: RegExp };
  /** Pages navigation starts from. */
  start: string[];
  pages: Record<PageKey, PageGuide>;
  navWords: RegExp;
  neverFollow: RegExp;
  general: Record<'deviceName' | 'smtpServer' | 'ntpServer', RegExp>;
  source: Record<'name' | 'type' | 'anyAnalytics' | 'behaviours', RegExp> & { typeOptions: Record<'alarm' | 'system' | 'timer' | 'analytics', RegExp> };
  handler: Record<'name' | 'type' | 'to' | 'from' | 'subject' | 'message' | 'jpegSnapshot' | 'rawEventData' | 'sources', RegExp> & {
    typeOptions: Record<'send-email' | 'ftp' | 'sd-card' | 'relay', RegExp>;
  };
  behaviour: Record<'active' | 'sensitivity', RegExp>;
  analyticsProfile: Record<'sceneType' | 'background' | 'fineTuning' | 'sensitivity', RegExp>;
  list: Record<ListKey, RegExp>;
  messages: Record<MessageKey, RegExp>;
  /** Pelco SOAP API [V3]; the element names inside pelcoConfig beyond ntpAddress/gmtOffset/dstOffset are [A]. */
  pelcoSoap: {
    controlPath: (service: string) => string;
    soapAction: (service: string, action: string) => string;
    namespace: (service: string) => string;
    configFields: Readonly<Record<'model' | 'firmware' | 'mac' | 'serial' | 'name' | 'ntp', string>>;
  };
  /** ONVIF device service [V]. */
  onvif: { devicePath: string };
  /** UPnP description paths tried for identity when SOAP and ONVIF say nothing [A]. */
  descriptionPaths: string[];
}

const patterns = z.array(z.string());
/** The shape a profile file must have (unknown keys are refused, so a typo is reported, not ignored). */
export const ProfileDataSchema = z
  .object({
    name: z.string().optional(),
    login: z.object({ path: z.string(), usernameField: z.string(), passwordField: z.string(), loginPage: z.string() }).partial().strict().optional(),
    start: z.array(z.string()).optional(),
    // partialRecord: zod 4's record over an enum demands every key, and a profile file names only the pages it adds to.
    pages: z.partialRecord(z.enum(['general', 'sources', 'handlers', 'analytics']), z.object({ paths: z.array(z.string()).optional(), nav: z.array(z.array(z.string())).optional() }).strict()).optional(),
    navWords: patterns.optional(),
    neverFollow: patterns.optional(),
    labels: z.record(z.string(), patterns).optional(),
    options: z.record(z.string(), patterns).optional(),
    list: z.record(z.string(), patterns).optional(),
    messages: z.record(z.string(), patterns).optional(),
    descriptionPaths: z.array(z.string()).optional(),
  })
  .strict();

function re(sources: readonly string[] | undefined, what: string): RegExp {
  const list = (sources ?? []).filter(Boolean);
  if (!list.length) return /(?!)/;
  try {
    return new RegExp(list.map((s) => `(?:${s})`).join('|'), 'i');
  } catch (e) {
    throw failure('VALIDATION', 'errors.VALIDATION.profilePattern', { what, reason: (e as Error).message });
  }
}

function mergeRecord<T>(a: Partial<Record<string, T[]>> | undefined, b: Partial<Record<string, T[]>> | undefined): Record<string, T[]> {
  const out: Record<string, T[]> = { ...(a as Record<string, T[]>) };
  for (const [k, v] of Object.entries(b ?? {})) out[k] = [...(v ?? []), ...(out[k] ?? [])];
  return out;
}

/** Adds an extra profile's paths and patterns to a base profile (the extra's guesses are tried first). */
export function mergeProfileData(base: ProfileData, extra: ProfileData): ProfileData {
  const pages: ProfileData['pages'] = { ...base.pages };
  for (const [k, v] of Object.entries(extra.pages ?? {}) as [PageKey, { paths?: string[]; nav?: string[][] }][]) {
    pages[k] = { paths: [...(v.paths ?? []), ...(pages[k]?.paths ?? [])], nav: [...(v.nav ?? []), ...(pages[k]?.nav ?? [])] };
  }
  return {
    name: extra.name ? `${base.name ?? 'default'}+${extra.name}` : base.name,
    login: { ...base.login, ...extra.login },
    start: [...(extra.start ?? []), ...(base.start ?? [])],
    pages,
    navWords: [...(extra.navWords ?? []), ...(base.navWords ?? [])],
    neverFollow: [...(base.neverFollow ?? []), ...(extra.neverFollow ?? [])],
    labels: mergeRecord(base.labels, extra.labels),
    options: mergeRecord(base.options, extra.options),
    list: mergeRecord(base.list, extra.list),
    messages: mergeRecord(base.messages, extra.messages),
    descriptionPaths: [...(extra.descriptionPaths ?? []), ...(base.descriptionPaths ?? [])],
  };
}

/** Compiles profile data into the regular expressions the driver uses. */
export function compileProfile(d: ProfileData): FirmwareProfile {
  const L = (k: LabelKey) => re(d.labels?.[k], `label ${k}`);
  const O = (k: OptionKey) => re(d.options?.[k], `option ${k}`);
  const page = (k: PageKey): PageGuide => ({ paths: d.pages?.[k]?.paths ?? [], nav: (d.pages?.[k]?.nav ?? []).map((trail) => trail.map((t) => re([t], `navigation to ${k}`))) });
  const list = {} as Record<ListKey, RegExp>;
  for (const k of ['edit', 'delete', 'confirm', 'addSource', 'addHandler', 'nameColumn', 'typeColumn', 'sourcesColumn', 'behaviourColumn', 'statusColumn', 'sensitivityColumn', 'activeStatus'] as const) list[k] = re(d.list?.[k], `list ${k}`);
  const messages = {} as Record<MessageKey, RegExp>;
  for (const k of ['failure', 'success', 'tokenRefused', 'errorMarker', 'successMarker', 'handlerLimit', 'processingPower'] as const) messages[k] = re(d.messages?.[k], `message ${k}`);
  return {
    name: d.name ?? 'custom',
    login: {
      path: d.login?.path ?? '/auth/validate',
      usernameField: d.login?.usernameField ?? 'username',
      passwordField: d.login?.passwordField ?? 'password',
      loginPage: re([d.login?.loginPage ?? '^/login$'], 'the login page'),
    },
    start: d.start ?? ['/'],
    pages: { general: page('general'), sources: page('sources'), handlers: page('handlers'), analytics: page('analytics') },
    navWords: re(d.navWords, 'navigation words'),
    neverFollow: re(d.neverFollow, 'links never followed'),
    general: { deviceName: L('general.deviceName'), smtpServer: L('general.smtpServer'), ntpServer: L('general.ntpServer') },
    source: {
      name: L('source.name'),
      type: L('source.type'),
      anyAnalytics: L('source.anyAnalytics'),
      behaviours: L('source.behaviours'),
      typeOptions: { alarm: O('sourceType.alarm'), system: O('sourceType.system'), timer: O('sourceType.timer'), analytics: O('sourceType.analytics') },
    },
    handler: {
      name: L('handler.name'),
      type: L('handler.type'),
      to: L('handler.to'),
      from: L('handler.from'),
      subject: L('handler.subject'),
      message: L('handler.message'),
      jpegSnapshot: L('handler.jpegSnapshot'),
      rawEventData: L('handler.rawEventData'),
      sources: L('handler.sources'),
      typeOptions: { 'send-email': O('handlerType.send-email'), ftp: O('handlerType.ftp'), 'sd-card': O('handlerType.sd-card'), relay: O('handlerType.relay') },
    },
    behaviour: { active: L('behaviour.active'), sensitivity: L('behaviour.sensitivity') },
    analyticsProfile: { sceneType: L('profile.sceneType'), background: L('profile.background'), fineTuning: L('profile.fineTuning'), sensitivity: L('profile.sensitivity') },
    list,
    messages,
    pelcoSoap: {
      configFields: { model: 'modelName', firmware: 'firmwareVersion', mac: 'macAddress', serial: 'serialNumber', name: 'friendlyName', ntp: 'ntpAddress' },
      controlPath: (service) => `/control/${service}-1`,
      soapAction: (service, action) => `"urn:schemas-pelco-com:service:${service}:1#${action}"`,
      namespace: (service) => `urn:schemas-pelco-com:service:${service}:1`,
    },
    onvif: { devicePath: '/onvif/device_service' },
    descriptionPaths: d.descriptionPaths ?? [],
  };
}

/** The default profile: docs/camera.md as written. */
export const SARIX_PROFILE: FirmwareProfile = compileProfile(DEFAULT_PROFILE_DATA);

/** Validates profile data (a parsed JSON file) and returns the default profile with it added. */
export function profileFromData(data: unknown, where: SubMessage = sub('driver.profileWhere.data')): FirmwareProfile {
  const r = ProfileDataSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0];
    throw failure('VALIDATION', 'errors.VALIDATION.notProfile', { where, path: i?.path.join('.') || '(top)', problem: String(i?.message) });
  }
  return compileProfile(mergeProfileData(DEFAULT_PROFILE_DATA, r.data as ProfileData));
}

/** Reads a JSON profile file and returns the default profile with its patterns and paths added. */
export async function loadProfileFile(file: string): Promise<FirmwareProfile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const isMissing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw failure('NOT_FOUND', isMissing ? 'errors.NOT_FOUND.profileMissing' : 'errors.NOT_FOUND.profileUnreadable', { file, reason: (e as Error).message });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw failure('VALIDATION', 'errors.VALIDATION.profileJson', { file, reason: (e as Error).message });
  }
  return profileFromData(json, sub('driver.profileWhere.file', { file }));
}
