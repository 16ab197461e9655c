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
import { keyedText, sub, type FailureParams } from '../../../shared/i18n/messages';
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

const P = 'commissioning.preflight.';
/** A check's title: English text and its key. */
function title(id: 'relayRunning' | 'relayReachable' | 'relayAllows' | 'cameraAnswers' | 'ntpAnswers'): { title: string; titleI18n: ReturnType<typeof keyedText>['i18n'] } {
  const k = keyedText(`${P}title.${id}`);
  return { title: k.text, titleI18n: k.i18n };
}
/** A check's message: English text and its key (numbers travel as text, so they read as the English did: 2525, not 2,525). */
function says(id: string, params?: FailureParams): { message: string; messageI18n: ReturnType<typeof keyedText>['i18n'] } {
  const k = keyedText(`${P}${id}`, params);
  return { message: k.text, messageI18n: k.i18n };
}

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
  const startFix = (kind: 'start-relay' | 'restart-relay'): PreflightFix | undefined => {
    if (!wantAddress) return undefined;
    const label = keyedText(`${P}fix.${kind === 'start-relay' ? 'startRelay' : 'restartRelay'}`, { address: wantAddress, port: String(wantPort) });
    return { kind, label: label.text, labelI18n: label.i18n, listenAddress: wantAddress, port: wantPort, allow: [...new Set([...state.allow, ip])] };
  };
  const noSubnet = sub(`${P}noSubnet`, { ip });

  // 1. The relay runs.
  if (isListening) {
    checks.push({ id: 'relay-running', ...title('relayRunning'), verdict: 'pass', ...says('relayListens', { address: String(state.listenAddress), port: String(state.port) }), article: 'local-relay' });
  } else {
    checks.push({
      id: 'relay-running',
      ...title('relayRunning'),
      verdict: 'fail',
      ...says('relayNotRunning', { status: state.status, next: wantAddress ? sub(`${P}startOn`, { address: wantAddress, port: String(wantPort) }) : noSubnet }),
      fix: startFix('start-relay'),
      article: 'local-relay',
    });
  }

  // 2. The camera can reach it: this computer's address on the camera's subnet, port 25 for a real camera.
  if (!isListening) {
    checks.push({ id: 'relay-reachable', ...title('relayReachable'), verdict: 'skipped', ...says('checkedOnceRunning'), article: 'port-25' });
  } else {
    const listen = state.listenAddress ?? '';
    const isWildcard = isWildcardAddress(listen);
    const onSubnet = isWildcard || (isReal ? !!toward && parseIp(listen)?.address === toward : isLoopbackIp(listen));
    const problems: ReturnType<typeof sub>[] = [];
    if (!onSubnet) problems.push(isReal ? (toward ? sub(`${P}listensElsewhere`, { listen, ip, toward }) : noSubnet) : sub(`${P}practiceUnreachable`, { listen, ip }));
    if (isReal && state.port !== CAMERA_SMTP_PORT) problems.push(sub(`${P}wrongPort`, { port: String(state.port), cameraPort: String(CAMERA_SMTP_PORT) }));
    checks.push(
      problems.length === 0
        ? {
            id: 'relay-reachable',
            ...title('relayReachable'),
            verdict: 'pass',
            ...(isReal ? says('reachableReal', { listen, port: String(CAMERA_SMTP_PORT) }) : says('reachablePractice', { listen, port: String(state.port) })),
            article: 'port-25',
          }
        : {
            id: 'relay-reachable',
            ...title('relayReachable'),
            verdict: 'fail',
            ...(problems.length === 1 ? says('notReachable1', { first: problems[0] }) : says('notReachable2', { first: problems[0], second: problems[1] })),
            fix: startFix('restart-relay'),
            article: 'port-25',
          },
    );
  }

  // 3. The camera's IP is on the allow-list.
  if (!isListening) {
    checks.push({ id: 'relay-allows', ...title('relayAllows'), verdict: 'skipped', ...says('allowsSkipped', { ip }), article: 'local-relay' });
  } else if (isClientAllowed(ip, allowEntries(state))) {
    checks.push({ id: 'relay-allows', ...title('relayAllows'), verdict: 'pass', ...says('allowsPass', { ip }), article: 'local-relay' });
  } else {
    checks.push({
      id: 'relay-allows',
      ...title('relayAllows'),
      verdict: 'fail',
      ...says('allowsFail', { ip }),
      fix: { kind: 'allow-client', ...allowLabel(ip), entry: ip },
      article: 'local-relay',
    });
  }

  // 4. The camera answers.
  try {
    await input.cameraAnswers();
    checks.push({ id: 'camera-answers', ...title('cameraAnswers'), verdict: 'pass', ...says('cameraAnswersPass', { ip }), article: 'factory-defaults' });
  } catch (e) {
    // A keyed failure (wrong password, no answer) keeps its key, so it is shown in the technician's language.
    const keyed = isAppFailure(e) && e.key ? { messageI18n: e.params ? { key: e.key, params: e.params } : { key: e.key } } : {};
    checks.push({ id: 'camera-answers', ...title('cameraAnswers'), verdict: 'fail', message: isAppFailure(e) || e instanceof Error ? e.message : String(e), ...keyed, article: 'factory-defaults' });
  }

  // 5. The NTP server answers (a warning only: the e-mail test works without it, the camera's clock does not).
  checks.push(await ntpCheck(input.ntpServer, input.signal, d));
  return { checks, isReady: !checks.some((c) => c.verdict === 'fail'), checkedAt: (d.now ?? Date.now)() };
}

function allowLabel(ip: string): { label: string; labelI18n: ReturnType<typeof keyedText>['i18n'] } {
  const k = keyedText(`${P}fix.allow`, { ip });
  return { label: k.text, labelI18n: k.i18n };
}

async function ntpCheck(server: string, signal: AbortSignal | undefined, d: PreflightDeps): Promise<PreflightCheck> {
  const base = { id: 'ntp-answers' as const, ...title('ntpAnswers'), article: 'ntp-clock-skew' as const };
  const host = server.trim();
  const hostProblem = checkSiteProfile({ smtpServer: 'x', ntpServer: host || '-', to: 'a@b.cd', from: 'a@b.cd', subject: 's', message: '', sourceName: 'Ab', handlerName: 'Ab', jpegSnapshot: true, rawEventData: true }).find((p) => p.field === 'NTP server');
  if (hostProblem) return { ...base, verdict: 'fail', message: hostProblem.message, ...(hostProblem.key ? { messageI18n: hostProblem.params ? { key: hostProblem.key, params: hostProblem.params } : { key: hostProblem.key } } : {}) };
  if (!host) return { ...base, verdict: 'fail', ...says('ntpEnter') };
  const literal = parseIp(host);
  const addresses = literal ? [literal.address] : await d.resolveHost(host).catch(() => [] as string[]);
  if (addresses.length === 0) return { ...base, verdict: 'warn', ...says('ntpNoResolve', { host }) };
  const address = addresses.find((a) => isLocalAddress(a));
  if (!address) return { ...base, verdict: 'warn', ...says('ntpPublic', { host, address: addresses[0] }) };
  const query = d.queryNtp ?? ((a: string, s?: AbortSignal) => querySntp({ address: a, port: 123, timeoutMs: 2000, signal: s }));
  try {
    const r = await query(address, signal);
    return { ...base, verdict: 'pass', ...says('ntpPass', { host, stratum: String(r.stratum), ms: String(Math.abs(Math.round(r.offsetMs))), direction: r.offsetMs > 0 ? 'behind' : 'ahead' }) };
  } catch (e) {
    const why =
      e instanceof SntpError && e.kind === 'timeout'
        ? sub(`${P}ntpWhy.timeout`)
        : /ECONNREFUSED/.test(String((e as Error)?.message))
          ? sub(`${P}ntpWhy.refused`)
          : sub(`${P}ntpWhy.other`, { error: String((e as Error)?.message ?? e) });
    return { ...base, verdict: 'warn', ...says('ntpWarn', { host, why }) };
  }
}
