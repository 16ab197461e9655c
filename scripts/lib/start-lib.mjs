// Decides whether `npm start` can run Electron here, and if not, the one line that says why (scripts/start.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The hint every "cannot run" line ends with. */
export const WEB_HINT = 'run `npm run start:web` for the same app in a browser';

/**
 * Where the Electron binary is, or why it is missing. Electron 42+ no longer downloads it at `npm install`
 * (electron/rfcs#22: it is fetched on first `require('electron')`), and electron-vite reads path.txt directly
 * without triggering that download, hence the "Electron uninstall" error this check replaces.
 */
export function electronBinary(electronDir) {
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return { isPresent: false };
  const exe = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return { isPresent: existsSync(exe), exe };
}

/**
 * Why Electron cannot start on this machine (null when it can). Checked before anything is built, so the
 * technician or developer gets one line, not a stack trace.
 */
export function cannotRunReason({ platform, env, uid, args = [] }) {
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return `Electron cannot run here: there is no graphical display (DISPLAY and WAYLAND_DISPLAY are unset); ${WEB_HINT}.`;
  // Chromium refuses to start as root unless its sandbox is switched off, and this app does not switch it off.
  if (platform === 'linux' && uid === 0 && !args.includes('--no-sandbox')) return `Electron will not run as root (its sandbox needs a normal user); log in as a normal user, or ${WEB_HINT}.`;
  return null;
}

/** The line for a missing binary, depending on whether a download is allowed. */
export function missingBinaryReason(env, downloadError) {
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) return `Electron cannot run here: its binary was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set); unset it and run \`npm start\` again to download it, or ${WEB_HINT}.`;
  return `Electron cannot run here: its binary could not be downloaded (${downloadError ?? 'no internet?'}); ${WEB_HINT}.`;
}
