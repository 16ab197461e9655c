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
  senderOutcome,
  skipped,
  type ArticleId,
  type CheckId,
  type CheckOutcome,
  type CheckResult,
} from '../../../shared/domain/diagnostics';
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
  noTargetReason?: string;
  /** Called with each finished check, in order. */
  report: (r: CheckResult) => void;
}

const SMTP_IDS: CheckId[] = ['smtp-resolve', 'smtp-local', 'smtp-connect', 'smtp-greeting', 'smtp-sender', 'smtp-recipient', 'smtp-send-test'];

/** Describes a resolver answer for people. */
export function describeResolver(a: ResolveAnswer): string {
  switch (a.source) {
    case 'literal':
      return 'an IP address, no lookup needed';
    case 'hosts-file':
      return 'answered by the hosts file';
    case 'system':
      return 'answered by the system resolver (DNS)';
    default:
      return `no resolver answered${a.error ? ` (${a.error})` : ''}`;
  }
}

/** The forwarding article for a public provider's domain (Gmail, Microsoft 365), else the local-relay one. */
export function forwardArticle(providerDomain: string | undefined): ArticleId {
  if (providerDomain && /^(gmail|googlemail|google)\.com$/.test(providerDomain)) return 'forward-gmail';
  if (providerDomain && /^(office365|outlook|hotmail|live)\.com$/.test(providerDomain)) return 'forward-microsoft-365';
  return 'local-relay';
}

/** One line on a successful lookup (an IP literal needs none). */
export function resolvedMessage(host: string, a: ResolveAnswer): string {
  return a.source === 'literal' ? `${host} is an IP address; no lookup needed.` : `${host} → ${a.addresses.join(', ')} (${describeResolver(a)}).`;
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
  skipRest(from: CheckId, message: string, fix?: string): void;
}

async function smtpChecks(target: SmtpTarget | undefined, d: SmtpCheckDeps, out: { summary?: SmtpProbeSummary }): Promise<void> {
  const r: Reporter = {
    report: (id, o, t0) => d.report(checkResult(id, o, d.now() - t0)),
    skipRest: (from, message, fix = '') => {
      for (const id of SMTP_IDS.slice(SMTP_IDS.indexOf(from))) d.report(skipped(id, message, fix));
    },
  };
  if (!target) return r.skipRest('smtp-resolve', d.noTargetReason ?? 'No SMTP server to check.', 'Fill in the SMTP server the camera uses (CLI: --smtp-server HOST), or give the camera to read it from there.');
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
    d.report(skipped('smtp-resolve', `Not looked up: ${target.host} is a public mail service (${provider}).`));
    return [];
  }
  const a = await d.resolver.lookup(target.host);
  const details = { host: target.host, source: a.source, addresses: a.addresses, servers: a.servers, error: a.error };
  if (a.addresses.length === 0) {
    r.report(
      'smtp-resolve',
      {
        verdict: 'fail',
        message: `${target.host} does not resolve: ${describeResolver(a)}.`,
        fix: 'Enter the relay\'s IP address on the camera instead of a name, or add the name to the site DNS.',
        details,
      },
      t0,
    );
  } else {
    r.report('smtp-resolve', { verdict: 'pass', message: resolvedMessage(target.host, a), details }, t0);
  }
  return a.addresses;
}

/** smtp-local: the server must be on the local network (docs/camera.md §1); returns the address to talk to. */
function localCheck(target: SmtpTarget, provider: string | undefined, addresses: string[], d: SmtpCheckDeps, r: Reporter): string | undefined {
  const t0 = d.now();
  if (!provider && addresses.length === 0) {
    r.skipRest('smtp-local', `Not checked: ${target.host} has no address.`);
    return undefined;
  }
  const verdict = checkSmtpHost(target.host, addresses);
  if (!verdict.ok) {
    r.report(
      'smtp-local',
      {
        verdict: 'fail',
        message: verdict.message,
        fix: "Point the camera at a local relay (this app's relay on this laptop's LAN address) that forwards to the public service.",
        article: forwardArticle(provider),
        details: { problem: verdict.problem, addresses },
      },
      t0,
    );
    r.skipRest('smtp-connect', `Not attempted: ${target.host} is not a local server, and the doctor never connects to public servers.`);
    return undefined;
  }
  if (verdict.warning && target.source === 'camera') {
    r.report('smtp-local', { verdict: 'warn', message: `${target.host} is local, but: ${verdict.warning}`, fix: "Give the camera the relay's LAN address.", details: { addresses: verdict.addresses } }, t0);
  } else {
    r.report('smtp-local', { verdict: 'pass', message: `${verdict.addresses.join(', ')} is a local address.`, details: { addresses: verdict.addresses } }, t0);
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
  const portNote = target.port === 25 ? '' : ` (port ${target.port}; the camera itself always uses 25)`;
  if (!probe.connect.ok) {
    report('smtp-connect', connectFailure(probe, label), t0);
    return skipRest('smtp-greeting', 'Not reached: the connection failed.');
  }
  report('smtp-connect', { verdict: 'pass', message: `Connected to ${address}:${target.port} in ${probe.connect.ms.toFixed(1)} ms${portNote}.`, details: { connectMs: Math.round(probe.connect.ms * 10) / 10 } }, t0);

  t0 = d.now();
  if (!probe.banner || (probe.banner.code === 220 && !probe.ehlo)) {
    report('smtp-greeting', stoppedOutcome(probe, 'The server accepted the connection but'), t0);
    return skipRest('smtp-sender', 'Not reached: the greeting failed.');
  }
  const g = greetingOutcome(probe.banner, probe.ehlo, probe.usedHelo, probe.capabilities);
  report('smtp-greeting', { ...g, details: { ...g.details, transcript: probe.mailFrom ? undefined : transcript } }, t0);
  if (g.verdict === 'fail') return skipRest('smtp-sender', 'Not reached: the server refused the greeting.');

  t0 = d.now();
  if (!probe.mailFrom) {
    report('smtp-sender', stoppedOutcome(probe, 'After EHLO the server'), t0);
    return skipRest('smtp-recipient', 'Not reached: MAIL FROM got no answer.');
  }
  const s = senderOutcome(probe.mailFrom, from);
  report('smtp-sender', { ...s, details: { from, reply: formatReply(probe.mailFrom), ...(s.verdict === 'pass' ? {} : { transcript }) } }, t0);
  if (s.verdict === 'fail') return skipRest('smtp-recipient', 'Not reached: the server refused MAIL FROM.');

  t0 = d.now();
  if (!target.to) {
    d.report(skipped('smtp-recipient', 'No recipient given, so relaying was not tried.', 'Fill in a recipient to test, the Send Email handler\'s To (CLI: --to ADDRESS), to test relaying.'));
    d.report(skipped('smtp-send-test', 'No recipient given.', 'Fill in a recipient and tick "Send a real test message" (CLI: --to ADDRESS --send-test) to send one.'));
    return;
  }
  if (!probe.rcptTo) {
    report('smtp-recipient', stoppedOutcome(probe, 'After MAIL FROM the server'), t0);
    return skipRest('smtp-send-test', 'Not reached: RCPT TO got no answer.');
  }
  const rcpt = recipientOutcome(probe.rcptTo, target.to, probe.connect.ok ? probe.connect.localAddress?.replace(/^::ffff:/, '') : undefined);
  report('smtp-recipient', { ...rcpt, details: { to: target.to, reply: formatReply(probe.rcptTo), transcript } }, t0);

  t0 = d.now();
  if (!target.sendTest) {
    d.report(skipped('smtp-send-test', 'No test message sent (the dialogue ended with RSET, nothing was queued).', 'Tick "Send a real test message" (CLI: --send-test) to send one.'));
    return;
  }
  if (rcpt.verdict !== 'pass') {
    d.report(skipped('smtp-send-test', 'Not sent: the recipient was refused.'));
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
      return { verdict: 'fail', message: `Nothing listens on ${to} (connection refused).`, fix: `Start the relay or mail service on ${label}, or correct the address.`, details };
    case 'ETIMEDOUT':
      return { verdict: 'fail', message: `No answer from ${to}: ${c.message}. A firewall drops the connection, or the host is off.`, fix: 'Open TCP port 25 in the server\'s firewall (Windows: allow the app on Private networks).', details };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { verdict: 'fail', message: `No route to ${to} (${c.code}): this laptop is not on that network.`, fix: 'Connect this laptop to the camera network, or give it an address in that subnet.', details, article: 'factory-defaults' };
    default:
      return { verdict: 'fail', message: `Could not connect to ${to}: ${c.code} ${c.message}.`, fix: 'Check the address and that the mail service runs.', details };
  }
}

function stoppedOutcome(p: SmtpProbeResult, lead: string): CheckOutcome {
  const why = p.stoppedAt ? `${p.stoppedAt.step}: ${p.stoppedAt.reason}` : 'the dialogue ended early';
  return {
    verdict: 'fail',
    message: `${lead} stopped answering (${why}).`,
    fix: 'Read the transcript in the details; a server that hangs or drops plain-SMTP clients will lose the camera\'s mail too.',
    details: { transcript: p.transcript },
  };
}

function dataOutcome(p: SmtpProbeResult): CheckOutcome {
  const details = { transcript: p.transcript };
  if (!p.data) return stoppedOutcome(p, 'After RCPT TO the server');
  if (p.data.code !== 354) {
    return { verdict: 'fail', message: `The server refused DATA (${formatReply(p.data)}).`, fix: 'Read the transcript; the server refuses the message before its content.', details };
  }
  if (!p.dataEnd) return stoppedOutcome(p, 'After the message the server');
  if (classifySmtpReply('data', p.dataEnd) === 'ok') {
    return { verdict: 'pass', message: `The server accepted the test message (${formatReply(p.dataEnd)}); check the mailbox.`, details };
  }
  return { verdict: 'fail', message: `The server refused the test message (${formatReply(p.dataEnd)}).`, fix: 'Read the transcript; a content or size filter refuses the message.', details };
}
