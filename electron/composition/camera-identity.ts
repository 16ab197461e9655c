/**
 * Wires camera identity in process (docs/architecture.md §3.17): discovery, commissioning (each result, and the
 * backups on disk from earlier runs) and practice mode tell the relay's camera registry which cameras exist, so
 * every message and session carries the camera's name, model and MAC. Nothing goes through the UI contract.
 */
import { isIP } from 'node:net';
import { readdir } from 'node:fs/promises';
import type { CameraResult } from '../../shared/domain/commissioning';
import type { Device } from '../../shared/domain/discovery';
import type { CommissioningService } from '../services/commissioning/index';
import { BackupStore } from '../services/commissioning/backup-store';
import type { Unsubscribe } from '../services/common/events';
import type { Logger } from '../services/common/logger';
import type { DiscoveryService } from '../services/discovery/index';
import type { CameraRegistry } from '../services/relay/camera-registry';
import type { Practice } from './practice';

/** The address in a camera URL, when it is an IP address (a host name says nothing about the mail's source). */
export function ipOfCameraUrl(url: string): string | undefined {
  try {
    const host = new URL(/^https?:\/\//i.test(url) ? url : `http://${url}`).hostname.replace(/^\[|\]$/g, '');
    return isIP(host) ? host : undefined;
  } catch {
    return undefined;
  }
}

/** Records a discovered device (Sarix cameras only: a sweep also finds printers and switches). */
export function noteDiscovered(registry: CameraRegistry, d: Device): void {
  if (!d.isSarix) return;
  registry.noteDevice({ ip: d.ip, mac: d.mac, model: d.model, name: d.name }, 'discovered');
}

/** Records a commissioning result (dry runs change nothing, so they are not recorded). */
export function noteCommissioned(registry: CameraRegistry, r: CameraResult, at: string): void {
  if (r.verdict === 'planned' || !r.camera) return;
  const ip = ipOfCameraUrl(r.url) ?? r.camera.ip;
  // The test passed when its mail arrived; a commissioning that skipped the test leaves it unknown.
  const isTestPassed = r.message ? true : r.verdict === 'fail' ? false : null;
  registry.noteCommissioning({ ip, mac: r.camera.mac, model: r.camera.model, name: r.camera.name }, { at, verdict: r.verdict, isTestPassed });
}

/** Reads the newest backup of every camera: each one was commissioned here at some point (verdict unknown). */
export async function importBackups(registry: CameraRegistry, backupDir: string, log: Logger): Promise<number> {
  const store = new BackupStore(backupDir);
  let n = 0;
  for (const folder of await readdir(backupDir).catch(() => [] as string[])) {
    if (!/^[0-9a-f]{12}$/i.test(folder)) continue;
    try {
      const latest = await store.latest(folder.replace(/(..)(?!$)/g, '$1:'));
      const ip = latest && ipOfCameraUrl(latest.backup.url);
      if (!latest || !ip) continue;
      registry.noteCommissioning({ ip, mac: latest.backup.mac, model: latest.backup.model }, { at: latest.backup.savedAt, verdict: 'unknown', isTestPassed: null });
      n++;
    } catch (e) {
      log.warn(`camera identity: backup folder ${folder} skipped`, e instanceof Error ? e.message : String(e));
    }
  }
  return n;
}

/** Records the practice cameras (simulated, on loopback). */
export function notePractice(registry: CameraRegistry, practice: Practice): void {
  for (const c of practice.cameras()) {
    const id = c.identity();
    registry.noteDevice({ ip: id.ip, mac: id.mac, model: id.model, name: id.name }, 'practice');
  }
}

/** Connects the identity sources to the relay's registry; returns the function that disconnects them. */
export function wireCameraIdentity(o: {
  registry: CameraRegistry;
  discovery: Pick<DiscoveryService, 'events'>;
  commissioning: Pick<CommissioningService, 'events'>;
  practice: Practice;
  backupDir: string;
  log: Logger;
  now?: () => number;
}): Unsubscribe {
  const now = o.now ?? Date.now;
  notePractice(o.registry, o.practice);
  void importBackups(o.registry, o.backupDir, o.log).catch((e: unknown) => o.log.warn('camera identity: backups not read', String(e)));
  const offs = [
    o.discovery.events.on('device-found', ({ device }) => noteDiscovered(o.registry, device)),
    o.discovery.events.on('device-updated', ({ device }) => noteDiscovered(o.registry, device)),
    o.commissioning.events.on('camera-finished', ({ result }) => noteCommissioned(o.registry, result, new Date(now()).toISOString())),
  ];
  return () => offs.forEach((off) => off());
}
