/**
 * Test fixture process (not product code): started inside a network namespace by the discovery netns tests, it
 * runs a simulator fleet with multicast SSDP/WS-Discovery/mDNS and optional fake other devices, prints
 * `READY <json>` with the cameras' identities, and stops everything (byebye included) when its stdin closes.
 * Usage: node --import tsx netns-camera-fixture.ts '<json FixtureSpec>' (also used by bench/discovery.bench.ts).
 */
import { startFleet, type SimFleet } from '../../simulator/index';
import { startFakeDevice, type FakeDevice, type FakeDeviceSpec } from './test-fakes';

/** What the fixture starts. */
export interface FixtureSpec {
  fleet?: {
    baseAddress: string;
    count: number;
    httpPort: number;
    firmware?: string;
    /** Join the multicast groups (default true; false for loopback runs in the root namespace). */
    multicast?: boolean;
    /** Answer WS-Discovery (default true). */
    wsd?: boolean;
    /** Advertise over mDNS (default true; needs multicast). */
    mdns?: boolean;
    /** SSDP port (default 1900). */
    ssdpPort?: number;
  };
  others?: FakeDeviceSpec[];
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2] ?? '{}') as FixtureSpec;
  let fleet: SimFleet | null = null;
  const others: FakeDevice[] = [];
  if (spec.fleet) {
    fleet = await startFleet({
      count: spec.fleet.count,
      baseAddress: spec.fleet.baseAddress,
      httpPort: spec.fleet.httpPort,
      firmware: spec.fleet.firmware,
      ssdp: { multicast: spec.fleet.multicast ?? true, port: spec.fleet.ssdpPort },
      wsd: spec.fleet.wsd === false ? undefined : { multicast: spec.fleet.multicast ?? true },
      mdns: (spec.fleet.multicast ?? true) && (spec.fleet.mdns ?? true),
    });
  }
  for (const o of spec.others ?? []) others.push(await startFakeDevice(o));
  process.stdout.write(`READY ${JSON.stringify(fleet?.cameras.map((c) => c.identity()) ?? [])}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => {
    void (async () => {
      await fleet?.stop();
      for (const o of others) await o.close();
      process.stdout.write('STOPPED\n');
      process.exit(0);
    })();
  });
}

main().catch((e) => {
  process.stderr.write(`fixture failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
