/**
 * The implementation of `sarix find-smtp`: validates the flags (exit 2), runs the mail-server finder with progress
 * on stderr, prints the table (or the report as one JSON object with --json) and exits 1 when no local server
 * takes the camera's mail. The search is recorded in the site journal of the data folder (--data), like the app's.
 */
import { FindMailServersRequestSchema, type FindMailServersRequest, type MailServerFinding, type MailServerProgress, type MailServerReport, type VerdictLevel } from '../../shared/domain/mail-servers';
import { parseIp } from '../../shared/domain/net-address';
import { siteDnsFromEnv } from '../services/mailservers/index';
import type { FindSmtpCliOptions } from './commands/find-smtp';
import { localized } from './i18n';
import { CliFailure, parseHostPort, printJson, UsageError } from './util';

const FLAG_OF: Record<string, string> = {
  subnets: '--subnet',
  port: '--port',
  cameraIp: '--camera-ip',
  cameraDns: '--camera-dns',
  sourceAddress: '--source',
  domains: '--domain',
  dnsServer: '--dns-server',
  to: '--to',
  from: '--from',
  sendTest: '--send-test',
  limits: '--concurrency/--rate/--time-limit',
};

function dnsServerFlag(flag: string, value: string): { address: string; port: number } {
  const hp = parseHostPort(flag, value.trim(), 53);
  const ip = parseIp(hp.host);
  if (!ip) throw new UsageError(localized('cli.usage.dnsServerIp', { flag, value }));
  return { address: ip.address, port: hp.port };
}

/** Turns the command-line flags into a search request; throws UsageError (exit 2) for anything unusable. */
export function requestFromFlags(o: FindSmtpCliOptions): FindMailServersRequest {
  const input: Record<string, unknown> = {
    subnets: o.subnet ?? [],
    port: o.port,
    useDns: o.dns,
    probeServers: o.test,
    sendTest: o.sendTest === true,
    limits: { concurrency: o.concurrency, ratePerSecond: o.rate, timeLimitMs: Math.round(o.timeLimit * 1000) },
  };
  if (o.cameraIp !== undefined) input.cameraIp = o.cameraIp;
  if (o.cameraDns !== undefined) input.cameraDns = dnsServerFlag('--camera-dns', o.cameraDns);
  if (o.dnsServer !== undefined) input.dnsServer = dnsServerFlag('--dns-server', o.dnsServer);
  if (o.source !== undefined) input.sourceAddress = o.source;
  if (o.domain !== undefined) input.domains = o.domain;
  if (o.to !== undefined) input.to = o.to.trim();
  if (o.from !== undefined) input.from = o.from.trim();
  if (!o.dns && !o.subnet?.length) throw new UsageError(localized('cli.usage.noDnsNoSubnet'));
  if (!o.test && o.sendTest) throw new UsageError(localized('cli.usage.sendTestNoTest'));
  const parsed = FindMailServersRequestSchema.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const flag = FLAG_OF[String(i.path[0])] ?? String(i.path[0]);
    throw new UsageError(`${flag}: ${i.message.replace(/\.$/, '')}.`);
  }
  return parsed.data;
}

const TAG: Record<VerdictLevel, string> = { good: 'GOOD', warn: 'WARN', bad: 'BAD ', info: 'INFO' };

function findingLines(f: MailServerFinding): string[] {
  const pad = '      ';
  const where = f.address && f.address !== f.host ? `${f.host}  ${f.address}` : f.host;
  const what = [f.software?.label, f.foundBy.length ? localized('cli.findSmtp.foundBy', { methods: f.foundBy.join(', ') }) : undefined].filter(Boolean).join('; ');
  const out = [`${TAG[f.verdict.level]}  ${where}${what ? `  (${what})` : ''}`, `${pad}${f.verdict.headline}`];
  if (f.verdict.fix) out.push(`${pad}${localized('cli.findSmtp.fix', { fix: f.verdict.fix, article: f.verdict.article })}`);
  if (f.verdict.caveat) out.push(`${pad}${localized('cli.findSmtp.note', { note: f.verdict.caveat })}`);
  // Which name to enter matters for a server the camera can use; for the others it would only be noise.
  if (f.isLocal && f.name.status !== 'no-name' && (f.verdict.level === 'good' || f.verdict.level === 'warn')) out.push(`${pad}${localized('cli.findSmtp.name', { message: f.name.message })}`);
  return out;
}

/** The human table: where the site's mail domain came from, what DNS and the probe found, one verdict per server. */
export function formatFindReport(r: MailServerReport): string {
  const out: string[] = [];
  const s = r.site;
  if (s.source === 'off') out.push(s.note ?? localized('cli.findSmtp.siteDnsOff'));
  else if (s.domains.length === 0) out.push(`${localized('cli.findSmtp.domainNone')} ${s.note ?? ''}`.trim());
  else {
    const origin = s.source === 'given' ? localized('cli.findSmtp.originGiven') : s.from !== undefined ? localized('cli.findSmtp.originFrom', { source: s.from }) : localized('cli.findSmtp.originSystem');
    out.push(localized('cli.findSmtp.domains', { domains: s.domains.join(', '), origin, servers: s.servers.join(', ') || localized('cli.findSmtp.systemDns') }));
  }
  for (const l of r.lookups) out.push(`  ${l.type} ${l.name}: ${l.answers.length ? l.answers.join(', ') : localized('cli.findSmtp.lookupNone', { reason: l.error ?? localized('cli.findSmtp.noRecords') })}`);
  if (r.scan) {
    const probe = { subnets: r.scan.subnets.join(', '), port: r.scan.port, tried: r.scan.tried, planned: r.scan.planned, answered: r.scan.answered };
    if (!r.scan.stoppedBecause) out.push(localized('cli.findSmtp.probe', probe));
    else out.push(localized('cli.findSmtp.probeStopped', { ...probe, why: r.scan.stoppedBecause === 'time-limit' ? localized('cli.findSmtp.timeLimit') : localized('cli.findSmtp.cancelledShort') }));
  }
  if (r.cameraDns) out.push(r.cameraDns.isAssumed ? localized('cli.findSmtp.namesLaptop', { server: r.cameraDns.server }) : localized('cli.findSmtp.namesCamera', { server: r.cameraDns.server }));
  out.push('');
  if (r.servers.length === 0) out.push(localized('cli.findSmtp.noServer'));
  for (const f of r.servers) out.push(...findingLines(f));
  out.push('', r.summary);
  const articles = [...new Set(r.servers.filter((f) => f.verdict.level !== 'good').map((f) => f.verdict.article))];
  if (articles.length) out.push(localized('cli.findSmtp.readMore', { commands: articles.map((a) => `sarix doctor --article ${a}`).join('; ') }));
  return out.join('\n') + '\n';
}

/** One progress line for stderr, or undefined for events not worth a line in a log. */
export function progressLine(p: MailServerProgress): string | undefined {
  switch (p.kind) {
    case 'step':
      return p.message;
    case 'scan':
      return localized('cli.findSmtp.probeProgress', { tried: p.tried, planned: p.planned, answered: p.answered });
    case 'server': {
      const server = `${p.finding.host}${p.finding.address && p.finding.address !== p.finding.host ? ` (${p.finding.address})` : ''}`;
      return localized('cli.findSmtp.foundProgress', { tag: TAG[p.finding.verdict.level].trim(), server, status: p.finding.verdict.status });
    }
  }
}

/** Runs `sarix find-smtp`. */
export async function runFindSmtp(o: FindSmtpCliOptions): Promise<void> {
  const req = requestFromFlags(o);
  try {
    // A malformed host switch is a usage error, said before anything is composed.
    siteDnsFromEnv(process.env);
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  // Composed only once the flags are good: a usage error answers at once, without loading every service.
  const { cliServices } = await import('./services');
  // The search is journaled (services.dispose() waits for the entry) in the site named in the data folder's Settings.
  const services = await cliServices({ scope: 'find-smtp', data: o.data });
  const tty = process.stderr.isTTY === true;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let lastAnswered = 0;
  let report: MailServerReport;
  try {
    report = await services.mailServers.find(req, {
      signal: controller.signal,
      onProgress: (p) => {
        const line = progressLine(p);
        if (!line) return;
        if (p.kind === 'scan') {
          // On a terminal the probe counter rewrites itself; in a log, a line per answer and every 16 addresses.
          if (tty) return void process.stderr.write(`\r\x1b[K${line}`);
          const isNotable = p.answered !== lastAnswered || p.tried % 16 === 0 || p.tried === p.planned;
          lastAnswered = p.answered;
          if (isNotable) process.stderr.write(`${line}\n`);
          return;
        }
        process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`);
      },
    });
  } catch (e) {
    if (e instanceof Error && (e as { code?: string }).code === 'BAD_REQUEST') throw new UsageError(e.message);
    throw e;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (tty) process.stderr.write('\r\x1b[K');
    await services.dispose();
  }
  if (o.json) printJson(report);
  else process.stdout.write(formatFindReport(report));
  if (report.isCancelled) throw new CliFailure(localized('cli.findSmtp.cancelled'), 1);
  if (!report.recommended) throw new CliFailure(report.summary, 1);
}
