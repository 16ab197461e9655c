/**
 * Network-namespace topology for discovery tests (test support, not product code). Multicast must never leave
 * the machine's root namespace, so multicast tests run the cameras and the discovery in namespaces built here:
 *
 *   C (discovery, 10.199.1.2) ─┐                 ┌─ B (remote cameras, 10.199.2.0/24)
 *   A (local cameras, 10.199.1.0/24) ─ br1 ─ R ─ br2 ┘
 *
 * R is a router (ip_forward on) that holds both bridges; Linux does not route multicast without a daemon, so
 * cameras in B are reachable by unicast only. Veth pairs are created inside R (nothing is ever added to the root
 * namespace), each peer is named eth0 in its namespace (a "physical" name, so the CLI's default interface choice
 * is exercised), and every namespace has a 224.0.0.0/4 route on eth0.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ip, removeStaleNamespaces as removeStale, runIn as runInNs, startIn as startInNs, type Background, type Finished } from '../../testing/netns';

export { canUseNetns, type Background, type Finished } from '../../testing/netns';

const run = promisify(execFile);

/** The namespaces of one topology. */
export interface DiscoveryTopology {
  router: string;
  client: string;
  local: string;
  remote: string;
  /** Deletes every namespace (and with them the veths and bridges); safe to call twice. */
  destroy(): Promise<void>;
}

const TAG = 'disc5';

/** Deletes namespaces left by earlier runs of this helper whose process is gone. */
export function removeStaleNamespaces(): Promise<void> {
  return removeStale(TAG);
}

/**
 * Builds the topology with `localAddresses` on A's eth0 and `remoteAddresses` on B's eth0 (all /24). The names
 * carry this process id so parallel test files never collide.
 */
export async function createTopology(tag: string, localAddresses: string[], remoteAddresses: string[]): Promise<DiscoveryTopology> {
  await removeStaleNamespaces();
  const base = `${TAG}-${process.pid}-${tag}`;
  const t = { router: `${base}-r`, client: `${base}-c`, local: `${base}-a`, remote: `${base}-b` };
  const all = [t.router, t.client, t.local, t.remote];
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    for (const n of all) await ip('netns', 'del', n).catch(() => {});
  };
  try {
    for (const n of all) {
      await ip('netns', 'add', n);
      await ip('-n', n, 'link', 'set', 'lo', 'up');
    }
    await run('ip', ['netns', 'exec', t.router, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    for (const [br, addr] of [
      ['br1', '10.199.1.254/24'],
      ['br2', '10.199.2.254/24'],
    ]) {
      await ip('-n', t.router, 'link', 'add', br, 'type', 'bridge', 'mcast_snooping', '0');
      await ip('-n', t.router, 'addr', 'add', addr, 'dev', br);
      await ip('-n', t.router, 'link', 'set', br, 'up');
    }
    const attach = async (ns: string, port: string, br: string, addrs: string[], gw: string) => {
      await ip('-n', t.router, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('-n', t.router, 'link', 'set', port, 'master', br);
      await ip('-n', t.router, 'link', 'set', port, 'up');
      for (const a of addrs) await ip('-n', ns, 'addr', 'add', `${a}/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'route', 'add', 'default', 'via', gw);
      await ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0');
    };
    await attach(t.client, 'vc', 'br1', ['10.199.1.2'], '10.199.1.254');
    await attach(t.local, 'va', 'br1', localAddresses, '10.199.1.254');
    await attach(t.remote, 'vb', 'br2', remoteAddresses, '10.199.2.254');
  } catch (e) {
    await destroy();
    throw e;
  }
  return { ...t, destroy };
}

/** Runs a command inside a namespace to its end (bounded by timeoutMs, then killed). */
export function runIn(ns: string, cmd: string, args: string[], timeoutMs = 60_000): Promise<Finished> {
  return runInNs(ns, cmd, args, timeoutMs);
}

/**
 * Starts a command inside a namespace in the background; stop() closes its stdin (the discovery fixtures stop
 * cleanly on that) and waitForLine also reads stderr.
 */
export function startIn(ns: string, cmd: string, args: string[]): Background {
  return startInNs(ns, cmd, args, { stop: 'stdin', matchStderr: true });
}
