import { describe, expect, it } from 'vitest';
import { localizeError } from '../i18n/messages';
import { addressScope, checkSmtpHost, PUBLIC_SMTP_EXPLANATION, isHostName, isIpLiteral, isLocalAddress, parseIp, publicMailDomainOf, smtpHostNeedsLookup, type AddressScope } from './net-address';

describe('addressScope', () => {
  const table: Array<[string, AddressScope | null]> = [
    ['127.0.0.1', 'loopback'],
    ['127.0.5.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.254', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.0.20', 'private'],
    ['169.254.10.20', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['8.8.8.8', 'public'],
    ['142.250.0.1', 'public'],
    ['2a00:1450:4001::1', 'public'],
    ['100.64.0.1', 'public'],
    ['::ffff:192.168.1.5', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['[fd00::2]', 'unique-local'],
    ['0.0.0.0', 'unusable'],
    ['255.255.255.255', 'unusable'],
    ['224.0.0.251', 'unusable'],
    ['239.255.255.250', 'unusable'],
    ['ff02::1', 'unusable'],
    ['::', 'unusable'],
    ['192.0.2.2', 'unusable'],
    ['smtp.gmail.com', null],
    ['127.1', null],
    ['0x7f.0.0.1', null],
    ['256.1.1.1', null],
    ['', null],
  ];
  it.each(table)('%s → %s', (ip, scope) => {
    expect(addressScope(ip)).toBe(scope);
  });

  it('isLocalAddress agrees with the scope', () => {
    for (const [ip, scope] of table) {
      expect(isLocalAddress(ip)).toBe(scope === 'loopback' || scope === 'private' || scope === 'link-local' || scope === 'unique-local');
    }
  });
});

describe('parseIp / isIpLiteral / isHostName', () => {
  it.each([
    // Leading zeros read as octal in some stacks (inet_aton), so they are refused rather than guessed.
    ['192.168.000.001', null],
    ['192.168.0.1', { family: 4, address: '192.168.0.1' }],
    [' 10.0.0.1 ', { family: 4, address: '10.0.0.1' }],
    ['::ffff:10.0.0.1', { family: 4, address: '10.0.0.1' }],
    ['FD00:0:0::1', { family: 6, address: 'fd00::1' }],
    ['relay.local', null],
    ['1.2.3', null],
  ])('parseIp(%j)', (text, expected) => {
    expect(parseIp(text)).toEqual(expected);
    expect(isIpLiteral(text)).toBe(expected !== null);
  });

  it.each([
    ['relay', true],
    ['relay.site.lan', true],
    ['mail-01.example.internal.', true],
    ['-bad.lan', false],
    ['bad-.lan', false],
    ['under_score.lan', false],
    ['a..b', false],
    ['10.0.0.1', false],
    ['127.1', false],
    ['has space', false],
    ['x'.repeat(64) + '.lan', false],
    ['', false],
  ])('isHostName(%j) = %s', (text, expected) => {
    expect(isHostName(text)).toBe(expected);
  });

  it.each([
    ['smtp.gmail.com', 'gmail.com'],
    ['SMTP.Office365.com.', 'office365.com'],
    ['outlook.com', 'outlook.com'],
    ['notgmail.com', undefined],
    ['relay.lan', undefined],
  ])('publicMailDomainOf(%j) = %s', (host, expected) => {
    expect(publicMailDomainOf(host)).toBe(expected);
  });
});

describe('checkSmtpHost', () => {
  type Row = [value: string, resolved: string[] | undefined, ok: boolean, problemOrKind: string];
  const table: Row[] = [
    ['192.168.1.10', undefined, true, 'ip'],
    ['10.0.0.5', undefined, true, 'ip'],
    ['169.254.3.4', undefined, true, 'ip'],
    ['fd00::25', undefined, true, 'ip'],
    ['127.0.0.1', undefined, true, 'ip'],
    ['relay.site.lan', ['192.168.1.10'], true, 'name'],
    ['relay.site.lan', ['192.168.1.10', 'fd00::25'], true, 'name'],
    ['localhost', ['127.0.0.1', '::1'], true, 'name'],
    ['smtp.gmail.com', undefined, false, 'public-provider'],
    ['smtp.gmail.com', ['192.168.1.10'], false, 'public-provider'],
    ['smtp.office365.com', undefined, false, 'public-provider'],
    ['mail.example.org', ['93.184.216.34'], false, 'public-address'],
    ['split.lan', ['192.168.1.10', '93.184.216.34'], false, 'public-address'],
    ['8.8.8.8', undefined, false, 'public-address'],
    ['2a00:1450::1', undefined, false, 'public-address'],
    ['224.0.0.1', undefined, false, 'unusable-address'],
    ['0.0.0.0', undefined, false, 'unusable-address'],
    ['relay.lan', undefined, false, 'unresolved'],
    ['relay.lan', [], false, 'unresolved'],
    ['relay.lan', ['not-an-ip'], false, 'unresolved'],
    ['', undefined, false, 'empty'],
    ['   ', undefined, false, 'empty'],
    ['relay.lan:2525', undefined, false, 'has-port'],
    ['192.168.1.10:25', undefined, false, 'has-port'],
    ['[fd00::1]:25', undefined, false, 'has-port'],
    ['bad_host!', undefined, false, 'syntax'],
    ['127.1', undefined, false, 'syntax'],
  ];
  it.each(table)('%j resolved=%j → ok=%s (%s)', (value, resolved, ok, what) => {
    const v = checkSmtpHost(value, resolved);
    expect(v.ok).toBe(ok);
    if (v.ok) expect(v.kind).toBe(what);
    else {
      expect(v.problem).toBe(what);
      expect(v.message.length).toBeGreaterThan(20);
    }
  });

  it('explains why a public host is refused (docs/camera.md §1)', () => {
    const v = checkSmtpHost('smtp.gmail.com');
    expect(v.ok).toBe(false);
    if (!v.ok) {
      expect(v.message).toMatch(/local/i);
      expect(v.message).toMatch(/port 25/);
      expect(v.message).toMatch(/relay/i);
    }
  });

  it('refusals are keyed: the English exactly as before, German from the key', () => {
    const cases: Array<[string, string[] | undefined, string]> = [
      ['', undefined, 'The SMTP server is empty: enter the IP address or DNS name of a local mail server or relay.'],
      ['relay.lan:25', undefined, '"relay.lan:25" includes a port, but the camera has no port setting and always uses port 25: enter only the host.'],
      ['8.8.8.8', undefined, `8.8.8.8 is a public address. ${PUBLIC_SMTP_EXPLANATION}`],
      ['smtp.gmail.com', undefined, `smtp.gmail.com is a public mail service (gmail.com). ${PUBLIC_SMTP_EXPLANATION}`],
      ['relay.lan', [], "relay.lan does not resolve to any address: check the DNS server the camera uses, or enter the relay's IP address instead."],
      ['relay.lan', ['10.0.0.5', '8.8.4.4'], `relay.lan resolves to 8.8.4.4, which is not on the local network. ${PUBLIC_SMTP_EXPLANATION}`],
      ['cam lobby', undefined, '"cam lobby" is neither an IP address nor a valid host name: enter the IP address or DNS name of a local mail server.'],
    ];
    for (const [value, resolved, english] of cases) {
      const v = checkSmtpHost(value, resolved);
      expect(v).toMatchObject({ ok: false, message: english, key: expect.stringMatching(/^smtpHost\./) });
    }
    const gmail = checkSmtpHost('smtp.gmail.com');
    if (gmail.ok) throw new Error('expected a refusal');
    expect(localizeError('de', gmail)).toMatch(/^smtp\.gmail\.com ist ein öffentlicher Maildienst \(gmail\.com\)\. \S/);
    expect(localizeError('de', gmail)).not.toContain('Legacy Sarix');
    const port = checkSmtpHost('relay.lan:25');
    if (!port.ok) expect(localizeError('de', port)).toBe('„relay.lan:25“ enthält einen Port, aber die Kamera hat keine Port-Einstellung und verwendet immer Port 25: Geben Sie nur den Host ein.');
  });

  it('warns about loopback but accepts it (the practice camera uses it)', () => {
    const v = checkSmtpHost('127.0.0.1');
    expect(v.ok && v.warning).toMatch(/camera itself/);
    const lan = checkSmtpHost('192.168.1.10');
    expect(lan.ok && lan.warning).toBeFalsy();
  });

  it('only names outside the provider list need a lookup', () => {
    expect(smtpHostNeedsLookup('relay.lan')).toBe(true);
    expect(smtpHostNeedsLookup('smtp.gmail.com')).toBe(false);
    expect(smtpHostNeedsLookup('10.0.0.1')).toBe(false);
  });
});
