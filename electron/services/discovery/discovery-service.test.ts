import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { DeviceSeenSchema, ScanFinishedSchema, ScanProgressSchema } from '../../../shared/domain/scan';
import { recordEvents } from '../common/event-recorder';
import { silentLogger } from '../common/logger';
import { localizeError } from '../../../shared/i18n/messages';
import { isAppFailure, type AppFailure } from '../../../shared/ipc/result';
import { DiscoveryService, type DiscoveryServiceDeps } from './discovery-service';
import { freePort, startFakeDevice, type FakeDevice } from './test-fakes';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A service whose interface list is injected (no multicast from the root namespace in these tests). */
function makeService(extra: Partial<DiscoveryServiceDeps> = {}) {
  const svc = new DiscoveryService({
    logger: silentLogger,
    interfaces: () => ({ lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] }),
    resolve: async (h) => {
      if (h === 'cam-lobby.test') return ['127.0.9.1'];
      throw new Error('ENOTFOUND');
    },
    httpTimeoutMs: 1000,
    ...extra,
  });
  // Every payload is checked against the schemas the contract reuses.
  const { events, invalid } = recordEvents(svc.events, { 'device-found': DeviceSeenSchema, 'device-updated': DeviceSeenSchema, progress: ScanProgressSchema, finished: ScanFinishedSchema });
  cleanups.push(() => {
    if (invalid.length) throw new Error(`invalid events: ${invalid.join('; ')}`);
  });
  cleanups.push(() => svc.dispose());
  return { svc, hub: svc.events, events };
}

async function fleet(specs: Array<Omit<Parameters<typeof startFakeDevice>[0], 'httpPort'>>, port?: number): Promise<{ port: number; devices: FakeDevice[] }> {
  const p = port ?? (await freePort(specs[0].address));
  const devices: FakeDevice[] = [];
  for (const s of specs) devices.push(await startFakeDevice({ ...s, httpPort: p }));
  cleanups.push(async () => {
    for (const d of devices) await d.close();
  });
  return { port: p, devices };
}

describe('DiscoveryService on loopback (sweep, hosts, manual)', () => {
  it('sweeps a range: Sarix cameras identified with full identity, the MiniDLNA-style device listed as other, empty addresses skipped', async () => {
    const { port } = await fleet([
      { address: '127.0.9.1', kind: 'sarix', mac: '00:0B:AB:00:09:01', uuid: 'cam-a', model: 'IME322', firmware: '1.9.2', serial: 'S1', name: 'Lobby' },
      { address: '127.0.9.2', kind: 'sarix', mac: '00:0B:AB:00:09:02', uuid: 'cam-b', model: 'IXE20', firmware: '3.29.69', isEmbedded: true },
      { address: '127.0.9.5', kind: 'other', name: 'NAS: minidlna' },
    ]);
    const { svc, events } = makeService();
    const r = await svc.scan({ methods: ['sweep'], sweep: '127.0.9.0/28', httpPort: port });
    expect(r.status).toBe('completed');
    expect(r.errors).toEqual([]);
    expect(r.cameras.map((d) => d.ip)).toEqual(['127.0.9.1', '127.0.9.2']);
    expect(r.otherDevices.map((d) => d.ip)).toEqual(['127.0.9.5']);
    const a = r.cameras[0];
    expect(a).toMatchObject({ mac: '00:0b:ab:00:09:01', uuid: 'cam-a', model: 'IME322', firmware: '1.9.2', serial: 'S1', name: 'Lobby', manufacturer: 'Pelco', methods: ['sweep'], isSarix: true, isOnline: true });
    expect(a.webUrl).toBe(`http://127.0.9.1:${port}/`);
    expect(a.sarixEvidence).toEqual(expect.arrayContaining(['manufacturer', 'fingerprint', 'mac-oui']));
    expect(a.firmwareAdvisory?.isVulnerable).toBe(true);
    expect(r.cameras[1]).toMatchObject({ model: 'IXE20', firmwareAdvisory: { isVulnerable: false } });
    const other = r.otherDevices[0];
    expect(other).toMatchObject({ isSarix: false, manufacturer: 'Justin Maggard', firmwareAdvisory: null, sarixEvidence: [] });
    const found = events.filter((e) => e.name === 'device-found');
    expect(found).toHaveLength(3);
    const finishedAt = events.findIndex((e) => e.name === 'finished');
    expect(events.findIndex((e) => e.name === 'device-found')).toBeLessThan(finishedAt);
    expect(events[finishedAt].payload).toMatchObject({ status: 'completed', cameraCount: 2, otherCount: 1 });
    const lastProgress = events.filter((e) => e.name === 'progress').at(-1)!.payload as { done: number; total: number; found: number };
    expect(lastProgress).toMatchObject({ done: 14, total: 14, found: 3 });
    expect(svc.getState().cameras).toHaveLength(2);
    expect(svc.getState().otherDevices).toHaveLength(1);
  });

  it('probes given hosts with unicast M-SEARCH and HTTP, and merges both sightings (and a sweep) into one entry', async () => {
    const ssdpPort = await freePort('127.0.9.1');
    const { port } = await fleet([{ address: '127.0.9.1', kind: 'sarix', mac: '00:0B:AB:00:09:01', uuid: 'cam-a', ssdpPort }]);
    const { svc } = makeService({ ports: { ssdp: ssdpPort } });
    const r = await svc.scan({ methods: ['sweep'], sweep: '127.0.9.0/30', hosts: ['127.0.9.1', '127.0.9.3', 'cam-lobby.test', 'nowhere.test'], httpPort: port, timeoutMs: 600 });
    expect(r.devices).toHaveLength(1);
    expect(r.devices[0].methods).toEqual(expect.arrayContaining(['sweep', 'hosts', 'ssdp-unicast']));
    expect(r.devices[0]).toMatchObject({ mac: '00:0b:ab:00:09:01', uuid: 'cam-a', manufacturer: 'Pelco' });
    expect(r.warnings.map((w) => w.code)).toEqual(['HOST_UNREACHABLE']);
    expect(r.warnings.find((w) => w.code === 'HOST_UNREACHABLE')?.message).toContain('127.0.9.3');
    // A named host that cannot even be tried is an error, not a warning.
    expect(r.errors.map((w) => w.code)).toEqual(['BAD_HOST']);
    expect(r.errors.find((w) => w.code === 'BAD_HOST')?.message).toContain('nowhere.test');
  });

  it('finds a camera by unicast M-SEARCH alone when its web UI port differs (LOCATION gives the port)', async () => {
    const ssdpPort = await freePort('127.0.9.7');
    const { port } = await fleet([{ address: '127.0.9.7', kind: 'sarix', uuid: 'cam-u', mac: '00:0B:AB:00:09:07', ssdpPort }]);
    const { svc } = makeService({ ports: { ssdp: ssdpPort } });
    const r = await svc.scan({ methods: ['sweep'], sweep: '127.0.9.100/32', hosts: ['127.0.9.7'], httpPort: 1, timeoutMs: 600 });
    const cam = r.cameras.find((d) => d.ip === '127.0.9.7');
    expect(cam).toMatchObject({ uuid: 'cam-u', methods: ['ssdp-unicast'], webUrl: `http://127.0.9.7:${port}/`, isSarix: true });
  });

  it('fetches the description an SSDP answer points to, even at a path no list knows, for model, MAC, name and firmware', async () => {
    const ssdpPort = await freePort('127.0.9.8');
    const { port } = await fleet([{ address: '127.0.9.8', kind: 'sarix', uuid: 'cam-l', mac: '00:0B:AB:00:09:08', model: 'IXP-LOC', firmware: '2.1.7', name: 'Gate West', ssdpPort, descriptionPath: '/cgi-bin/upnp/dev-desc.cgi?id=7' }]);
    const { svc } = makeService({ ports: { ssdp: ssdpPort } });
    // The HTTP probe of the same host and port starts first and finds no description at the known paths.
    const r = await svc.scan({ methods: [], hosts: ['127.0.9.8'], httpPort: port, timeoutMs: 600 });
    expect(r.cameras.find((d) => d.ip === '127.0.9.8')).toMatchObject({ model: 'IXP-LOC', firmware: '2.1.7', name: 'Gate West', mac: '00:0b:ab:00:09:08' });
  });

  it('retries a slow web server once instead of dropping it from the sweep', async () => {
    const { port, devices } = await fleet([
      { address: '127.0.9.30', kind: 'sarix', mac: '00:0B:AB:00:09:30', delayMs: 300 },
      { address: '127.0.9.31', kind: 'sarix', mac: '00:0B:AB:00:09:31' },
    ]);
    const { svc } = makeService({ httpTimeoutMs: 200 });
    const r = await svc.scan({ methods: ['sweep'], sweep: '127.0.9.30/31', httpPort: port });
    expect(r.cameras.map((d) => d.ip)).toEqual(['127.0.9.30', '127.0.9.31']);
    // The slow one was asked twice for its fingerprint (first try timed out after the connection was accepted).
    expect(devices[0].requests.filter((p) => p === '/liveview')).toHaveLength(2);
    expect(devices[1].requests.filter((p) => p === '/liveview')).toHaveLength(1);
  });

  it('probes factory-default addresses only when asked, from an injectable list', async () => {
    const { port } = await fleet([{ address: '127.0.9.40', kind: 'sarix', mac: '00:0B:AB:00:09:40' }]);
    let asked = 0;
    const { svc } = makeService({
      defaultAddresses: async () => {
        asked++;
        return ['127.0.9.40', '127.0.9.41'];
      },
    });
    const without = await svc.scan({ methods: ['sweep'], sweep: '127.0.9.42/32', httpPort: port });
    expect(asked).toBe(0);
    expect(without.devices).toEqual([]);
    const r = await svc.scan({ methods: ['defaults'], httpPort: port });
    expect(asked).toBe(1);
    expect(r.cameras.map((d) => [d.ip, d.methods])).toEqual([['127.0.9.40', ['defaults']]]);
  });

  it('repeats the scan until cancelled (live mode) and keeps devices online', async () => {
    const { port, devices } = await fleet([{ address: '127.0.9.50', kind: 'sarix', mac: '00:0B:AB:00:09:50' }]);
    const { svc, hub } = makeService();
    // repeatEveryMs is at least 5 s through the contract; the service itself accepts a short one for this test.
    const id = svc.start({ methods: ['sweep'], sweep: '127.0.9.50/32', httpPort: port, repeatEveryMs: 50 });
    let passes = 0;
    await hub.next('progress', (p) => p.operationId === id && p.done === p.total && p.total > 0 && ++passes >= 3);
    svc.cancel(id);
    const r = await svc.waitForOperation(id);
    expect(r.status).toBe('cancelled');
    expect(r.cameras).toHaveLength(1);
    // Every pass asks the camera again (a cached answer must not keep a vanished camera online).
    expect(devices[0].requests.filter((p) => p === '/liveview').length).toBeGreaterThanOrEqual(3);
  });

  it('in live mode, a camera that stops answering goes offline once unseen for 45 s (injected clock)', async () => {
    const { port, devices } = await fleet([{ address: '127.0.9.60', kind: 'sarix', mac: '00:0B:AB:00:09:60' }]);
    let now = 5_000_000;
    const { svc, hub } = makeService({ now: () => now, offlineCheckEveryMs: 20 });
    const id = svc.start({ methods: ['sweep'], sweep: '127.0.9.60/32', httpPort: port, repeatEveryMs: 50 });
    await hub.next('device-found', (p) => p.device.ip === '127.0.9.60');
    await devices[0].close();
    now += 45_000;
    const off = await hub.next('device-updated', (p) => p.device.ip === '127.0.9.60' && !p.device.isOnline);
    expect(off.device.lastSeen).toBeLessThanOrEqual(now - 45_000);
    svc.cancel(id);
    await svc.waitForOperation(id);
  });

  it('never reports a named host that does not answer, even when the sweep covers it too; explains why instead', async () => {
    const net = await import('node:net');
    // A "host" that accepts TCP connections and never answers (a hung web server).
    const hung = net.createServer(() => {});
    hung.listen(0, '127.0.9.71');
    await once(hung, 'listening');
    const hungSockets = new Set<import('node:net').Socket>();
    hung.on('connection', (c) => hungSockets.add(c));
    cleanups.push(() => {
      for (const c of hungSockets) c.destroy();
      return new Promise<void>((r) => hung.close(() => r()));
    });
    const hungPort = (hung.address() as AddressInfo).port;
    const { svc } = makeService({ httpTimeoutMs: 100 });
    const r = await svc.scan({ methods: ['sweep'], sweep: '127.0.9.70/31', hosts: ['127.0.9.70', '127.0.9.71'], httpPort: hungPort, timeoutMs: 300 });
    expect(r.devices).toEqual([]);
    expect(r.warnings.map((w) => [w.code, w.message.split(' ')[0]]).sort()).toEqual([
      ['HOST_UNREACHABLE', '127.0.9.70'],
      ['TIMEOUT', '127.0.9.71'],
    ]);
  });

  it('never follows a redirect to another host', async () => {
    const trap = http.createServer((_q, s) => s.end('Sarix&trade;'));
    trap.listen(0, '127.0.9.99');
    await once(trap, 'listening');
    cleanups.push(() => new Promise<void>((r) => trap.close(() => r())));
    let trapped = 0;
    trap.on('request', () => trapped++);
    const trapPort = (trap.address() as AddressInfo).port;
    const { port } = await fleet([
      {
        address: '127.0.9.20',
        kind: 'other',
        routes: { '/liveview': (_q, s) => s.writeHead(302, { location: `http://127.0.9.99:${trapPort}/liveview` }).end() },
      },
    ]);
    const { svc } = makeService();
    const r = await svc.scan({ methods: ['sweep'], sweep: '127.0.9.20/32', httpPort: port });
    expect(trapped).toBe(0);
    expect(r.cameras).toHaveLength(0);
  });

  it('rejects a bad CIDR, an unknown interface and a bad host before sending anything', () => {
    const { svc } = makeService();
    const fails = (f: () => unknown, re: RegExp) => {
      try {
        f();
        throw new Error('did not throw');
      } catch (e) {
        expect(isAppFailure(e) && e.code).toBe('VALIDATION');
        expect((e as Error).message).toMatch(re);
      }
    };
    fails(() => svc.start({ sweep: '10.0.0/24' }), /192\.168\.0\.0\/24/);
    fails(() => svc.start({ interfaces: ['eth9'] }), /eth9.*choose one of: lo/);
    fails(() => svc.start({ hosts: ['bad host!'] }), /not an IPv4 address or host name/);
  });

  it('with multicast switched off by the host, multicast methods report an error and send nothing', async () => {
    const { svc } = makeService({
      isMulticastAllowed: false,
      // An address configured nowhere: were the switch ignored, the bind would fail and still send nothing.
      interfaces: () => ({ eth7: [{ address: '192.0.2.77', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.0.2.77/24' }] }),
    });
    const r = await svc.scan({ methods: ['ssdp', 'wsd'], timeoutMs: 200 });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'PERMISSION', method: 'ssdp,wsd' });
    expect(r.errors[0].message).toMatch(/use the HTTP sweep/);
  });

  it('a targeted scan (hosts or sweep, no methods) probes only the targets: no multicast, no "no interface" error', async () => {
    const { port } = await fleet([{ address: '127.0.9.80', kind: 'sarix', mac: '00:0B:AB:00:09:80' }]);
    const { svc } = makeService();
    const byHost = await svc.scan({ hosts: ['127.0.9.80'], httpPort: port, timeoutMs: 300 });
    expect(byHost.errors).toEqual([]);
    expect(byHost.cameras.map((d) => d.methods)).toEqual([['hosts']]);
    const bySweep = await svc.scan({ sweep: '127.0.9.80/32', httpPort: port });
    expect(bySweep.errors).toEqual([]);
    expect(bySweep.cameras[0].methods).toContain('sweep');
    const untargeted = await svc.scan({ timeoutMs: 100 });
    expect(untargeted.errors.map((e) => e.code)).toEqual(['NO_INTERFACE']);
  });

  it('reports "no interface up" as an error instead of an empty list', async () => {
    const { svc } = makeService();
    const r = await svc.scan({ methods: ['ssdp', 'wsd', 'mdns'], timeoutMs: 200 });
    expect(r.devices).toEqual([]);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ code: 'NO_INTERFACE' });
    expect(r.errors[0].message).toMatch(/Connect the cable or Wi-Fi/);
  });

  it('adds a device manually by IP or host name, and explains when nothing answers', async () => {
    const { port } = await fleet([{ address: '127.0.9.1', kind: 'sarix', mac: '00:0B:AB:00:09:01' }]);
    const { svc, events } = makeService();
    const d = await svc.addManual('cam-lobby.test', port);
    expect(d).toMatchObject({ ip: '127.0.9.1', methods: ['manual'], isSarix: true });
    expect(events.some((e) => e.name === 'device-found')).toBe(true);
    await expect(svc.addManual('127.0.9.44', port)).rejects.toMatchObject({ code: 'CAMERA_UNREACHABLE' });
    await expect(svc.addManual('nowhere.test', port)).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('marks a device offline 45 s after it was last seen (injected clock) and back online when seen again', async () => {
    const { port } = await fleet([{ address: '127.0.9.1', kind: 'sarix', mac: '00:0B:AB:00:09:01' }]);
    let now = 1_000_000;
    const { svc, events } = makeService({ now: () => now });
    await svc.addManual('127.0.9.1', port);
    now += 44_999;
    svc.tick();
    expect(events.filter((e) => e.name === 'device-updated')).toHaveLength(0);
    now += 1;
    svc.tick();
    const upd = events.filter((e) => e.name === 'device-updated');
    expect(upd).toHaveLength(1);
    expect(upd[0].payload).toMatchObject({ device: { ip: '127.0.9.1', isOnline: false } });
    expect(svc.getState().cameras[0].isOnline).toBe(false);
    await svc.scan({ methods: ['sweep'], sweep: '127.0.9.1/32', httpPort: port });
    expect(svc.getState().cameras[0].isOnline).toBe(true);
  });

  it('cancellation stops all traffic: no request after the scan reports cancelled, every socket closed', async () => {
    const specs = Array.from({ length: 40 }, (_, i) => ({ address: `127.0.10.${i + 1}`, kind: 'sarix' as const, mac: `00:0B:AB:00:0A:${(i + 1).toString(16).padStart(2, '0')}`, delayMs: 150 }));
    const { port, devices } = await fleet(specs);
    const { svc, hub } = makeService({ sweepConcurrency: 4 });
    const id = svc.start({ methods: ['sweep'], sweep: '127.0.10.0/26', httpPort: port });
    await hub.next('device-found', () => true);
    expect(svc.cancel(id)).toBe(true);
    const r = await svc.waitForOperation(id);
    expect(r.status).toBe('cancelled');
    const count = () => devices.reduce((n, d) => n + d.requests.length, 0);
    const atCancel = count();
    expect(atCancel).toBeLessThan(62);
    // Absence of traffic can only be shown by waiting longer than a request would take to arrive.
    await new Promise((res) => setTimeout(res, 400));
    expect(count()).toBe(atCancel);
    expect(svc.cancel(id)).toBe(false);
    expect(svc.getState().operations.find((o) => o.operationId === id)?.status).toBe('cancelled');
  });
});

describe('discovery failures in German (keyed messages)', () => {
  it('an unknown scan id, an unknown interface and a name that does not resolve read as German', async () => {
    const { svc } = makeService();
    const de = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(isAppFailure(e)).toBe(true);
        return localizeError('de', (e as AppFailure).toAppError());
      }
      throw new Error('did not throw');
    };
    expect(de(() => svc.cancel('nope'))).toBe('Einen Suchlauf mit der ID nope gibt es nicht; vielleicht ist er schon lange beendet. Starten Sie einen neuen Suchlauf.');
    expect(de(() => svc.start({ interfaces: ['eth9'] }))).toBe('Unbekannte Schnittstelle "eth9"; wählen Sie eine von: lo.');
    const e = await svc.addManual('nowhere.test').then(() => undefined, (x: unknown) => x as AppFailure);
    expect(localizeError('de', e!.toAppError())).toBe('„nowhere.test“ lässt sich nicht in eine IPv4-Adresse auflösen (ENOTFOUND); prüfen Sie den Namen oder geben Sie die IP-Adresse der Kamera ein.');
    expect(e!.message).toBe('Cannot resolve "nowhere.test" to an IPv4 address (ENOTFOUND); check the name or type the camera\'s IP address.');
  });
});
