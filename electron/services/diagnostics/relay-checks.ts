/**
 * The relay checks (when a relay runs in this process): where it listens, whether the camera's IP is on its
 * allow-list, and whether this OS lets a program listen on port 25 at all.
 */
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { checkResult, skipped, type CheckId, type CheckOutcome, type CheckResult } from '../../../shared/domain/diagnostics';
import { addressScope } from '../../../shared/domain/net-address';
import { isClientAllowed, parseAllowEntry, type AllowEntry, type RelayState } from '../../../shared/domain/relay';
import type { SmtpProbeSummary } from './smtp-checks';

/** Where the doctor reads the relay's state (the relay service, when it runs in this process). */
export interface RelayStateSource {
  getState(): RelayState | Promise<RelayState>;
}

/** Tries to listen on a port and closes again; resolves 'ok' or the error code (EACCES, EADDRINUSE, ...). */
export type PortBindProbe = (port: number, address: string) => Promise<string>;

/** The default probe: a real listen on the address, closed at once (no traffic is sent). */
export const listenProbe: PortBindProbe = (port, address) =>
  new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'ERROR'));
    srv.listen({ port, host: address, exclusive: true }, () => srv.close(() => resolve('ok')));
  });

/** What the relay checks need. */
export interface RelayCheckDeps {
  relay?: RelayStateSource;
  /**
   * Without relay state (the CLI: `sarix relay` runs in another process): what the SMTP checks saw at the SMTP
   * server, and whether that address belongs to this laptop, so a relay here can still be judged from outside.
   */
  probedSmtp?: SmtpProbeSummary & { isThisMachine: boolean };
  /** The camera's IP address (resolved from --camera), when known. */
  cameraAddress?: string;
  bindProbe?: PortBindProbe;
  platform?: NodeJS.Platform;
  /** Effective user id on POSIX (root binds any port). */
  uid?: number;
  /** Linux: the value of net.ipv4.ip_unprivileged_port_start, when readable. */
  unprivilegedPortStart?: number;
  now: () => number;
  report: (r: CheckResult) => void;
}

/** Reads Linux's lowest unprivileged port (undefined elsewhere or when unreadable). */
export async function readUnprivilegedPortStart(): Promise<number | undefined> {
  try {
    const n = Number((await readFile('/proc/sys/net/ipv4/ip_unprivileged_port_start', 'utf8')).trim());
    return Number.isInteger(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

/** Runs the relay checks. */
export async function runRelayChecks(d: RelayCheckDeps): Promise<void> {
  const report = (id: CheckId, o: CheckOutcome, t0: number) => d.report(checkResult(id, o, d.now() - t0));
  let t0 = d.now();
  let state: RelayState | undefined;
  if (!d.relay) {
    const p = d.probedSmtp;
    if (p?.isThisMachine) {
      report('relay-listening', outsideListening(p), t0);
      d.report(skipped('relay-allow-list', "A relay in another process (sarix relay) does not show its allow-list; check that its --allow includes the camera's IP.", 'Run the doctor from the app to check the allow-list.'));
    } else {
      d.report(
        skipped(
          'relay-listening',
          p ? `The SMTP server ${p.address} is not this laptop, and no relay runs in this process.` : 'No relay runs in this process, so its state is unknown here.',
          'Run the doctor from the app, or probe a running relay with --smtp-server ITS-ADDRESS[:PORT].',
        ),
      );
      d.report(skipped('relay-allow-list', 'No relay state available.'));
    }
  } else {
    state = await d.relay.getState();
    const at = `${state.listenAddress ?? '?'}:${state.port ?? '?'}`;
    const details = { status: state.status, listenAddress: state.listenAddress, port: state.port, allow: state.allow };
    if (state.status !== 'listening') {
      report('relay-listening', { verdict: 'fail', message: `The relay is ${state.status}.`, fix: 'Start the relay on the LAN address the camera reaches, port 25.', details }, t0);
    } else if (state.listenAddress && addressScope(state.listenAddress) === 'loopback') {
      report('relay-listening', { verdict: 'warn', message: `The relay listens on ${at}, a loopback address: only this laptop (and the practice camera) can reach it.`, fix: "Listen on this laptop's LAN address so a real camera can reach the relay.", details }, t0);
    } else if (state.port !== 25) {
      report('relay-listening', { verdict: 'warn', message: `The relay listens on ${at}, but the camera always sends to port 25.`, fix: 'Listen on port 25 (see the port-25 article for your OS).', details, article: 'port-25' }, t0);
    } else {
      report('relay-listening', { verdict: 'pass', message: `The relay listens on ${at}.`, details }, t0);
    }

    t0 = d.now();
    const entries: AllowEntry[] = [];
    const bad: string[] = [];
    for (const a of state.allow) {
      const p = parseAllowEntry(a);
      if (p.ok) entries.push(p.entry);
      else bad.push(a);
    }
    const allowDetails = { allow: state.allow, invalid: bad, cameraAddress: d.cameraAddress };
    if (!d.cameraAddress) {
      d.report(skipped('relay-allow-list', `The allow-list has ${state.allow.length} entr${state.allow.length === 1 ? 'y' : 'ies'}; no camera given to check against it.`, 'Fill in the camera address (CLI: --camera URL) to check its IP against the allow-list.'));
    } else if (isClientAllowed(d.cameraAddress, entries)) {
      report('relay-allow-list', { verdict: 'pass', message: `${d.cameraAddress} is on the relay allow-list.`, details: allowDetails }, t0);
    } else {
      report(
        'relay-allow-list',
        { verdict: 'fail', message: `${d.cameraAddress} is not on the relay allow-list: the relay would refuse the camera's mail (550), and the camera does not retry.`, fix: `Add ${d.cameraAddress} (or its subnet) to the relay allow-list.`, details: allowDetails },
        t0,
      );
    }
  }

  t0 = d.now();
  report('relay-port-privilege', await portPrivilege(d, state), t0);
}

function outsideListening(p: SmtpProbeSummary): CheckOutcome {
  const at = `${p.address}:${p.port}`;
  const details = { address: p.address, port: p.port, banner: p.banner, seenFrom: 'outside (SMTP probe)' };
  if (!p.isListening) return { verdict: 'fail', message: `Nothing listens on ${at} on this laptop.`, fix: `Start the relay on the Relay page (CLI: sarix relay --listen ${at} --allow CAMERA-IP).`, details, article: 'port-25' };
  const seen = `An SMTP server listens on ${at} on this laptop${p.banner ? ` (${p.banner})` : ''}`;
  if (addressScope(p.address) === 'loopback') return { verdict: 'warn', message: `${seen}, but on loopback: only this laptop can reach it.`, fix: "Listen on this laptop's LAN address so a real camera can reach the relay.", details };
  if (p.port !== 25) return { verdict: 'warn', message: `${seen}, but the camera always sends to port 25.`, fix: 'Listen on port 25 (see the port-25 article for your OS).', details, article: 'port-25' };
  return { verdict: 'pass', message: `${seen}.`, details };
}

async function portPrivilege(d: RelayCheckDeps, state: RelayState | undefined): Promise<CheckOutcome> {
  const platform = d.platform ?? process.platform;
  const details: Record<string, unknown> = { platform, uid: d.uid, unprivilegedPortStart: d.unprivilegedPortStart };
  if (state?.status === 'listening' && state.port === 25) return { verdict: 'pass', message: 'The relay already listens on port 25.', details };
  const probe = await (d.bindProbe ?? listenProbe)(25, '127.0.0.1');
  details.bindProbe = probe;
  details.probedAddress = '127.0.0.1';
  const osName = platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'macOS' : platform === 'linux' ? 'Linux' : platform;
  if (probe === 'ok') {
    const why =
      platform === 'linux'
        ? d.uid === 0
          ? 'running as root'
          : d.unprivilegedPortStart !== undefined && d.unprivilegedPortStart <= 25
            ? `net.ipv4.ip_unprivileged_port_start is ${d.unprivilegedPortStart}`
            : 'the program has the bind capability'
        : platform === 'darwin'
          ? 'macOS 10.14+ lets apps use ports below 1024'
          : 'Windows has no privileged ports; allow the app in the firewall when asked';
    return { verdict: 'pass', message: `This user may listen on port 25 on ${osName} (${why}).`, details };
  }
  if (probe === 'EACCES' || probe === 'EPERM') {
    return {
      verdict: 'fail',
      message: `${osName} does not let this user listen on port 25 (${probe}).`,
      fix: platform === 'linux' ? 'Grant the bind capability (setcap cap_net_bind_service=+ep) or lower net.ipv4.ip_unprivileged_port_start to 25.' : 'Run the relay with the rights the port-25 article names for this OS.',
      details,
    };
  }
  if (probe === 'EADDRINUSE') {
    return {
      verdict: 'warn',
      message: 'Port 25 on this laptop is already taken by another program, so the relay could not use it.',
      fix: platform === 'win32' ? 'Find the program with "netstat -ano | findstr :25" and stop it (IIS SMTP, an antivirus mail shield).' : 'Find the program with "ss -ltnp | grep :25" (or lsof -i :25) and stop it.',
      details,
    };
  }
  return { verdict: 'warn', message: `Could not test port 25 (${probe}).`, fix: 'Start the relay on port 25 and read its error, if any.', details };
}
