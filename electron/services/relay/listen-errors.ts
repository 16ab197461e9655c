/** Turns a failed listen() into an AppFailure that says why, and what to do on this operating system. */
import { AppFailure } from '../../../shared/ipc/result';

/** Builds the user-facing failure for a listen error on `address:port` (platform injectable for tests). */
export function listenFailure(e: unknown, address: string, port: number, platform: NodeJS.Platform = process.platform): AppFailure {
  const code = (e as { code?: string } | null)?.code;
  const where = `${address}:${port}`;
  if (code === 'EADDRINUSE') {
    const who =
      platform === 'win32'
        ? 'Another mail server is probably running (IIS SMTP service, hMailServer, an antivirus mail shield); stop it in Services, or'
        : platform === 'darwin'
          ? 'Another mail server (e.g. postfix started by launchd) already uses it; stop it with "sudo postfix stop", or'
          : 'Another mail server (postfix, exim, sendmail) already uses it; see "sudo ss -ltnp | grep :' + port + '" and stop it, or';
    return new AppFailure('PORT_IN_USE', `Port ${port} on ${address} is already in use. ${who} choose another port for the relay.`, { code, where });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    const how =
      platform === 'win32'
        ? 'Windows refused the port: a firewall or security product may block it, or another service reserved it ("netsh int ipv4 show excludedportrange tcp"); run as administrator or choose another port.'
        : platform === 'darwin'
          ? 'macOS before Mojave (10.14) only lets administrators use ports below 1024: run the app as an administrator, or choose another port (e.g. 2525).'
          : `Ports below 1024 need a privilege on Linux: run "sudo setcap cap_net_bind_service=+ep $(readlink -f $(which node))", or lower the limit with "sudo sysctl net.ipv4.ip_unprivileged_port_start=25", or choose another port (e.g. 2525).`;
    return new AppFailure('PORT_PERMISSION', `Not allowed to listen on port ${port} (${where}). ${how}`, { code, where });
  }
  if (code === 'EADDRNOTAVAIL') {
    return new AppFailure('VALIDATION', `${address} is not an address of this computer. Choose one of its interface addresses (the LAN the cameras are on).`, { code, where });
  }
  return new AppFailure('NETWORK', `The relay could not listen on ${where}: ${(e as Error)?.message ?? String(e)}.`, { code, where });
}
