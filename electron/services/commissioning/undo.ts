/**
 * The exact undo (docs/camera.md §4): the camera's forms recorded in the backup are written back raw, each
 * restore retried on fresh connections with a fresh login before giving up (a keep-alive connection can die
 * during a long test wait), and the outcome is decided by reading the camera back, never by which error path
 * ran. The same code serves the automatic rollback and `sarix rollback`.
 */
import type { FormRef, RawForm } from '../../../shared/domain/camera';
import type { CameraBackup, CameraBackupV2 } from '../../../shared/domain/commissioning';
import { failure, sub } from '../../../shared/i18n/messages';
import { isAppFailure } from '../../../shared/ipc/result';
import type { Logger } from '../common/logger';
import type { CameraDriver } from '../camera/driver';

/** The forms a backup holds, in the order a restore must take them (a handler before the source it lists). */
export type FormKey = 'handler' | 'source' | 'general' | 'behaviour';
/** Restore order. */
export const RESTORE_ORDER: FormKey[] = ['handler', 'source', 'general', 'behaviour'];

/** Which camera form a backup entry is. */
export function refOf(b: CameraBackupV2, key: FormKey, behaviourName: string): FormRef {
  if (key === 'general') return { page: 'general' };
  if (key === 'behaviour') return { page: 'behaviour', item: b.forms.behaviour.item ?? behaviourName };
  return { page: key, item: key === 'source' ? b.sourceName : b.handlerName };
}

/** The recorded form of one entry (null: the item did not exist). */
export function recordOf(b: CameraBackupV2, key: FormKey): RawForm | null {
  return b.forms[key];
}

/** Pauses between retries (a camera that just dropped a connection may need a moment). */
const RETRY_PAUSES_MS = [200, 1000];

/**
 * Runs a camera operation; on failure starts over on fresh connections with a fresh login and tries again (twice),
 * unless the failure says a retry cannot help (bad input, a field that no longer exists).
 */
export async function withFreshRetry<T>(driver: CameraDriver, what: string, fn: () => Promise<T>, log?: Logger): Promise<T> {
  let last: unknown;
  for (let attempt = 0; attempt <= RETRY_PAUSES_MS.length; attempt++) {
    try {
      return await fn();
    } catch (e) {
      last = e;
      const hopeless = isAppFailure(e) && (e.code === 'VALIDATION' || e.code === 'INTERNAL' || !!(e.details as { problems?: unknown } | undefined)?.problems);
      if (hopeless || attempt === RETRY_PAUSES_MS.length) break;
      log?.warn(`${what} failed (${(e as Error).message}); retrying on a fresh connection and session`);
      driver.reconnect();
      await new Promise((r) => setTimeout(r, RETRY_PAUSES_MS[attempt]));
    }
  }
  throw last;
}

/** Restores one recorded form, with retries. */
export function restoreOne(driver: CameraDriver, b: CameraBackupV2, key: FormKey, behaviourName: string, log?: Logger): Promise<void> {
  const ref = refOf(b, key, behaviourName);
  return withFreshRetry(driver, `restoring ${key}`, () => driver.restoreForm(ref, recordOf(b, key)), log);
}

/** What differs between the camera now and the backup, every form read back (with retries). */
export async function differencesFrom(driver: CameraDriver, b: CameraBackupV2, behaviourName: string, log?: Logger): Promise<string[]> {
  const out: string[] = [];
  for (const key of RESTORE_ORDER) {
    const ref = refOf(b, key, behaviourName);
    out.push(...(await withFreshRetry(driver, `reading ${key} back`, () => driver.compareForm(ref, recordOf(b, key)), log)));
  }
  return out;
}

/** A backup that can be restored exactly (version 2), or a failure that lists the old values to set by hand. */
export function exactBackup(b: CameraBackup): CameraBackupV2 {
  if (b.version === 2) return b;
  const s = b.analytics.behaviours.find((x) => /camera\s*sabotage/i.test(x.name));
  throw failure('CONFLICT', 'errors.CONFLICT.oldBackup', {
    smtp: b.general.smtpServer,
    ntp: b.general.ntpServer,
    sabotage: s ? sub(s.active ? 'commissioning.undo.sabotageActive' : 'commissioning.undo.sabotageInactive', { sensitivity: s.sensitivity }) : '',
    handler: sub(b.handler ? 'commissioning.undo.handlerAsItWas' : 'commissioning.undo.deleteHandler', { name: b.handlerName }),
    source: sub(b.source ? 'commissioning.undo.sourceAsItWas' : 'commissioning.undo.deleteSource', { name: b.sourceName }),
  });
}

/** Puts the camera back to a backup (every form, in restore order), then reads it back. */
export async function restoreBackup(driver: CameraDriver, backup: CameraBackup, behaviourName: string, log?: Logger): Promise<{ ok: boolean; differences: string[]; errors: string[] }> {
  const b = exactBackup(backup);
  const errors: string[] = [];
  for (const key of RESTORE_ORDER) {
    try {
      await restoreOne(driver, b, key, behaviourName, log);
    } catch (e) {
      errors.push((e as Error).message);
    }
  }
  const differences = await differencesFrom(driver, b, behaviourName, log);
  return { ok: differences.length === 0, differences, errors };
}
