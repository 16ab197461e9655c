import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { judgeServer, MAIL_SOFTWARE, MailServerReportSchema, summarizeFindings, type MailServerReport } from '../../shared/domain/mail-servers';
import { ConfSettingsStore } from '../services/common/settings-store';
import { SiteJournal } from '../services/report/index';
import { startSmtpPeer, type SmtpPeer } from '../services/diagnostics/test-peers';
import { startDnsFixture, type DnsFixture } from '../services/mailservers/test-dns-server';
import { spawnSarixWithEnv } from '../testing/cli';
import type { FindSmtpCliOptions } from './commands/find-smtp';
import { formatFindReport, requestFromFlags } from './find-smtp-run';
import { UsageError } from './util';

// Network safety: every child run gets SARIX_SITE_DNS (off, or the loopback DNS fixture), so the CLI never asks
// this machine's real DNS server; the probe walks 127.0.7.0/29 only, where this file starts its own servers.
// Every run journals its search in a data folder: a temporary one, never this machine's user-data folder.
const scratchData = mkdtempSync(join(tmpdir(), 'sarix-find-smtp-data-'));
const sarix = (env: NodeJS.ProcessEnv, ...args: string[]) => spawnSarixWithEnv({ SARIX_SITE_DNS: 'off', SARIX_USER_DATA: scratchData, ...env }, ...args);
afterAll(() => rmSync(scratchData, { recursive: true, force: true }));

const flags = (o: Partial<FindSmtpCliOptions> = {}): FindSmtpCliOptions => ({ port: 25, dns: true, test: true, concurrency: 16, rate: 20, timeLimit: 120, ...o });

describe('requestFromFlags', () => {
  it('builds a request: subnets normalised, DNS servers with their ports, limits in ms', () => {
    expect(requestFromFlags(flags({ subnet: ['10.0.0.7/24'], cameraIp: '10.0.0.23', cameraDns: '10.0.0.1', dnsServer: '127.0.0.1:5353', domain: ['Site.LAN'], timeLimit: 30 }))).toMatchObject({
      subnets: ['10.0.0.0/24'],
      cameraIp: '10.0.0.23',
      cameraDns: { address: '10.0.0.1', port: 53 },
      dnsServer: { address: '127.0.0.1', port: 5353 },
      domains: ['site.lan'],
      port: 25,
      useDns: true,
      probeServers: true,
      limits: { concurrency: 16, ratePerSecond: 20, timeLimitMs: 30_000 },
    });
  });
  it.each<[Partial<FindSmtpCliOptions>, RegExp]>([
    [{ subnet: ['8.8.8.0/24'] }, /--subnet: 8\.8\.8\.0\/24 is not a local network range/],
    [{ subnet: ['10.0.0.0/16'] }, /--subnet: .*more than the 1024/],
    [{ cameraIp: 'cam1' }, /--camera-ip: must be an IP address/],
    [{ cameraDns: 'dns.site.lan' }, /--camera-dns must be an IP address/],
    [{ dnsServer: '10.0.0.1:99999' }, /--dns-server: port must be 1-65535/],
    [{ source: 'me' }, /--source: must be an IP address/],
    [{ domain: ['lan'] }, /--domain: must be a DNS domain/],
    [{ to: 'nope' }, /--to: /],
    [{ sendTest: true }, /--send-test: a test message needs a recipient/],
    [{ dns: false }, /--no-dns leaves nothing to search/],
    [{ test: false, sendTest: true, to: 'a@b.lan' }, /--send-test needs the servers to be tested/],
    [{ timeLimit: 0.5, subnet: ['10.0.0.0/24'] }, /--concurrency\/--rate\/--time-limit: /],
  ])('refuses %o', (o, re) => {
    expect(() => requestFromFlags(flags(o))).toThrow(UsageError);
    expect(() => requestFromFlags(flags(o))).toThrow(re);
  });
});

describe('formatFindReport', () => {
  it('prints the site, the lookups, the probe and one verdict block per server', () => {
    const report: MailServerReport = {
      operationId: 'x',
      startedAt: '',
      finishedAt: '',
      site: { domains: ['site.lan'], source: 'system', from: '/etc/resolv.conf', servers: ['10.0.0.1'] },
      lookups: [{ type: 'MX', name: 'site.lan', answers: ['10 mail.site.lan'] }, { type: 'SRV', name: '_submission._tcp.site.lan', answers: [], error: 'ENOTFOUND' }],
      scan: { subnets: ['10.0.0.0/24'], port: 25, planned: 254, tried: 254, answered: 1, limits: { concurrency: 16, ratePerSecond: 20, timeLimitMs: 120_000 } },
      cameraDns: { server: '10.0.0.1', isAssumed: true },
      servers: [
        {
          host: 'mail.site.lan',
          address: '10.0.0.5',
          port: 25,
          isLocal: true,
          foundBy: ['mx', 'subnet'],
          names: [],
          software: { id: 'exchange', label: 'Exchange' },
          name: { host: 'mail.site.lan', isName: true, status: 'name-resolves', message: 'mail.site.lan resolves to 10.0.0.5.' },
          verdict: { status: 'needs-auth', level: 'bad', headline: 'Exchange at mail.site.lan refuses this laptop.', fix: 'ask IT to add the camera range to an anonymous relay connector', article: 'smtp-relay-permissions' },
        },
      ],
      summary: 'No local mail server takes the camera\'s mail as it is.',
      isCancelled: false,
    };
    expect(formatFindReport(report)).toBe(
      [
        'Site mail domain: site.lan (from /etc/resolv.conf; DNS 10.0.0.1)',
        '  MX site.lan: 10 mail.site.lan',
        '  SRV _submission._tcp.site.lan: none (ENOTFOUND)',
        'Subnet probe: 10.0.0.0/24 port 25: 254 of 254 addresses tried, 1 answered',
        "Names checked with this laptop's DNS server 10.0.0.1 (give the camera's with --camera-dns)",
        '',
        'BAD   mail.site.lan  10.0.0.5  (Exchange; found by mx, subnet)',
        '      Exchange at mail.site.lan refuses this laptop.',
        '      fix: ask IT to add the camera range to an anonymous relay connector (article: smtp-relay-permissions)',
        '',
        "No local mail server takes the camera's mail as it is.",
        'Read more: sarix doctor --article smtp-relay-permissions',
        '',
      ].join('\n'),
    );
    // Which name to enter is printed for servers the camera can use.
    const good = { ...report, servers: [{ ...report.servers[0], verdict: { ...report.servers[0].verdict, level: 'good' as const, fix: '' } }] };
    expect(formatFindReport(good)).toMatch(/^GOOD {2}mail\.site\.lan {2}10\.0\.0\.5 .*\n.*\n {6}name: mail\.site\.lan resolves to 10\.0\.0\.5\.$/m);
  });

  describe('in German (the terminal locale)', () => {
    afterEach(() => vi.unstubAllEnvs());
    it('prints the verdict, its fix and the summary from their keys', () => {
      vi.stubEnv('LANGUAGE', 'de');
      vi.stubEnv('LC_ALL', 'de_DE.UTF-8');
      const exchange = MAIL_SOFTWARE.find((x) => x.id === 'exchange')!;
      const verdict = judgeServer({
        display: 'mail.site.lan',
        address: '10.0.0.5',
        port: 25,
        software: exchange,
        cameraRange: '10.0.0.0/24',
        toIsSite: false,
        useHost: 'mail.site.lan',
        probe: { probedFrom: '10.0.0.50', connect: { ok: true }, usedHelo: false, offersStarttls: false, authMechanisms: [], banner: { code: 220, lines: ['mail.site.lan Microsoft ESMTP MAIL Service'] }, ehlo: { code: 250, lines: ['mail.site.lan'] }, from: 'cam@site.lan', mailFrom: { code: 530, enhanced: '5.7.1', lines: ['Client was not authenticated'] }, transcript: [] },
      });
      const finding = { host: 'mail.site.lan', address: '10.0.0.5', port: 25, isLocal: true, foundBy: ['mx' as const], names: [], software: { id: 'exchange', label: 'Exchange' }, name: { host: '10.0.0.5', isName: false, status: 'no-name' as const, message: '' }, verdict };
      const { summary, summaryText } = summarizeFindings([finding], false);
      const text = formatFindReport({ operationId: 'x', startedAt: '', finishedAt: '', site: { domains: [], source: 'off', servers: [] }, lookups: [], servers: [finding], summary, ...(summaryText ? { summaryText } : {}), isCancelled: false });
      expect(text).toContain('Exchange auf mail.site.lan lehnt Mail von diesem Laptop (10.0.0.50) ohne Anmeldung ab (530 5.7.1 Client was not authenticated)');
      expect(text).toContain('Abhilfe: bitten Sie die IT, den Kamerabereich (10.0.0.0/24) in einen anonymen Relay-Connector aufzunehmen');
      expect(text).toContain('Kein lokaler Mail-Server nimmt die Mail der Kamera so an, wie sie ist: Wenden Sie eine der Lösungen unten an');
      expect(text).not.toContain('refuses this laptop');
    });
  });
});

// A child `sarix` compiles its TypeScript on start (tsx), which takes seconds on a loaded machine: a longer timeout.
describe('sarix find-smtp (child process; servers on 127.0.7.0/29, DNS fixture on 127.0.7.53)', { timeout: 90_000 }, () => {
  let port: number;
  const peers: SmtpPeer[] = [];
  let ssh: Server;
  let dns: DnsFixture;
  let siteEnv: NodeJS.ProcessEnv;
  beforeAll(async () => {
    const postfix = await startSmtpPeer('accept', { host: '127.0.7.1', name: 'mail.site.test', banner: 'Postfix (Debian/GNU)' });
    port = postfix.port;
    peers.push(
      postfix,
      await startSmtpPeer('require-auth', { host: '127.0.7.2', port, name: 'ex01.site.test', banner: 'Microsoft ESMTP MAIL Service ready at Tue, 1 Jul 2025 10:00:00 +0000', authReply: { code: 530, message: '5.7.1 Client was not authenticated' } }),
      await startSmtpPeer('refuse-relay', { host: '127.0.7.3', port, name: 'smtp.site.test', banner: 'Exim 4.96', localDomain: 'site.test' }),
      await startSmtpPeer('require-starttls', { host: '127.0.7.4', port, name: 'secure.site.test', banner: 'Postfix' }),
    );
    // Something on the port that is not SMTP (an SSH server greets first, like SMTP, but not in SMTP's words).
    ssh = createServer((s) => {
      s.on('error', () => {});
      s.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
    });
    await new Promise<void>((r) => ssh.listen(port, '127.0.7.5', () => r()));
    // The site's DNS: an MX pointing at the Postfix peer (in the probed range) and a public provider MX.
    dns = await startDnsFixture(
      {
        mx: { 'site.test': [{ exchange: 'mail.site.test', priority: 10 }, { exchange: 'site-test.mail.protection.outlook.com', priority: 20 }] },
        addresses: { 'mail.site.test': ['127.0.7.1'], 'ex01.site.test': ['127.0.7.2'], 'smtp.site.test': ['127.0.7.3'] },
      },
      { address: '127.0.7.53' },
    );
    siteEnv = { SARIX_SITE_DNS: `127.0.7.53:${dns.port}`, SARIX_SITE_DOMAIN: 'site.test' };
  });
  afterAll(async () => {
    for (const p of peers) await p.close();
    await new Promise((r) => ssh.close(r));
    await dns.close();
  });

  it(`npx sarix find-smtp --subnet 127.0.7.0/29 --port P --json: finds the test servers and gives each the right verdict`, async () => {
    const r = await sarix(siteEnv, 'find-smtp', '--subnet', '127.0.7.0/29', '--port', String(port), '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = MailServerReportSchema.parse(JSON.parse(r.stdout));
    const verdict = (a: string) => report.servers.find((s) => s.address === a);
    expect(verdict('127.0.7.1')).toMatchObject({ host: 'mail.site.test', foundBy: ['mx', 'subnet'], software: { id: 'postfix' }, verdict: { status: 'accepts', level: 'good' }, name: { status: 'name-resolves' } });
    expect(verdict('127.0.7.1')!.verdict.headline).toMatch(/: use mail\.site\.test\.$/);
    expect(verdict('127.0.7.2')).toMatchObject({ host: 'ex01.site.test', software: { id: 'exchange' }, verdict: { status: 'needs-auth', level: 'bad', fix: expect.stringMatching(/anonymous relay connector/) } });
    expect(verdict('127.0.7.3')).toMatchObject({ software: { id: 'exim' }, relaysOutside: false, verdict: { status: 'site-only', level: 'warn' } });
    expect(verdict('127.0.7.4')).toMatchObject({ verdict: { status: 'needs-tls', level: 'bad' } });
    expect(verdict('127.0.7.5')).toMatchObject({ verdict: { status: 'not-smtp' } });
    expect(report.servers.at(-1)).toMatchObject({ host: 'site-test.mail.protection.outlook.com', isLocal: false, verdict: { status: 'not-usable' } });
    expect(report.scan).toMatchObject({ planned: 6, tried: 6, answered: 5 });
    expect(report.recommended).toEqual({ host: 'mail.site.test', address: '127.0.7.1', software: 'Postfix' });
    expect(report.site).toMatchObject({ domains: ['site.test'], servers: [`127.0.7.53:${dns.port}`] });
    // Progress on stderr; stdout is the JSON object only.
    expect(r.stderr).toMatch(/Probing TCP \d+ on 6 addresses of 127\.0\.7\.0\/29/);
    expect(r.stderr).toMatch(/\[found\] GOOD mail\.site\.test \(127\.0\.7\.1\): accepts/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    for (const p of peers) expect(p.messages).toEqual([]);
  });

  it('--data DIR: the search is journaled in the site named in that folder, as the app journals its own', async () => {
    const data = mkdtempSync(join(tmpdir(), 'sarix-find-smtp-site-'));
    try {
      new ConfSettingsStore(data).update({ siteName: 'Lager Ost', technicianName: 'Kim Berg' });
      const r = await sarix(siteEnv, 'find-smtp', '--subnet', '127.0.7.0/29', '--port', String(port), '--json', '--data', data);
      expect(r.status, r.stderr).toBe(0);
      const report = MailServerReportSchema.parse(JSON.parse(r.stdout));
      const { entries } = await new SiteJournal(join(data, 'sites', 'lager-ost')).read();
      const e = entries.filter((x) => x.kind === 'mail-servers');
      expect(e).toHaveLength(1);
      expect(e[0]).toMatchObject({ at: report.finishedAt, by: 'Kim Berg', operationId: report.operationId, domains: ['site.test'], subnets: ['127.0.7.0/29'], recommended: { host: 'mail.site.test' } });
      const servers = (e[0] as Extract<(typeof entries)[number], { kind: 'mail-servers' }>).servers;
      expect(servers.find((s) => s.address === '127.0.7.1')).toMatchObject({ software: 'Postfix', status: 'accepts', isUsableByCamera: true, foundBy: ['mx', 'subnet'] });
      expect(servers.find((s) => s.address === '127.0.7.2')).toMatchObject({ software: 'Exchange', status: 'needs-auth', isUsableByCamera: false });
      expect(servers.find((s) => !s.isLocal)).toMatchObject({ host: 'site-test.mail.protection.outlook.com', status: 'not-usable', isUsableByCamera: false });
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('prints the table: each verdict with its fix, then the server to use', async () => {
    const ok = await sarix(siteEnv, 'find-smtp', '--subnet', '127.0.7.0/29', '--port', String(port), '--camera-ip', '10.0.0.23');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^Site mail domain: site\.test \(from SARIX_SITE_DNS=.*\)$/m);
    expect(ok.stdout).toMatch(/^BAD {3}ex01\.site\.test {2}127\.0\.7\.2 {2}\(Exchange; found by subnet\)\n {6}Exchange at ex01\.site\.test refuses this laptop \(127\.0\.0\.1\) without a login .* the camera \(10\.0\.0\.23\) will be refused the same way\.\n {6}fix: ask IT to add the camera range \(127\.0\.7\.0\/29\) to an anonymous relay connector/m);
    expect(ok.stdout).toMatch(/^Use mail\.site\.test \(Postfix, 127\.0\.7\.1\) as the camera's SMTP server\.$/m);
  });

  it('exits 1 when no server takes the camera’s mail', async () => {
    const none = await sarix({}, 'find-smtp', '--no-dns', '--subnet', '127.0.7.2/31', '--port', String(port));
    expect(none.status).toBe(1);
    expect(none.stdout).toMatch(/No local mail server takes the camera's mail as it is/);
    expect(none.stderr).toMatch(/error: No local mail server takes/);
  });

  it('exits 2 on a subnet that is not local, before probing anything', async () => {
    const bad = await sarix({}, 'find-smtp', '--subnet', '8.8.8.0/24');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--subnet: 8\.8\.8\.0\/24 is not a local network range/);
  });

  it('exits 2 on a malformed flag or host switch', async () => {
    expect((await sarix({}, 'find-smtp', '--port', 'twenty-five')).status).toBe(2);
    const env = await sarix({ SARIX_SITE_DNS: 'dns.example' }, 'find-smtp', '--subnet', '127.0.7.1/32', '--port', String(port));
    expect(env.status).toBe(2);
    expect(env.stderr).toMatch(/SARIX_SITE_DNS must be "off" or IP\[:PORT\]/);
  });
});
