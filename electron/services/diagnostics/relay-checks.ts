/**
 * The relay checks (when a relay runs in this process): where it listens, whether the camera's IP is on its
 * allow-list, and whether this OS lets a program listen on port 25 at all.
 */
import { createServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { part } from '../../../shared/i18n/keyed-text';
import { checkResult, says, skipped, type CheckId, type CheckOutcome, type CheckResult } from '../../../shared/domain/diagnostics';
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
      d.report(skipped('relay-allow-list', ['doctor.msg.relayElsewhere'], ['doctor.fix.runFromApp']));
    } else {
      d.report(
        skipped(
          'relay-listening',
          p ? ['doctor.msg.smtpNotThisLaptop', { address: p.address }] : ['doctor.msg.noRelayHere'],
          ['doctor.fix.probeRelay'],
        ),
      );
      d.report(skipped('relay-allow-list', ['doctor.msg.noRelayState']));
    }
  } else {
    state = await d.relay.getState();
    const at = `${state.listenAddress ?? '?'}:${state.port ?? '?'}`;
    const details = { status: state.status, listenAddress: state.listenAddress, port: state.port, allow: state.allow };
    if (state.status !== 'listening') {
      report('relay-listening', { verdict: 'fail', ...says(['doctor.msg.relayStatus', { status: state.status }], ['doctor.fix.startRelay']), details }, t0);
    } else if (state.listenAddress && addressScope(state.listenAddress) === 'loopback') {
      report('relay-listening', { verdict: 'warn', ...says(['doctor.msg.relayLoopback', { at }], ['doctor.fix.listenLan']), details }, t0);
    } else if (state.port !== 25) {
      report('relay-listening', { verdict: 'warn', ...says(['doctor.msg.relayNot25', { at }], ['doctor.fix.listen25']), details, article: 'port-25' }, t0);
    } else {
      report('relay-listening', { verdict: 'pass', ...says(['doctor.msg.relayListens', { at }]), details }, t0);
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
      d.report(skipped('relay-allow-list', ['doctor.msg.allowNoCamera', { n: state.allow.length }], ['doctor.fix.giveCameraForAllow']));
    } else if (isClientAllowed(d.cameraAddress, entries)) {
      report('relay-allow-list', { verdict: 'pass', ...says(['doctor.msg.allowed', { address: d.cameraAddress }]), details: allowDetails }, t0);
    } else {
      report(
        'relay-allow-list',
        { verdict: 'fail', ...says(['doctor.msg.notAllowed', { address: d.cameraAddress }], ['doctor.fix.allowCamera', { address: d.cameraAddress }]), details: allowDetails },
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
  if (!p.isListening) return { verdict: 'fail', ...says(['doctor.msg.nothingListens', { at }], ['doctor.fix.startRelayPage', { at }]), details, article: 'port-25' };
  const seen = p.banner ? part('doctor.msg.smtpListensBanner', { at, banner: p.banner }) : part('doctor.msg.smtpListens', { at });
  if (addressScope(p.address) === 'loopback') return { verdict: 'warn', ...says(['doctor.msg.seenLoopback', { seen }], ['doctor.fix.listenLan']), details };
  if (p.port !== 25) return { verdict: 'warn', ...says(['doctor.msg.seenNot25', { seen }], ['doctor.fix.listen25']), details, article: 'port-25' };
  return { verdict: 'pass', ...says(['doctor.msg.seen', { seen }]), details };
}

async function portPrivilege(d: RelayCheckDeps, state: RelayState | undefined): Promise<CheckOutcome> {
  const platform = d.platform ?? process.platform;
  const details: Record<string, unknown> = { platform, uid: d.uid, unprivilegedPortStart: d.unprivilegedPortStart };
  if (state?.status === 'listening' && state.port === 25) return { verdict: 'pass', ...says(['doctor.msg.relayOn25']), details };
  const probe = await (d.bindProbe ?? listenProbe)(25, '127.0.0.1');
  details.bindProbe = probe;
  details.probedAddress = '127.0.0.1';
  const osName = platform === 'win32' ? 'Windows' : platform === 'darwin' ? 'macOS' : platform === 'linux' ? 'Linux' : platform;
  if (probe === 'ok') {
    const why =
      platform === 'linux'
        ? d.uid === 0
          ? part('doctor.port25.root')
          : d.unprivilegedPortStart !== undefined && d.unprivilegedPortStart <= 25
            ? part('doctor.port25.sysctl', { start: d.unprivilegedPortStart })
            : part('doctor.port25.capability')
        : platform === 'darwin'
          ? part('doctor.port25.macos')
          : part('doctor.port25.windows');
    return { verdict: 'pass', ...says(['doctor.msg.mayListen25', { os: osName, why }]), details };
  }
  if (probe === 'EACCES' || probe === 'EPERM') {
    return {
      verdict: 'fail',
      ...says(['doctor.msg.mayNotListen25', { os: osName, code: probe }], platform === 'linux' ? ['doctor.fix.grantBind'] : ['doctor.fix.port25Rights']),
      details,
    };
  }
  if (probe === 'EADDRINUSE') {
    return {
      verdict: 'warn',
      ...says(['doctor.msg.port25Taken'], platform === 'win32' ? ['doctor.fix.findPort25Windows'] : ['doctor.fix.findPort25']),
      details,
    };
  }
  return { verdict: 'warn', ...says(['doctor.msg.port25Untested', { code: probe }], ['doctor.fix.readRelayError']), details };
}
