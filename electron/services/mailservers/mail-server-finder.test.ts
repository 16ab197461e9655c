import { createServer, Socket, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FindMailServersRequestSchema, type FindMailServersRequestInput, type MailServerFinding, type MailServerProgress } from '../../../shared/domain/mail-servers';
import { localizeError } from '../../../shared/i18n/messages';
import type { AppFailure } from '../../../shared/ipc/result';
import { silentLogger } from '../common/logger';
import { countingDialer, startSmtpPeer, type SmtpPeer } from '../diagnostics/test-peers';
import { StaticDnsClient, type DnsClient } from './dns-client';
import { MailServerFinder, type MailServerFinderDeps } from './mail-server-finder';
import { startDnsFixture, type DnsFixture } from './test-dns-server';
import { createMailServerFinder, siteDnsFromEnv } from './index';

// Every peer lives on 127.0.8.x (this file's own range); nothing but loopback is ever dialled.
const NET = '127.0.8';
const EXCHANGE_BANNER = 'Microsoft ESMTP MAIL Service ready at Tue, 1 Jul 2025 10:00:00 +0000';

const req = (r: FindMailServersRequestInput) => FindMailServersRequestSchema.parse(r);
const byAddress = (servers: MailServerFinding[], a: string) => servers.find((s) => s.address === a);
const offDns = async () => ({ domains: [], nameservers: [], from: 'test', isOff: true });
const noHosts = async () => new Map<string, string[]>();

function finder(over: Partial<MailServerFinderDeps> = {}): MailServerFinder {
  return new MailServerFinder({ log: silentLogger, siteDns: offDns, hostsFile: noHosts, localAddresses: () => ['127.0.0.1'], timeouts: { connectMs: 2000, scanConnectMs: 1000, replyMs: 3000 }, ...over });
}

/** A TCP listener that accepts and never says a word (not an SMTP server). */
async function silentListener(host: string, port: number): Promise<Server> {
  const srv = createServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => srv.listen(port, host, () => r()));
  return srv;
}

/** A dialer that never connects (a host that drops SYNs), without touching the network. */
const blackHole = countingDialerOf(() => new Socket());
function countingDialerOf(make: () => Socket) {
  const attempts: string[] = [];
  const dial = ((address: string, port: number) => {
    attempts.push(`${address}:${port}`);
    return make();
  }) as ((a: string, p: number) => Socket) & { attempts: string[] };
  dial.attempts = attempts;
  return dial;
}

describe('subnet probe against smtp-server peers on 127.0.8.0/29', () => {
  let port: number;
  const peers: SmtpPeer[] = [];
  let silent: Server;
  beforeAll(async () => {
    // Postfix that accepts everything, Exchange that wants a login, Exim that relays only for site.test, a Synology
    // NAS that accepts, and something on the port that is not SMTP.
    const postfix = await startSmtpPeer('accept', { host: `${NET}.1`, name: 'mail.site.test', banner: 'Postfix (Debian/GNU)' });
    port = postfix.port;
    peers.push(postfix);
    peers.push(await startSmtpPeer('require-auth', { host: `${NET}.2`, port, name: 'ex01.site.test', banner: EXCHANGE_BANNER, authReply: { code: 530, message: '5.7.1 Client was not authenticated' } }));
    peers.push(await startSmtpPeer('refuse-relay', { host: `${NET}.3`, port, name: 'smtp.site.test', banner: 'Exim 4.96', localDomain: 'site.test' }));
    peers.push(await startSmtpPeer('accept', { host: `${NET}.4`, port, name: 'diskstation.site.test', banner: 'Postfix' }));
    silent = await silentListener(`${NET}.5`, port);
  });
  afterAll(async () => {
    for (const p of peers) await p.close();
    await new Promise((r) => silent.close(r));
  });

  it('finds every server in the range and gives each the right verdict, with progress', async () => {
    const progress: MailServerProgress[] = [];
    const report = await finder({ timeouts: { scanConnectMs: 1000, replyMs: 1500 } }).find(req({ subnets: [`${NET}.0/29`], port, cameraIp: '10.0.0.23' }), { onProgress: (p) => progress.push(p) });
    const s = report.servers;
    expect(s.map((x) => x.address)).toEqual([`${NET}.1`, `${NET}.4`, `${NET}.3`, `${NET}.2`, `${NET}.5`]);
    expect(byAddress(s, `${NET}.1`)).toMatchObject({ software: { id: 'postfix' }, foundBy: ['subnet'], relaysOutside: true, verdict: { status: 'accepts', level: 'good' } });
    expect(byAddress(s, `${NET}.4`)).toMatchObject({ software: { id: 'synology' }, verdict: { status: 'accepts' } });
    expect(byAddress(s, `${NET}.3`)).toMatchObject({ software: { id: 'exim' }, relaysOutside: false, verdict: { status: 'site-only', level: 'warn' } });
    const ex = byAddress(s, `${NET}.2`)!;
    expect(ex).toMatchObject({ software: { id: 'exchange' }, verdict: { status: 'needs-auth', level: 'bad' } });
    expect(ex.verdict.headline).toBe(
      `Exchange at ex01.site.test (${NET}.2) refuses this laptop (127.0.0.1) without a login (530 5.7.1 Client was not authenticated); the camera cannot log in, so the camera (10.0.0.23) will be refused the same way.`,
    );
    expect(ex.verdict.fix).toMatch(new RegExp(`^ask IT to add the camera range \\(${NET}\\.0/29\\) to an anonymous relay connector`));
    expect(byAddress(s, `${NET}.5`)!.verdict.status).toBe('not-smtp');
    // The site domain came from the banners: the Exim peer was asked for postmaster@site.test, then an outside address.
    expect(byAddress(s, `${NET}.3`)!.probe).toMatchObject({ siteRecipient: { address: 'postmaster@site.test' }, outsideRecipient: { address: 'relay-test@example.com' } });
    // Nothing was sent: every dialogue ended with RSET, no DATA.
    for (const p of peers) expect(p.messages).toEqual([]);
    expect(byAddress(s, `${NET}.1`)!.probe!.transcript).toContain('C: RSET');
    expect(byAddress(s, `${NET}.1`)!.probe!.transcript.some((l) => l.startsWith('C: DATA'))).toBe(false);
    expect(report.scan).toMatchObject({ subnets: [`${NET}.0/29`], port, planned: 6, tried: 6, answered: 5 });
    expect(report.recommended).toEqual({ host: `${NET}.1`, address: `${NET}.1`, software: 'Postfix' });
    // Progress: steps, one scan event per address (counting up to the plan), one server event per finding.
    const scans = progress.filter((p) => p.kind === 'scan');
    expect(scans.map((p) => p.tried)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(scans.at(-1)).toMatchObject({ planned: 6, answered: 5 });
    expect(progress.filter((p) => p.kind === 'server')).toHaveLength(5);
    expect(progress.filter((p) => p.kind === 'step').map((p) => p.kind === 'step' && p.step)).toEqual(['site-domain', 'scan', 'test']);
  });

  it('sends a real test message only when asked, to the recipient given', async () => {
    const report = await finder().find(req({ subnets: [`${NET}.1/32`], port, to: 'guard@site.test', sendTest: true }));
    expect(report.servers[0].probe?.testMessage).toMatchObject({ to: 'guard@site.test', reply: { code: 250 } });
    expect(peers[0].messages).toHaveLength(1);
    expect(peers[0].messages[0]).toMatch(/Subject: Sarix mail-server finder test message/);
    peers[0].messages.length = 0;
  });
});

describe('site DNS (injected resolver with MX and SRV fixtures)', () => {
  let port: number;
  const peers: SmtpPeer[] = [];
  beforeAll(async () => {
    const a = await startSmtpPeer('accept', { host: `${NET}.17`, name: 'mail.site.test', banner: 'Postfix' });
    port = a.port;
    peers.push(a, await startSmtpPeer('require-auth', { host: `${NET}.18`, port, name: 'ex01.site.test', banner: EXCHANGE_BANNER }));
  });
  afterAll(async () => {
    for (const p of peers) await p.close();
  });

  it('lists MX/SRV servers, tests the local ones, lists public ones as not usable without ever contacting them', async () => {
    const site = new StaticDnsClient({
      mx: {
        'site.test': [
          { exchange: 'mail.site.test', priority: 10 },
          { exchange: 'backup.site.test', priority: 20 },
          { exchange: 'site-test.mail.protection.outlook.com', priority: 30 },
          { exchange: 'mx.isp.test', priority: 40 },
          { exchange: 'gone.site.test', priority: 50 },
        ],
      },
      srv: { '_submission._tcp.site.test': [{ name: 'mail.site.test', port: 587, priority: 0, weight: 1 }] },
      addresses: { 'mail.site.test': [`${NET}.17`], 'backup.site.test': [`${NET}.18`], 'mx.isp.test': ['52.101.0.5'] },
    });
    // The camera's DNS server knows mail.site.test, not backup.site.test (that one is in this laptop's hosts file).
    const camera = new StaticDnsClient({ addresses: { 'mail.site.test': [`${NET}.17`] }, ptr: { [`${NET}.18`]: ['ex01.site.test'] } });
    const dial = countingDialer();
    const clients: Record<string, DnsClient> = {};
    const f = finder({
      siteDns: async () => ({ domains: ['site.test'], nameservers: [{ address: '10.0.0.1', port: 53 }], from: '/etc/resolv.conf' }),
      dnsClient: (servers) => (clients[servers?.[0]?.address ?? 'system'] = servers?.[0]?.address === '10.0.0.2' ? camera : site),
      hostsFile: async () => new Map([['backup.site.test', [`${NET}.18`]]]),
      dial,
    });
    const report = await f.find(req({ port, cameraDns: { address: '10.0.0.2' } }));
    expect(report.site).toMatchObject({ domains: ['site.test'], source: 'system', from: '/etc/resolv.conf' });
    expect(report.lookups).toEqual([
      { type: 'MX', name: 'site.test', answers: ['10 mail.site.test', '20 backup.site.test', '30 site-test.mail.protection.outlook.com', '40 mx.isp.test', '50 gone.site.test'] },
      { type: 'SRV', name: '_submission._tcp.site.test', answers: ['0 1 587 mail.site.test'] },
    ]);
    const [first, second, ...rest] = report.servers;
    expect(first).toMatchObject({ host: 'mail.site.test', address: `${NET}.17`, foundBy: ['mx'], verdict: { status: 'accepts' }, name: { host: 'mail.site.test', status: 'name-resolves' } });
    expect(first.names.map((n) => `${n.source}:${n.name}`)).toEqual(['mx:mail.site.test', 'srv:mail.site.test']);
    expect(first.verdict.headline).toMatch(/^Postfix at mail\.site\.test accepts .*: use mail\.site\.test\.$/);
    expect(second).toMatchObject({ address: `${NET}.18`, host: `${NET}.18`, verdict: { status: 'needs-auth' }, name: { status: 'hosts-file-only' } });
    expect(second.name.message).toMatch(/backup\.site\.test resolves only on this laptop \(a hosts-file entry\), not from the camera's DNS server 10\.0\.0\.2/);
    expect(second.names.map((n) => `${n.source}:${n.name}`)).toEqual(['mx:backup.site.test', 'ptr:ex01.site.test']);
    expect(rest.map((r) => [r.host, r.verdict.status])).toEqual([
      ['gone.site.test', 'unresolved'],
      ['site-test.mail.protection.outlook.com', 'not-usable'],
      ['mx.isp.test', 'not-usable'],
    ]);
    expect(rest[1].verdict.headline).toMatch(/not usable by the camera: it is a public mail service \(outlook\.com\)/);
    expect(rest[2]).toMatchObject({ address: '52.101.0.5', isLocal: false });
    expect(rest[2].verdict.headline).toMatch(/resolves to 52\.101\.0\.5, which is not on the local network/);
    // Public names are refused by name (no lookup) or by address (no connection).
    expect(site.asked).not.toContain('A site-test.mail.protection.outlook.com');
    expect(dial.attempts.every((a) => a.startsWith(`${NET}.`))).toBe(true);
    expect(dial.attempts).not.toContain('52.101.0.5:' + port);
    expect(report.cameraDns).toEqual({ server: '10.0.0.2', isAssumed: false });
    expect(report.recommended?.host).toBe('mail.site.test');
    expect(report.summary).toBe(`Use mail.site.test (Postfix, ${NET}.17) as the camera's SMTP server.`);
  });

  it('only lists what DNS says when testing is off, and uses given domains', async () => {
    const site = new StaticDnsClient({ mx: { 'other.test': [{ exchange: 'mail.site.test', priority: 5 }] }, addresses: { 'mail.site.test': [`${NET}.17`] } });
    const dial = countingDialer();
    const report = await finder({ dnsClient: () => site, dial }).find(req({ port, domains: ['other.test'], dnsServer: { address: '10.0.0.1' }, probeServers: false }));
    expect(report.site).toMatchObject({ domains: ['other.test'], source: 'given' });
    expect(report.servers[0]).toMatchObject({ address: `${NET}.17`, verdict: { status: 'not-probed' } });
    expect(dial.attempts).toEqual([]);
  });

  it('says so when the laptop has no search domain and DNS is switched off by the host', async () => {
    const none = await finder({ siteDns: async () => ({ domains: [], nameservers: [], from: '/etc/resolv.conf', error: 'ENOENT' }), dnsClient: () => new StaticDnsClient({}) }).find(req({}));
    expect(none.site).toMatchObject({ source: 'none', note: expect.stringMatching(/no search or DHCP domain \(\/etc\/resolv\.conf: ENOENT\)/) });
    expect(none.summary).toMatch(/No local mail server found/);
    const off = await finder().find(req({ domains: ['site.test'] }));
    expect(off.site).toMatchObject({ source: 'off', servers: [] });
    expect(off.lookups).toEqual([]);
  });
});

describe('names through a real DNS server fixture (the camera’s DNS server)', () => {
  let site: DnsFixture;
  let cameraDns: DnsFixture;
  let port: number;
  const peers: SmtpPeer[] = [];
  beforeAll(async () => {
    const a = await startSmtpPeer('accept', { host: `${NET}.33`, name: 'mail.site.test', banner: 'Postfix' });
    port = a.port;
    peers.push(a, await startSmtpPeer('accept', { host: `${NET}.34`, port, name: 'relay2.site.test' }), await startSmtpPeer('accept', { host: `${NET}.35`, port, name: 'old.site.test' }));
    site = await startDnsFixture(
      {
        mx: { 'site.test': [{ exchange: 'mail.site.test', priority: 10 }, { exchange: 'relay2.site.test', priority: 20 }, { exchange: 'old.site.test', priority: 30 }] },
        addresses: { 'mail.site.test': [`${NET}.33`], 'relay2.site.test': [`${NET}.34`], 'old.site.test': [`${NET}.35`] },
      },
      { address: `${NET}.53` },
    );
    // The camera's DNS server: mail.site.test right, relay2 unknown, old.site.test pointing at a retired address.
    cameraDns = await startDnsFixture({ addresses: { 'mail.site.test': [`${NET}.33`], 'old.site.test': [`${NET}.99`] }, ptr: { [`${NET}.34`]: ['relay2.site.test'] } }, { address: `${NET}.54` });
  });
  afterAll(async () => {
    for (const p of peers) await p.close();
    await site.close();
    await cameraDns.close();
  });

  it('offers a name only when the camera’s DNS resolves it to that server', async () => {
    const report = await finder().find(
      req({ port, domains: ['site.test'], dnsServer: { address: site.address, port: site.port }, cameraDns: { address: cameraDns.address, port: cameraDns.port } }),
    );
    const [a, b, c] = [`${NET}.33`, `${NET}.34`, `${NET}.35`].map((x) => byAddress(report.servers, x)!);
    expect(a.name).toMatchObject({ host: 'mail.site.test', isName: true, status: 'name-resolves' });
    expect(b.name).toMatchObject({ host: `${NET}.34`, status: 'not-in-camera-dns' });
    expect(b.name.message).toMatch(new RegExp(`relay2\\.site\\.test does not resolve from the camera's DNS server ${NET}\\.54:${cameraDns.port} \\(ENOTFOUND\\)`));
    expect(c.name).toMatchObject({ host: `${NET}.35`, status: 'different-address' });
    expect(report.cameraDns).toEqual({ server: `${NET}.54:${cameraDns.port}`, isAssumed: false });
    // MX and SRV went to the site's server; names were checked at the camera's.
    expect(site.queries).toEqual(expect.arrayContaining(['MX site.test', 'SRV _submission._tcp.site.test']));
    expect(cameraDns.queries).toEqual(expect.arrayContaining(['A mail.site.test', 'PTR 34.8.0.127.in-addr.arpa']));
  });

  it('checks names against this laptop’s DNS (and says so) when the camera’s is not given, via the host switch', async () => {
    const f = createMailServerFinder({ log: silentLogger, hostsFile: noHosts, env: { SARIX_SITE_DNS: `${site.address}:${site.port}`, SARIX_SITE_DOMAIN: 'site.test' } });
    const report = await f.find(req({ port }));
    expect(report.site).toMatchObject({ domains: ['site.test'], source: 'system', from: `SARIX_SITE_DNS=${site.address}:${site.port}, SARIX_SITE_DOMAIN=site.test` });
    expect(report.cameraDns).toEqual({ server: `${site.address}:${site.port}`, isAssumed: true });
    expect(byAddress(report.servers, `${NET}.34`)!.name.message).toMatch(/this laptop's DNS server .* \(the camera's was not given\)/);
  });
});

describe('source address (the laptop has an address in the camera range)', () => {
  let peer: SmtpPeer;
  const clients: string[] = [];
  beforeAll(async () => {
    // Relays to outside addresses only for 127.0.9.23, the way a Postfix mynetworks or an Exchange connector would.
    peer = await startSmtpPeer('refuse-relay', { host: `${NET}.65`, name: 'mail.site.test', banner: 'Postfix', localDomain: 'site.test', relayFor: ['127.0.9.23'], clients });
  });
  afterAll(() => peer.close());

  it('binds the probe to the given address, and then the verdict needs no laptop caveat', async () => {
    const plain = await finder().find(req({ subnets: [`${NET}.65/32`], port: peer.port, cameraIp: '127.0.9.23' }));
    expect(plain.servers[0]).toMatchObject({ verdict: { status: 'site-only' }, probe: { probedFrom: '127.0.0.1' } });
    expect(plain.servers[0].verdict.caveat).toMatch(/Tested from this laptop \(127\.0\.0\.1\), not from the camera \(127\.0\.9\.23\)/);
    const bound = await finder().find(req({ subnets: [`${NET}.65/32`], port: peer.port, cameraIp: '127.0.9.23', sourceAddress: '127.0.9.23' }));
    expect(bound.servers[0]).toMatchObject({ verdict: { status: 'accepts' }, probe: { probedFrom: '127.0.9.23' } });
    expect(bound.servers[0].verdict.caveat).toBeUndefined();
    expect(clients).toContain('127.0.9.23');
  });

  it('refuses a source address this laptop does not have', async () => {
    await expect(finder().find(req({ subnets: [`${NET}.65/32`], port: peer.port, sourceAddress: '10.99.0.7' }))).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/not an address of this laptop/) });
    const e = await finder()
      .find(req({ subnets: [`${NET}.65/32`], port: peer.port, sourceAddress: '10.99.0.7' }))
      .then(() => undefined, (x: unknown) => x as AppFailure);
    expect(localizeError('de', e!.toAppError())).toBe(
      '10.99.0.7 ist keine Adresse dieses Laptops: Geben Sie eine seiner eigenen Adressen an (am besten eine im Bereich der Kamera), oder lassen Sie die Quelladresse weg.',
    );
  });
});

describe('the probe is bounded and cancellable', () => {
  it('stops at the time limit, aborting the connections in flight', async () => {
    const dial = blackHole;
    dial.attempts.length = 0;
    const report = await finder({ dial, timeouts: { scanConnectMs: 60_000 } }).find(req({ subnets: [`${NET}.0/24`], port: 25, limits: { concurrency: 4, ratePerSecond: 200, timeLimitMs: 1000 } }));
    expect(report.scan).toMatchObject({ planned: 254, answered: 0, stoppedBecause: 'time-limit' });
    expect(report.scan!.tried).toBeLessThan(254);
    expect(dial.attempts.length).toBe(report.scan!.tried);
  });

  it('is cancelled through its signal (or by id) and returns what it has', async () => {
    const dial = countingDialerOf(() => new Socket());
    const f = finder({ dial, timeouts: { scanConnectMs: 60_000 } });
    const ac = new AbortController();
    const report = await f.find(req({ operationId: 'scan-1', subnets: [`${NET}.0/24`], port: 25, limits: { concurrency: 2 } }), {
      signal: ac.signal,
      onProgress: (p) => {
        if (p.kind === 'step' && p.step === 'scan') setTimeout(() => ac.abort(), 20);
      },
    });
    expect(report).toMatchObject({ operationId: 'scan-1', isCancelled: true, scan: { stoppedBecause: 'cancelled' } });
    expect(report.scan!.tried).toBeLessThan(254);
    expect(report.summary).toMatch(/cancelled/);
    expect(f.cancel('scan-1')).toBe(false);

    const byId = f.find(req({ operationId: 'scan-2', subnets: [`${NET}.0/24`], port: 25, limits: { concurrency: 2 } }));
    await new Promise((r) => setTimeout(r, 20));
    expect(f.cancel('scan-2')).toBe(true);
    expect((await byId).isCancelled).toBe(true);
  });

  it('a search cancelled before testing still lists the servers DNS found, as not tested', async () => {
    const ac = new AbortController();
    const site = new StaticDnsClient({ mx: { 'site.test': [{ exchange: 'mail.site.test', priority: 10 }] }, addresses: { 'mail.site.test': [`${NET}.17`] } });
    // The technician cancels right as DNS has named the server.
    const cancelling: DnsClient = Object.assign(Object.create(site) as DnsClient, {
      resolveAddresses: async (n: string) => {
        const r = await site.resolveAddresses(n);
        ac.abort();
        return r;
      },
    });
    const dial = countingDialer();
    const report = await finder({ dnsClient: () => cancelling, dial }).find(req({ domains: ['site.test'], dnsServer: { address: '10.0.0.1' } }), { signal: ac.signal });
    expect(report.isCancelled).toBe(true);
    expect(report.servers).toMatchObject([{ address: `${NET}.17`, verdict: { status: 'not-probed', headline: expect.stringMatching(/cancelled/) } }]);
    expect(dial.attempts).toEqual([]);
  });

  it('keeps an even pace: connection n starts no earlier than n / rate seconds in', async () => {
    let t = 0;
    const startedAt: number[] = [];
    const refuse = countingDialerOf(() => {
      startedAt.push(t);
      const s = new Socket();
      setImmediate(() => s.emit('error', Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })));
      return s;
    });
    const report = await finder({
      dial: refuse,
      now: () => t,
      sleep: async (ms) => {
        t = Math.max(t, ms + t);
      },
    }).find(req({ subnets: [`${NET}.0/28`], port: 25, limits: { concurrency: 1, ratePerSecond: 5 } }));
    expect(report.scan).toMatchObject({ planned: 14, tried: 14, answered: 0 });
    startedAt.forEach((at, n) => expect(at).toBeGreaterThanOrEqual(n * 200));
  });
});

describe('siteDnsFromEnv', () => {
  it('reads the host switches and refuses a malformed one', async () => {
    expect(siteDnsFromEnv({})).toBeUndefined();
    expect(await siteDnsFromEnv({ SARIX_SITE_DNS: 'off' })!()).toMatchObject({ isOff: true, domains: [] });
    expect(await siteDnsFromEnv({ SARIX_SITE_DNS: '127.0.0.9:5353', SARIX_SITE_DOMAIN: 'a.test, B.test' })!()).toEqual({
      domains: ['a.test', 'b.test'],
      nameservers: [{ address: '127.0.0.9', port: 5353 }],
      from: 'SARIX_SITE_DNS=127.0.0.9:5353, SARIX_SITE_DOMAIN=a.test, B.test',
    });
    expect(() => siteDnsFromEnv({ SARIX_SITE_DNS: 'dns.example:53' })).toThrow(/SARIX_SITE_DNS must be "off" or IP\[:PORT\]/);
  });
});
