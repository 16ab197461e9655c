/**
 * Finds the site's own mail servers and answers the camera's question about each: would it take the camera's
 * mail without a login or TLS (docs/camera.md §1, §6)? Sources: the site's mail domain from this laptop's DNS
 * settings (search/DHCP domain) with its MX and `_submission._tcp` SRV records (RFC 6186), and, only when asked,
 * a bounded probe of TCP 25 on the camera subnets. Each local server gets the doctor's camera-like dialogue
 * (MAIL FROM, RCPT TO, RSET; DATA only when asked) once for a site mailbox and once for an outside address, and
 * the name the camera should use, checked against the camera's DNS server. Public servers are listed as not
 * usable and never connected to. Lives beside diagnostics (not inside it) because it is a long operation with its
 * own progress and result type; it reuses the doctor's dialogue (smtp-probe) and hosts-file reader.
 */
import { randomUUID } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { readFile } from 'node:fs/promises';
import { part, type KeyedText } from '../../../shared/i18n/keyed-text';
import {
  adviseName,
  bannerHostName,
  compareFindings,
  domainOfHost,
  identifyMailSoftware,
  judgeServer,
  publicReason,
  subnetAddresses,
  summarizeFindings,
  testRecipients,
  type DnsLookup,
  type FindMailServersRequest,
  type FoundBy,
  type MailServerFinding,
  type MailServerProgress,
  type MailServerReport,
  type MailServerSearchProgressed,
  type ServerName,
  type ServerProbe,
  type SiteDns,
  type SubnetScan,
} from '../../../shared/domain/mail-servers';
import { addressScope, isLocalAddress, parseIp, publicMailDomainOf } from '../../../shared/domain/net-address';
import { classifySmtpReply, probeSender } from '../../../shared/domain/diagnostics';
import { failure } from '../../../shared/i18n/messages';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { defaultHostsPath, parseHostsFile } from '../diagnostics/resolver';
import { probeSmtp, tcpDialer, type Dialer, type SmtpProbeResult } from '../diagnostics/smtp-probe';
import { runBounded } from './bounded-run';
import { NodeDnsClient, serverString, type DnsClient, type DnsServerAddress } from './dns-client';
import { readSiteDnsConfig, type SiteDnsConfig } from './site-dns';

/** What the finder needs from its host. */
export interface MailServerFinderDeps {
  log: Logger;
  /** The site's DNS settings (default: read from this OS). */
  siteDns?: () => Promise<SiteDnsConfig>;
  /** A DNS client for the given servers; undefined servers = the OS default servers. */
  dnsClient?: (servers: DnsServerAddress[] | undefined) => DnsClient;
  /** This laptop's hosts file as name → addresses (default: the OS hosts file). */
  hostsFile?: () => Promise<Map<string, string[]>>;
  /** Opens probe connections; replaces the source-address binding (tests). */
  dial?: Dialer;
  /** This machine's interface addresses (default os.networkInterfaces()). */
  localAddresses?: () => string[];
  now?: () => number;
  wallClock?: () => number;
  /** Pace of the subnet probe (tests pass a fake sleep). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  timeouts?: { connectMs?: number; scanConnectMs?: number; replyMs?: number };
}

/** Options of one search. */
export interface FindOptions {
  signal?: AbortSignal;
  /** Called as the search goes: steps, probe counts, each server once judged. */
  onProgress?: (p: MailServerProgress) => void;
}

/** A server being put together: its address, how it was found, its names and what the probe saw. */
interface Candidate {
  address: string;
  foundBy: Set<FoundBy>;
  names: ServerName[];
  scanProbe?: SmtpProbeResult;
}

function normalizeLocal(a: string | undefined): string | undefined {
  return a ? (parseIp(a)?.address ?? a) : undefined;
}

/** The domains to ask about: each given domain, then its parent when that still has two labels (corp.site.com → site.com). */
export function lookupDomains(domains: readonly string[]): string[] {
  const out: string[] = [];
  for (const d of domains) {
    out.push(d);
    const parent = domainOfHost(d);
    if (parent && parent.includes('.')) out.push(parent);
  }
  return [...new Set(out)];
}

/** Turns the raw dialogues into the stored, JSON-serialisable probe record. */
export function probeRecord(first: SmtpProbeResult, second: SmtpProbeResult | undefined, recipients: { site: string; outside: string }, from: string, testTo?: string): ServerProbe {
  const c = first.connect;
  const testReply = testTo ? (testTo === recipients.site ? first.dataEnd : second?.dataEnd) : undefined;
  return {
    ...(c.ok && c.localAddress ? { probedFrom: normalizeLocal(c.localAddress) } : {}),
    connect: c.ok ? { ok: true } : { ok: false, code: c.code, message: c.message },
    ...(first.banner ? { banner: first.banner } : {}),
    ...(first.ehlo ? { ehlo: first.ehlo } : {}),
    usedHelo: first.usedHelo,
    offersStarttls: first.capabilities?.starttls ?? false,
    authMechanisms: first.capabilities?.auth ?? [],
    from,
    ...(first.mailFrom ? { mailFrom: first.mailFrom } : {}),
    ...(first.mailFrom && classifySmtpReply('mail', first.mailFrom) === 'ok' ? { siteRecipient: { address: recipients.site, ...(first.rcptTo ? { reply: first.rcptTo } : {}) } } : {}),
    ...(second ? { outsideRecipient: { address: recipients.outside, ...(second.rcptTo ? { reply: second.rcptTo } : {}) } } : {}),
    ...(testTo ? { testMessage: { to: testTo, ...(testReply ? { reply: testReply } : {}) } } : {}),
    ...((first.stoppedAt ?? second?.stoppedAt) ? { stoppedAt: first.stoppedAt ?? second!.stoppedAt! } : {}),
    transcript: second ? [...first.transcript, '*: second dialogue: an outside recipient (does it relay?)', ...second.transcript] : first.transcript,
  };
}

const TEST_MESSAGE = {
  subject: 'Sarix mail-server finder test message',
  text: 'This is a test message from the Sarix Commissioner mail-server finder. If it arrived, this mail server takes mail from the camera network without a login.',
};

/** In-process events of the finder (the contract adapter forwards them as mailservers:* events). */
export interface MailServerFinderEvents {
  'search-progressed': MailServerSearchProgressed;
  /** A search ended with its report (also a cancelled one, flagged isCancelled); the site journal records it. */
  'search-finished': MailServerReport;
}

/** Finds the site's mail servers; one instance serves many searches. */
export class MailServerFinder {
  /** In-process events: each progress step of each search, keyed by its operation id. */
  readonly events = new Emitter<MailServerFinderEvents>();
  private readonly running = new Map<string, AbortController>();
  constructor(private readonly d: MailServerFinderDeps) {}

  /** Cancels every running search (host shutdown); each returns what it found so far. */
  dispose(): void {
    for (const c of this.running.values()) c.abort(failure('CANCELLED', 'errors.CANCELLED.appClosing'));
  }

  /** Cancels a running search by id; false when no such search is going. */
  cancel(operationId: string): boolean {
    const c = this.running.get(operationId);
    if (!c) return false;
    c.abort(failure('CANCELLED', 'errors.CANCELLED.mailServerSearch'));
    return true;
  }

  private dnsFor(servers: DnsServerAddress[] | undefined): DnsClient {
    return this.d.dnsClient ? this.d.dnsClient(servers) : new NodeDnsClient(servers ? { servers } : {});
  }

  private myAddresses(): string[] {
    return this.d.localAddresses ? this.d.localAddresses() : Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((i) => i.address));
  }

  private dialer(source: string | undefined): Dialer {
    if (this.d.dial) return this.d.dial;
    if (!source) return tcpDialer;
    return (address, port) => netConnect({ host: address, port, localAddress: source });
  }

  private async hostsFile(): Promise<Map<string, string[]>> {
    try {
      return this.d.hostsFile ? await this.d.hostsFile() : parseHostsFile(await readFile(defaultHostsPath(), 'utf8'));
    } catch {
      return new Map();
    }
  }

  /** Runs one search and returns the report (partial, with isCancelled, when cancelled). */
  async find(req: FindMailServersRequest, o: FindOptions = {}): Promise<MailServerReport> {
    const operationId = req.operationId ?? randomUUID();
    if (this.running.has(operationId)) throw failure('CONFLICT', 'errors.CONFLICT.mailServerSearch', { id: operationId });
    if (req.sourceAddress) {
      const mine = new Set(this.myAddresses().map((a) => parseIp(a)?.address));
      if (addressScope(req.sourceAddress) !== 'loopback' && !mine.has(req.sourceAddress)) {
        throw failure('BAD_REQUEST', 'errors.BAD_REQUEST.notOwnAddress', { address: req.sourceAddress });
      }
    }
    const controller = new AbortController();
    const onOuter = () => controller.abort(o.signal?.reason);
    if (o.signal?.aborted) onOuter();
    else o.signal?.addEventListener('abort', onOuter, { once: true });
    this.running.set(operationId, controller);
    const clients: DnsClient[] = [];
    const onAbort = () => clients.forEach((c) => c.cancel());
    controller.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const report = await this.search(req, operationId, controller.signal, o.onProgress, clients);
      this.events.emit('search-finished', report);
      return report;
    } finally {
      this.running.delete(operationId);
      o.signal?.removeEventListener('abort', onOuter);
      controller.signal.removeEventListener('abort', onAbort);
    }
  }

  private async search(req: FindMailServersRequest, operationId: string, signal: AbortSignal, onProgress: FindOptions['onProgress'], clients: DnsClient[]): Promise<MailServerReport> {
    const wallClock = this.d.wallClock ?? (() => Date.now());
    const startedAt = new Date(wallClock()).toISOString();
    const emit = (p: MailServerProgress) => {
      try {
        onProgress?.(p);
      } catch (e) {
        this.d.log.warn('mail-server finder: progress listener failed', String(e));
      }
      this.events.emit('search-progressed', { operationId, progress: p });
    };
    const t = this.d.timeouts ?? {};

    // 1. The site's mail domain and DNS servers.
    emit({ kind: 'step', step: 'site-domain', message: "Reading this laptop's DNS settings (search domain, DNS servers)..." });
    let site: SiteDns;
    let siteClient: DnsClient | undefined;
    if (!req.useDns) {
      site = { domains: [], source: 'off', servers: [], note: 'Site DNS: not used (turned off for this search).' };
    } else {
      const sys = req.domains && req.dnsServer ? undefined : await (this.d.siteDns ?? (() => readSiteDnsConfig()))();
      const servers = req.dnsServer ? [req.dnsServer] : sys?.isOff ? undefined : sys?.nameservers.length ? sys.nameservers : undefined;
      const isOff = !req.dnsServer && sys?.isOff === true;
      if (!isOff) {
        siteClient = this.dnsFor(servers);
        clients.push(siteClient);
      }
      const domains = req.domains ?? sys?.domains ?? [];
      const source: SiteDns['source'] = isOff ? 'off' : req.domains ? 'given' : domains.length ? 'system' : 'none';
      const note = isOff
        ? `Site DNS: not used (turned off in this host: ${sys?.from ?? 'host setting'}).`
        : source === 'none'
          ? `This laptop has no search or DHCP domain${sys?.error ? ` (${sys.from}: ${sys.error})` : ''}: give the site's mail domain, or probe the camera subnet.`
          : undefined;
      site = {
        domains,
        source,
        ...(sys && !req.domains ? { from: sys.from } : {}),
        servers: siteClient?.servers ?? [],
        ...(note ? { note } : {}),
      };
    }
    if (siteClient && site.domains.length) emit({ kind: 'step', step: 'dns', message: `Asking ${siteClient.servers.join(', ') || 'the system DNS'} for the mail servers of ${site.domains.join(', ')}...` });

    // 2. MX and SRV records of the mail domain(s).
    const lookups: DnsLookup[] = [];
    const named = new Map<string, ServerName[]>();
    const addName = (n: ServerName) => {
      const key = n.name.toLowerCase().replace(/\.$/, '');
      named.set(key, [...(named.get(key) ?? []), { ...n, name: key }]);
    };
    if (siteClient) {
      for (const domain of lookupDomains(site.domains)) {
        if (signal.aborted) break;
        try {
          const mx = await siteClient.resolveMx(domain);
          lookups.push({ type: 'MX', name: domain, answers: mx.map((m) => `${m.priority} ${m.exchange}`) });
          // RFC 7505: a "null MX" (a single record with the root as exchange) says the domain takes no mail.
          for (const m of mx) if (m.exchange && m.exchange !== '.') addName({ name: m.exchange, source: 'mx', domain, preference: m.priority, cameraDnsAddresses: [], hostsFileAddresses: [] });
        } catch (e) {
          lookups.push({ type: 'MX', name: domain, answers: [], error: (e as { code?: string }).code ?? String(e) });
        }
        if (signal.aborted) break;
        const srvName = `_submission._tcp.${domain}`;
        try {
          const srv = await siteClient.resolveSrv(srvName);
          lookups.push({ type: 'SRV', name: srvName, answers: srv.map((s) => `${s.priority} ${s.weight} ${s.port} ${s.name}`) });
          // RFC 2782: a target of "." means the service is decidedly not available.
          for (const s of srv) if (s.name && s.name !== '.') addName({ name: s.name, source: 'srv', domain, srvPort: s.port, cameraDnsAddresses: [], hostsFileAddresses: [] });
        } catch (e) {
          lookups.push({ type: 'SRV', name: srvName, answers: [], error: (e as { code?: string }).code ?? String(e) });
        }
      }
    }

    // 3. Addresses of the names: local ones become candidates; public ones are listed, never contacted.
    const candidates = new Map<string, Candidate>();
    const addCandidate = (address: string, by: FoundBy, names: ServerName[] = []): Candidate => {
      const c = candidates.get(address) ?? { address, foundBy: new Set<FoundBy>(), names: [] };
      c.foundBy.add(by);
      for (const n of names) if (!c.names.some((x) => x.name === n.name && x.source === n.source)) c.names.push(n);
      candidates.set(address, c);
      return c;
    };
    const others: MailServerFinding[] = [];
    const otherFinding = (host: string, names: ServerName[], address: string | undefined, reason: { notUsable?: string | KeyedText; unresolved?: string | KeyedText }): MailServerFinding => {
      const foundBy = [...new Set(names.map((n) => (n.source === 'srv' ? 'srv' : 'mx') as FoundBy))];
      const verdict = judgeServer({ display: host, port: req.port, toIsSite: false, useHost: host, ...(reason.notUsable ? { notUsableReason: reason.notUsable } : {}), ...(reason.unresolved ? { unresolvedReason: reason.unresolved } : {}) });
      return {
        host,
        ...(address ? { address } : {}),
        port: req.port,
        isLocal: false,
        foundBy,
        names,
        name: { host, isName: true, status: 'unchecked', message: 'Not a server the camera can use, so its name was not checked.' },
        verdict,
      };
    };
    for (const [name, names] of named) {
      if (signal.aborted || !siteClient) break;
      if (publicMailDomainOf(name)) {
        others.push(otherFinding(name, names, undefined, { notUsable: publicReason(name, []) }));
        continue;
      }
      let addresses: string[];
      try {
        addresses = (await siteClient.resolveAddresses(name)).map((a) => parseIp(a)?.address ?? a);
      } catch (e) {
        others.push(otherFinding(name, names, undefined, { unresolved: part('mailServers.unresolved', { servers: siteClient.servers.join(', ') || part('mailServers.systemDns'), error: (e as { code?: string }).code ?? String(e) }) }));
        continue;
      }
      const publicOnes = addresses.filter((a) => !isLocalAddress(a));
      for (const a of addresses.filter(isLocalAddress)) addCandidate(a, names.some((n) => n.source === 'mx') ? 'mx' : 'srv', names);
      if (publicOnes.length) others.push(otherFinding(name, names, publicOnes[0], { notUsable: publicReason(name, publicOnes) }));
    }

    // 4. The opt-in probe of the camera subnets (bounded: concurrency, pace, total time; cancellable).
    let scan: SubnetScan | undefined;
    const dial = this.dialer(req.sourceAddress);
    if (req.subnets.length && !signal.aborted) {
      // Servers DNS already named are walked too (one connection more each), so the probe's counts and each
      // server's "found by" say what the probe itself saw.
      const toTry = [...new Set(req.subnets.flatMap(subnetAddresses))];
      emit({ kind: 'step', step: 'scan', message: `Probing TCP ${req.port} on ${toTry.length} address${toTry.length === 1 ? '' : 'es'} of ${req.subnets.join(', ')} (at most ${req.limits.concurrency} at once, ${req.limits.ratePerSecond} per second, ${Math.round(req.limits.timeLimitMs / 1000)} s in all)...` });
      let tried = 0;
      let answered = 0;
      const run = await runBounded(
        toTry,
        (address, _i, s) =>
          probeSmtp({
            address,
            port: req.port,
            from: req.from ?? probeSender(req.to),
            dial,
            signal: s,
            connectTimeoutMs: t.scanConnectMs ?? 2000,
            replyTimeoutMs: t.replyMs ?? 8000,
          }),
        { ...req.limits, signal, now: this.d.now, sleep: this.d.sleep },
        (address, r) => {
          tried++;
          if (r?.connect.ok) {
            answered++;
            addCandidate(address, 'subnet').scanProbe = r;
          }
          emit({ kind: 'scan', tried, planned: toTry.length, answered, address });
        },
      );
      scan = {
        subnets: req.subnets,
        port: req.port,
        planned: toTry.length,
        tried,
        answered,
        ...(run.stoppedBecause ? { stoppedBecause: run.stoppedBecause } : {}),
        limits: req.limits,
      };
    }

    // 5. The camera's question, asked of each local server; 6. the name to use, checked from the camera's DNS.
    const cameraClient = req.cameraDns ? this.dnsFor([req.cameraDns]) : siteClient;
    if (req.cameraDns && cameraClient) clients.push(cameraClient);
    const checkedWith = req.cameraDns ? { server: serverString(req.cameraDns), isAssumed: false } : siteClient ? { server: siteClient.servers.join(', ') || 'the system DNS', isAssumed: true } : undefined;
    const hosts = await this.hostsFile();
    const list = [...candidates.values()];
    if (list.length && !signal.aborted) {
      emit({ kind: 'step', step: 'test', message: `Testing ${list.length} local server${list.length === 1 ? '' : 's'} the way the camera talks (MAIL FROM, RCPT TO, then RSET${req.sendTest ? ', and a test message' : ''})...` });
    }
    const local: MailServerFinding[] = [];
    const judged = new Set<Candidate>();
    const judge = async (c: Candidate, s: AbortSignal) => {
      const finding = await this.evaluate(c, req, site, dial, s, cameraClient, checkedWith, hosts);
      judged.add(c);
      local.push(finding);
      emit({ kind: 'server', finding });
    };
    // Only a handful of servers: the pace and time bounds are the scan's business, concurrency still applies.
    await runBounded(list, (c, _i, s) => judge(c, s), { concurrency: req.limits.concurrency, ratePerSecond: 200, timeLimitMs: 600_000, signal });
    // A cancelled search still lists every server it had found, marked as not tested (no network for these).
    for (const c of list) if (!judged.has(c)) await judge(c, signal);
    for (const f of others) emit({ kind: 'server', finding: f });

    const isCancelled = signal.aborted;
    const servers = [...local, ...others].sort(compareFindings);
    const { summary, summaryText, recommended } = summarizeFindings(servers, isCancelled);
    return {
      operationId,
      startedAt,
      finishedAt: new Date(wallClock()).toISOString(),
      site,
      ...(req.cameraIp ? { cameraIp: req.cameraIp } : {}),
      ...(checkedWith ? { cameraDns: checkedWith } : {}),
      ...(req.sourceAddress ? { sourceAddress: req.sourceAddress } : {}),
      lookups,
      ...(scan ? { scan } : {}),
      servers,
      ...(recommended ? { recommended } : {}),
      summary,
      ...(summaryText ? { summaryText } : {}),
      isCancelled,
    };
  }

  /** Tests one local server like the camera would, finds the name to use, and judges it. */
  private async evaluate(
    c: Candidate,
    req: FindMailServersRequest,
    site: SiteDns,
    dial: Dialer,
    signal: AbortSignal,
    cameraClient: DnsClient | undefined,
    checkedWith: { server: string; isAssumed: boolean } | undefined,
    hosts: Map<string, string[]>,
  ): Promise<MailServerFinding> {
    const t = this.d.timeouts ?? {};
    const bannerText = c.scanProbe?.banner?.lines[0];
    const domain = c.names.find((n) => n.domain)?.domain ?? site.domains[0] ?? domainOfHost(bannerHostName(bannerText));
    const rc = testRecipients(domain, req.to);
    const from = req.from ?? (domain ? `sarix-camera@${domain}` : probeSender(req.to));
    let probe: ServerProbe | undefined;
    let notTested: KeyedText | undefined;
    if (!req.probeServers) notTested = part('mailServers.notTested.off');
    else if (signal.aborted) notTested = part('mailServers.notTested.cancelledFirst');
    else {
      const base = { address: c.address, port: req.port, from, dial, signal, connectTimeoutMs: t.connectMs ?? 5000, replyTimeoutMs: t.replyMs ?? 10_000 };
      const testTo = req.sendTest && req.to ? req.to : undefined;
      const first = await probeSmtp({ ...base, to: rc.site, ...(testTo && testTo === rc.site ? { sendTest: TEST_MESSAGE } : {}) });
      const site1 = first.rcptTo ? classifySmtpReply('rcpt', first.rcptTo) : undefined;
      const mailOk = first.mailFrom ? classifySmtpReply('mail', first.mailFrom) === 'ok' : false;
      // The relay question only makes sense once the server took the sender and did not demand a login or TLS.
      const askOutside = mailOk && site1 !== undefined && site1 !== 'needs-auth' && site1 !== 'needs-starttls' && !signal.aborted;
      const second = askOutside ? await probeSmtp({ ...base, to: rc.outside, ...(testTo && testTo === rc.outside ? { sendTest: TEST_MESSAGE } : {}) }) : undefined;
      if (signal.aborted) notTested = part('mailServers.notTested.cancelledDuring');
      else probe = probeRecord(first, second, rc, from, testTo);
    }
    const bannerReply = probe?.banner ?? c.scanProbe?.banner;
    const ehloReply = probe?.ehlo ?? c.scanProbe?.ehlo;
    const sw = identifyMailSoftware(bannerReply?.lines[0], ehloReply?.lines[0]);

    // Candidate names, best first: MX, SRV, then what reverse DNS and the server's own greeting say.
    const names: ServerName[] = [...c.names];
    const push = (name: string | undefined, source: ServerName['source']) => {
      const key = name?.toLowerCase().replace(/\.$/, '');
      if (key && !names.some((n) => n.name === key)) names.push({ name: key, source, cameraDnsAddresses: [], hostsFileAddresses: [] });
    };
    if (cameraClient && !signal.aborted) {
      try {
        for (const n of await cameraClient.reverse(c.address)) push(n, 'ptr');
      } catch {
        // No PTR record is common on sites; the other names still count.
      }
    }
    push(bannerHostName(bannerReply?.lines[0]), 'banner');
    for (const n of names) {
      n.hostsFileAddresses = hosts.get(n.name) ?? [];
      if (!cameraClient || signal.aborted) continue;
      try {
        n.cameraDnsAddresses = (await cameraClient.resolveAddresses(n.name)).map((a) => parseIp(a)?.address ?? a);
        delete n.cameraDnsError;
      } catch (e) {
        n.cameraDnsAddresses = [];
        n.cameraDnsError = (e as { code?: string }).code ?? String(e);
      }
    }
    const advice = adviseName({ address: c.address, names, ...(checkedWith ? { checkedWith } : {}) });
    const display = advice.isName ? advice.host : names[0] ? `${names[0].name} (${c.address})` : c.address;
    const verdict = judgeServer({
      display,
      address: c.address,
      port: req.port,
      ...(sw ? { software: sw } : {}),
      ...(probe ? { probe } : {}),
      ...(notTested ? { notTestedReason: notTested } : {}),
      ...(req.cameraIp ? { cameraIp: req.cameraIp } : {}),
      ...(req.subnets.length ? { cameraRange: req.subnets.join(', ') } : {}),
      ...(domain ? { siteDomain: domain } : {}),
      ...(c.names.find((n) => n.srvPort)?.srvPort ? { srvPort: c.names.find((n) => n.srvPort)!.srvPort } : {}),
      toIsSite: rc.toIsSite,
      useHost: advice.host,
    });
    return {
      host: advice.isName ? advice.host : c.address,
      address: c.address,
      port: req.port,
      isLocal: true,
      foundBy: [...c.foundBy],
      names,
      ...(sw ? { software: { id: sw.id, label: sw.label } } : {}),
      ...(probe ? { probe } : {}),
      ...(probe?.outsideRecipient?.reply ? { relaysOutside: classifySmtpReply('rcpt', probe.outsideRecipient.reply) === 'ok' } : {}),
      name: advice,
      verdict,
    };
  }
}
