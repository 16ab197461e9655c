/** Turns a failed listen() into an AppFailure that says why, and what to do on this operating system. */
import { failure, sub } from '../../../shared/i18n/messages';
import type { AppFailure, SubMessage } from '../../../shared/ipc/result';

/** The SMTP port of the cameras: legacy Sarix firmware has no port setting and always sends to 25 (docs/camera.md §1, §6). */
const CAMERA_SMTP_PORT = 25;
/** The practice relay's port (the app's practice mode, `sarix serve`); kept here so services never import a host. */
const PRACTICE_PORT = 2525;

/** The command that shows which program listens on a TCP port, per operating system (keyed: Windows adds a hint). */
function whoListensCommand(port: number, platform: NodeJS.Platform): SubMessage {
  if (platform === 'win32') return sub('errors.PORT_IN_USE.whoWin32', { port: String(port) });
  if (platform === 'darwin') return sub('errors.PORT_IN_USE.whoDarwin', { port: String(port) });
  return sub('errors.PORT_IN_USE.whoLinux', { port: String(port) });
}

/**
 * Who plausibly holds a busy port, and what to do. Only port 25 is a mail server's by default; blaming postfix
 * for, say, port 40123 sends the technician after the wrong program.
 */
function busyPortFailure(address: string, port: number, platform: NodeJS.Platform, details: unknown): AppFailure {
  const p = { port: String(port), address };
  if (port === CAMERA_SMTP_PORT) {
    if (platform === 'win32') return failure('PORT_IN_USE', 'errors.PORT_IN_USE.mailServerWin32', p, details);
    if (platform === 'darwin') return failure('PORT_IN_USE', 'errors.PORT_IN_USE.mailServerDarwin', p, details);
    return failure('PORT_IN_USE', 'errors.PORT_IN_USE.mailServerLinux', { ...p, who: whoListensCommand(port, platform) }, details);
  }
  const key = port === PRACTICE_PORT ? 'errors.PORT_IN_USE.practicePort' : 'errors.PORT_IN_USE.otherProgram';
  return failure('PORT_IN_USE', key, { ...p, who: whoListensCommand(port, platform) }, details);
}

/** Why the system refused a port, and what to do. */
function refusedPortFailure(port: number, where: string, platform: NodeJS.Platform, details: unknown): AppFailure {
  const p = { port: String(port), where };
  if (platform === 'win32') return failure('PORT_PERMISSION', 'errors.PORT_PERMISSION.windows', p, details);
  // No privilege is needed from 1024 up, so the refusal comes from a policy, not from the port number.
  if (port >= 1024) return failure('PORT_PERMISSION', 'errors.PORT_PERMISSION.policy', p, details);
  return failure('PORT_PERMISSION', platform === 'darwin' ? 'errors.PORT_PERMISSION.macos' : 'errors.PORT_PERMISSION.linux', p, details);
}

/** Builds the user-facing failure for a listen error on `address:port` (platform injectable for tests). */
export function listenFailure(e: unknown, address: string, port: number, platform: NodeJS.Platform = process.platform): AppFailure {
  const code = (e as { code?: string } | null)?.code;
  const where = `${address}:${port}`;
  if (code === 'EADDRINUSE') return busyPortFailure(address, port, platform, { code, where });
  if (code === 'EACCES' || code === 'EPERM') return refusedPortFailure(port, where, platform, { code, where });
  if (code === 'EADDRNOTAVAIL') return failure('VALIDATION', 'errors.VALIDATION.notLocalAddress', { address }, { code, where });
  return failure('NETWORK', 'errors.NETWORK.listen', { where, reason: (e as Error)?.message ?? String(e) }, { code, where });
}
