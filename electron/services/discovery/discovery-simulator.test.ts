/**
 * Discovery against the real camera simulator on loopback (unicast only: sweep, hosts with unicast M-SEARCH,
 * manual add) and the `sarix discover` CLI in the root namespace, which may only use sweep/hosts on 127.x.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { silentLogger } from '../common/logger';
import { startFleet, type SimFleet } from '../../simulator/index';
import type { Device } from '../../../shared/domain/discovery';
import { DiscoveryService } from './discovery-service';
import { freePort } from './test-fakes';
import { SARIX_BIN } from '../../testing/cli';

const run = promisify(execFile);
const sarix = SARIX_BIN;

/** An interface list with loopback only: multicast methods have nothing to run on in these tests. */
const loopbackOnly = () => ({ lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] });

describe('discovery against the simulator on loopback', () => {
  let fleet: SimFleet;
  let httpPort: number;
  let ssdpPort: number;

  beforeAll(async () => {
    httpPort = await freePort('127.0.11.1');
    ssdpPort = await freePort('127.0.11.1');
    fleet = await startFleet({
      count: 5,
      baseAddress: '127.0.11.1',
      httpPort,
      ssdp: { port: ssdpPort },
      perCamera: (i) => ({ firmware: i === 0 ? '3.29.69' : '1.9.2' }),
    });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('sweeps the fleet and reads each camera identity from its web server', async () => {
    const svc = new DiscoveryService({ logger: silentLogger, interfaces: loopbackOnly });
    const r = await svc.scan({ methods: ['sweep'], sweep: '127.0.11.0/29', httpPort });
    await svc.dispose();
    expect(r.cameras).toHaveLength(5);
    expect(r.otherDevices).toHaveLength(0);
    for (const cam of fleet.cameras) {
      const d = r.cameras.find((x) => x.ip === cam.ip)!;
      const id = cam.identity();
      expect(d).toMatchObject({ mac: id.mac.toLowerCase(), model: id.model, serial: id.serial, firmware: id.firmware, name: id.name, uuid: cam.uuid, manufacturer: 'Pelco', isSarix: true });
      expect(d.firmwareAdvisory?.isVulnerable).toBe(id.firmware !== '3.29.69');
    }
  });

  it('finds simulator cameras by unicast M-SEARCH to given hosts and merges with the HTTP probe', async () => {
    const svc = new DiscoveryService({ logger: silentLogger, interfaces: loopbackOnly, ports: { ssdp: ssdpPort } });
    const r = await svc.scan({ methods: ['sweep'], sweep: '127.0.11.200/32', hosts: ['127.0.11.2', '127.0.11.3'], httpPort, timeoutMs: 500 });
    await svc.dispose();
    expect(r.cameras.map((d) => d.ip)).toEqual(['127.0.11.2', '127.0.11.3']);
    for (const d of r.cameras) expect(d.methods).toEqual(expect.arrayContaining(['ssdp-unicast', 'hosts']));
  });

  it('CLI: `sarix discover --json --methods sweep` prints a JSON array and exits 0', async () => {
    const { stdout } = await run(process.execPath, [sarix, 'discover', '--json', '--methods', 'sweep', '--sweep', '127.0.11.0/29', '--http-port', String(httpPort)], { timeout: 60_000 });
    const devices = JSON.parse(stdout) as Device[];
    expect(devices.map((d) => d.ip)).toEqual(fleet.cameras.map((c) => c.ip));
    expect(devices[0]).toMatchObject({ isSarix: true, methods: ['sweep'] });
    for (const k of ['ip', 'mac', 'model', 'name', 'firmware', 'serial', 'webUrl', 'methods', 'firstSeen', 'lastSeen', 'isSarix']) expect(devices[0]).toHaveProperty(k);
  });

  it('CLI: a bad CIDR and an unknown interface exit 2 with a clear error', async () => {
    const fail = async (args: string[]) => {
      try {
        await run(process.execPath, [sarix, 'discover', '--json', ...args], { timeout: 60_000 });
      } catch (e) {
        return e as { code: number; stderr: string };
      }
      throw new Error('expected a failure');
    };
    const cidr = await fail(['--methods', 'sweep', '--sweep', '127.0.11/24']);
    expect(cidr.code).toBe(2);
    expect(cidr.stderr).toMatch(/write it like 192\.168\.0\.0\/24/);
    const iface = await fail(['--methods', 'sweep', '--sweep', '127.0.11.1/32', '--interface', 'nope0']);
    expect(iface.code).toBe(2);
    expect(iface.stderr).toMatch(/Unknown interface "nope0"/);
    const method = await fail(['--methods', 'carrier-pigeon']);
    expect(method.code).toBe(2);
  });
});

describe('multicast failures are reported, never a silent empty list', () => {
  it('an interface whose address is not configured gives MULTICAST_SEND_FAILED per method (the bind fails, nothing is sent)', async () => {
    const ssdp = await freePort('127.0.0.1');
    const svc = new DiscoveryService({
      logger: silentLogger,
      // 192.0.2.77 (TEST-NET-1) is on no interface of this machine, so binding it fails with EADDRNOTAVAIL.
      interfaces: () => ({ eth7: [{ address: '192.0.2.77', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:07', internal: false, cidr: '192.0.2.77/24' }] }),
      ports: { ssdp, wsd: ssdp },
    });
    const r = await svc.scan({ methods: ['ssdp', 'wsd'], timeoutMs: 300 });
    await svc.dispose();
    expect(r.devices).toEqual([]);
    const failures = r.errors.filter((e) => e.code === 'MULTICAST_SEND_FAILED');
    expect(failures.map((e) => e.method).sort()).toEqual(['ssdp', 'wsd']);
    expect(failures[0].interface).toBe('eth7');
    expect(failures[0].message).toMatch(/eth7 \(192\.0\.2\.77\).*EADDRNOTAVAIL.*Check the cable or Wi-Fi/);
  });
});
