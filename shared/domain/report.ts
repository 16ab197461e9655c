/**
 * The hand-over report: the evidence that each camera's e-mail notification works, shaped from the site journal.
 * One model (the JSON report) feeds every format (PDF, HTML, CSV, the VMS import CSV), so all of them say the same
 * thing. Pure: no node:*, no I/O; the service in electron/services/report renders and writes the files.
 */
// Long on purpose: the report model (zod), its one builder (buildReport, split into indexJournal, historyOf, verdictOf, clockOf, reportCamera, cameraItems and activityOf) and the CSV layouts drawn from it are imported from this module by the report service, its PDF and HTML renderers, the journal recorder and the Report page; the mail-server part is report-mail-servers.ts.
import { z } from 'zod';
import { isVulnerableFirmware, FIRST_PATCHED_FIRMWARE, SENSITIVITY_MAX } from './camera';
import { CLOCK_WARN_MS, formatOffset } from './diagnostics';
import { FIRMWARE_CVES } from './discovery';
import {
  EvidencePictureSchema,
  ItemOwnerSchema,
  RelaySetupSchema,
  SiteDetailsSchema,
  type ItemOwner,
  type JournalEntry,
  type JournalEntryOf,
  type RelaySetup,
  type SiteDetails,
} from './site-journal';
import { ChangeValueSchema, StepStatusSchema } from './commissioning';
import { TranscriptLineSchema } from './relay';
import { mailServersSection, ReportMailServersSchema } from './report-mail-servers';

/** The files the Report page can save, one per save. */
export const ReportSaveFormatSchema = z.enum(['pdf', 'html', 'csv', 'vms-csv', 'json']);
/** One file the Report page can save. */
export type ReportSaveFormat = z.infer<typeof ReportSaveFormatSchema>;

/** The formats the generator writes. */
export const REPORT_FORMATS = ['pdf', 'html', 'csv', 'json'] as const;
/** One report format. */
export const ReportFormatSchema = z.enum(REPORT_FORMATS);
/** One report format. */
export type ReportFormat = z.infer<typeof ReportFormatSchema>;

/** A camera's verdict in the report. */
export const CameraVerdictSchema = z.enum(['pass', 'fail', 'skipped']);
/** A camera's verdict in the report. */
export type CameraVerdict = z.infer<typeof CameraVerdictSchema>;

/** One camera in the report. */
export const ReportCameraSchema = z.object({
  /** The MAC (upper case, colons), or the camera URL when the MAC was never read. */
  key: z.string(),
  name: z.string(),
  /** The label given in the batch file or the wizard (often the location). */
  location: z.string(),
  model: z.string(),
  mac: z.string(),
  ip: z.string(),
  url: z.string(),
  firmware: z.string(),
  /** Set when the firmware reads older than the first release without known vulnerabilities. */
  firmwareWarning: z.string().optional(),
  clock: z.object({
    /** Camera clock minus the reference, ms; absent when never measured. */
    offsetMs: z.number().optional(),
    reference: z.enum(['ntp', 'laptop', 'none']),
    /** How it was measured, in words. */
    text: z.string(),
  }),
  smtpServer: z.string(),
  ntpServer: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  sourceName: z.string(),
  handlerName: z.string(),
  behaviour: z.string(),
  sensitivityBefore: z.number().optional(),
  sensitivityLeft: z.number().optional(),
  sensitivityWarning: z.string().optional(),
  test: z
    .object({
      eventAt: z.string(),
      receivedAt: z.string(),
      latencyMs: z.number(),
      messageId: z.string(),
      relayMessageId: z.string(),
      snapshot: EvidencePictureSchema.extend({ file: z.string() }).optional(),
    })
    .optional(),
  /** Present when the relay forwarded (or was to forward) the test e-mail upstream. */
  forwarding: z.object({ outcome: z.enum(['queued', 'delivered', 'expired']), attempts: z.number().int(), lastError: z.string().optional(), text: z.string() }).optional(),
  verdict: CameraVerdictSchema,
  /** One line: why this verdict. */
  verdictText: z.string(),
  /** When the last commissioning of this camera ended, and who ran it. */
  commissionedAt: z.string().optional(),
  commissionedBy: z.string().optional(),
  attempts: z.number().int(),
});
/** One camera in the report. */
export type ReportCamera = z.infer<typeof ReportCameraSchema>;

/** A deviation from the plan or an item still to do, with who owns it. */
export const ReportItemSchema = z.object({
  kind: z.enum(['deviation', 'open-item']),
  text: z.string(),
  owner: ItemOwnerSchema,
  ownerName: z.string(),
  camera: z.string().optional(),
});
/** A deviation or open item. */
export type ReportItem = z.infer<typeof ReportItemSchema>;

/** The hand-over report (the JSON format; every other format is drawn from it). */
export const HandOverReportSchema = z.object({
  format: z.literal('sarix-handover-report'),
  version: z.literal(1),
  reportId: z.string(),
  generatedAt: z.string(),
  /** The generation time in the technician's zone, for people (e.g. `2026-11-29 14:05:09 UTC+01:00 (Europe/Berlin)`). */
  generatedAtLocal: z.string(),
  timeZone: z.string(),
  appVersion: z.string(),
  site: SiteDetailsSchema,
  summary: z.object({ found: z.number().int(), commissioned: z.number().int(), passed: z.number().int(), failed: z.number().int(), skipped: z.number().int(), openItems: z.number().int() }),
  cameras: z.array(ReportCameraSchema),
  relay: RelaySetupSchema.nullable(),
  /** The site's own mail servers as the latest mail-server search found them (part of the relay section); null: no search on record. */
  mailServers: ReportMailServersSchema.nullable().default(null),
  items: z.array(ReportItemSchema),
  backups: z.array(z.object({ camera: z.string(), mac: z.string(), url: z.string(), file: z.string(), sha256: z.string(), takenAt: z.string(), rollback: z.string() })),
  changeLog: z.array(z.object({ at: z.string(), by: z.string(), camera: z.string(), step: z.string(), field: z.string(), from: ChangeValueSchema, to: ChangeValueSchema, status: StepStatusSchema })),
  transcripts: z.array(z.object({ camera: z.string(), at: z.string(), sessionId: z.string(), clientIp: z.string(), lines: z.array(TranscriptLineSchema) })),
  activity: z.array(z.object({ at: z.string(), by: z.string(), what: z.string(), camera: z.string(), outcome: z.string() })),
  journal: z.object({ entries: z.number().int(), unreadableLines: z.number().int(), firstAt: z.string().optional(), lastAt: z.string().optional() }),
});
/** The hand-over report. */
export type HandOverReport = z.infer<typeof HandOverReportSchema>;

/** What buildReport needs besides the journal. */
export interface ReportMeta {
  reportId: string;
  /** ISO time of generation. */
  generatedAt: string;
  /** IANA zone the report's times are shown in (e.g. Europe/Berlin). */
  timeZone: string;
  appVersion: string;
}

/** What buildReport reads. */
export interface ReportInput {
  entries: readonly JournalEntry[];
  /** The site details (the newest `site` entry, or Settings). */
  site: SiteDetails;
  /** The relay as it is now, when this host runs it; else the newest `relay` entry is used. */
  relay?: RelaySetup;
  /** Lines of the journal that could not be read (a torn last line after a crash). */
  unreadableLines?: number;
  meta: ReportMeta;
}

/** Normalises a MAC to upper-case colon form; other text is returned trimmed. */
export function macKey(mac: string): string {
  const hex = mac.replace(/[^0-9a-f]/gi, '');
  return hex.length === 12 ? hex.toUpperCase().match(/../g)!.join(':') : mac.trim();
}

/** Scheme, host (IPv6 brackets removed) and port of a camera URL, parsed by hand (shared/ has no URL global). */
export function urlParts(url: string): { scheme: string; host: string; port?: number } {
  const m = /^(?:([a-z][a-z0-9+.-]*):\/\/)?(?:[^@/]*@)?(\[[^\]]+\]|[^\s/:?#]+)(?::(\d{1,5}))?/i.exec(url.trim());
  if (!m) return { scheme: 'http', host: url.trim() };
  return { scheme: (m[1] ?? 'http').toLowerCase(), host: m[2].replace(/^\[(.*)\]$/, '$1'), ...(m[3] ? { port: Number(m[3]) } : {}) };
}

/** The host part of a camera URL (IPv6 brackets removed), or the text itself. */
export function hostOf(url: string): string {
  return urlParts(url).host;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/**
 * An ISO time as people read it in a given zone, with the offset spelled out so the printed time is unambiguous
 * on paper: `2026-11-29 14:05:09 UTC+01:00 (Europe/Berlin)`. An unknown zone falls back to UTC.
 */
export function formatLocalTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  let zone = timeZone;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' }).formatToParts(d);
  } catch {
    zone = 'UTC';
    parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' }).formatToParts(d);
  }
  const p = (t: string) => parts.find((x) => x.type === t)?.value ?? '';
  const offset = p('timeZoneName').replace(/^GMT$/, 'GMT+00:00').replace(/^GMT/, 'UTC');
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}:${p('second')} ${offset} (${zone})`;
}

/** A local time with its offset, without the zone name: `2026-11-29 14:05:09 UTC+01:00`. */
export function formatZonedTime(iso: string, timeZone: string): string {
  return formatLocalTime(iso, timeZone).replace(/ \([^)]*\)$/, '');
}

/** A short local time for tables: `2026-11-29 14:05:09`. */
export function formatShortTime(iso: string, timeZone: string): string {
  const full = formatLocalTime(iso, timeZone);
  return full.split(' ').slice(0, 2).join(' ');
}

/** A change value for people: lists joined, empty shown as "(empty)", absent as "(none)". */
export function showValue(v: z.infer<typeof ChangeValueSchema>): string {
  if (v === null) return '(none)';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '(empty list)';
  if (v === '') return '(empty)';
  return String(v);
}

/** A report id: `SRX-YYYYMMDD-` and 8 hex digits (the caller supplies the randomness). */
export function makeReportId(generatedAt: string, hex8: string): string {
  const d = new Date(generatedAt);
  return `SRX-${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${hex8.slice(0, 8).toUpperCase()}`;
}

/** The file name a camera's snapshot gets in the report folder. */
export function snapshotFileName(key: string): string {
  return `snapshots/${key.replace(/[^0-9A-Za-z]+/g, '-').replace(/^-|-$/g, '') || 'camera'}.jpg`;
}

interface CameraAcc {
  key: string;
  found?: JournalEntryOf<'found'>;
  runs: JournalEntryOf<'commissioning'>[];
  /** Test runs on their own (the wizard's test step, each "Try again"). */
  tests: JournalEntryOf<'test'>[];
  rollbacks: JournalEntryOf<'rollback'>[];
  doctor?: JournalEntryOf<'doctor'>;
  url: string;
  ip: string;
}

function ownerName(site: SiteDetails, owner: ItemOwner): string {
  const n = owner === 'technician' ? site.technician : owner === 'integrator' ? site.integrator : site.customer;
  return n || { technician: 'the technician', integrator: 'the integrator', customer: 'the customer' }[owner];
}

/** The rollback command for a backup (the password is asked for through the environment, never printed). */
export function rollbackCommand(url: string, file: string): string {
  return `SARIX_CAMERA_PASSWORD=... sarix rollback --camera ${url} --username USER --backup "${file}"`;
}

/** The journal sorted by camera (MAC, else address, else URL), plus the site-wide facts the cameras need. */
interface JournalIndex {
  cams: Map<string, CameraAcc>;
  /** Camera key by IP (a rollback or doctor run names the camera by URL). */
  byIp: Map<string, string>;
  forwards: Map<string, JournalEntryOf<'forward'>>;
  notes: JournalEntryOf<'note'>[];
  /** Ids of notes closed by a later note. */
  closed: Set<string>;
  lastRelay?: RelaySetup;
  lastMailServers?: JournalEntryOf<'mail-servers'>;
  /** This laptop's clock against NTP, from the newest doctor run that measured it. */
  laptopVsNtp?: number;
}

/** Sorts the journal's entries by camera and picks the site-wide facts (relay, mail servers, notes, forwards). */
function indexJournal(entries: readonly JournalEntry[]): JournalIndex {
  const j: JournalIndex = { cams: new Map(), byIp: new Map(), forwards: new Map(), notes: [], closed: new Set() };
  const acc = (key: string, url: string, ip: string): CameraAcc => {
    let c = j.cams.get(key);
    if (!c) {
      c = { key, runs: [], tests: [], rollbacks: [], url, ip };
      j.cams.set(key, c);
    }
    if (url) c.url = url;
    if (ip) {
      c.ip = ip;
      j.byIp.set(ip, key);
    }
    return c;
  };
  for (const e of entries) {
    switch (e.kind) {
      case 'found':
        acc(macKey(e.camera.mac), '', e.camera.ip).found = e;
        break;
      case 'commissioning': {
        const key = e.camera ? macKey(e.camera.mac) : e.url;
        acc(key, e.url, e.camera?.ip ?? hostOf(e.url)).runs.push(e);
        break;
      }
      case 'test': {
        const key = e.camera ? macKey(e.camera.mac) : (j.byIp.get(hostOf(e.url)) ?? e.url);
        acc(key, e.url, e.camera?.ip ?? hostOf(e.url)).tests.push(e);
        break;
      }
      case 'rollback':
        acc(e.mac ? macKey(e.mac) : (j.byIp.get(hostOf(e.url)) ?? e.url), e.url, hostOf(e.url)).rollbacks.push(e);
        break;
      case 'doctor': {
        if (e.laptopVsNtpMs !== undefined) j.laptopVsNtp = e.laptopVsNtpMs;
        if (!e.cameraUrl && !e.cameraMac) break;
        const key = e.cameraMac ? macKey(e.cameraMac) : (j.byIp.get(hostOf(e.cameraUrl!)) ?? e.cameraUrl!);
        acc(key, e.cameraUrl ?? '', e.cameraUrl ? hostOf(e.cameraUrl) : '').doctor = e;
        break;
      }
      case 'forward':
        j.forwards.set(e.relayMessageId, e);
        break;
      case 'relay':
        j.lastRelay = e.relay;
        break;
      case 'mail-servers':
        // The latest search stands; a cancelled one only when no complete search came before it.
        if (!e.isCancelled || !j.lastMailServers || j.lastMailServers.isCancelled) j.lastMailServers = e;
        break;
      case 'note':
        if (e.closes) j.closed.add(e.closes);
        else j.notes.push(e);
        break;
      case 'site':
        break;
    }
  }
  return j;
}

/** What one camera's history says: its runs, the newest real one, a rollback after it, and later tests on their own. */
interface CameraHistory {
  /** Commissionings that changed the camera (dry runs left out), oldest first. */
  real: JournalEntryOf<'commissioning'>[];
  last?: JournalEntryOf<'commissioning'>;
  lastAny?: JournalEntryOf<'commissioning'>;
  rollbackAfter?: JournalEntryOf<'rollback'>;
  /** The newest test run on its own after `last` that ended (a wizard's runs before its end belong to its commissioning). */
  newestTest?: JournalEntryOf<'test'>;
  /** The test e-mail that proves mail arrives: the newest passing run on its own after `last`, else `last`'s test. */
  evidence?: JournalEntryOf<'commissioning'>['test'];
}

function historyOf(c: CameraAcc): CameraHistory {
  const real = c.runs.filter((r) => r.verdict !== 'planned');
  const last = real[real.length - 1];
  const lastAny = c.runs[c.runs.length - 1];
  const rollbackAfter = last ? c.rollbacks.filter((r) => r.at >= last.at && !r.error).pop() : undefined;
  const laterTests = c.tests.filter((t) => t.verdict !== 'stopped' && (!last || t.at > last.at));
  const laterPass = [...laterTests].reverse().find((t) => t.verdict === 'pass' && t.test);
  return { real, last, lastAny, rollbackAfter, newestTest: laterTests[laterTests.length - 1], evidence: laterPass?.test ?? last?.test };
}

/** A test run on its own, in one sentence. */
function testRunText(t: JournalEntryOf<'test'>, tz: string): string {
  return t.verdict === 'pass'
    ? `Test e-mail received after ${((t.test?.latencyMs ?? t.latencyMs ?? 0) / 1000).toFixed(1)} s in a test run on its own (${formatShortTime(t.at, tz)}).`
    : `The test run of ${formatShortTime(t.at, tz)} got no e-mail${t.cause ? `: ${t.cause}` : '.'}`;
}

/** The verdict: the newest real commissioning decides, a rollback after it undoes it, a later test run says whether mail arrives now. */
function verdictOf(h: CameraHistory, tz: string): { verdict: CameraVerdict; verdictText: string } {
  const { last, lastAny, rollbackAfter, newestTest } = h;
  if (!last && newestTest) {
    // Tested, but no commissioning ended (the wizard was left before its safe end).
    return { verdict: newestTest.verdict === 'pass' ? 'skipped' : 'fail', verdictText: `${testRunText(newestTest, tz)}${newestTest.verdict === 'pass' ? ' No finished commissioning on record.' : ''}` };
  }
  if (!last) return { verdict: 'skipped', verdictText: lastAny ? 'Only a dry run (no change made).' : 'Found, not commissioned.' };
  if (rollbackAfter) return { verdict: 'skipped', verdictText: `Rolled back from its backup on ${formatShortTime(rollbackAfter.at, tz)}${rollbackAfter.verified ? ' (verified)' : ' (NOT verified)'}.` };
  if (last.verdict === 'fail') return { verdict: 'fail', verdictText: `${last.error?.message ?? 'Commissioning failed.'}` };
  if (newestTest) return { verdict: newestTest.verdict === 'pass' ? 'pass' : 'fail', verdictText: testRunText(newestTest, tz) };
  if (!last.tested || !last.test) return { verdict: 'skipped', verdictText: 'Set up without the test e-mail: no evidence that mail arrives.' };
  return { verdict: 'pass', verdictText: `Test e-mail received after ${(last.test.latencyMs / 1000).toFixed(1)} s.` };
}

/** Clock: the newest doctor run of this camera, else the test e-mail's Date header against the relay's clock. */
function clockOf(c: CameraAcc, evidence: CameraHistory['evidence'], laptopVsNtp: number | undefined, tz: string): ReportCamera['clock'] {
  const d = c.doctor;
  const ntpFix = d?.laptopVsNtpMs ?? laptopVsNtp;
  if (d?.cameraVsLaptopMs !== undefined) {
    return ntpFix !== undefined
      ? { offsetMs: d.cameraVsLaptopMs + ntpFix, reference: 'ntp', text: `${formatOffset(d.cameraVsLaptopMs + ntpFix)} against NTP (doctor run ${formatShortTime(d.at, tz)})` }
      : { offsetMs: d.cameraVsLaptopMs, reference: 'laptop', text: `${formatOffset(d.cameraVsLaptopMs)} against this laptop (doctor run ${formatShortTime(d.at, tz)}; the laptop was not checked against NTP)` };
  }
  if (evidence?.dateHeader) {
    const off = Date.parse(evidence.dateHeader) - Date.parse(evidence.receivedAt);
    return ntpFix !== undefined
      ? { offsetMs: off + ntpFix, reference: 'ntp', text: `${formatOffset(off + ntpFix)} against NTP (the test e-mail's Date header, ±1 s)` }
      : { offsetMs: off, reference: 'laptop', text: `${formatOffset(off)} against this laptop (the test e-mail's Date header, ±1 s; the laptop was not checked against NTP)` };
  }
  return { reference: 'none', text: 'Not measured: run Troubleshoot (sarix doctor) on this camera with the NTP server.' };
}

/** How far the relay got forwarding the test e-mail upstream, in words. */
function forwardingOf(fwd: JournalEntryOf<'forward'> | undefined, relay: RelaySetup | null): ReportCamera['forwarding'] {
  if (!fwd) return undefined;
  const text =
    fwd.outcome === 'delivered'
      ? `Accepted by the upstream server${relay?.forward ? ` ${relay.forward.host}` : ''}${fwd.attempts > 1 ? ` after ${fwd.attempts} attempts` : ''}.`
      : fwd.outcome === 'queued'
        ? `Still queued after ${fwd.attempts} attempt${fwd.attempts === 1 ? '' : 's'}${fwd.lastError ? `: ${fwd.lastError}` : ''}.`
        : `Given up after ${fwd.attempts} attempts${fwd.lastError ? `: ${fwd.lastError}` : ''}.`;
  return { outcome: fwd.outcome, attempts: fwd.attempts, ...(fwd.lastError ? { lastError: fwd.lastError } : {}), text };
}

/** One camera of the report, from its history. */
function reportCamera(c: CameraAcc, h: CameraHistory, j: JournalIndex, relay: RelaySetup | null, tz: string): ReportCamera {
  const { last, lastAny, evidence: test } = h;
  const lastTested = c.tests[c.tests.length - 1];
  const id = last?.camera ?? lastAny?.camera ?? lastTested?.camera;
  const f = c.found?.camera;
  const firmware = id?.firmware || f?.firmware || '';
  const settings = last?.settings ?? lastAny?.settings;
  const left = last?.sensitivityLeft;
  const sensitivityWarning = left === SENSITIVITY_MAX ? `Camera Sabotage was left at sensitivity ${SENSITIVITY_MAX}, the test value: expect false alarms.` : undefined;
  const firmwareWarning = firmware && isVulnerableFirmware(firmware) ? `Firmware ${firmware} is older than ${FIRST_PATCHED_FIRMWARE} and has known vulnerabilities (${FIRMWARE_CVES.join(', ')}).` : undefined;
  const forwarding = forwardingOf(test ? j.forwards.get(test.relayMessageId) : undefined, relay);
  return {
    key: c.key,
    name: id?.name || f?.name || '',
    location: last?.label ?? lastAny?.label ?? lastTested?.label ?? '',
    model: id?.model || f?.model || '',
    mac: id?.mac ? macKey(id.mac) : f?.mac ? macKey(f.mac) : '',
    ip: c.ip,
    url: c.url,
    firmware,
    ...(firmwareWarning ? { firmwareWarning } : {}),
    clock: clockOf(c, test, j.laptopVsNtp, tz),
    smtpServer: settings?.smtpServer ?? '',
    ntpServer: settings?.ntpServer ?? '',
    from: settings?.from ?? '',
    to: settings?.to ?? '',
    subject: settings?.subject ?? '',
    sourceName: settings?.sourceName ?? '',
    handlerName: settings?.handlerName ?? '',
    behaviour: settings?.behaviour ?? '',
    ...(last?.sensitivityBefore !== undefined ? { sensitivityBefore: last.sensitivityBefore } : {}),
    ...(left !== undefined ? { sensitivityLeft: left } : {}),
    ...(sensitivityWarning ? { sensitivityWarning } : {}),
    ...(test
      ? {
          test: {
            eventAt: test.eventAt,
            receivedAt: test.receivedAt,
            latencyMs: test.latencyMs,
            messageId: test.messageId,
            relayMessageId: test.relayMessageId,
            ...(test.snapshot ? { snapshot: { ...test.snapshot, file: snapshotFileName(c.key) } } : {}),
          },
        }
      : {}),
    ...(forwarding ? { forwarding } : {}),
    ...verdictOf(h, tz),
    ...(last ? { commissionedAt: last.at, commissionedBy: last.by } : {}),
    attempts: h.real.length,
  };
}

/** The deviations and open items of one camera: [kind, owner, text]. */
function cameraItems(r: ReportCamera, c: CameraAcc, h: CameraHistory): Array<[ReportItem['kind'], ItemOwner, string]> {
  const { last, lastAny, rollbackAfter, newestTest } = h;
  const out: Array<[ReportItem['kind'], ItemOwner, string]> = [];
  const { verdict, verdictText, clock, forwarding } = r;
  if (verdict === 'fail' && newestTest) out.push(['open-item', 'technician', `Test failed: ${verdictText} Fix the cause and test again.`]);
  else if (verdict === 'fail') out.push(['open-item', 'technician', `Commissioning failed: ${verdictText} Fix the cause and commission again.`]);
  if (verdict === 'skipped' && !last && newestTest) out.push(['open-item', 'technician', 'Tested, but the commissioning was not finished: end it in the wizard (scene sensitivity and final SMTP server).']);
  else if (verdict === 'skipped' && !last) out.push(['open-item', 'technician', lastAny ? 'Only a dry run was made: commission the camera.' : 'Found on the site but not commissioned.']);
  if (verdict === 'skipped' && last && !rollbackAfter && !newestTest) out.push(['deviation', 'technician', 'Commissioned without the test e-mail: trigger Camera Sabotage and confirm the mail arrives.']);
  if (rollbackAfter) out.push(['deviation', 'technician', `Rolled back to its state before commissioning${rollbackAfter.verified ? '' : `, but it does not read back as the backup (${rollbackAfter.differences.join('; ')})`}: it sends no notification.`]);
  if (last?.verdict === 'fail' && !last.rolledBack && last.backup) out.push(['open-item', 'technician', `Undoing the failed run did not complete: restore the backup (${rollbackCommand(c.url, last.backup.file)}).`]);
  if (r.sensitivityWarning) out.push(['deviation', 'technician', `${r.sensitivityWarning} Set the sensitivity the scene needs.`]);
  if (r.firmwareWarning) out.push(['open-item', 'integrator', `${r.firmwareWarning} Plan a firmware update from Pelco; until then keep the camera off untrusted networks.`]);
  if (clock.offsetMs !== undefined && Math.abs(clock.offsetMs) > CLOCK_WARN_MS) out.push(['open-item', 'integrator', `The camera clock is ${formatOffset(clock.offsetMs)} off: check its NTP server (e-mail timestamps are wrong).`]);
  if (clock.reference === 'none' && verdict === 'pass') out.push(['open-item', 'technician', 'Clock offset not measured: run Troubleshoot on this camera with the NTP server.']);
  if (forwarding && forwarding.outcome !== 'delivered') out.push(['open-item', 'integrator', `Forwarding of the test e-mail: ${forwarding.text} Check the upstream login and the network.`]);
  return out;
}

/** The activity appendix: every commissioning, test run, rollback, mail-server search and doctor run, in journal order. */
function activityOf(entries: readonly JournalEntry[], cameras: readonly ReportCamera[], byIp: ReadonlyMap<string, string>): HandOverReport['activity'] {
  const activity: HandOverReport['activity'] = [];
  const camName = (key: string) => {
    const c = cameras.find((x) => x.key === key);
    return c ? c.location || c.name || c.ip : key;
  };
  for (const e of entries) {
    if (e.kind === 'commissioning') activity.push({ at: e.at, by: e.by, what: e.verdict === 'planned' ? 'Dry run' : e.tested ? 'Commissioning with test' : 'Commissioning without test', camera: camName(e.camera ? macKey(e.camera.mac) : e.url), outcome: e.verdict === 'planned' ? 'planned' : e.verdict === 'pass' ? 'pass' : `fail${e.rolledBack ? ' (rolled back)' : ''}` });
    else if (e.kind === 'test')
      activity.push({
        at: e.at,
        by: e.by,
        what: `Test e-mail (${e.origin}, run ${e.attempt})`,
        camera: camName(e.camera ? macKey(e.camera.mac) : (byIp.get(hostOf(e.url)) ?? e.url)),
        outcome: e.verdict === 'pass' ? `pass (${((e.test?.latencyMs ?? e.latencyMs ?? 0) / 1000).toFixed(1)} s)` : e.verdict === 'fail' ? `fail${e.cause ? `: ${e.cause}` : ''}` : 'stopped',
      });
    else if (e.kind === 'rollback') activity.push({ at: e.at, by: e.by, what: 'Rollback', camera: camName(macKey(e.mac)), outcome: e.error ? `failed: ${e.error.message}` : e.verified ? 'verified' : 'not verified' });
    else if (e.kind === 'mail-servers') activity.push({ at: e.at, by: e.by, what: 'Mail-server search', camera: '-', outcome: `${e.servers.length} found, ${e.servers.filter((x) => x.isUsableByCamera).length} usable by the camera${e.isCancelled ? ' (cancelled)' : ''}` });
    else if (e.kind === 'doctor') activity.push({ at: e.at, by: e.by, what: 'Troubleshoot (doctor)', camera: e.cameraMac ? camName(macKey(e.cameraMac)) : e.cameraUrl ? camName(byIp.get(hostOf(e.cameraUrl)) ?? e.cameraUrl) : '-', outcome: `${e.counts.pass} pass, ${e.counts.warn} warn, ${e.counts.fail} fail` });
  }
  return activity;
}

/** Builds the report from the journal. Deterministic: the same input gives the same report. */
export function buildReport(input: ReportInput): HandOverReport {
  const { entries, site, meta } = input;
  const tz = meta.timeZone;
  const j = indexJournal(entries);
  const relay = input.relay ?? j.lastRelay ?? null;
  const items: ReportItem[] = [];
  const item = (kind: ReportItem['kind'], owner: ItemOwner, text: string, camera?: string) => items.push({ kind, owner, ownerName: ownerName(site, owner), text, ...(camera ? { camera } : {}) });
  const cameras: ReportCamera[] = [];
  const backups: HandOverReport['backups'] = [];
  const changeLog: HandOverReport['changeLog'] = [];
  const transcripts: HandOverReport['transcripts'] = [];

  for (const c of j.cams.values()) {
    const h = historyOf(c);
    const cam = reportCamera(c, h, j, relay, tz);
    cameras.push(cam);
    const display = cam.location || cam.name || c.ip || c.key;
    for (const [kind, owner, text] of cameraItems(cam, c, h)) item(kind, owner, text, display);
    for (const r of h.real) {
      if (r.backup) backups.push({ camera: display, mac: cam.mac, url: r.url, file: r.backup.file, sha256: r.backup.sha256, takenAt: r.at, rollback: rollbackCommand(r.url, r.backup.file) });
      for (const ch of r.changes) changeLog.push({ at: r.at, by: r.by, camera: display, ...ch });
      if (r.test?.transcript) transcripts.push({ camera: display, at: r.test.receivedAt, sessionId: r.test.transcript.sessionId, clientIp: r.test.transcript.clientIp, lines: r.test.transcript.lines });
    }
    // A wizard's passing run and its commissioning carry the same SMTP session: shown once.
    for (const t of c.tests) {
      const tr = t.test?.transcript;
      if (tr && !transcripts.some((x) => x.sessionId === tr.sessionId)) transcripts.push({ camera: display, at: t.test!.receivedAt, sessionId: tr.sessionId, clientIp: tr.clientIp, lines: tr.lines });
    }
    for (const rb of c.rollbacks) changeLog.push({ at: rb.at, by: rb.by, camera: display, step: 'rollback', field: '(everything in the backup)', from: '(commissioned)', to: `restored from ${rb.backup?.file ?? 'the backup'}`, status: rb.verified ? 'done' : 'failed' });
  }

  changeLog.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  if (relay?.forward && relay.queueLength > 0) item('open-item', 'integrator', `${relay.queueLength} message(s) still wait in the relay's forwarding queue at hand-over.`);
  for (const n of j.notes) if (!j.closed.has(n.id)) item('open-item', n.owner, n.text, n.cameraMac ? (cameras.find((c) => c.mac === macKey(n.cameraMac!))?.location || macKey(n.cameraMac)) : undefined);

  const count = (v: CameraVerdict) => cameras.filter((c) => c.verdict === v).length;
  const sorted = [...cameras].sort((a, b) => (a.location || a.name || a.ip).localeCompare(b.location || b.name || b.ip, 'en', { numeric: true }) || a.key.localeCompare(b.key));
  return {
    format: 'sarix-handover-report',
    version: 1,
    reportId: meta.reportId,
    generatedAt: meta.generatedAt,
    generatedAtLocal: formatLocalTime(meta.generatedAt, tz),
    timeZone: tz,
    appVersion: meta.appVersion,
    site,
    summary: {
      found: cameras.length,
      commissioned: cameras.filter((c) => c.attempts > 0).length,
      passed: count('pass'),
      failed: count('fail'),
      skipped: count('skipped'),
      openItems: items.length,
    },
    cameras: sorted,
    relay,
    mailServers: j.lastMailServers ? mailServersSection(j.lastMailServers) : null,
    items,
    backups,
    changeLog,
    transcripts,
    activity: activityOf(entries, cameras, j.byIp),
    journal: { entries: entries.length, unreadableLines: input.unreadableLines ?? 0, firstAt: entries[0]?.at, lastAt: entries[entries.length - 1]?.at },
  };
}

/**
 * Protects a CSV cell from spreadsheet formula injection (OWASP "CSV Injection"): camera names and e-mail
 * subjects come from devices and people, and a cell starting with = + - @ (or a tab/CR) would run as a formula
 * in Excel or LibreOffice. Such cells get a leading apostrophe.
 */
export function csvSafe(v: string | number | undefined | null): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  return /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
}

/** The per-camera CSV: header and one row per camera (no secret is in the model, so none can be here). */
export function cameraCsvRows(r: HandOverReport): string[][] {
  const header = [
    'site', 'report_id', 'camera_name', 'location', 'model', 'mac', 'ip', 'firmware', 'firmware_warning',
    'clock_offset_ms', 'clock_reference', 'smtp_server', 'ntp_server', 'from', 'to', 'source', 'handler', 'behaviour',
    'sensitivity_left', 'event_time', 'mail_received', 'latency_ms', 'message_id', 'snapshot_sha256', 'forwarding',
    'verdict', 'verdict_detail', 'commissioned_at', 'technician',
  ];
  const rows = r.cameras.map((c) => [
    r.site.name, r.reportId, c.name, c.location, c.model, c.mac, c.ip, c.firmware, c.firmwareWarning ?? '',
    c.clock.offsetMs !== undefined ? String(Math.round(c.clock.offsetMs)) : '', c.clock.reference, c.smtpServer, c.ntpServer, c.from, c.to,
    c.sourceName, c.handlerName, c.behaviour, c.sensitivityLeft !== undefined ? String(c.sensitivityLeft) : '',
    c.test ? formatLocalTime(c.test.eventAt, r.timeZone) : '', c.test ? formatLocalTime(c.test.receivedAt, r.timeZone) : '',
    c.test ? String(Math.round(c.test.latencyMs)) : '', c.test?.messageId ?? '', c.test?.snapshot?.original.sha256 ?? '',
    c.forwarding?.outcome ?? '', c.verdict, c.verdictText, c.commissionedAt ? formatLocalTime(c.commissionedAt, r.timeZone) : '', c.commissionedBy ?? '',
  ]);
  return [header, ...rows].map((row) => row.map(csvSafe));
}

/**
 * The VMS import CSV: Milestone XProtect's "Add hardware: Import from CSV file" layout (a header line naming
 * the columns, one device per line; HardwareAddress, HardwareUsername and HardwarePassword as its manual names
 * them). The credentials columns are left empty on purpose: the report never carries a password, and the VMS
 * administrator types them. HardwareName, HardwareModel and HardwareMacAddress carry the name, model and MAC.
 */
export function vmsCsvRows(r: HandOverReport): string[][] {
  const header = ['HardwareAddress', 'HardwarePort', 'HardwareName', 'HardwareModel', 'HardwareMacAddress', 'HardwareUsername', 'HardwarePassword'];
  const rows = r.cameras
    .filter((c) => c.ip)
    .map((c) => {
      // A camera known only from discovery has no URL here: its web port is 80.
      const u = urlParts(c.url || c.ip);
      const port = String(u.port ?? (u.scheme === 'https' ? 443 : 80));
      return [c.ip, port, c.location || c.name || c.ip, c.model, c.mac, '', ''];
    });
  return [header, ...rows].map((row) => row.map(csvSafe));
}
