/** The discovery:* channels and events through the contract edge, against the camera simulator on loopback. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Device } from '../../shared/domain/discovery';
import { silentLogger } from '../services/common/logger';
import { DiscoveryService } from '../services/discovery/index';
import { freePort } from '../services/discovery/test-fakes';
import { startFleet, type SimFleet } from '../simulator/index';
import { bindDiscoveryEvents } from './contract-events';
import { contractHandlers } from './contract-handlers';
import type { Services } from './create-services';
import { dispatch } from './dispatch';
import { EventHub } from './event-hub';

/** An interface list with loopback only: multicast methods have nothing to run on in these tests. */
const loopbackOnly = () => ({ lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] });

describe('discovery through the contract', () => {
  let fleet: SimFleet;
  let httpPort: number;

  beforeAll(async () => {
    httpPort = await freePort('127.0.13.1');
    fleet = await startFleet({ count: 5, baseAddress: '127.0.13.1', httpPort });
  });
  afterAll(async () => {
    await fleet?.stop();
  });

  it('serves the contract: discovery:start streams found events and ends with discovery:finished; get-state lists the cameras', async () => {
    const hub = new EventHub((n, issues) => {
      throw new Error(`invalid ${n}: ${JSON.stringify(issues)}`);
    });
    const svc = new DiscoveryService({ logger: silentLogger, interfaces: loopbackOnly });
    bindDiscoveryEvents(svc, hub);
    const handlers = contractHandlers({ discovery: svc } as Services);
    const found: string[] = [];
    hub.subscribe((n, p) => {
      if (n === 'discovery:camera-found') found.push((p as { device: Device }).device.ip);
    });
    const started = await dispatch(handlers, 'discovery:start', { methods: ['sweep'], sweep: '127.0.13.0/29', httpPort }, { caller: 'test' });
    expect(started.ok).toBe(true);
    const operationId = (started as { ok: true; value: { operationId: string } }).value.operationId;
    const fin = await hub.waitFor('discovery:finished', (p) => p.operationId === operationId);
    expect(fin).toMatchObject({ status: 'completed', cameraCount: 5, otherCount: 0, errors: [] });
    expect(found.sort()).toEqual(fleet.cameras.map((c) => c.ip).sort());
    const state = await dispatch(handlers, 'discovery:get-state', {}, { caller: 'test' });
    expect(state.ok && (state.value as { cameras: unknown[] }).cameras).toHaveLength(5);
    const bad = await dispatch(handlers, 'discovery:start', { sweep: '10.0.0.0/8' }, { caller: 'test' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const manual = await dispatch(handlers, 'discovery:add-manual', { host: '127.0.13.4', httpPort }, { caller: 'test' });
    expect(manual).toMatchObject({ ok: true, value: { device: { ip: '127.0.13.4', isSarix: true } } });
    const ifs = await dispatch(handlers, 'discovery:list-interfaces', {}, { caller: 'test' });
    expect(ifs).toMatchObject({ ok: true, value: { interfaces: [{ name: 'lo', kind: 'loopback', isDefaultSelected: false }] } });
    const unknown = await dispatch(handlers, 'discovery:cancel', { operationId: 'nope' }, { caller: 'test' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await svc.dispose();
  });
});
