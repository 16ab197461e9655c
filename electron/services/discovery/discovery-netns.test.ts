/**
 * Multicast discovery end to end, only inside network namespaces this test creates (see testing-netns.ts):
 * simulator cameras in one namespace, `sarix discover` in another, bridged; a camera behind a router is found by
 * sweep and unicast M-SEARCH but not by multicast. We run as root in CI, so these tests always run there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Device } from '../../../shared/domain/discovery';
import { canUseNetns, createTopology, runIn, startIn, type Background, type DiscoveryTopology } from './testing-netns';
import type { FixtureSpec } from './netns-camera-fixture';
import { SARIX_BIN } from '../../testing/cli';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixture = join(here, 'netns-camera-fixture.ts');
const sarix = SARIX_BIN;

const LOCAL = ['10.199.1.11', '10.199.1.12', '10.199.1.13', '10.199.1.14', '10.199.1.20'];
const REMOTE = ['10.199.2.11'];

function startFixture(ns: string, spec: FixtureSpec): Background {
  return startIn(ns, process.execPath, ['--import', 'tsx', fixture, JSON.stringify(spec)]);
}

async function discover(ns: string, args: string[]): Promise<{ code: number | null; devices: Device[]; stderr: string }> {
  const r = await runIn(ns, process.execPath, [sarix, 'discover', '--json', ...args], 60_000);
  let devices: Device[];
  try {
    devices = JSON.parse(r.stdout.trim() || '[]') as Device[];
  } catch (e) {
    throw new Error(`discover printed no JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`, { cause: e });
  }
  return { code: r.code, devices, stderr: r.stderr };
}

const isRoot = canUseNetns();
if (!isRoot && process.env.CI === 'true') throw new Error('CI must run the discovery netns tests as root with iproute2 (multicast is only ever tested inside namespaces).');

describe.runIf(isRoot)('discovery across network namespaces', () => {
  let topo: DiscoveryTopology;
  const fixtures: Background[] = [];

  beforeAll(async () => {
    topo = await createTopology('t', LOCAL, REMOTE);
    const local = startFixture(topo.local, {
      fleet: { baseAddress: '10.199.1.11', count: 3, httpPort: 80, firmware: '1.9.2' },
      others: [{ address: '10.199.1.20', httpPort: 80, kind: 'other', ssdpPort: 1900, ssdpMulticast: true }],
    });
    const remote = startFixture(topo.remote, { fleet: { baseAddress: '10.199.2.11', count: 1, httpPort: 80, firmware: '3.30.1', mdns: false } });
    fixtures.push(local, remote);
    await Promise.all([local.waitForLine(/^READY /), remote.waitForLine(/^READY /)]);
  }, 60_000);

  afterAll(async () => {
    for (const f of fixtures) await f.stop();
    await topo?.destroy();
  });

  it('finds every camera on the bridged segment by SSDP, WS-Discovery and mDNS, merged into one entry each; the MiniDLNA-style device is "other"', async () => {
    const r = await discover(topo.client, ['--timeout', '2']);
    expect(r.code, r.stderr).toBe(0);
    const cams = r.devices.filter((d) => d.isSarix);
    expect(cams.map((d) => d.ip)).toEqual(['10.199.1.11', '10.199.1.12', '10.199.1.13']);
    for (const c of cams) {
      expect(c.methods).toEqual(expect.arrayContaining(['ssdp', 'wsd', 'mdns']));
      expect(c.mac).toMatch(/^00:0b:ab:/);
      expect(c).toMatchObject({ manufacturer: 'Pelco', firmware: '1.9.2', isOnline: true, interfaces: ['eth0'], webUrl: `http://${c.ip}/` });
      expect(c.firmwareAdvisory?.isVulnerable).toBe(true);
      expect(c.model).toBeTruthy();
      expect(c.serial).toBeTruthy();
    }
    // One entry per camera although three methods (and two search targets) saw each.
    expect(new Set(r.devices.map((d) => d.mac ?? d.ip)).size).toBe(r.devices.length);
    const other = r.devices.filter((d) => !d.isSarix);
    expect(other.map((d) => d.ip)).toEqual(['10.199.1.20']);
    expect(other[0]).toMatchObject({ manufacturer: 'Justin Maggard', methods: ['ssdp'], isSarix: false });
    // Multicast does not cross the router.
    expect(r.devices.some((d) => d.ip.startsWith('10.199.2.'))).toBe(false);
  });

  it('finds a camera behind a router by sweep and unicast M-SEARCH, not by multicast', async () => {
    const r = await discover(topo.client, ['--methods', 'ssdp,sweep', '--sweep', '10.199.2.0/28', '--hosts', '10.199.2.11', '--timeout', '1.5']);
    expect(r.code, r.stderr).toBe(0);
    const remote = r.devices.find((d) => d.ip === '10.199.2.11');
    expect(remote).toBeDefined();
    expect(remote!.methods).toEqual(expect.arrayContaining(['sweep', 'ssdp-unicast', 'hosts']));
    expect(remote!.methods).not.toContain('ssdp');
    expect(remote).toMatchObject({ isSarix: true, firmware: '3.30.1', firmwareAdvisory: { isVulnerable: false } });
    const local = r.devices.find((d) => d.ip === '10.199.1.11');
    expect(local?.methods).toContain('ssdp');
  });

  it('hears NOTIFY ssdp:alive and ssdp:byebye from a camera that starts and stops while it listens (Ctrl+C prints what was found)', async () => {
    const cli = startIn(topo.client, process.execPath, [sarix, 'discover', '--json', '--methods', 'ssdp', '--timeout', '60']);
    try {
      // The listener is up once the multicast search has found the running cameras.
      await cli.waitForLine(/found Sarix camera 10\.199\.1\.11 /);
      const late = startFixture(topo.local, { fleet: { baseAddress: '10.199.1.14', count: 1, httpPort: 80, mdns: false } });
      fixtures.push(late);
      await late.waitForLine(/^READY /);
      await cli.waitForLine(/found Sarix camera 10\.199\.1\.14 \(ssdp-notify\)/);
      // Its NOTIFY ssdp:byebye on shutdown marks it offline at once.
      await late.stop();
      await cli.waitForLine(/offline 10\.199\.1\.14 /);
      cli.child.kill('SIGINT');
      const r = await cli.done;
      expect(r.code, r.stderr).toBe(0);
      const devices = JSON.parse(r.stdout) as Device[];
      const cam = devices.find((d) => d.ip === '10.199.1.14');
      expect(cam?.methods).toContain('ssdp-notify');
      expect(cam?.isOnline).toBe(false);
      expect(devices.find((d) => d.ip === '10.199.1.11')?.isOnline).toBe(true);
      expect(devices.filter((d) => d.isSarix).length).toBeGreaterThanOrEqual(4);
    } finally {
      await cli.stop();
    }
  });

  it('reports an unknown interface as a usage error (exit 2) before sending anything', async () => {
    const r = await runIn(topo.client, process.execPath, [sarix, 'discover', '--json', '--interface', 'wlan9']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Unknown interface "wlan9"; choose one of: .*eth0/);
  });
});
