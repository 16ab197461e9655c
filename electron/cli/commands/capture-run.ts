/** `sarix capture`: reads the camera without changing it and writes the capture zip (exit 1 when it cannot). */
import { resolve } from 'node:path';
import { isAppFailure } from '../../../shared/ipc/result';
import { captureCamera } from '../../services/camera/capture';
import { loadProfileFile } from '../../services/camera/firmware-profile';
import { failureText, localized } from '../i18n';
import { CliFailure, UsageError, printJson } from '../util';
import type { CaptureFlags } from './capture';

/** Runs `sarix capture`. */
export async function runCapture(flags: CaptureFlags): Promise<void> {
  const password = flags.password ?? process.env.SARIX_CAMERA_PASSWORD;
  if (password === undefined) throw new UsageError(localized('cli.usage.passwordRequired'));
  if (!/\.zip$/i.test(flags.out)) throw new UsageError(localized('cli.usage.zipOut'));
  const url = /^[a-z]+:\/\//i.test(flags.camera) ? flags.camera : `http://${flags.camera}`;
  try {
    const profile = flags.profile ? await loadProfileFile(resolve(flags.profile)) : undefined;
    const r = await captureCamera({ url, username: flags.username, password, out: resolve(flags.out), timeoutMs: flags.timeout * 1000, profile });
    if (flags.json) printJson(r);
    else {
      process.stdout.write(`${localized('cli.capture.saved', { pages: r.pages, url, file: r.file })}\n`);
      for (const p of r.problems) process.stdout.write(`  ${localized('cli.capture.couldNotRead', { page: p })}\n`);
      process.stdout.write(`${r.problems.length ? localized('cli.capture.sendToSupport') : localized('cli.capture.allUnderstood')}\n`);
    }
  } catch (e) {
    if (isAppFailure(e)) throw new CliFailure(failureText(e), 1);
    throw e;
  }
}
