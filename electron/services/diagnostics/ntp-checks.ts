/**
 * The NTP checks: the name resolves, the server answers SNTP (stratum, round trip, kiss codes), and how far this
 * laptop's clock is from it (the camera check compares the camera against this laptop, so this comes first).
 */
import { addressScope, isLocalAddress } from '../../../shared/domain/net-address';
import { checkResult, clockOutcome, ntpAnswerOutcome, says, skipped, type CheckId, type CheckOutcome, type CheckResult } from '../../../shared/domain/diagnostics';
import { part, type KeyedLine } from '../../../shared/i18n/keyed-text';
import type { NameResolver } from './resolver';
import { describeResolver, resolvedMessage } from './smtp-checks';
import { querySntp, SntpError, type SntpQueryOptions } from './sntp-client';

/** The NTP server to check. */
export interface NtpTarget {
  host: string;
  port: number;
  source: 'flag' | 'camera';
}

/** What the NTP checks need. */
export interface NtpCheckDeps {
  resolver: NameResolver;
  now: () => number;
  /** Unix-ms clock of this laptop (the one being judged). */
  wallClock?: () => number;
  signal?: AbortSignal;
  timeoutMs?: number;
  createSocket?: SntpQueryOptions['createSocket'];
  /** Why there is no target, when the caller knows better than "none given". */
  noTargetReason?: KeyedLine;
  report: (r: CheckResult) => void;
}

/** Runs the NTP checks (or reports them skipped with the reason when there is no target). */
export async function runNtpChecks(target: NtpTarget | undefined, d: NtpCheckDeps): Promise<void> {
  const report = (id: CheckId, o: CheckOutcome, t0: number) => d.report(checkResult(id, o, d.now() - t0));
  if (!target) {
    for (const id of ['ntp-resolve', 'ntp-answer', 'ntp-laptop-clock'] as const) d.report(skipped(id, d.noTargetReason ?? ['doctor.msg.noNtpTarget'], ['doctor.fix.giveNtp']));
    return;
  }
  let t0 = d.now();
  const a = await d.resolver.lookup(target.host);
  const details = { host: target.host, source: a.source, addresses: a.addresses, servers: a.servers, error: a.error };
  if (a.addresses.length === 0) {
    report('ntp-resolve', { verdict: 'fail', ...says(['doctor.msg.noResolve', { host: target.host, how: describeResolver(a) }], ['doctor.fix.ntpNoResolve']), details }, t0);
    d.report(skipped('ntp-answer', ['doctor.msg.ntpNotAsked']));
    d.report(skipped('ntp-laptop-clock', ['doctor.msg.noNtpAnswerSkip']));
    return;
  }
  report('ntp-resolve', { verdict: 'pass', ...says(resolvedMessage(target.host, a)), details }, t0);

  t0 = d.now();
  const address = a.addresses.find((x) => isLocalAddress(x));
  if (!address) {
    report(
      'ntp-answer',
      {
        verdict: 'warn',
        ...says(['doctor.msg.ntpPublic', { host: target.host, addresses: a.addresses.join(', '), scope: addressScope(a.addresses[0]) ?? part('doctor.msg.unknown') }], ['doctor.fix.localNtp']),
      },
      t0,
    );
    d.report(skipped('ntp-laptop-clock', ['doctor.msg.onlyLocalNtp']));
    return;
  }
  const server = `${target.host}${target.port === 123 ? '' : `:${target.port}`}`;
  try {
    const r = await querySntp({ address, port: target.port, timeoutMs: d.timeoutMs, now: d.wallClock, signal: d.signal, createSocket: d.createSocket });
    const answer = ntpAnswerOutcome(r, server);
    report('ntp-answer', answer, t0);
    if (r.kissCode !== undefined) {
      d.report(skipped('ntp-laptop-clock', ['doctor.msg.noTimeSent']));
      return;
    }
    // The SNTP offset is server minus laptop; the laptop is "ahead" when that is negative.
    report(
      'ntp-laptop-clock',
      clockOutcome(-r.offsetMs, { ntpServer: server }, ['doctor.fix.laptopTime']),
      t0,
    );
  } catch (e) {
    if (d.signal?.aborted) throw d.signal.reason;
    const kind = e instanceof SntpError ? e.kind : 'network';
    const msg = e instanceof Error ? e.message : String(e);
    const outcome: CheckOutcome =
      kind === 'timeout'
        ? { verdict: 'fail', ...says(['doctor.msg.sntpSilent', { server, error: msg }], ['doctor.fix.openUdp123']) }
        : kind === 'network' && /ECONNREFUSED/.test(msg)
          ? { verdict: 'fail', ...says(['doctor.msg.ntpPortUnreachable', { address, port: target.port }], ['doctor.fix.startNtp']) }
          : { verdict: 'fail', ...says(['doctor.msg.ntpOther', { server, error: msg }], ['doctor.fix.notNtp']) };
    report('ntp-answer', { ...outcome, details: { address, port: target.port, error: msg } }, t0);
    d.report(skipped('ntp-laptop-clock', ['doctor.msg.noNtpAnswerSkip']));
  }
}
