/** `sarix capture`: reads the camera without changing it and writes the capture zip (exit 1 when it cannot). */
import { resolve } from 'node:path';
import { isAppFailure } from '../../../shared/ipc/result';
import { captureCamera } from '../../services/camera/capture';
import { loadProfileFile } from '../../services/camera/firmware-profile';
import { CliFailure, UsageError, printJson } from '../util';
import type { CaptureFlags } from './capture';

/** Runs `sarix capture`. */
export async function runCapture(flags: CaptureFlags): Promise<void> {
  const password = flags.password ?? process.env.SARIX_CAMERA_PASSWORD;
  if (password === undefined) throw new UsageError('--password is required (or set SARIX_CAMERA_PASSWORD).');
  if (!/\.zip$/i.test(flags.out)) throw new UsageError('--out must name a .zip file, e.g. --out camera-capture.zip.');
  const url = /^[a-z]+:\/\//i.test(flags.camera) ? flags.camera : `http://${flags.camera}`;
  try {
    const profile = flags.profile ? await loadProfileFile(resolve(flags.profile)) : undefined;
    const r = await captureCamera({ url, username: flags.username, password, out: resolve(flags.out), timeoutMs: flags.timeout * 1000, profile });
    if (flags.json) printJson(r);
    else {
      process.stdout.write(`Saved ${r.pages} pages of ${url} to ${r.file} (passwords and session tokens blanked).\n`);
      for (const p of r.problems) process.stdout.write(`  could not read: ${p}\n`);
      process.stdout.write(r.problems.length ? 'Send the file to support: it shows what the driver could not understand.\n' : 'The driver understood every page it needs.\n');
    }
  } catch (e) {
    if (isAppFailure(e)) throw new CliFailure(e.message, 1);
    throw e;
  }
}
