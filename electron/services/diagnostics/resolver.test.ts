import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHostsFile, StaticResolver, SystemResolver } from './resolver';

let dir = '';
let hostsPath = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'doctor-hosts-'));
  hostsPath = join(dir, 'hosts');
  await writeFile(hostsPath, '# comment\n127.0.0.1 localhost\n192.168.0.5\trelay.site.lan relay  # the relay\n::1 localhost\nnot-an-ip bogus\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseHostsFile', () => {
  it('maps names to addresses, ignoring comments and junk', () => {
    const m = parseHostsFile('127.0.0.1 localhost\n192.168.0.5 Relay.Site.Lan relay # x\n::1 localhost\nnot-an-ip bogus\n');
    expect(m.get('relay.site.lan')).toEqual(['192.168.0.5']);
    expect(m.get('relay')).toEqual(['192.168.0.5']);
    expect(m.get('localhost')).toEqual(['127.0.0.1', '::1']);
    expect(m.has('bogus')).toBe(false);
  });
});

describe('SystemResolver (hosts file and an injected system lookup; no real DNS)', () => {
  it('answers IP literals itself', async () => {
    const r = new SystemResolver({ hostsPath, lookup: () => Promise.reject(new Error('must not be called')) });
    expect(await r.lookup('10.1.2.3')).toMatchObject({ addresses: ['10.1.2.3'], source: 'literal' });
  });
  it('says when the hosts file answered', async () => {
    const asked: string[] = [];
    const r = new SystemResolver({ hostsPath, lookup: async (n) => (asked.push(n), ['10.9.9.9']) });
    expect(await r.lookup('RELAY.site.lan')).toMatchObject({ addresses: ['192.168.0.5'], source: 'hosts-file' });
    expect(asked).toEqual([]);
  });
  it('falls through to the system lookup', async () => {
    const r = new SystemResolver({ hostsPath, lookup: async () => ['10.0.0.25', '10.0.0.25'] });
    expect(await r.lookup('mail.site.lan')).toMatchObject({ addresses: ['10.0.0.25'], source: 'system' });
  });
  it('reports "none" with the error code when nothing answers', async () => {
    const r = new SystemResolver({ hostsPath, lookup: () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOTFOUND' })) });
    expect(await r.lookup('nothing.site.lan')).toMatchObject({ addresses: [], source: 'none', error: 'ENOTFOUND' });
  });
  it('gives up on a hanging resolver', async () => {
    const r = new SystemResolver({ hostsPath, timeoutMs: 50, lookup: () => new Promise(() => {}) });
    expect(await r.lookup('slow.site.lan')).toMatchObject({ source: 'none', error: 'ETIMEOUT' });
  });
  it('works without a readable hosts file', async () => {
    const r = new SystemResolver({ hostsPath: join(dir, 'missing'), lookup: async () => ['10.0.0.1'] });
    expect(await r.lookup('a.site.lan')).toMatchObject({ source: 'system' });
  });
});

describe('StaticResolver', () => {
  it('records what was asked', async () => {
    const r = new StaticResolver({ 'a.lan': ['10.0.0.1'] });
    await r.lookup('a.lan');
    await r.lookup('b.lan');
    expect(r.asked).toEqual(['a.lan', 'b.lan']);
    expect(await r.lookup('B.lan')).toMatchObject({ source: 'none' });
  });
});
