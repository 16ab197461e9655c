import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NodeDnsClient, serverString, StaticDnsClient } from './dns-client';
import { startDnsFixture, type DnsFixture } from './test-dns-server';

describe('NodeDnsClient against a DNS fixture on loopback (node resolver, setServers)', () => {
  let dns: DnsFixture;
  let client: NodeDnsClient;
  beforeAll(async () => {
    dns = await startDnsFixture(
      {
        mx: { 'site.test': [{ exchange: 'backup.site.test', priority: 20 }, { exchange: 'mail.site.test', priority: 10 }] },
        srv: { '_submission._tcp.site.test': [{ name: 'mail.site.test', port: 587, priority: 0, weight: 1 }] },
        addresses: { 'mail.site.test': ['127.0.6.1', 'fd00::25'], 'v6only.site.test': ['fd00::26'] },
        ptr: { '127.0.6.1': ['mail.site.test'] },
      },
      { address: '127.0.6.53' },
    );
    client = new NodeDnsClient({ servers: [{ address: dns.address, port: dns.port }], timeoutMs: 1000, tries: 1 });
  });
  afterAll(() => dns.close());

  it('asks only the given server', () => {
    expect(client.servers).toEqual([`127.0.6.53:${dns.port}`]);
  });
  it('answers MX sorted by preference, SRV, A+AAAA and PTR', async () => {
    expect(await client.resolveMx('site.test')).toEqual([
      { exchange: 'mail.site.test', priority: 10 },
      { exchange: 'backup.site.test', priority: 20 },
    ]);
    expect(await client.resolveSrv('_submission._tcp.site.test')).toEqual([{ name: 'mail.site.test', port: 587, priority: 0, weight: 1 }]);
    expect(await client.resolveAddresses('mail.site.test')).toEqual(['127.0.6.1', 'fd00::25']);
    expect(await client.resolveAddresses('v6only.site.test')).toEqual(['fd00::26']);
    expect(await client.reverse('127.0.6.1')).toEqual(['mail.site.test']);
    expect(dns.queries).toContain('PTR 1.6.0.127.in-addr.arpa');
  });
  it('fails with the resolver code: no such name, no such record', async () => {
    await expect(client.resolveAddresses('nothing.site.test')).rejects.toMatchObject({ name: 'DnsError', code: 'ENOTFOUND' });
    await expect(client.resolveSrv('mail.site.test')).rejects.toMatchObject({ code: 'ENODATA' });
  });
  it('reports a server that does not answer (nothing listens) as a failure, not a hang', async () => {
    const dead = new NodeDnsClient({ servers: [{ address: '127.0.6.54', port: dns.port }], timeoutMs: 200, tries: 1 });
    await expect(dead.resolveMx('site.test')).rejects.toMatchObject({ name: 'DnsError', code: expect.stringMatching(/ECONNREFUSED|ETIMEOUT/) });
  });
});

describe('serverString / StaticDnsClient', () => {
  it('writes servers the way setServers takes them', () => {
    expect(serverString({ address: '10.0.0.1', port: 53 })).toBe('10.0.0.1');
    expect(serverString({ address: '10.0.0.1', port: 5353 })).toBe('10.0.0.1:5353');
    expect(serverString({ address: 'fd00::1', port: 5353 })).toBe('[fd00::1]:5353');
  });
  it('answers from its table and records every question', async () => {
    const s = new StaticDnsClient({ addresses: { 'mail.site.test': ['10.0.0.5'] } });
    expect(await s.resolveAddresses('Mail.Site.Test.')).toEqual(['10.0.0.5']);
    await expect(s.resolveMx('site.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(s.asked).toEqual(['A Mail.Site.Test.', 'MX site.test']);
  });
});
