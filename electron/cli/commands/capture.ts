import type { Command } from 'commander';
import { secondsOption } from '../util';

/** Flags of `sarix capture`. */
export interface CaptureFlags {
  camera: string;
  username: string;
  password?: string;
  out: string;
  profile?: string;
  timeout: number;
  json?: boolean;
}

/** `sarix capture`: saves what the driver sees of a camera's web UI (passwords and tokens blanked) for support. */
export function register(program: Command): Command {
  return program
    .command('capture')
    .description("Save the camera's web pages as the driver reads them (passwords and session tokens blanked), what it looked for and what it found, in a zip for support. Changes nothing on the camera.")
    .requiredOption('--camera <url>', 'camera web address, e.g. http://192.168.0.20')
    .option('--username <user>', 'camera admin user', 'admin')
    .option('--password <password>', 'camera password (or set SARIX_CAMERA_PASSWORD)')
    .requiredOption('--out <file.zip>', 'the zip file to write')
    .option('--profile <file.json>', 'a firmware profile file with extra label wordings and page paths')
    .option('--timeout <seconds>', 'per-request camera timeout', secondsOption('--timeout', 120), 8)
    .option('--json', 'print the result as one JSON object')
    .action(async (flags: CaptureFlags) => {
      const { runCapture } = await import('./capture-run');
      await runCapture(flags);
    });
}
