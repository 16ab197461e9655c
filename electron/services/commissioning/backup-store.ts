/**
 * Per-camera backups of the camera's forms as read, written BEFORE the first change. Layout:
 * `<dir>/<MAC without colons>/<ISO time>.json`, newest last; `sarix rollback` restores the newest. Durable the
 * way the mail store is: a temporary file written and fsynced, renamed into place, then the folder fsynced, so
 * once `save` returns the backup survives a crash or a power cut, and a crash never leaves half a backup.
 * Files are 0600 and folders 0700 (a backup holds the camera's settings).
 */
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CameraBackupSchema, type CameraBackup } from '../../../shared/domain/commissioning';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files';
import { normalizeMac } from '../../../shared/domain/camera';
import { failure, sub } from '../../../shared/i18n/messages';

/** Makes a rename in a folder durable (fsync of the folder); Windows cannot open a folder, and NTFS journals the rename. */
async function syncDir(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const fh = await open(folder, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** A backup and where it is stored. */
export interface StoredBackup {
  file: string;
  backup: CameraBackup;
}

function macFolder(mac: string): string {
  const m = normalizeMac(mac);
  if (!m) throw failure('VALIDATION', 'errors.VALIDATION.notMac', { mac });
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
    const tmp = `${file}.${process.pid}.tmp`;
    try {
      await mkdir(folder, { recursive: true, mode: PRIVATE_DIR_MODE });
      const fh = await open(tmp, 'w', PRIVATE_FILE_MODE);
      try {
        await fh.writeFile(JSON.stringify(parsed, null, 2) + '\n');
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
      await syncDir(folder);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      throw failure('STORAGE', 'errors.STORAGE.backupWrite', { folder, reason: (e as Error).message });
    }
    return file;
  }

  /** Reads and validates one backup file. */
  async load(file: string): Promise<CameraBackup> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      throw failure('NOT_FOUND', 'errors.NOT_FOUND.backupRead', { file, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? sub('errors.NOT_FOUND.noSuchFile') : (e as Error).message });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw failure('STORAGE', 'errors.STORAGE.backupNotJson', { file });
    }
    const r = CameraBackupSchema.safeParse(json);
    if (!r.success) throw failure('STORAGE', 'errors.STORAGE.backupFields', { file, path: r.error.issues[0]?.path.join('.') ?? '' });
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
