/**
 * The NTP checks: the name resolves, the server answers SNTP (stratum, round trip, kiss codes), and how far this
 * laptop's clock is from it (the camera check compares the camera against this laptop, so this comes first).
 */
import { addressScope, isLocalAddress } from '../../../shared/domain/net-address';
import { checkResult, clockOutcome, ntpAnswerOutcome, skipped, type CheckId, type CheckOutcome, type CheckResult } from '../../../shared/domain/diagnostics';
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
  noTargetReason?: string;
  report: (r: CheckResult) => void;
}

/** Runs the NTP checks (or reports them skipped with the reason when there is no target). */
export async function runNtpChecks(target: NtpTarget | undefined, d: NtpCheckDeps): Promise<void> {
  const report = (id: CheckId, o: CheckOutcome, t0: number) => d.report(checkResult(id, o, d.now() - t0));
  if (!target) {
    for (const id of ['ntp-resolve', 'ntp-answer', 'ntp-laptop-clock'] as const) d.report(skipped(id, d.noTargetReason ?? 'No NTP server to check.', 'Fill in the NTP server (CLI: --ntp-server HOST), or give the camera to read it from there.'));
    return;
  }
  let t0 = d.now();
  const a = await d.resolver.lookup(target.host);
  const details = { host: target.host, source: a.source, addresses: a.addresses, servers: a.servers, error: a.error };
  if (a.addresses.length === 0) {
    report('ntp-resolve', { verdict: 'fail', message: `${target.host} does not resolve: ${describeResolver(a)}.`, fix: "Use the NTP server's IP address on the camera, or add the name to the site DNS.", details }, t0);
    d.report(skipped('ntp-answer', 'Not asked: the name does not resolve.'));
    d.report(skipped('ntp-laptop-clock', 'Not measured: no NTP answer.'));
    return;
  }
  report('ntp-resolve', { verdict: 'pass', message: resolvedMessage(target.host, a), details }, t0);

  t0 = d.now();
  const address = a.addresses.find((x) => isLocalAddress(x));
  if (!address) {
    report(
      'ntp-answer',
      {
        verdict: 'warn',
        message: `${target.host} is a public server (${a.addresses.join(', ')}, ${addressScope(a.addresses[0]) ?? 'unknown'}): not contacted. On a site without internet the camera cannot reach it either.`,
        fix: 'Use a local NTP server (router, recorder, or a server on site) for the camera.',
      },
      t0,
    );
    d.report(skipped('ntp-laptop-clock', 'Not measured: the doctor only queries local NTP servers.'));
    return;
  }
  const server = `${target.host}${target.port === 123 ? '' : `:${target.port}`}`;
  try {
    const r = await querySntp({ address, port: target.port, timeoutMs: d.timeoutMs, now: d.wallClock, signal: d.signal, createSocket: d.createSocket });
    const answer = ntpAnswerOutcome(r, server);
    report('ntp-answer', answer, t0);
    if (r.kissCode !== undefined) {
      d.report(skipped('ntp-laptop-clock', 'Not measured: the server sent no time.'));
      return;
    }
    // The SNTP offset is server minus laptop; the laptop is "ahead" when that is negative.
    report(
      'ntp-laptop-clock',
      clockOutcome(-r.offsetMs, "This laptop's clock", server, "Set this laptop's time from the site NTP server (or by hand) before judging the camera's clock."),
      t0,
    );
  } catch (e) {
    if (d.signal?.aborted) throw d.signal.reason;
    const kind = e instanceof SntpError ? e.kind : 'network';
    const msg = e instanceof Error ? e.message : String(e);
    const outcome: CheckOutcome =
      kind === 'timeout'
        ? { verdict: 'fail', message: `${server} did not answer SNTP (${msg}).`, fix: 'Check that the NTP service runs and UDP port 123 is open in its firewall.' }
        : kind === 'network' && /ECONNREFUSED/.test(msg)
          ? { verdict: 'fail', message: `Nothing answers NTP on ${address}:${target.port} (port unreachable).`, fix: 'Start the NTP service on that host, or point the camera at another NTP server.' }
          : { verdict: 'fail', message: `${server}: ${msg}.`, fix: 'Check the NTP server address; it answered with something that is not NTP.' };
    report('ntp-answer', { ...outcome, details: { address, port: target.port, error: msg } }, t0);
    d.report(skipped('ntp-laptop-clock', 'Not measured: no NTP answer.'));
  }
}
