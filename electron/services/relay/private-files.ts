/**
 * Stored mail is private: camera snapshots of a site, addresses, forwarding state. Everything the relay writes
 * under its data folder is readable by the current user only: folders 0700, files 0600 (the app's modes,
 * common/private-files.ts). The relay does this itself because its folder may be anywhere (`sarix relay --data`),
 * not only under the app's user data: folders left more open by an older version are tightened at start, with the
 * files directly in them. No effect on Windows, where files inherit the ACL of the user's profile folder.
 */
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files';

/** Mode of every file the relay writes. */
export const FILE_MODE = PRIVATE_FILE_MODE;
/** Mode of every folder the relay creates. */
export const DIR_MODE = PRIVATE_DIR_MODE;

/**
 * Creates `dir` (and missing parents) as 0700; if it existed with access for others, makes it 0700 and its files
 * 0600. Returns how many entries it had to tighten.
 */
export async function privateDir(dir: string): Promise<number> {
  await mkdir(dir, { recursive: true, mode: DIR_MODE });
  if (process.platform === 'win32') return 0;
  const st = await stat(dir);
  if ((st.mode & 0o077) === 0) return 0;
  await chmod(dir, DIR_MODE);
  let n = 1;
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = join(dir, e.name);
    // Mode 0000 marks a message write that never finished (durable-writer.ts): it must stay recognisable.
    if (((await stat(p).catch(() => undefined))?.mode ?? 0) & 0o777) {
      await chmod(p, FILE_MODE).catch(() => undefined);
      n++;
    }
  }
  return n;
}
