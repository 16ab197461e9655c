import { describe, expect, it } from 'vitest';
import { localizeText } from '../i18n/keyed-text';
import { msg } from '../i18n/messages';
import { PUBLIC_SMTP_EXPLANATION } from './net-address';
import {
  adviseName,
  GENERIC_RELAY_FIX,
  GENERIC_TLS_FIX,
  MAIL_SOFTWARE,
  bannerHostName,
  checkSubnet,
  compareFindings,
  domainOfHost,
  FindMailServersRequestSchema,
  identifyMailSoftware,
  judgeServer,
  MailServerReportSchema,
  subnetAddresses,
  summarizeFindings,
  testRecipients,
  type MailServerFinding,
  type ServerName,
  type ServerProbe,
  type VerdictInput,
} from './mail-servers';

describe('identifyMailSoftware (banner table)', () => {
  it.each([
    ['EX01.site.lan Microsoft ESMTP MAIL Service ready at Tue, 1 Jul 2025 10:00:00 +0000', 'exchange'],
    ['smtp.site.lan Microsoft ESMTP MAIL Service, Version: 10.0.17763.1 ready at Tue, 1 Jul 2025', 'iis-smtp'],
    ['mail.site.lan ESMTP Postfix (Debian/GNU)', 'postfix'],
    ['mx.site.lan ESMTP Exim 4.96 Tue, 01 Jul 2025 10:00:00 +0000', 'exim'],
    ['DiskStation.site.lan ESMTP Postfix', 'synology'],
    ['nas.site.lan ESMTP Synology MailPlus Server', 'synology'],
    ['NAS1A2B3C.site.lan ESMTP Postfix', 'qnap'],
    ['relay.site.lan ESMTP Sarix Commissioner relay', 'sarix-relay'],
    ['mail.site.lan ESMTP hMailServer', 'hmailserver'],
    ['mail.site.lan ESMTP Sendmail 8.17.1/8.17.1; Tue, 1 Jul 2025', 'sendmail'],
  ])('%s → %s', (banner, id) => {
    expect(identifyMailSoftware(banner)?.id).toBe(id);
  });
  it('returns undefined for a banner that names nothing, and also reads the EHLO greeting', () => {
    expect(identifyMailSoftware('mail.site.lan ESMTP ready')).toBeUndefined();
    expect(identifyMailSoftware('mail.site.lan ESMTP', 'mail.site.lan Hello [10.0.0.5], Exim')?.id).toBe('exim');
  });
});

describe('banner names', () => {
  it('takes a dotted host name from the greeting, nothing else', () => {
    expect(bannerHostName('Mail.Site.LAN. ESMTP Postfix')).toBe('mail.site.lan');
    expect(bannerHostName('localhost ESMTP')).toBeUndefined();
    expect(bannerHostName('[10.0.0.5] ESMTP')).toBeUndefined();
    expect(bannerHostName(undefined)).toBeUndefined();
    expect(domainOfHost('mail.site.lan')).toBe('site.lan');
    expect(domainOfHost('site.lan')).toBeUndefined();
  });
});

describe('checkSubnet / subnetAddresses', () => {
  it('accepts a local IPv4 CIDR and normalises host bits', () => {
    expect(checkSubnet('127.0.7.3/29')).toEqual({ ok: true, cidr: '127.0.7.0/29', addresses: 6 });
    expect(checkSubnet('192.168.1.0/24')).toEqual({ ok: true, cidr: '192.168.1.0/24', addresses: 254 });
    expect(checkSubnet('10.0.0.4/31')).toEqual({ ok: true, cidr: '10.0.0.4/31', addresses: 2 });
  });
  it.each([
    ['8.8.8.0/24', /not a local network range/],
    ['100.64.0.0/24', /not a local network range/],
    ['fd00::/120', /IPv6/],
    ['10.0.0.0/16', /65534 addresses, more than the 1024/],
    ['10.0.0.0', /not a CIDR block/],
    ['10.0.0.0/33', /not a CIDR block/],
    ['banana', /not a CIDR block/],
  ])('refuses %s', (cidr, re) => {
    const c = checkSubnet(cidr);
    expect(c.ok).toBe(false);
    expect(c.ok ? '' : c.message).toMatch(re);
  });
  it('lists host addresses without network and broadcast (but all of a /31 and /32)', () => {
    expect(subnetAddresses('127.0.7.0/29')).toEqual(['127.0.7.1', '127.0.7.2', '127.0.7.3', '127.0.7.4', '127.0.7.5', '127.0.7.6']);
    expect(subnetAddresses('10.0.0.4/31')).toEqual(['10.0.0.4', '10.0.0.5']);
    expect(subnetAddresses('10.0.0.9/32')).toEqual(['10.0.0.9']);
    expect(subnetAddresses('10.0.1.0/23')).toHaveLength(510);
  });
});

describe('FindMailServersRequestSchema', () => {
  it('fills defaults: port 25, DNS on, testing on, the probe bounds', () => {
    expect(FindMailServersRequestSchema.parse({})).toMatchObject({ subnets: [], port: 25, useDns: true, probeServers: true, sendTest: false, limits: { concurrency: 16, ratePerSecond: 20, timeLimitMs: 120_000 } });
    expect(FindMailServersRequestSchema.parse({ subnets: ['127.0.7.5/29'], cameraDns: { address: '10.0.0.1' } })).toMatchObject({ subnets: ['127.0.7.0/29'], cameraDns: { address: '10.0.0.1', port: 53 } });
  });
  it.each([
    [{ subnets: ['8.8.8.0/24'] }, /not a local network range/],
    [{ subnets: ['10.0.0.0/23', '10.0.2.0/23', '10.0.4.0/23'] }, /1530 addresses together/],
    [{ sendTest: true }, /needs a recipient/],
    [{ cameraIp: 'camera' }, /IP address/],
    [{ limits: { concurrency: 500 } }, /64/],
    [{ port: 0 }, /1/],
    [{ extra: 1 }, /extra|unrecognized/i],
  ])('refuses %o', (req, re) => {
    const r = FindMailServersRequestSchema.safeParse(req);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.message).join(' ')).toMatch(re);
  });
});

describe('testRecipients', () => {
  it('tries postmaster of the site domain and an outside address; the camera recipient takes its place', () => {
    expect(testRecipients('site.lan', undefined)).toEqual({ site: 'postmaster@site.lan', outside: 'relay-test@example.com', toIsSite: false });
    expect(testRecipients('site.lan', 'alerts@gmail.com')).toEqual({ site: 'postmaster@site.lan', outside: 'alerts@gmail.com', toIsSite: false });
    expect(testRecipients('site.lan', 'Guard@Site.lan')).toEqual({ site: 'Guard@Site.lan', outside: 'relay-test@example.com', toIsSite: true });
    expect(testRecipients(undefined, undefined).site).toBe('postmaster');
  });
});

const name = (n: string, over: Partial<ServerName> = {}): ServerName => ({ name: n, source: 'mx', cameraDnsAddresses: [], hostsFileAddresses: [], ...over });
const camDns = { server: '10.0.0.1', isAssumed: false };

describe('adviseName (prefer names the camera can resolve)', () => {
  it('offers a name the camera DNS resolves to this server', () => {
    const a = adviseName({ address: '10.0.0.5', names: [name('mail.site.lan', { cameraDnsAddresses: ['10.0.0.5'] })], checkedWith: camDns });
    expect(a).toMatchObject({ host: 'mail.site.lan', isName: true, status: 'name-resolves' });
    expect(a.message).toMatch(/the camera's DNS server 10\.0\.0\.1/);
  });
  it('says when the DNS server was only this laptop’s', () => {
    const a = adviseName({ address: '10.0.0.5', names: [name('mail.site.lan', { cameraDnsAddresses: ['10.0.0.5'] })], checkedWith: { server: '10.0.0.2', isAssumed: true } });
    expect(a.message).toMatch(/this laptop's DNS server 10\.0\.0\.2 \(the camera's was not given\)/);
  });
  it('warns about a hosts-file-only name and advises the address', () => {
    const a = adviseName({ address: '10.0.0.5', names: [name('mail.site.lan', { hostsFileAddresses: ['10.0.0.5'], cameraDnsError: 'ENOTFOUND' })], checkedWith: camDns });
    expect(a).toMatchObject({ host: '10.0.0.5', isName: false, status: 'hosts-file-only' });
    expect(a.message).toMatch(/resolves only on this laptop \(a hosts-file entry\)/);
  });
  it('warns about a name the camera DNS does not know, or resolves elsewhere', () => {
    expect(adviseName({ address: '10.0.0.5', names: [name('mail.site.lan', { cameraDnsError: 'ENOTFOUND' })], checkedWith: camDns })).toMatchObject({ host: '10.0.0.5', status: 'not-in-camera-dns' });
    expect(adviseName({ address: '10.0.0.5', names: [name('mail.site.lan', { cameraDnsAddresses: ['10.0.0.9'] })], checkedWith: camDns })).toMatchObject({ host: '10.0.0.5', status: 'different-address' });
  });
  it('never offers a name that also resolves to a public address, and takes a later name that works', () => {
    const a = adviseName({ address: '10.0.0.5', names: [name('mail.site.lan', { cameraDnsAddresses: ['10.0.0.5', '52.1.2.3'] }), name('ex01.site.lan', { source: 'ptr', cameraDnsAddresses: ['10.0.0.5'] })], checkedWith: camDns });
    expect(a).toMatchObject({ host: 'ex01.site.lan', status: 'name-resolves' });
  });
  it('says the name was not checked when the camera DNS server did not answer this laptop', () => {
    const a = adviseName({ address: '10.0.0.5', names: [name('mail.site.lan', { cameraDnsError: 'ETIMEOUT' })], checkedWith: camDns });
    expect(a).toMatchObject({ host: '10.0.0.5', status: 'unchecked' });
    expect(a.message).toMatch(/^The camera's DNS server 10\.0\.0\.1 did not answer this laptop \(ETIMEOUT\)/);
  });
  it('uses the address without names, and without a DNS server to check with', () => {
    expect(adviseName({ address: '10.0.0.5', names: [], checkedWith: camDns })).toMatchObject({ host: '10.0.0.5', status: 'no-name' });
    expect(adviseName({ address: '10.0.0.5', names: [name('mail.site.lan')] })).toMatchObject({ host: '10.0.0.5', status: 'unchecked' });
  });
});

const reply = (code: number, text: string, enhanced?: string) => ({ code, lines: [text], ...(enhanced ? { enhanced } : {}) });
function probe(over: Partial<ServerProbe> = {}): ServerProbe {
  return {
    probedFrom: '10.0.0.50',
    connect: { ok: true },
    banner: reply(220, 'mail.site.lan ESMTP Postfix'),
    ehlo: reply(250, 'mail.site.lan'),
    usedHelo: false,
    offersStarttls: false,
    authMechanisms: [],
    from: 'sarix-camera@site.lan',
    mailFrom: reply(250, 'OK', '2.1.0'),
    siteRecipient: { address: 'postmaster@site.lan', reply: reply(250, 'OK', '2.1.5') },
    outsideRecipient: { address: 'relay-test@example.com', reply: reply(250, 'OK', '2.1.5') },
    transcript: [],
    ...over,
  };
}
const exchange = identifyMailSoftware('Microsoft ESMTP MAIL Service ready')!;
const postfix = identifyMailSoftware('ESMTP Postfix')!;
const base = (over: Partial<VerdictInput> = {}): VerdictInput => ({ display: 'mail.site.lan', address: '10.0.0.5', port: 25, probe: probe(), toIsSite: false, useHost: 'mail.site.lan', ...over });

describe('judgeServer (plain words with the fix)', () => {
  it('accepts: use the name, with the honest caveat that the probe ran from this laptop', () => {
    const v = judgeServer(base({ software: postfix, cameraIp: '10.0.0.23' }));
    expect(v).toMatchObject({ status: 'accepts', level: 'good', fix: '', article: 'smtp-relay-permissions' });
    expect(v.headline).toMatch(/^Postfix at mail\.site\.lan accepts mail without a login or TLS.*: use mail\.site\.lan\.$/);
    expect(v.caveat).toMatch(/Tested from this laptop \(10\.0\.0\.50\), not from the camera \(10\.0\.0\.23\)/);
  });
  it('drops the caveat when the probe used the camera’s own address', () => {
    expect(judgeServer(base({ cameraIp: '10.0.0.50' })).caveat).toBeUndefined();
  });
  it('Exchange demanding a login: refuses, ask IT for an anonymous relay connector for the camera range', () => {
    const v = judgeServer(base({ display: 'mail.site.local', software: exchange, cameraIp: '10.0.0.23', cameraRange: '10.0.0.0/24', probe: probe({ mailFrom: reply(530, 'Client was not authenticated', '5.7.1'), siteRecipient: undefined, outsideRecipient: undefined }) }));
    expect(v).toMatchObject({ status: 'needs-auth', level: 'bad' });
    expect(v.headline).toBe('Exchange at mail.site.local refuses this laptop (10.0.0.50) without a login (530 5.7.1 Client was not authenticated); the camera cannot log in, so the camera (10.0.0.23) will be refused the same way.');
    expect(v.fix).toMatch(/^ask IT to add the camera range \(10\.0\.0\.0\/24\) to an anonymous relay connector/);
  });
  it('site mailboxes only: a warning with the relay fix, or good when the camera mails a site mailbox', () => {
    const p = probe({ outsideRecipient: { address: 'relay-test@example.com', reply: reply(554, '<relay-test@example.com>: Relay access denied', '5.7.1') } });
    const warn = judgeServer(base({ software: postfix, probe: p }));
    expect(warn).toMatchObject({ status: 'site-only', level: 'warn' });
    expect(warn.fix).toMatch(/mynetworks/);
    const good = judgeServer(base({ software: postfix, probe: { ...p, siteRecipient: { address: 'guard@site.lan', reply: reply(250, 'OK') } }, toIsSite: true, siteDomain: 'site.lan' }));
    expect(good).toMatchObject({ status: 'site-only', level: 'good' });
    expect(good.headline).toMatch(/accepts mail for guard@site\.lan without a login: use mail\.site\.lan/);
  });
  it('TLS demanded: the product’s own words, else the generic plain-SMTP fix', () => {
    const p = probe({ mailFrom: reply(530, 'Must issue a STARTTLS command first', '5.7.0') });
    expect(judgeServer(base({ software: postfix, probe: p, cameraRange: '10.0.0.0/24' })).fix).toBe(
      "ask IT to set smtpd_tls_security_level = may (not encrypt) on port 25 so the camera range (10.0.0.0/24) can send without TLS, or point the camera at this app's relay.",
    );
    expect(judgeServer(base({ probe: p })).fix).toMatch(/^ask the mail administrator to accept plain SMTP \(no TLS\) on port 25 from the cameras' addresses/);
  });
  it('Postfix 2.10+ defers unknown relaying (454 4.7.1): still site-only, not a deferral', () => {
    const v = judgeServer(base({ probe: probe({ outsideRecipient: { address: 'x@example.com', reply: reply(454, 'Relay access denied', '4.7.1') } }) }));
    expect(v.status).toBe('site-only');
  });
  it.each<[string, Partial<ServerProbe>, string]>([
    ['TLS demanded', { mailFrom: reply(530, 'Must issue a STARTTLS command first', '5.7.0') }, 'needs-tls'],
    ['TLS demanded at RCPT', { siteRecipient: { address: 'postmaster@site.lan', reply: reply(530, 'Must issue a STARTTLS command first', '5.7.0') } }, 'needs-tls'],
    ['sender refused', { mailFrom: reply(553, 'sender not allowed', '5.7.1') }, 'refused'],
    ['deferred', { mailFrom: reply(451, 'try later', '4.3.0') }, 'deferred'],
    ['recipient refused', { siteRecipient: { address: 'postmaster@site.lan', reply: reply(550, 'no such user', '5.1.1') } }, 'refused'],
    ['no connection', { connect: { ok: false, code: 'ECONNREFUSED' }, banner: undefined }, 'unreachable'],
    ['silent after connect', { banner: undefined, stoppedAt: { step: 'banner', reason: 'no reply within 8 s' } }, 'not-smtp'],
    ['greeting refused', { banner: reply(554, 'go away') }, 'refused'],
    ['relay demands login', { outsideRecipient: { address: 'x@example.com', reply: reply(530, 'Authentication required', '5.7.0') } }, 'needs-auth'],
  ])('%s → %s', (_n, over, status) => {
    expect(judgeServer(base({ probe: probe(over) })).status).toBe(status);
  });
  it('public and untested servers', () => {
    expect(judgeServer(base({ notUsableReason: 'it is a public mail service (outlook.com).' }))).toMatchObject({ status: 'not-usable', level: 'info', article: 'local-relay' });
    expect(judgeServer(base({ notTestedReason: 'testing was turned off' }))).toMatchObject({ status: 'not-probed', headline: expect.stringMatching(/was not tested \(testing was turned off\)/) });
    expect(judgeServer(base({ probe: probe({ connect: { ok: false, code: 'ETIMEDOUT' } }), port: 2525 })).headline).toMatch(/does not answer on port 2525 from this laptop \(10\.0\.0\.50\) \(ETIMEDOUT\)\.$/);
    expect(judgeServer(base({ probe: probe({ connect: { ok: false, code: 'ECONNREFUSED' } }), srvPort: 587 })).headline).toMatch(/DNS advertises it for mail submission on port 587, which the camera cannot use/);
  });
});

describe('findings: order, summary, report shape', () => {
  const finding = (host: string, level: 'good' | 'warn' | 'bad' | 'info', isLocal = true, over: Partial<MailServerFinding> = {}): MailServerFinding => ({
    host,
    address: host.startsWith('10.') ? host : '10.0.0.9',
    port: 25,
    isLocal,
    foundBy: ['subnet'],
    names: [],
    name: { host, isName: false, status: 'no-name', message: '' },
    verdict: { status: 'accepts', level, headline: 'h', fix: '', article: 'smtp-relay-permissions' },
    ...over,
  });
  it('orders local before public, good before bad, then numerically by address', () => {
    const list = [finding('10.0.0.20', 'bad'), finding('mx.example.net', 'info', false), finding('10.0.0.3', 'good'), finding('10.0.0.10', 'good')];
    expect(list.sort(compareFindings).map((f) => f.host)).toEqual(['10.0.0.3', '10.0.0.10', '10.0.0.20', 'mx.example.net']);
  });
  it('recommends the best local server, or says what to do when there is none', () => {
    expect(summarizeFindings([finding('10.0.0.3', 'good', true, { software: { id: 'postfix', label: 'Postfix' } })], false)).toEqual({
      summary: "Use 10.0.0.3 (Postfix, 10.0.0.3) as the camera's SMTP server.",
      summaryText: { key: 'mailServers.summary.useWithSoftware', params: { host: '10.0.0.3', software: 'Postfix', address: '10.0.0.3', tail: '' } },
      recommended: { host: '10.0.0.3', address: '10.0.0.3', software: 'Postfix' },
    });
    expect(summarizeFindings([finding('10.0.0.3', 'bad')], false).summary).toMatch(/No local mail server takes the camera's mail as it is/);
    expect(summarizeFindings([], true).summary).toMatch(/No local mail server found \(the search was cancelled/);
  });
  it('a report survives JSON and the schema (the hand-over report stores it)', () => {
    const report = { operationId: 'x', startedAt: 'a', finishedAt: 'b', site: { domains: [], source: 'none', servers: [] }, lookups: [], servers: [finding('10.0.0.3', 'good')], summary: 's', isCancelled: false };
    expect(MailServerReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });
});

describe('verdicts in the technician\'s language', () => {
  it('an Exchange refusal reads in German from its keys, with the fix in Exchange\'s terms; the English stays as it was', () => {
    const exchangeSw = MAIL_SOFTWARE.find((s) => s.id === 'exchange')!;
    const v = judgeServer(base({ display: 'mail.site.local', software: exchangeSw, cameraIp: '10.0.0.23', cameraRange: '10.0.0.0/24', probe: probe({ mailFrom: reply(530, 'Client was not authenticated', '5.7.1'), siteRecipient: undefined, outsideRecipient: undefined }) }));
    expect(v.headline).toMatch(/^Exchange at mail\.site\.local refuses this laptop \(10\.0\.0\.50\) without a login/);
    expect(localizeText('de', v.headline, v.headlineText)).toBe(
      'Exchange auf mail.site.local lehnt Mail von diesem Laptop (10.0.0.50) ohne Anmeldung ab (530 5.7.1 Client was not authenticated); die Kamera kann sich nicht anmelden, daher wird Mail von der Kamera (10.0.0.23) genauso abgelehnt.',
    );
    expect(localizeText('de', v.fix, v.fixText)).toMatch(/^bitten Sie die IT, den Kamerabereich \(10\.0\.0\.0\/24\) in einen anonymen Relay-Connector aufzunehmen/);
    const summary = summarizeFindings([], true);
    expect(localizeText('de', summary.summary, summary.summaryText)).toBe(
      'Kein lokaler Mail-Server gefunden (die Suche wurde abgebrochen; die Liste ist womöglich unvollständig): Verwenden Sie das Relay dieser App, oder fragen Sie die IT nach dem Mail-Server der Anlage und testen Sie ihn mit sarix doctor.',
    );
  });

  it('the catalog carries MAIL_SOFTWARE\'s fixes and the public-server explanation word for word in English', () => {
    for (const sw of [...MAIL_SOFTWARE, { id: 'none', relayFix: GENERIC_RELAY_FIX, tlsFix: GENERIC_TLS_FIX }]) {
      const v = judgeServer(base({ software: sw.id === 'none' ? undefined : (sw as (typeof MAIL_SOFTWARE)[number]), cameraRange: '10.9.9.0/24', probe: probe({ mailFrom: reply(530, 'Authentication required', '5.7.0') }) }));
      expect(v.fix).toBe(sw.relayFix.replace('{range}', 'the camera range (10.9.9.0/24)'));
      const tls = judgeServer(base({ software: sw.id === 'none' ? undefined : (sw as (typeof MAIL_SOFTWARE)[number]), cameraRange: '10.9.9.0/24', probe: probe({ mailFrom: reply(530, 'Must issue a STARTTLS command first', '5.7.0') }) }));
      expect(tls.fix).toBe(`${(sw.tlsFix ?? GENERIC_TLS_FIX).replace('{range}', 'the camera range (10.9.9.0/24)')}, or point the camera at this app's relay.`);
    }
    expect(msg('mailServers.public.explanation')).toBe(PUBLIC_SMTP_EXPLANATION);
  });
});
