/**
 * The cameras the relay knows, so it can say which camera sent a message: fed in process by discovery, by
 * commissioning (results and backups) and by practice mode (electron/composition wires them), and named by the
 * technician. Kept in `<relay data>/cameras.json`, so names, commissioning results and refusals survive a restart
 * and reach `sarix relay` on the same folder. A camera is keyed by its MAC when known (DHCP can move its address),
 * else by its address. Bounded (MAX_CAMERAS, MAX_REFUSALS): a hostile network cannot grow the file without end.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { normalizeMac } from '../../../shared/domain/discovery';
import {
  cameraKey,
  checkCameraLabel,
  identifyClient,
  indexCameras,
  KnownCameraSchema,
  RefusalSchema,
  type CameraCommissioning,
  type CameraIdentity,
  type CameraIndex,
  type CameraSource,
  type KnownCamera,
  type Refusal,
} from '../../../shared/domain/relay-cameras';
import { failure } from '../../../shared/i18n/messages';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../common/private-files';

/** At most this many cameras are remembered (the ones without a name or commissioning are dropped first). */
export const MAX_CAMERAS = 2000;
/** At most this many refused addresses are remembered (oldest dropped first). */
export const MAX_REFUSALS = 500;

const FileSchema = z.object({ version: z.literal(1), cameras: z.array(KnownCameraSchema), refusals: z.array(z.object({ ip: z.string() }).and(RefusalSchema)) });

/** What one source says about a device. */
export interface DeviceFacts {
  ip: string;
  mac?: string | null;
  model?: string | null;
  name?: string | null;
}

/** Events of the registry. */
export interface CameraRegistryEvents {
  /** The list or a camera changed (names, commissioning, refusals). */
  changed: void;
}

/** The relay's camera registry. */
export class CameraRegistry {
  /** In-process events. */
  readonly events = new Emitter<CameraRegistryEvents>();
  private readonly cameras = new Map<string, KnownCamera>();
  private readonly refused = new Map<string, Refusal>();
  private index: CameraIndex = indexCameras([]);
  private isLoaded = false;
  private saveTimer?: NodeJS.Timeout;

  constructor(
    private readonly file: string | undefined,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Every known camera. */
  list(): KnownCamera[] {
    this.load();
    return [...this.cameras.values()];
  }

  /** Refusals by client address. */
  refusals(): ReadonlyMap<string, Refusal> {
    this.load();
    return this.refused;
  }

  /** Which camera a client is (address first, HELO name as a hint); undefined when none is known. */
  identify(ip: string, helo?: string): CameraIdentity | undefined {
    this.load();
    return identifyClient(ip, helo, this.index);
  }

  /** Records a device that discovery or practice mode saw. */
  noteDevice(facts: DeviceFacts, source: CameraSource): KnownCamera {
    return this.upsert(facts, (c) => this.addSource(c, source));
  }

  /** Records the outcome of a commissioning (a dry run is not one: the caller leaves those out). */
  noteCommissioning(facts: DeviceFacts, commissioning: CameraCommissioning): KnownCamera {
    return this.upsert(facts, (c) => {
      this.addSource(c, 'commissioned');
      // A backup (verdict unknown) only says "commissioned at some point": it never hides a result recorded here.
      if (commissioning.verdict === 'unknown' && c.commissioning) return;
      c.commissioning = commissioning;
    });
  }

  /**
   * Gives a camera a name (or removes it with null). `ref` is a camera key or a client address; naming an address
   * nobody knows adds it as a camera, so an unknown sender can be named from the Cameras tab.
   */
  setLabel(ref: string, label: string | null): KnownCamera {
    this.load();
    let clean: string | null = null;
    if (label !== null && label.trim() !== '') {
      const r = checkCameraLabel(label);
      if (!r.ok) throw failure('VALIDATION', r.key, r.params);
      clean = r.label;
    }
    const byKey = this.cameras.get(ref);
    if (byKey) {
      byKey.label = clean;
      this.addSource(byKey, 'named');
      this.changed();
      return { ...byKey };
    }
    const ip = ref.startsWith('ip:') ? ref.slice(3) : ref;
    if (!/^[0-9a-f.:]+$/i.test(ip)) throw failure('NOT_FOUND', 'errors.NOT_FOUND.relayCamera', { ref: ref.slice(0, 60) });
    return this.upsert({ ip }, (c) => {
      c.label = clean;
      this.addSource(c, 'named');
    });
  }

  /** Records that the relay refused a client (the Cameras tab shows the last refusal). */
  noteRefusal(ip: string, reason: string, at: string): void {
    this.load();
    const prev = this.refused.get(ip);
    this.refused.delete(ip);
    this.refused.set(ip, { at, reason, count: (prev?.count ?? 0) + 1 });
    while (this.refused.size > MAX_REFUSALS) this.refused.delete(this.refused.keys().next().value as string);
    this.changed();
  }

  /**
   * Writes pending changes now (shutdown, tests); nothing when none are pending, so a flush never writes a list
   * that was not loaded over the saved one.
   */
  flush(): void {
    if (!this.saveTimer) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    this.write();
  }

  private upsert(facts: DeviceFacts, apply: (c: KnownCamera) => void): KnownCamera {
    this.load();
    const mac = normalizeMac(facts.mac ?? null);
    const ip = facts.ip;
    let c: KnownCamera | undefined;
    if (mac) {
      c = this.cameras.get(cameraKey(mac, ip));
      const byIp = this.cameras.get(cameraKey(null, ip));
      if (!c && byIp) {
        // The address was known without a MAC (named or refused before discovery): it becomes this camera.
        this.cameras.delete(byIp.key);
        c = { ...byIp, key: cameraKey(mac, ip), mac };
      } else if (c && byIp && byIp !== c) {
        c.label ??= byIp.label;
        this.cameras.delete(byIp.key);
      }
    } else {
      const atIp = [...this.cameras.values()].filter((x) => x.ip === ip);
      c = atIp.length === 1 ? atIp[0] : this.cameras.get(cameraKey(null, ip));
    }
    c ??= { key: cameraKey(mac, ip), ip, mac, model: null, name: null, label: null, sources: [], commissioning: null, lastSeenAt: null };
    c.ip = ip;
    if (facts.model) c.model = facts.model;
    if (facts.name) c.name = facts.name;
    c.lastSeenAt = new Date(this.now()).toISOString();
    apply(c);
    this.cameras.delete(c.key);
    this.cameras.set(c.key, c);
    this.evict();
    this.changed();
    return { ...c };
  }

  private addSource(c: KnownCamera, s: CameraSource): void {
    if (!c.sources.includes(s)) c.sources = [...c.sources, s];
  }

  private evict(): void {
    if (this.cameras.size <= MAX_CAMERAS) return;
    // Insertion order is "least recently updated first"; keep named and commissioned cameras as long as possible.
    for (const pass of [(c: KnownCamera) => !c.label && !c.commissioning, () => true]) {
      for (const c of this.cameras.values()) {
        if (this.cameras.size <= MAX_CAMERAS) return;
        if (pass(c)) this.cameras.delete(c.key);
      }
    }
  }

  private changed(): void {
    this.index = indexCameras([...this.cameras.values()]);
    this.events.emit('changed', undefined);
    if (!this.file || this.saveTimer) return;
    // Batched: a scan of 250 cameras is one write, not 250.
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.write();
    }, 300);
    this.saveTimer.unref();
  }

  private load(): void {
    if (this.isLoaded) return;
    this.isLoaded = true;
    if (!this.file) return;
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    const parsed = FileSchema.safeParse((() => {
      try {
        return JSON.parse(raw);
      } catch {
        return null;
      }
    })());
    if (!parsed.success) {
      this.log.warn(`relay camera list ${this.file} is not valid; starting with an empty one`);
      return;
    }
    for (const c of parsed.data.cameras.slice(-MAX_CAMERAS)) this.cameras.set(c.key, c);
    for (const { ip, ...r } of parsed.data.refusals.slice(-MAX_REFUSALS)) this.refused.set(ip, r);
    this.index = indexCameras([...this.cameras.values()]);
  }

  private write(): void {
    if (!this.file) return;
    try {
      ensurePrivateDir(dirname(this.file));
      const body = { version: 1, cameras: [...this.cameras.values()], refusals: [...this.refused].map(([ip, r]) => ({ ip, ...r })) };
      const tmp = `${this.file}.tmp`;
      writeFileSync(tmp, JSON.stringify(body), { mode: PRIVATE_FILE_MODE });
      renameSync(tmp, this.file);
    } catch (e) {
      this.log.warn(`relay camera list could not be saved to ${this.file}`, String(e));
    }
  }
}
