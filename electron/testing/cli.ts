/** Test support: the real `sarix` CLI run in a child process. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The CLI entry (bin/sarix.js). */
export const SARIX_BIN = join(import.meta.dirname, '..', '..', 'bin', 'sarix.js');

/** Runs `sarix ARGS` to its end without blocking this process (in-process peers keep answering); no camera password from the environment. */
export function spawnSarix(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return spawnSarixWithEnv({}, ...args);
}

/** Like spawnSarix, with extra environment variables (host switches such as SARIX_SITE_DNS). */
export function spawnSarixWithEnv(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SARIX_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, SARIX_CAMERA_PASSWORD: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}
