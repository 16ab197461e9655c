import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { CheckId, CheckResult } from '../../../shared/domain/diagnostics';
import type { RelayState } from '../../../shared/domain/relay';
import { listenProbe, runRelayChecks, type RelayCheckDeps } from './relay-checks';

const state = (over: Partial<RelayState> = {}): RelayState => ({
  status: 'listening',
  listenAddress: '192.168.0.10',
  port: 25,
  allow: ['192.168.0.0/24'],
  acceptAnyAuth: true,
  maxMessageBytes: 1024,
  messageCount: 0,
  queueLength: 0,
  activeSessions: 0,
  dataDir: '/tmp/x',
  ...over,
});

async function run(over: Partial<RelayCheckDeps>) {
  const results: CheckResult[] = [];
  await runRelayChecks({ now: () => performance.now(), report: (r) => results.push(r), bindProbe: async () => 'ok', platform: 'linux', uid: 1000, ...over });
  expect(results.map((r) => r.id)).toEqual(['relay-listening', 'relay-allow-list', 'relay-port-privilege']);
  return Object.fromEntries(results.map((x) => [x.id, x])) as Record<CheckId, CheckResult>;
}

describe('relay checks', () => {
  it('passes a relay on a LAN address, port 25, with the camera allowed', async () => {
    const by = await run({ relay: { getState: () => state() }, cameraAddress: '192.168.0.20' });
    expect(by['relay-listening']).toMatchObject({ verdict: 'pass', message: 'The relay listens on 192.168.0.10:25.' });
    expect(by['relay-allow-list']).toMatchObject({ verdict: 'pass' });
    expect(by['relay-port-privilege']).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/already listens on port 25/) });
  });
  it('fails a camera that is not on the allow-list, and a stopped relay', async () => {
    const by = await run({ relay: { getState: async () => state({ allow: ['10.0.0.0/8', 'junk'] }) }, cameraAddress: '192.168.0.20' });
    expect(by['relay-allow-list']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/192\.168\.0\.20 is not on the relay allow-list/), details: expect.objectContaining({ invalid: ['junk'] }) });
    const stopped = await run({ relay: { getState: () => state({ status: 'stopped' }) } });
    expect(stopped['relay-listening']).toMatchObject({ verdict: 'fail', message: 'The relay is stopped.' });
  });
  it('warns about a loopback-only relay and a relay on another port', async () => {
    expect((await run({ relay: { getState: () => state({ listenAddress: '127.0.0.1' }) } }))['relay-listening']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/loopback/) });
    expect((await run({ relay: { getState: () => state({ port: 2525 }) } }))['relay-listening']).toMatchObject({ verdict: 'warn', article: 'port-25' });
  });
  it('skips relay state without a relay in this process, but still checks port 25', async () => {
    const by = await run({});
    expect(by['relay-listening'].verdict).toBe('skipped');
    expect(by['relay-port-privilege'].verdict).toBe('pass');
  });
  it('judges a relay in another process (sarix relay) from the SMTP probe when the server is this laptop', async () => {
    const here = (over: Partial<{ address: string; port: number; isListening: boolean; isThisMachine: boolean }>) => ({ address: '192.168.0.10', port: 25, isListening: true, isThisMachine: true, banner: '220 relay ESMTP', ...over });
    const ok = await run({ probedSmtp: here({}) });
    expect(ok['relay-listening']).toMatchObject({ verdict: 'pass', message: 'An SMTP server listens on 192.168.0.10:25 on this laptop (220 relay ESMTP).' });
    expect(ok['relay-allow-list']).toMatchObject({ verdict: 'skipped', message: expect.stringMatching(/--allow/) });
    expect((await run({ probedSmtp: here({ isListening: false }) }))['relay-listening']).toMatchObject({ verdict: 'fail', fix: expect.stringMatching(/sarix relay --listen 192\.168\.0\.10:25/) });
    expect((await run({ probedSmtp: here({ address: '127.0.0.1' }) }))['relay-listening']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/loopback/) });
    expect((await run({ probedSmtp: here({ port: 2525 }) }))['relay-listening']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/always sends to port 25/) });
    expect((await run({ probedSmtp: here({ isThisMachine: false }) }))['relay-listening']).toMatchObject({ verdict: 'skipped', message: expect.stringMatching(/192\.168\.0\.10 is not this laptop/) });
  });
  it.each([
    ['EACCES', 'linux', 'fail', /setcap/],
    ['EADDRINUSE', 'win32', 'warn', /netstat -ano/],
    ['EADDRINUSE', 'linux', 'warn', /ss -ltnp/],
    ['ok', 'darwin', 'pass', /^$/],
  ] as const)('port 25 probe %s on %s → %s', async (probe, platform, verdict, fix) => {
    const by = await run({ bindProbe: async () => probe, platform });
    expect(by['relay-port-privilege']).toMatchObject({ verdict, fix: expect.stringMatching(fix) });
  });
  it('explains why Linux allowed the bind', async () => {
    expect((await run({ uid: 0 }))['relay-port-privilege'].message).toMatch(/running as root/);
    expect((await run({ unprivilegedPortStart: 0 }))['relay-port-privilege'].message).toMatch(/ip_unprivileged_port_start is 0/);
  });
  it('the real listen probe reports a taken port', async () => {
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as AddressInfo).port;
    try {
      expect(await listenProbe(port, '127.0.0.1')).toBe('EADDRINUSE');
    } finally {
      srv.close();
    }
    expect(await listenProbe(port, '127.0.0.1')).toBe('ok');
  });
});
