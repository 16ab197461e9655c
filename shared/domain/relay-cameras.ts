/**
 * Camera identity for the relay: which camera wrote a message or opened a session. A camera is known from
 * discovery, from commissioning (results and backups) and from the names the technician gives; the relay ties a
 * client to one by its IP address, with the HELO/EHLO name as a hint (a Sarix camera greets with its device name
 * or its address literal, docs/camera.md §6). Mail catchers cannot answer "which camera sent this?" (mailpit#17,
 * mailhog#207, smtp4dev#2000); the relay can, because it also commissions the cameras. Pure: no I/O.
 */
import { z } from 'zod';
import { refusal, type KeyedRefusal } from './refusal';

/** How a camera became known. */
export const CameraSourceSchema = z.enum(['discovered', 'commissioned', 'named', 'practice']);
/** How a camera became known. */
export type CameraSource = z.infer<typeof CameraSourceSchema>;

/** The last commissioning of a camera as the relay remembers it. */
export const CameraCommissioningSchema = z.object({
  at: z.string(),
  /** pass: every step done and the test e-mail arrived; fail: stopped; unknown: only a backup shows it was commissioned. */
  verdict: z.enum(['pass', 'fail', 'unknown']),
  /** Whether the test e-mail arrived (null when not recorded here). */
  isTestPassed: z.boolean().nullable(),
});
/** The last commissioning of a camera. */
export type CameraCommissioning = z.infer<typeof CameraCommissioningSchema>;

/** A refusal of a client by the relay (allow-list). */
export const RefusalSchema = z.object({ at: z.string(), reason: z.string(), count: z.number().int() });
/** A refusal of a client. */
export type Refusal = z.infer<typeof RefusalSchema>;

/** One camera the relay knows. */
export const KnownCameraSchema = z.object({
  /** Stable key: `mac:<mac>` when the MAC is known, else `ip:<address>`. */
  key: z.string(),
  ip: z.string(),
  mac: z.string().nullable(),
  model: z.string().nullable(),
  /** The device name the camera reports (discovery, commissioning). */
  name: z.string().nullable(),
  /** The name the technician gave (wins over the device name). */
  label: z.string().nullable(),
  sources: z.array(CameraSourceSchema),
  commissioning: CameraCommissioningSchema.nullable(),
  lastSeenAt: z.string().nullable(),
});
/** One camera the relay knows. */
export type KnownCamera = z.infer<typeof KnownCameraSchema>;

/** Who sent a message or opened a session, as far as the relay can tell. */
export const CameraIdentitySchema = z.object({
  key: z.string(),
  displayName: z.string(),
  ip: z.string(),
  mac: z.string().nullable(),
  model: z.string().nullable(),
  /** ip: the client address is the camera's; helo: only the HELO name matched (the camera may have moved). */
  matchedBy: z.enum(['ip', 'helo']),
});
/** Who sent a message or opened a session. */
export type CameraIdentity = z.infer<typeof CameraIdentitySchema>;

/** One row of the relay's Cameras tab. */
export const CameraOverviewSchema = z.object({
  key: z.string(),
  displayName: z.string(),
  ip: z.string(),
  mac: z.string().nullable(),
  model: z.string().nullable(),
  label: z.string().nullable(),
  /** False for a sender that no source knows (mail or a refusal from an address nobody named). */
  isKnown: z.boolean(),
  sources: z.array(CameraSourceSchema),
  commissioning: CameraCommissioningSchema.nullable(),
  mailCount: z.number().int(),
  unreadCount: z.number().int(),
  lastMailAt: z.string().nullable(),
  lastSubject: z.string().nullable(),
  lastRefusal: RefusalSchema.nullable(),
  /** Commissioned, yet no mail from it is stored: the first thing to look at on site. */
  isSilent: z.boolean(),
  /** One line for the technician: what this camera's state means. */
  status: z.enum(['ok', 'silent', 'refused', 'not-commissioned', 'failed']),
});
/** One row of the relay's Cameras tab. */
export type CameraOverview = z.infer<typeof CameraOverviewSchema>;

/** A technician's name for a camera: 1–40 printable characters. */
export const CameraLabelSchema = z
  .string()
  .trim()
  .min(1, 'Give the camera a name, e.g. "Gate North".')
  .max(40, 'Keep camera names to 40 characters.')
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  .refine((s) => !/[\x00-\x1f\x7f]/.test(s), 'A camera name cannot hold control characters.');

/**
 * Checks a camera name against CameraLabelSchema; a refusal carries its catalog key next to the schema's English
 * (by the kind of issue, so the English stays the schema's), for failure(code, key, params).
 */
export function checkCameraLabel(label: string): { ok: true; label: string } | KeyedRefusal {
  const r = CameraLabelSchema.safeParse(label);
  if (r.success) return { ok: true, label: r.data };
  const code = r.error.issues[0]?.code;
  if (code === 'too_small') return refusal('errors.VALIDATION.cameraLabelEmpty');
  if (code === 'too_big') return refusal('errors.VALIDATION.cameraLabelLong');
  if (code === 'custom') return refusal('errors.VALIDATION.cameraLabelControl');
  return refusal('errors.VALIDATION.cameraName');
}

/** The key of a camera: its MAC when known (an address can change with DHCP), else its address. */
export function cameraKey(mac: string | null | undefined, ip: string): string {
  return mac ? `mac:${mac.toLowerCase()}` : `ip:${ip}`;
}

/** What the technician sees as a camera's name: their label, else the device name, else model and address, else the address. */
export function cameraDisplayName(c: Pick<KnownCamera, 'label' | 'name' | 'model' | 'ip'>): string {
  return c.label || c.name || (c.model ? `${c.model} (${c.ip})` : c.ip);
}

/** The HELO name without an address literal's brackets, lower-cased; empty for none. */
function heloKey(helo: string | undefined): string {
  return (typeof helo === 'string' ? helo : '').trim().replace(/^\[|\]$/g, '').toLowerCase();
}

/** The index `identifyClient` works on; build it once per change of the camera list. */
export interface CameraIndex {
  byIp: Map<string, KnownCamera[]>;
  byName: Map<string, KnownCamera[]>;
}

/** Indexes cameras by address and by lower-cased device name and label. */
export function indexCameras(cameras: readonly KnownCamera[]): CameraIndex {
  const byIp = new Map<string, KnownCamera[]>();
  const byName = new Map<string, KnownCamera[]>();
  const add = (m: Map<string, KnownCamera[]>, k: string, c: KnownCamera) => {
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
  };
  for (const c of cameras) {
    add(byIp, c.ip, c);
    for (const n of new Set([c.name, c.label].filter((x): x is string => !!x).map((x) => x.toLowerCase()))) add(byName, n, c);
  }
  return { byIp, byName };
}

function identityOf(c: KnownCamera, matchedBy: CameraIdentity['matchedBy']): CameraIdentity {
  return { key: c.key, displayName: cameraDisplayName(c), ip: c.ip, mac: c.mac, model: c.model, matchedBy };
}

/**
 * Ties a client to a camera: by its address first; when several cameras share the address (an NVR, practice
 * cameras on one loopback address) the HELO name picks one; when the address is unknown, a HELO name equal to
 * exactly one camera's name is a hint (matchedBy 'helo'). Undefined when nothing matches.
 */
export function identifyClient(ip: string, helo: string | undefined, index: CameraIndex): CameraIdentity | undefined {
  const h = heloKey(helo);
  const atIp = index.byIp.get(ip);
  if (atIp?.length) {
    if (atIp.length === 1) return identityOf(atIp[0], 'ip');
    const named = h ? atIp.find((c) => c.name?.toLowerCase() === h || c.label?.toLowerCase() === h) : undefined;
    return identityOf(named ?? atIp[0], 'ip');
  }
  if (!h || h === ip) return undefined;
  const byName = index.byName.get(h);
  return byName?.length === 1 ? identityOf(byName[0], 'helo') : undefined;
}

/** The text `camera:` searches for an identity (name, label, model, MAC) plus the HELO name. */
export function cameraSearchText(identity: CameraIdentity | undefined, helo: string, storedName?: string): string {
  return [identity?.displayName, identity?.model, identity?.mac, helo, storedName].filter(Boolean).join(' ');
}

/** Mail statistics of one sender, collected by the relay. */
export interface SenderStats {
  ip: string;
  /** Identity key when the sender is a known camera. */
  key?: string;
  mailCount: number;
  unreadCount: number;
  lastMailAtMs: number;
  lastSubject: string;
}

/** Whether a camera was commissioned (and not failed): one that then sends no mail is "silent". */
export function isCommissionedCamera(c: Pick<KnownCamera, 'commissioning'>): boolean {
  return !!c.commissioning && c.commissioning.verdict !== 'fail';
}

/**
 * The Cameras tab: every known camera with its mail count, last mail, last refusal and test result, plus senders
 * no source knows (mail or refusals from unnamed addresses). Commissioned cameras without any stored mail are
 * flagged silent and listed first, then refused ones, then the rest by name.
 */
export function cameraOverview(cameras: readonly KnownCamera[], stats: readonly SenderStats[], refusals: ReadonlyMap<string, Refusal>): CameraOverview[] {
  const rows: CameraOverview[] = [];
  const byKey = new Map<string, SenderStats[]>();
  const unknownByIp = new Map<string, SenderStats>();
  for (const s of stats) {
    if (s.key) {
      const list = byKey.get(s.key);
      if (list) list.push(s);
      else byKey.set(s.key, [s]);
    } else unknownByIp.set(s.ip, s);
  }
  const knownIps = new Set(cameras.map((c) => c.ip));
  for (const c of cameras) {
    const mine = byKey.get(c.key) ?? [];
    const mailCount = mine.reduce((n, s) => n + s.mailCount, 0);
    const unreadCount = mine.reduce((n, s) => n + s.unreadCount, 0);
    const last = mine.reduce<SenderStats | undefined>((a, s) => (!a || s.lastMailAtMs > a.lastMailAtMs ? s : a), undefined);
    const refusal = refusals.get(c.ip) ?? null;
    const isCommissioned = isCommissionedCamera(c);
    const isSilent = isCommissioned && mailCount === 0;
    const isRefusedLast = !!refusal && (!last || Date.parse(refusal.at) > last.lastMailAtMs);
    rows.push({
      key: c.key,
      displayName: cameraDisplayName(c),
      ip: c.ip,
      mac: c.mac,
      model: c.model,
      label: c.label,
      isKnown: true,
      sources: c.sources,
      commissioning: c.commissioning,
      mailCount,
      unreadCount,
      lastMailAt: last ? new Date(last.lastMailAtMs).toISOString() : null,
      lastSubject: last?.lastSubject ?? null,
      lastRefusal: refusal,
      isSilent,
      status: isRefusedLast ? 'refused' : c.commissioning?.verdict === 'fail' ? 'failed' : isSilent ? 'silent' : isCommissioned || mailCount > 0 ? 'ok' : 'not-commissioned',
    });
  }
  const unknownIps = new Set([...unknownByIp.keys(), ...[...refusals.keys()].filter((ip) => !knownIps.has(ip))]);
  for (const ip of unknownIps) {
    const s = unknownByIp.get(ip);
    const refusal = refusals.get(ip) ?? null;
    rows.push({
      key: cameraKey(null, ip),
      displayName: ip,
      ip,
      mac: null,
      model: null,
      label: null,
      isKnown: false,
      sources: [],
      commissioning: null,
      mailCount: s?.mailCount ?? 0,
      unreadCount: s?.unreadCount ?? 0,
      lastMailAt: s ? new Date(s.lastMailAtMs).toISOString() : null,
      lastSubject: s?.lastSubject ?? null,
      lastRefusal: refusal,
      isSilent: false,
      status: refusal && (!s || Date.parse(refusal.at) > s.lastMailAtMs) ? 'refused' : 'ok',
    });
  }
  const rank: Record<CameraOverview['status'], number> = { silent: 0, refused: 1, failed: 2, 'not-commissioned': 4, ok: 3 };
  return rows.sort((a, b) => rank[a.status] - rank[b.status] || a.displayName.localeCompare(b.displayName, undefined, { numeric: true }));
}
