import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckId, CheckResult } from '../../../shared/domain/diagnostics';
import { runNtpChecks, type NtpTarget } from './ntp-checks';
import { StaticResolver } from './resolver';
import { buildRequest, parseReply, querySntp, readNtpTimestamp, writeNtpTimestamp } from './sntp-client';
import { startSntpPeer, type SntpPeer } from './test-peers';

const OFFSET = 42_000;
const peers: Record<string, SntpPeer> = {};
beforeAll(async () => {
  peers.skewed = await startSntpPeer({ offsetMs: OFFSET, stratum: 3 });
  peers.exact = await startSntpPeer({ offsetMs: 0 });
  peers.kiss = await startSntpPeer({ kissCode: 'DENY' });
  peers.unsynced = await startSntpPeer({ stratum: 16, leap: 3 });
  peers.silent = await startSntpPeer({ silent: true });
});
afterAll(async () => {
  for (const p of Object.values(peers)) await p.close();
});

describe('NTP timestamps', () => {
  it('round-trips Unix ms through the 64-bit NTP format within a microsecond', () => {
    const b = Buffer.alloc(8);
    for (const t of [0.5, 1_700_000_000_123.456, Date.UTC(2035, 11, 31)]) {
      writeNtpTimestamp(b, 0, t);
      expect(Math.abs(readNtpTimestamp(b, 0) - t)).toBeLessThan(0.001);
    }
  });
  it('reads era-1 timestamps (after the 2036 wrap) correctly', () => {
    const b = Buffer.alloc(8);
    const t = Date.UTC(2040, 0, 1);
    writeNtpTimestamp(b, 0, t);
    expect(b.readUInt32BE(0) & 0x80000000).toBe(0);
    expect(Math.abs(readNtpTimestamp(b, 0) - t)).toBeLessThan(0.001);
  });
  it('computes offset and delay from the four timestamps (RFC 4330 §5)', () => {
    const t1 = 1_700_000_000_000;
    const req = buildRequest(t1);
    const reply = Buffer.alloc(48);
    reply[0] = (4 << 3) | 4;
    reply[1] = 2;
    req.copy(reply, 24, 40, 48);
    writeNtpTimestamp(reply, 32, t1 + 10 + 5000); // server received 10 ms after send, its clock 5 s ahead
    writeNtpTimestamp(reply, 40, t1 + 12 + 5000);
    const r = parseReply(reply, req, t1, t1 + 22);
    expect(r.offsetMs).toBeCloseTo(5000, 3);
    expect(r.roundTripMs).toBeCloseTo(20, 3);
  });
  it('refuses replies that are not for us', () => {
    const req = buildRequest(1000);
    const reply = Buffer.alloc(48);
    reply[0] = (4 << 3) | 4;
    reply[1] = 2;
    expect(() => parseReply(reply, req, 1000, 1001)).toThrow(/does not echo our request/);
    reply[0] = (4 << 3) | 3;
    expect(() => parseReply(reply, req, 1000, 1001)).toThrow(/mode 3/);
    expect(() => parseReply(Buffer.alloc(10), req, 1000, 1001)).toThrow(/10 bytes, an NTP packet has at least 48/);
  });
});

describe('SNTP client against a loopback responder', () => {
  it('measures the known offset and reads the stratum', async () => {
    const r = await querySntp({ address: '127.0.0.1', port: peers.skewed.port });
    // The responder's clock is the real clock + 42 s; the error is bounded by half the loopback round trip.
    expect(Math.abs(r.offsetMs - OFFSET)).toBeLessThan(250);
    expect(r).toMatchObject({ stratum: 3, mode: 4, version: 4, refId: '127.127.1.0' });
  });
  it('never sends to a public address', async () => {
    let created = 0;
    await expect(querySntp({ address: '8.8.8.8', port: 123, createSocket: (t) => (created++, createSocket(t)) })).rejects.toMatchObject({ kind: 'refused-public' });
    expect(created).toBe(0);
  });
});

const resolver = new StaticResolver({ 'ntp.site.lan': ['127.0.0.1'], 'pool.ntp.org': ['8.8.8.8'] });
async function run(target: NtpTarget | undefined, wallClock?: () => number, timeoutMs = 5000) {
  const results: CheckResult[] = [];
  let created = 0;
  await runNtpChecks(target, {
    resolver,
    now: () => performance.now(),
    wallClock,
    timeoutMs,
    createSocket: (t) => (created++, createSocket(t)),
    report: (x) => results.push(x),
  });
  expect(results.map((r) => r.id)).toEqual(['ntp-resolve', 'ntp-answer', 'ntp-laptop-clock']);
  return { by: Object.fromEntries(results.map((x) => [x.id, x])) as Record<CheckId, CheckResult>, created };
}

describe('NTP checks', () => {
  it('passes a good server and a laptop clock in step with it', async () => {
    const { by } = await run({ host: 'ntp.site.lan', port: peers.exact.port, source: 'flag' });
    expect(by['ntp-resolve'].verdict).toBe('pass');
    expect(by['ntp-answer']).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/stratum 2/) });
    expect(by['ntp-laptop-clock'].verdict).toBe('pass');
  });
  it('warns when this laptop is 42 s behind the NTP server', async () => {
    const { by } = await run({ host: 'ntp.site.lan', port: peers.skewed.port, source: 'flag' });
    expect(by['ntp-laptop-clock']).toMatchObject({ verdict: 'warn', article: 'ntp-clock-skew', message: expect.stringMatching(/^This laptop's clock is 4[12]\.\d s behind/) });
  });
  it('fails when this laptop is an hour off (injected wall clock)', async () => {
    const { by } = await run({ host: '127.0.0.1', port: peers.exact.port, source: 'flag' }, () => Date.now() + 3_600_000);
    expect(by['ntp-laptop-clock']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/1 h 0 min ahead/) });
  });
  it('fails a kiss-of-death and explains it', async () => {
    const { by } = await run({ host: '127.0.0.1', port: peers.kiss.port, source: 'flag' });
    expect(by['ntp-answer']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/kiss-of-death "DENY": the server denies access/) });
    expect(by['ntp-laptop-clock'].verdict).toBe('skipped');
  });
  it('warns about an unsynchronised server', async () => {
    const { by } = await run({ host: '127.0.0.1', port: peers.unsynced.port, source: 'flag' });
    expect(by['ntp-answer']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/not synchronised/) });
  });
  it('fails a server that does not answer', async () => {
    const { by } = await run({ host: '127.0.0.1', port: peers.silent.port, source: 'flag' }, undefined, 300);
    expect(by['ntp-answer']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/did not answer SNTP/) });
    expect(peers.silent.requests).toBeGreaterThan(0);
  });
  it('fails fast with "port unreachable" when nothing listens on the UDP port', async () => {
    const s = createSocket('udp4');
    const port = await new Promise<number>((r) => s.bind(0, '127.0.0.1', () => r(s.address().port)));
    await new Promise<void>((r) => s.close(() => r()));
    const results: CheckResult[] = [];
    await runNtpChecks({ host: '127.0.0.1', port, source: 'flag' }, { resolver, now: () => performance.now(), timeoutMs: 5000, report: (x) => results.push(x) });
    expect(results.find((r) => r.id === 'ntp-answer')).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/Nothing answers NTP on 127\.0\.0\.1:\d+ \(port unreachable\)/) });
  });
  it('does not contact a public NTP server, and says why', async () => {
    const { by, created } = await run({ host: 'pool.ntp.org', port: 123, source: 'camera' });
    expect(by['ntp-answer']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/public server.*not contacted/) });
    expect(created).toBe(0);
  });
  it('fails a name that does not resolve', async () => {
    const { by } = await run({ host: 'time.nowhere.lan', port: 123, source: 'flag' });
    expect(by['ntp-resolve']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/does not resolve/) });
  });
  it('skips everything without a server', async () => {
    const { by } = await run(undefined);
    expect(Object.values(by).every((r) => r.verdict === 'skipped')).toBe(true);
  });
});
