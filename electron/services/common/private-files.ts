/**
 * Owner-only file modes for everything the app stores (settings, the relay profile, camera backups, relay mail,
 * logs): they name the site's cameras and mail server and can hold credentials, so no other local user may read
 * them. Folders are 0700 and files 0600. Windows ignores POSIX modes (the user-data folder under %APPDATA% is
 * already per-user by its ACL), so these helpers change nothing there.
 */
import { chmodSync, lstatSync, mkdirSync } from 'node:fs';
import { chmod, lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Mode of every folder the app writes. */
export const PRIVATE_DIR_MODE = 0o700;
/** Mode of every file the app writes (pass it as `mode` when creating the file). */
export const PRIVATE_FILE_MODE = 0o600;

const GROUP_OTHER_BITS = 0o077;
const isPosix = process.platform !== 'win32';

/**
 * Creates a folder (and missing parents) owner-only, and takes group/other bits away if it already existed:
 * `mkdir`'s mode only applies to folders it creates.
 */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!isPosix) return;
  const st = lstatSync(dir);
  if (st.isDirectory() && st.mode & GROUP_OTHER_BITS) chmodSync(dir, st.mode & 0o700);
}

/**
 * Takes group/other bits away from `root` and, recursively, from the given entries inside it (folders and files
 * the app wrote before it set modes itself). Only the named entries are walked: a user-data folder pointed at an
 * existing folder (`--data ~`) must not have the user's own files changed. Symbolic links are neither followed nor
 * changed; entries that vanish meanwhile are skipped. Returns the paths it changed.
 */
export async function makeTreePrivate(root: string, entries: readonly string[]): Promise<string[]> {
  if (!isPosix) return [];
  const changed: string[] = [];
  const visit = async (path: string, isRoot: boolean): Promise<void> => {
    const st = await lstat(path).catch(() => null);
    if (!st || st.isSymbolicLink()) return;
    if (st.mode & GROUP_OTHER_BITS) {
      const ok = await chmod(path, st.mode & 0o700).then(
        () => true,
        () => false,
      );
      if (ok) changed.push(path);
    }
    if (!st.isDirectory()) return;
    const names = isRoot ? entries : await readdir(path).catch(() => [] as string[]);
    for (const name of names) await visit(join(path, name), false);
  };
  await visit(root, true);
  return changed;
}
