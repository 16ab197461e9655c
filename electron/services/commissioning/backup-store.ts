/**
 * Per-camera backups of the values commissioning is about to change, written BEFORE the first change (issue 6).
 * Layout: `<dir>/<MAC without colons>/<ISO time>.json`, newest last; `sarix rollback` restores the newest.
 * Writes go to a temporary file first and are renamed into place, so a crash never leaves half a backup.
 */
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CameraBackupSchema, type CameraBackup } from '../../../shared/domain/commissioning';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files';
import { normalizeMac } from '../../../shared/domain/camera';
import { AppFailure } from '../../../shared/ipc/result';

/** A backup and where it is stored. */
export interface StoredBackup {
  file: string;
  backup: CameraBackup;
}

function macFolder(mac: string): string {
  const m = normalizeMac(mac);
  if (!m) throw new AppFailure('VALIDATION', `"${mac}" is not a MAC address; backups are kept per camera MAC.`);
  return m.replace(/:/g, '');
}

/** Backups on disk under one folder (the user-data `backups` folder). */
export class BackupStore {
  constructor(
    /** The backups folder. */
    readonly dir: string,
  ) {}

  /** Saves a backup and returns its file path. */
  async save(b: CameraBackup): Promise<string> {
    const parsed = CameraBackupSchema.parse(b);
    const folder = join(this.dir, macFolder(parsed.mac));
    const name = `${parsed.savedAt.replace(/[:.]/g, '-')}.json`;
    const file = join(folder, name);
    try {
      await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, JSON.stringify(parsed, null, 2) + '\n', { mode: PRIVATE_FILE_MODE });
      await rename(tmp, file);
    } catch (e) {
      throw new AppFailure('STORAGE', `Could not write the camera backup to ${folder}: ${(e as Error).message}. Nothing was changed on the camera; free disk space or choose another data folder.`);
    }
    return file;
  }

  /** Reads and validates one backup file. */
  async load(file: string): Promise<CameraBackup> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw new AppFailure('NOT_FOUND', `Cannot read the backup ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppFailure('STORAGE', `The backup ${file} is not valid JSON; it may have been edited by hand. Restore it from a copy.`);
    }
    const r = CameraBackupSchema.safeParse(json);
    if (!r.success) throw new AppFailure('STORAGE', `The backup ${file} does not have the expected fields (${r.error.issues[0]?.path.join('.')}); it may come from another version.`);
    return r.data;
  }

  /** Backup files of one camera, oldest first. */
  async list(mac: string): Promise<string[]> {
    const folder = join(this.dir, macFolder(mac));
    try {
      return (await readdir(folder))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(folder, f));
    } catch {
      return [];
    }
  }

  /** The newest backup of a camera, or undefined. */
  async latest(mac: string): Promise<StoredBackup | undefined> {
    const files = await this.list(mac);
    const file = files[files.length - 1];
    return file ? { file, backup: await this.load(file) } : undefined;
  }
}
