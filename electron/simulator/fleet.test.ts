import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:net';
import { startFleet, SimBindError, type SimFleet } from './index';

const fleets: SimFleet[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(fleets.splice(0).map((f) => f.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function listen(host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(port, host, () => resolve(s));
  });
}

async function freePort(host: string): Promise<number> {
  const s = await listen(host, 0);
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

describe('fleet', () => {
  it('starts N cameras on consecutive loopback addresses with the same port and distinct Pelco MACs', async () => {
    const port = await freePort('127.0.6.1');
    const f = await startFleet({ count: 4, baseAddress: '127.0.6.1', httpPort: port });
    fleets.push(f);
    expect(f.cameras.map((c) => c.ip)).toEqual(['127.0.6.1', '127.0.6.2', '127.0.6.3', '127.0.6.4']);
    expect(new Set(f.cameras.map((c) => c.httpPort))).toEqual(new Set([port]));
    const macs = f.cameras.map((c) => c.mac);
    expect(new Set(macs).size).toBe(4);
    expect(macs.every((m) => /^00:0B:AB(:[0-9A-F]{2}){3}$/.test(m))).toBe(true);
    expect(new Set(f.cameras.map((c) => c.model)).size).toBeGreaterThan(1);
    for (const c of f.cameras) expect((await fetch(`${c.url}/liveview`)).status).toBe(200);
    expect(f.byIp('127.0.6.3')?.mac).toBe(macs[2]);
  });

  it('can put every camera on one address with different ports', async () => {
    const f = await startFleet({ count: 3, baseAddress: '127.0.6.10', sameAddress: true });
    fleets.push(f);
    expect(new Set(f.cameras.map((c) => c.ip))).toEqual(new Set(['127.0.6.10']));
    expect(new Set(f.cameras.map((c) => c.httpPort)).size).toBe(3);
    expect(new Set(f.cameras.map((c) => c.mac)).size).toBe(3);
  });

  it('names the address whose port is in use, and frees the cameras it had started', async () => {
    const port = await freePort('127.0.6.22');
    servers.push(await listen('127.0.6.22', port));
    const err = await startFleet({ count: 4, baseAddress: '127.0.6.20', httpPort: port, concurrency: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SimBindError);
    expect((err as SimBindError).message).toContain(`127.0.6.22:${port} is already in use`);
    // The cameras on .20 and .21 were stopped: their address:port can be bound again.
    servers.push(await listen('127.0.6.20', port), await listen('127.0.6.21', port));
  });

  it('refuses a bad count, a fleet that would leave 127/8, and a non-IPv4 base address', async () => {
    await expect(startFleet({ count: 0 })).rejects.toThrow(/1 to 5000/);
    await expect(startFleet({ count: 3, baseAddress: '127.255.255.254' })).rejects.toThrow(/loopback range/);
    await expect(startFleet({ count: 1, baseAddress: 'camera.local' })).rejects.toThrow(/not an IPv4 address/);
  });
});
