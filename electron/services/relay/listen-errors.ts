/** Turns a failed listen() into an AppFailure that says why, and what to do on this operating system. */
import { AppFailure } from '../../../shared/ipc/result';

/** The SMTP port of the cameras: legacy Sarix firmware has no port setting and always sends to 25 (docs/camera.md §1, §6). */
const CAMERA_SMTP_PORT = 25;
/** The practice relay's port (the app's practice mode, `sarix serve`); kept here so services never import a host. */
const PRACTICE_PORT = 2525;

/** The command that shows which program listens on a TCP port, per operating system. */
function whoListensCommand(port: number, platform: NodeJS.Platform): string {
  if (platform === 'win32') return `"netstat -ano | findstr :${port}" (the last column is the process id; find it in Task Manager > Details)`;
  if (platform === 'darwin') return `"sudo lsof -nP -iTCP:${port} -sTCP:LISTEN"`;
  return `"sudo ss -ltnp 'sport = :${port}'"`;
}

/**
 * Who plausibly holds a busy port, and what to do. Only port 25 is a mail server's by default; blaming postfix
 * for, say, port 40123 sends the technician after the wrong program.
 */
function busyPortAdvice(port: number, platform: NodeJS.Platform): string {
  const find = `see which program with ${whoListensCommand(port, platform)}`;
  if (port === CAMERA_SMTP_PORT) {
    const who =
      platform === 'win32'
        ? 'Another mail server is probably running (IIS SMTP service, hMailServer, an antivirus mail shield); stop it in Services'
        : platform === 'darwin'
          ? 'Another mail server (e.g. postfix started by launchd) already uses it; stop it with "sudo postfix stop"'
          : `Another mail server (postfix, exim, sendmail) already uses it; ${find} and stop it`;
    return `${who}, or listen on another address of this computer that it does not use. The cameras only send to port 25, so another port will not receive their mail.`;
  }
  const who =
    port === PRACTICE_PORT
      ? 'It is the practice relay port: another copy of Sarix Commissioner (the app, "sarix serve" or "sarix relay" in a terminal) probably holds it; close that copy'
      : 'Another program already listens there';
  return `${who}; ${find}, or choose another port for the relay.`;
}

/** Why the system refused a port, and what to do. */
function refusedPortAdvice(port: number, platform: NodeJS.Platform): string {
  if (platform === 'win32') {
    return 'Windows refused the port: a firewall or security product may block it, or another service reserved it ("netsh int ipv4 show excludedportrange tcp"); run as administrator or choose another port.';
  }
  if (port >= 1024) {
    // No privilege is needed from 1024 up, so the refusal comes from a policy, not from the port number.
    return `Port ${port} needs no privilege, so a security policy (SELinux, AppArmor, a sandbox) or a firewall rule refused it; check the system log, or choose another port.`;
  }
  return platform === 'darwin'
    ? 'macOS before Mojave (10.14) only lets administrators use ports below 1024: run the app as an administrator, or choose another port (e.g. 2525).'
    : `Ports below 1024 need a privilege on Linux: run "sudo setcap cap_net_bind_service=+ep $(readlink -f $(which node))", or lower the limit with "sudo sysctl net.ipv4.ip_unprivileged_port_start=25", or choose another port (e.g. 2525).`;
}

/** Builds the user-facing failure for a listen error on `address:port` (platform injectable for tests). */
export function listenFailure(e: unknown, address: string, port: number, platform: NodeJS.Platform = process.platform): AppFailure {
  const code = (e as { code?: string } | null)?.code;
  const where = `${address}:${port}`;
  if (code === 'EADDRINUSE') {
    return new AppFailure('PORT_IN_USE', `Port ${port} on ${address} is already in use. ${busyPortAdvice(port, platform)}`, { code, where });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new AppFailure('PORT_PERMISSION', `Not allowed to listen on port ${port} (${where}). ${refusedPortAdvice(port, platform)}`, { code, where });
  }
  if (code === 'EADDRNOTAVAIL') {
    return new AppFailure('VALIDATION', `${address} is not an address of this computer. Choose one of its interface addresses (the LAN the cameras are on).`, { code, where });
  }
  return new AppFailure('NETWORK', `The relay could not listen on ${where}: ${(e as Error)?.message ?? String(e)}.`, { code, where });
}
