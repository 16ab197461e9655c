/**
 * The pre-flight before any change to a camera: the relay runs; the camera can reach it (the relay listens on this
 * computer's address on the camera's subnet, port 25 for a real camera: it has no port setting, docs/camera.md §1;
 * practice cameras on loopback are the documented exception, their SMTP port is a simulator knob); the camera's IP
 * is on the relay's allow-list (a refused camera does not retry, §6); the camera answers; the NTP server answers
 * (SNTP, the doctor's client). Each failed check carries the fix the UI offers in place; nothing here changes the
 * relay: the technician presses the fix.
 */
import { checkSiteProfile } from '../../../shared/domain/commissioning';
import type { PreflightCheck, PreflightFix, PreflightReport } from '../../../shared/domain/commissioning-session';
import { isLocalAddress, parseIp } from '../../../shared/domain/net-address';
import { isClientAllowed, isWildcardAddress, parseAllowEntry, type AllowEntry, type RelayState } from '../../../shared/domain/relay';
import { isAppFailure } from '../../../shared/ipc/result';
import { querySntp, SntpError } from '../diagnostics/sntp-client';
import { addressToward, type LocalAddress } from './test-relay';

/** The port a real Sarix camera sends to (no setting on the camera). */
export const CAMERA_SMTP_PORT = 25;

/** What the pre-flight needs. */
export interface PreflightDeps {
  relayState: () => RelayState;
  /** How the technician last started the relay (its port is reused for a practice camera). */
  savedRelay?: () => { listenAddress: string; port: number } | null;
  /** Where practice mode's relay listened (practice cameras send to that port; a simulator setting). */
  practiceRelay?: () => { address: string; port: number } | undefined;
  localAddresses: () => readonly LocalAddress[];
  resolveHost: (host: string) => Promise<string[]>;
  /** One SNTP query (default: the doctor's client on port 123). */
  queryNtp?: (address: string, signal?: AbortSignal) => Promise<{ offsetMs: number; stratum: number }>;
  now?: () => number;
}

/** What is checked. */
export interface PreflightInput {
  cameraIp: string;
  /** Logs in and reads the camera (throws an AppFailure when it does not answer or refuses the login). */
  cameraAnswers: () => Promise<void>;
  ntpServer: string;
  signal?: AbortSignal;
}

function allowEntries(state: RelayState): AllowEntry[] {
  return state.allow.flatMap((a) => {
    const r = parseAllowEntry(a);
    return r.ok ? [r.entry] : [];
  });
}

const isLoopbackIp = (ip: string) => /^127\./.test(ip) || ip === '::1';

/** Runs every pre-flight check; never throws (a check that cannot run says why). */
export async function runPreflight(input: PreflightInput, d: PreflightDeps): Promise<PreflightReport> {
  const checks: PreflightCheck[] = [];
  const ip = input.cameraIp;
  const isReal = !isLoopbackIp(ip);
  const state = d.relayState();
  const isListening = state.status === 'listening';
  const toward = addressToward(ip, d.localAddresses());
  const saved = d.savedRelay?.() ?? null;
  const wantPort = isReal ? CAMERA_SMTP_PORT : (d.practiceRelay?.()?.port ?? saved?.port ?? state.port ?? 2525);
  const wantAddress = toward ?? (isReal ? undefined : '127.0.0.1');
  const startFix = (kind: 'start-relay' | 'restart-relay'): PreflightFix | undefined =>
    wantAddress ? { kind, label: `${kind === 'start-relay' ? 'Start' : 'Restart'} the relay on ${wantAddress}:${wantPort}`, listenAddress: wantAddress, port: wantPort, allow: [...new Set([...state.allow, ip])] } : undefined;
  const noSubnet = `This computer has no address on the subnet of the camera ${ip}, so the camera cannot reach a relay here. Connect this computer to the camera's network (or give it an address in that subnet).`;

  // 1. The relay runs.
  if (isListening) {
    checks.push({ id: 'relay-running', title: 'The relay is running', verdict: 'pass', message: `The relay listens on ${state.listenAddress}:${state.port}.`, article: 'local-relay' });
  } else {
    checks.push({
      id: 'relay-running',
      title: 'The relay is running',
      verdict: 'fail',
      message: `The relay is ${state.status}: the camera's test e-mail would be lost. ${wantAddress ? `Start it on ${wantAddress}:${wantPort}.` : noSubnet}`,
      fix: startFix('start-relay'),
      article: 'local-relay',
    });
  }

  // 2. The camera can reach it: this computer's address on the camera's subnet, port 25 for a real camera.
  if (!isListening) {
    checks.push({ id: 'relay-reachable', title: 'The camera can reach the relay', verdict: 'skipped', message: 'Checked once the relay runs.', article: 'port-25' });
  } else {
    const listen = state.listenAddress ?? '';
    const isWildcard = isWildcardAddress(listen);
    const onSubnet = isWildcard || (isReal ? !!toward && parseIp(listen)?.address === toward : isLoopbackIp(listen));
    const problems: string[] = [];
    if (!onSubnet) problems.push(isReal ? (toward ? `the relay listens on ${listen}, but the camera ${ip} reaches this computer at ${toward}` : noSubnet) : `the relay listens on ${listen}, which the practice camera on ${ip} cannot reach`);
    if (isReal && state.port !== CAMERA_SMTP_PORT) problems.push(`the relay listens on port ${state.port}, but a Sarix camera always sends to port ${CAMERA_SMTP_PORT} (it has no port setting)`);
    checks.push(
      problems.length === 0
        ? {
            id: 'relay-reachable',
            title: 'The camera can reach the relay',
            verdict: 'pass',
            message: isReal ? `The relay is on the camera's subnet (${listen}) and on port ${CAMERA_SMTP_PORT}.` : `Practice camera on loopback: it sends to ${listen}:${state.port} (its SMTP port is a simulator setting; a real camera needs port 25).`,
            article: 'port-25',
          }
        : { id: 'relay-reachable', title: 'The camera can reach the relay', verdict: 'fail', message: `Not reachable: ${problems.join('; ')}.`, fix: startFix('restart-relay'), article: 'port-25' },
    );
  }

  // 3. The camera's IP is on the allow-list.
  if (!isListening) {
    checks.push({ id: 'relay-allows', title: "The camera's address is allowed", verdict: 'skipped', message: `Checked once the relay runs (the fix above allows ${ip}).`, article: 'local-relay' });
  } else if (isClientAllowed(ip, allowEntries(state))) {
    checks.push({ id: 'relay-allows', title: "The camera's address is allowed", verdict: 'pass', message: `${ip} is on the relay's allow-list.`, article: 'local-relay' });
  } else {
    checks.push({
      id: 'relay-allows',
      title: "The camera's address is allowed",
      verdict: 'fail',
      message: `${ip} is not on the relay's allow-list: the relay would refuse the camera, and the camera does not send a refused e-mail again.`,
      fix: { kind: 'allow-client', label: `Allow ${ip}`, entry: ip },
      article: 'local-relay',
    });
  }

  // 4. The camera answers.
  try {
    await input.cameraAnswers();
    checks.push({ id: 'camera-answers', title: 'The camera answers', verdict: 'pass', message: `The camera at ${ip} answers and accepts the login.`, article: 'factory-defaults' });
  } catch (e) {
    checks.push({ id: 'camera-answers', title: 'The camera answers', verdict: 'fail', message: isAppFailure(e) || e instanceof Error ? e.message : String(e), article: 'factory-defaults' });
  }

  // 5. The NTP server answers (a warning only: the e-mail test works without it, the camera's clock does not).
  checks.push(await ntpCheck(input.ntpServer, input.signal, d));
  return { checks, isReady: !checks.some((c) => c.verdict === 'fail'), checkedAt: (d.now ?? Date.now)() };
}

async function ntpCheck(server: string, signal: AbortSignal | undefined, d: PreflightDeps): Promise<PreflightCheck> {
  const base = { id: 'ntp-answers' as const, title: 'The NTP server answers', article: 'ntp-clock-skew' as const };
  const host = server.trim();
  const hostProblem = checkSiteProfile({ smtpServer: 'x', ntpServer: host || '-', to: 'a@b.cd', from: 'a@b.cd', subject: 's', message: '', sourceName: 'Ab', handlerName: 'Ab', jpegSnapshot: true, rawEventData: true }).find((p) => p.field === 'NTP server');
  if (!host || hostProblem) return { ...base, verdict: 'fail', message: hostProblem?.message ?? 'Enter the NTP server (an IP address or a host name of a local time server).' };
  const literal = parseIp(host);
  const addresses = literal ? [literal.address] : await d.resolveHost(host).catch(() => [] as string[]);
  if (addresses.length === 0) return { ...base, verdict: 'warn', message: `${host} does not resolve from this computer: the camera may not resolve it either. Use the NTP server's IP address.` };
  const address = addresses.find((a) => isLocalAddress(a));
  if (!address) return { ...base, verdict: 'warn', message: `${host} is a public server (${addresses[0]}): not contacted. On a site without internet the camera cannot reach it either; use a local time server.` };
  const query = d.queryNtp ?? ((a: string, s?: AbortSignal) => querySntp({ address: a, port: 123, timeoutMs: 2000, signal: s }));
  try {
    const r = await query(address, signal);
    return { ...base, verdict: 'pass', message: `${host} answers NTP (stratum ${r.stratum}; this computer is ${Math.abs(Math.round(r.offsetMs))} ms ${r.offsetMs > 0 ? 'behind' : 'ahead'}).` };
  } catch (e) {
    const why = e instanceof SntpError && e.kind === 'timeout' ? 'did not answer within 2 s' : /ECONNREFUSED/.test(String((e as Error)?.message)) ? 'answers nothing on UDP 123 (port unreachable)' : `could not be asked (${(e as Error)?.message ?? e})`;
    return {
      ...base,
      verdict: 'warn',
      message: `${host} ${why}. The e-mail test works without it, but the camera's clock will drift: time filters and e-mail dates go wrong. Check the time service, or use another NTP server.`,
    };
  }
}
