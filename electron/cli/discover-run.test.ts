/**
 * `sarix discover --hosts`: every entry is checked before anything is sent or looked up. Real DNS is replaced by a
 * recording fake for this file, so a regression shows as a failed assertion, never as a lookup of a real name;
 * names are resolved only through the injected resolver.
 */
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { loopbackCameras } from '../simulator/test-cameras';
import { runCli } from './main';
import { runDiscover } from './discover-run';
import { CliFailure } from './util';

const dns = vi.hoisted(() => ({ lookups: [] as string[] }));
vi.mock('node:dns/promises', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:dns/promises')>();
  const lookup = async (host: string) => {
    dns.lookups.push(host);
    throw Object.assign(new Error(`real DNS is off in this test (asked for ${host})`), { code: 'ENOTFOUND' });
  };
  return { ...real, lookup, default: { ...real, lookup } };
});

describe('sarix discover --hosts', () => {
  let stderr: MockInstance;
  let stdout: MockInstance;
  const errText = () => stderr.mock.calls.map((c) => String(c[0])).join('');
  beforeEach(() => {
    dns.lookups.length = 0;
    stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stderr.mockRestore();
    stdout.mockRestore();
  });

  it.each([
    ['999.0.0.1', /"999\.0\.0\.1" is not a valid IPv4 address: it needs four numbers from 0 to 255/],
    ['127.0.0.1,999.0.0.1', /"999\.0\.0\.1" is not a valid IPv4 address/],
    ['10.1.2', /"10\.1\.2" is not a valid IPv4 address/],
    ['http://10.1.2.3/', /is a URL/],
    ['10.1.2.0/24', /is a range; sweep a range/],
    ['10.1.2.3:8080', /has a port/],
    ['cam lobby', /"cam lobby" is not an IPv4 address or host name/],
    // Only entries that even a broken check could send nowhere but to the fake DNS above; broadcast, multicast and
    // other address cases are table-tested on checkScanHost in shared/domain/discovery.test.ts, with no I/O at all.
  ])('--hosts %s is a usage error (exit 2) that names the entry and says what is accepted', async (hosts, message) => {
    expect(await runCli(['discover', '--hosts', hosts, '--timeout', '0.5'])).toBe(2);
    expect(errText()).toMatch(message);
    expect(errText()).toContain('Accepted: IPv4 addresses like 10.1.2.3 or host names like cam-lobby.site.local');
    expect(dns.lookups).toEqual([]);
  });

  const camera = loopbackCameras();

  it('resolves a name only through the injected resolver and finds the camera behind it', async () => {
    const cam = await camera({ ssdp: { port: 0 } });
    const asked: string[] = [];
    const resolve = async (h: string) => {
      asked.push(h);
      if (h === 'cam-lobby.site.test') return ['127.0.0.1'];
      throw new Error('unknown name');
    };
    await runDiscover({ json: true, timeout: 0.5, hosts: ['cam-lobby.site.test'], httpPort: Number(new URL(cam.url).port), ssdpPort: cam.ssdpPort }, { resolve });
    expect(asked).toEqual(['cam-lobby.site.test']);
    expect(dns.lookups).toEqual([]);
    const printed = JSON.parse(String(stdout.mock.calls.at(-1)?.[0])) as Array<{ ip: string; isSarix: boolean }>;
    expect(printed).toEqual([expect.objectContaining({ ip: '127.0.0.1', isSarix: true })]);
  });

  it('a name that does not resolve is an error that names it, and the run fails (exit 1) when nothing was found', async () => {
    const resolve = async () => {
      throw new Error('unknown name');
    };
    const run = runDiscover({ timeout: 0.5, hosts: ['nowhere.site.test'], httpPort: 80 }, { resolve });
    await expect(run).rejects.toBeInstanceOf(CliFailure);
    await expect(run).rejects.toMatchObject({ exitCode: 1 });
    expect(errText()).toMatch(/error: Cannot resolve "nowhere\.site\.test" to an IPv4 address/);
    expect(dns.lookups).toEqual([]);
  });

  it('in a German terminal the problem lines are printed from their keys (the English stays as sent under C)', async () => {
    const resolve = async () => {
      throw new Error('unknown name');
    };
    vi.stubEnv('LANGUAGE', 'de');
    vi.stubEnv('LC_ALL', 'de_DE.UTF-8');
    try {
      await expect(runDiscover({ timeout: 0.5, hosts: ['nowhere.site.test'], httpPort: 80 }, { resolve })).rejects.toBeInstanceOf(CliFailure);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(errText()).toContain('Fehler: „nowhere.site.test“ lässt sich nicht in eine IPv4-Adresse auflösen (unknown name)');
    expect(errText()).not.toContain('Cannot resolve');
  });

  it('a name that resolves only to an address that is not a device (0.0.0.0 here) is never probed', async () => {
    const resolve = async () => ['0.0.0.0'];
    await expect(runDiscover({ timeout: 0.5, hosts: ['nothing.site.test'], httpPort: 9 }, { resolve })).rejects.toBeInstanceOf(CliFailure);
    expect(errText()).toMatch(/"nothing\.site\.test".*only 0\.0\.0\.0, not a device address/);
  });
});
