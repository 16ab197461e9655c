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
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** True when this process can create namespaces (root with iproute2 on Linux). */
export function canUseNetns(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && (existsSync('/usr/sbin/ip') || existsSync('/sbin/ip') || existsSync('/usr/bin/ip'));
}

async function ip(...args: string[]): Promise<void> {
  try {
    await run('ip', args);
  } catch (e) {
    throw new Error(`ip ${args.join(' ')} failed: ${(e as { stderr?: string }).stderr ?? String(e)}`, { cause: e });
  }
}

/** The namespaces of one topology. */
export interface DiscoveryTopology {
  router: string;
  client: string;
  local: string;
  remote: string;
  /** Deletes every namespace (and with them the veths and bridges); safe to call twice. */
  destroy(): Promise<void>;
}

const PREFIX = 'disc5-';

/** Deletes namespaces left by earlier runs of this helper whose process is gone. */
export async function removeStaleNamespaces(): Promise<void> {
  let names: string[];
  try {
    names = readdirSync('/var/run/netns');
  } catch {
    return;
  }
  for (const n of names) {
    const m = new RegExp(`^${PREFIX}(\\d+)-`).exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    let isAlive = true;
    try {
      process.kill(pid, 0);
    } catch {
      isAlive = false;
    }
    if (!isAlive) await ip('netns', 'del', n).catch(() => {});
  }
}

/**
 * Builds the topology with `localAddresses` on A's eth0 and `remoteAddresses` on B's eth0 (all /24). The names
 * carry this process id so parallel test files never collide.
 */
export async function createTopology(tag: string, localAddresses: string[], remoteAddresses: string[]): Promise<DiscoveryTopology> {
  await removeStaleNamespaces();
  const base = `${PREFIX}${process.pid}-${tag}`;
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

/** The output of a finished process. */
export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command inside a namespace to its end (bounded by timeoutMs, then killed). */
export function runIn(ns: string, cmd: string, args: string[], timeoutMs = 60_000): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running process inside a namespace, with a way to wait for a line of its output. */
export interface Background {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first stdout/stderr line matching re (rejects when the process exits first or after timeoutMs). */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Closes stdin (fixtures stop cleanly on that), then waits for exit; kills after 10 s. */
  stop(): Promise<Finished>;
  done: Promise<Finished>;
}

/** Starts a command inside a namespace in the background. */
export function startIn(ns: string, cmd: string, args: string[]): Background {
  const child = spawn('ip', ['netns', 'exec', ns, cmd, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const poke = () => waiters.forEach((w) => w());
  child.stdout!.on('data', (d) => ((stdout += d), poke()));
  child.stderr!.on('data', (d) => ((stderr += d), poke()));
  const done = new Promise<Finished>((resolve) => child.on('close', (code) => (resolve({ code, stdout, stderr }), poke())));
  let exited = false;
  void done.then(() => (exited = true));
  return {
    child,
    done,
    output: () => stdout + stderr,
    waitForLine(re, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = (stdout + '\n' + stderr).split('\n').find((l) => re.test(l));
          if (line !== undefined) return finish(() => resolve(line));
          if (exited) return finish(() => reject(new Error(`process exited before printing ${re}: ${stdout}${stderr}`)));
        };
        const timer = setTimeout(() => finish(() => reject(new Error(`no line matching ${re} within ${timeoutMs} ms: ${stdout}${stderr}`))), timeoutMs);
        const finish = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      });
    },
    async stop() {
      child.stdin!.end();
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const r = await done;
      clearTimeout(kill);
      return r;
    },
  };
}
