/**
 * The SMTP server checks: the name resolves (and who answered), the address is local (else refuse without
 * connecting, with the docs/camera.md §1 explanation), then one camera-like dialogue whose steps become the connect,
 * greeting, sender, recipient and test-message checks.
 */
import { checkSmtpHost, publicMailDomainOf } from '../../../shared/domain/net-address';
import {
  checkResult,
  classifySmtpReply,
  formatReply,
  greetingOutcome,
  probeSender,
  recipientOutcome,
  says,
  senderOutcome,
  skipped,
  type ArticleId,
  type CheckId,
  type CheckOutcome,
  type CheckResult,
} from '../../../shared/domain/diagnostics';
import { part, type KeyedLine, type KeyedText } from '../../../shared/i18n/keyed-text';
import type { NameResolver, ResolveAnswer } from './resolver';
import { probeSmtp, type Dialer, type SmtpProbeResult } from './smtp-probe';

/** Where the SMTP server to check came from. */
export type SmtpTargetSource = 'flag' | 'camera';

/** The SMTP server to check and the envelope to try. */
export interface SmtpTarget {
  host: string;
  port: number;
  source: SmtpTargetSource;
  to?: string;
  from?: string;
  sendTest: boolean;
}

/** What the SMTP checks need. */
export interface SmtpCheckDeps {
  resolver: NameResolver;
  dial?: Dialer;
  now: () => number;
  signal?: AbortSignal;
  connectTimeoutMs?: number;
  replyTimeoutMs?: number;
  /** Why there is no target, when the caller knows better than "none given" (e.g. the camera has none set). */
  noTargetReason?: KeyedLine;
  /** Called with each finished check, in order. */
  report: (r: CheckResult) => void;
}

const SMTP_IDS: CheckId[] = ['smtp-resolve', 'smtp-local', 'smtp-connect', 'smtp-greeting', 'smtp-sender', 'smtp-recipient', 'smtp-send-test'];

/** Describes a resolver answer for people (a keyed sub-message: it reads in the language of the line around it). */
export function describeResolver(a: ResolveAnswer): KeyedText {
  switch (a.source) {
    case 'literal':
      return part('doctor.resolver.literal');
    case 'hosts-file':
      return part('doctor.resolver.hostsFile');
    case 'system':
      return part('doctor.resolver.system');
    default:
      return a.error ? part('doctor.resolver.noneWith', { error: a.error }) : part('doctor.resolver.none');
  }
}

/** The forwarding article for a public provider's domain (Gmail, Microsoft 365), else the local-relay one. */
export function forwardArticle(providerDomain: string | undefined): ArticleId {
  if (providerDomain && /^(gmail|googlemail|google)\.com$/.test(providerDomain)) return 'forward-gmail';
  if (providerDomain && /^(office365|outlook|hotmail|live)\.com$/.test(providerDomain)) return 'forward-microsoft-365';
  return 'local-relay';
}

/** One line on a successful lookup (an IP literal needs none). */
export function resolvedMessage(host: string, a: ResolveAnswer): KeyedLine {
  return a.source === 'literal' ? ['doctor.msg.isIpLiteral', { host }] : ['doctor.msg.resolved', { host, addresses: a.addresses.join(', '), how: describeResolver(a) }];
}

/** What the dialogue found out about the server, for the relay checks (is the relay on this laptop listening?). */
export interface SmtpProbeSummary {
  address: string;
  port: number;
  isListening: boolean;
  banner?: string;
}

/** Runs the SMTP checks (or reports them skipped with the reason when there is no target). */
export async function runSmtpChecks(target: SmtpTarget | undefined, d: SmtpCheckDeps): Promise<SmtpProbeSummary | undefined> {
  const out: { summary?: SmtpProbeSummary } = {};
  await smtpChecks(target, d, out);
  return out.summary;
}

/** Reports one check with its duration since t0; reports every check from `from` on as skipped. */
interface Reporter {
  report(id: CheckId, o: CheckOutcome, t0: number): void;
  skipRest(from: CheckId, message: KeyedLine, fix?: KeyedLine): void;
}

async function smtpChecks(target: SmtpTarget | undefined, d: SmtpCheckDeps, out: { summary?: SmtpProbeSummary }): Promise<void> {
  const r: Reporter = {
    report: (id, o, t0) => d.report(checkResult(id, o, d.now() - t0)),
    skipRest: (from, message, fix) => {
      for (const id of SMTP_IDS.slice(SMTP_IDS.indexOf(from))) d.report(skipped(id, message, fix));
    },
  };
  if (!target) return r.skipRest('smtp-resolve', d.noTargetReason ?? ['doctor.msg.noSmtpTarget'], ['doctor.fix.giveSmtp']);
  // A public provider is refused by name: no lookup, no connection (the answer must not depend on site DNS).
  const provider = publicMailDomainOf(target.host);
  const addresses = await resolveCheck(target, provider, d, r);
  const address = localCheck(target, provider, addresses, d, r);
  if (address) await dialogueChecks(target, address, d, r, out);
}

/** smtp-resolve: the server's name through the resolver (a public provider is not looked up at all). */
async function resolveCheck(target: SmtpTarget, provider: string | undefined, d: SmtpCheckDeps, r: Reporter): Promise<string[]> {
  const t0 = d.now();
  if (provider) {
    d.report(skipped('smtp-resolve', ['doctor.msg.publicNotLookedUp', { host: target.host, provider }]));
    return [];
  }
  const a = await d.resolver.lookup(target.host);
  const details = { host: target.host, source: a.source, addresses: a.addresses, servers: a.servers, error: a.error };
  if (a.addresses.length === 0) {
    r.report(
      'smtp-resolve',
      {
        verdict: 'fail',
        ...says(['doctor.msg.noResolve', { host: target.host, how: describeResolver(a) }], ['doctor.fix.smtpNoResolve']),
        details,
      },
      t0,
    );
  } else {
    r.report('smtp-resolve', { verdict: 'pass', ...says(resolvedMessage(target.host, a)), details }, t0);
  }
  return a.addresses;
}

/** smtp-local: the server must be on the local network (docs/camera.md §1); returns the address to talk to. */
function localCheck(target: SmtpTarget, provider: string | undefined, addresses: string[], d: SmtpCheckDeps, r: Reporter): string | undefined {
  const t0 = d.now();
  if (!provider && addresses.length === 0) {
    r.skipRest('smtp-local', ['doctor.msg.noAddress', { host: target.host }]);
    return undefined;
  }
  const verdict = checkSmtpHost(target.host, addresses);
  if (!verdict.ok) {
    r.report(
      'smtp-local',
      {
        verdict: 'fail',
        // The reason comes from checkSmtpHost (shared with commissioning), keyed there, so it shows in the same language.
        ...says(['doctor.msg.asIs', { text: { key: verdict.key, ...(verdict.params ? { params: verdict.params } : {}) } }], ['doctor.fix.localRelay']),
        article: forwardArticle(provider),
        details: { problem: verdict.problem, addresses },
      },
      t0,
    );
    r.skipRest('smtp-connect', ['doctor.msg.notLocalSkip', { host: target.host }]);
    return undefined;
  }
  if (verdict.warning && target.source === 'camera') {
    r.report('smtp-local', { verdict: 'warn', ...says(['doctor.msg.localBut', { host: target.host, warning: verdict.warning }], ['doctor.fix.giveRelayLan']), details: { addresses: verdict.addresses } }, t0);
  } else {
    r.report('smtp-local', { verdict: 'pass', ...says(['doctor.msg.isLocal', { addresses: verdict.addresses.join(', ') }]), details: { addresses: verdict.addresses } }, t0);
  }
  return verdict.addresses[0];
}

/** smtp-connect … smtp-send-test: one SMTP dialogue as a camera would hold it, judged step by step. */
async function dialogueChecks(target: SmtpTarget, address: string, d: SmtpCheckDeps, r: Reporter, out: { summary?: SmtpProbeSummary }): Promise<void> {
  const { report, skipRest } = r;
  const label = `${target.host}${target.port === 25 ? '' : `:${target.port}`}`;
  let t0 = d.now();
  const from = target.from ?? probeSender(target.to);
  const probe = await probeSmtp({
    address,
    port: target.port,
    from,
    to: target.to,
    sendTest: target.sendTest ? { subject: 'Sarix doctor test message', text: 'This is a test message from sarix doctor. If it arrived, the SMTP path from this network works.' } : undefined,
    dial: d.dial,
    signal: d.signal,
    connectTimeoutMs: d.connectTimeoutMs,
    replyTimeoutMs: d.replyTimeoutMs,
  });
  // A cancel mid-dialogue is not a server fault: let the runner report the rest as cancelled.
  if (d.signal?.aborted) throw d.signal.reason;
  const transcript = probe.transcript;
  out.summary = { address, port: target.port, isListening: probe.connect.ok, ...(probe.banner ? { banner: formatReply(probe.banner) } : {}) };

  if (!probe.connect.ok) {
    report('smtp-connect', connectFailure(probe, label), t0);
    return skipRest('smtp-greeting', ['doctor.msg.connectFailedSkip']);
  }
  const connected = { address, port: target.port, ms: probe.connect.ms.toFixed(1) };
  report('smtp-connect', { verdict: 'pass', ...says(target.port === 25 ? ['doctor.msg.connected', connected] : ['doctor.msg.connectedOtherPort', connected]), details: { connectMs: Math.round(probe.connect.ms * 10) / 10 } }, t0);

  t0 = d.now();
  if (!probe.banner || (probe.banner.code === 220 && !probe.ehlo)) {
    report('smtp-greeting', stoppedOutcome(probe, 'greeting'), t0);
    return skipRest('smtp-sender', ['doctor.msg.greetingFailedSkip']);
  }
  const g = greetingOutcome(probe.banner, probe.ehlo, probe.usedHelo, probe.capabilities);
  report('smtp-greeting', { ...g, details: { ...g.details, transcript: probe.mailFrom ? undefined : transcript } }, t0);
  if (g.verdict === 'fail') return skipRest('smtp-sender', ['doctor.msg.greetingRefusedSkip']);

  t0 = d.now();
  if (!probe.mailFrom) {
    report('smtp-sender', stoppedOutcome(probe, 'ehlo'), t0);
    return skipRest('smtp-recipient', ['doctor.msg.mailFromSilentSkip']);
  }
  const s = senderOutcome(probe.mailFrom, from);
  report('smtp-sender', { ...s, details: { from, reply: formatReply(probe.mailFrom), ...(s.verdict === 'pass' ? {} : { transcript }) } }, t0);
  if (s.verdict === 'fail') return skipRest('smtp-recipient', ['doctor.msg.mailFromRefusedSkip']);

  t0 = d.now();
  if (!target.to) {
    d.report(skipped('smtp-recipient', ['doctor.msg.noRecipient'], ['doctor.fix.giveRecipient']));
    d.report(skipped('smtp-send-test', ['doctor.msg.noRecipientShort'], ['doctor.fix.giveRecipientAndSend']));
    return;
  }
  if (!probe.rcptTo) {
    report('smtp-recipient', stoppedOutcome(probe, 'mailFrom'), t0);
    return skipRest('smtp-send-test', ['doctor.msg.rcptSilentSkip']);
  }
  const rcpt = recipientOutcome(probe.rcptTo, target.to, probe.connect.ok ? probe.connect.localAddress?.replace(/^::ffff:/, '') : undefined);
  report('smtp-recipient', { ...rcpt, details: { to: target.to, reply: formatReply(probe.rcptTo), transcript } }, t0);

  t0 = d.now();
  if (!target.sendTest) {
    d.report(skipped('smtp-send-test', ['doctor.msg.noTestMessage'], ['doctor.fix.tickSendTest']));
    return;
  }
  if (rcpt.verdict !== 'pass') {
    d.report(skipped('smtp-send-test', ['doctor.msg.recipientRefusedSkip']));
    return;
  }
  report('smtp-send-test', dataOutcome(probe), t0);
}

function connectFailure(p: SmtpProbeResult, label: string): CheckOutcome {
  const c = p.connect;
  if (c.ok) throw new Error('connectFailure called for a successful connect');
  const details = { code: c.code, error: c.message, connectMs: Math.round(c.ms) };
  const to = `${p.address}:${p.port}`;
  switch (c.code) {
    case 'ECONNREFUSED':
      return { verdict: 'fail', ...says(['doctor.msg.connectRefused', { to }], ['doctor.fix.startMailService', { label }]), details };
    case 'ETIMEDOUT':
      return { verdict: 'fail', ...says(['doctor.msg.connectTimeout', { to, error: c.message }], ['doctor.fix.openPort25']), details };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { verdict: 'fail', ...says(['doctor.msg.noRoute', { to, code: c.code }], ['doctor.fix.joinNetwork']), details, article: 'factory-defaults' };
    default:
      return { verdict: 'fail', ...says(['doctor.msg.connectFailed', { to, code: c.code, error: c.message }], ['doctor.fix.checkMailService']), details };
  }
}

/** Where the server stopped answering (each stage has its own sentence in the catalogs). */
type StopStage = 'greeting' | 'ehlo' | 'mailFrom' | 'rcptTo' | 'message';

function stoppedOutcome(p: SmtpProbeResult, stage: StopStage): CheckOutcome {
  const why = p.stoppedAt ? `${p.stoppedAt.step}: ${p.stoppedAt.reason}` : part('doctor.msg.endedEarly');
  return {
    verdict: 'fail',
    ...says(['doctor.msg.stopped', { stage, why }], ['doctor.fix.stopped']),
    details: { transcript: p.transcript },
  };
}

function dataOutcome(p: SmtpProbeResult): CheckOutcome {
  const details = { transcript: p.transcript };
  if (!p.data) return stoppedOutcome(p, 'rcptTo');
  if (p.data.code !== 354) {
    return { verdict: 'fail', ...says(['doctor.msg.dataRefused', { reply: formatReply(p.data) }], ['doctor.fix.dataRefused']), details };
  }
  if (!p.dataEnd) return stoppedOutcome(p, 'message');
  if (classifySmtpReply('data', p.dataEnd) === 'ok') {
    return { verdict: 'pass', ...says(['doctor.msg.testAccepted', { reply: formatReply(p.dataEnd) }]), details };
  }
  return { verdict: 'fail', ...says(['doctor.msg.testRefused', { reply: formatReply(p.dataEnd) }], ['doctor.fix.testRefused']), details };
}
