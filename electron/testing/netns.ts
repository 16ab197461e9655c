/**
 * Test support: throw-away network namespaces for tests that need multicast or broadcast (SSDP, WS-Discovery,
 * mDNS). Multicast must never leave the machine's root namespace (a real uplink is attached), so such tests build
 * a star here: one bridge namespace holding a bridge, and N host namespaces each with an `eth0` veth into it,
 * addresses 10.77.<subnet>.<i+1>/24, and a 224.0.0.0/4 route on eth0. Nothing is created in the root namespace:
 * veth pairs are made inside the bridge namespace. Names carry the area tag and the process id; `destroy()` and
 * a process-exit hook always delete them, and `removeStaleNamespaces` deletes leftovers of dead processes.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** True when this process can create namespaces (Linux, root, iproute2 present). */
export function canUseNetns(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'].some((p) => existsSync(p));
}

/** Runs `ip ARGS`, turning a failure into an error that shows the command and its stderr. */
export async function ip(...args: string[]): Promise<void> {
  try {
    await run('ip', args);
  } catch (e) {
    throw new Error(`ip ${args.join(' ')} failed: ${(e as { stderr?: string }).stderr?.trim() ?? String(e)}`, { cause: e });
  }
}

/** One host namespace of a lab. */
export interface NetnsHost {
  /** Namespace name (for `ip netns exec`). */
  ns: string;
  /** Its primary address on eth0. */
  address: string;
  /** All its addresses (primary first). */
  addresses: string[];
}

/** A star of namespaces around one bridge. */
export interface NetnsLab {
  /** The namespace holding the bridge `br0` (no address). */
  bridgeNs: string;
  hosts: NetnsHost[];
  /** Deletes every namespace of the lab (and so the veths and the bridge); safe to call twice. */
  destroy(): Promise<void>;
}

/** Options of a lab. */
export interface NetnsLabOptions {
  /** Short area tag for the names, e.g. "sim" or "disc" (letters/digits). */
  tag: string;
  /** Number of host namespaces, or per-host extra address counts: [1, 3] = host0 one address, host1 three. */
  hosts: number | number[];
  /** Third octet of 10.77.x.0/24 (default 0). Namespaces are isolated, so labs may share it. */
  subnet?: number;
}

const live = new Set<string>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    for (const n of live) {
      try {
        execFileSync('ip', ['netns', 'del', n], { stdio: 'ignore' });
      } catch {}
    }
  });
}

/** Deletes namespaces named `<tag>-<pid>-...` whose process is gone (left by a crashed run). */
export async function removeStaleNamespaces(tag: string): Promise<void> {
  let names: string[];
  try {
    names = readdirSync('/var/run/netns');
  } catch {
    return;
  }
  for (const n of names) {
    const m = new RegExp(`^${tag}-(\\d+)-`).exec(n);
    if (!m) continue;
    let isAlive = true;
    try {
      process.kill(Number(m[1]), 0);
    } catch {
      isAlive = false;
    }
    if (!isAlive) await ip('netns', 'del', n).catch(() => {});
  }
}

let labSeq = 0;

/** Creates a lab; on any failure, what was created is deleted before the error propagates. */
export async function createLab(o: NetnsLabOptions): Promise<NetnsLab> {
  if (!/^[a-z0-9]{1,8}$/i.test(o.tag)) throw new Error(`netns tag "${o.tag}" must be 1-8 letters or digits.`);
  await removeStaleNamespaces(o.tag);
  hookExit();
  const base = `${o.tag}-${process.pid}-${labSeq++}`;
  const counts = Array.isArray(o.hosts) ? o.hosts : Array.from({ length: o.hosts }, () => 1);
  const subnet = o.subnet ?? 0;
  const bridgeNs = `${base}-br`;
  const made: string[] = [];
  const destroy = async () => {
    for (const n of made.splice(0)) {
      await ip('netns', 'del', n).catch(() => {});
      live.delete(n);
    }
  };
  const hosts: NetnsHost[] = [];
  try {
    const add = async (n: string) => {
      await ip('netns', 'add', n);
      made.push(n);
      live.add(n);
      await ip('-n', n, 'link', 'set', 'lo', 'up');
    };
    await add(bridgeNs);
    // Multicast snooping off: with no querier the bridge would otherwise drop group traffic after a while.
    await ip('-n', bridgeNs, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
    await ip('-n', bridgeNs, 'link', 'set', 'br0', 'up');
    let next = 1;
    for (let i = 0; i < counts.length; i++) {
      const ns = `${base}-h${i}`;
      await add(ns);
      const port = `p${i}`;
      await ip('-n', bridgeNs, 'link', 'add', port, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('-n', bridgeNs, 'link', 'set', port, 'master', 'br0');
      await ip('-n', bridgeNs, 'link', 'set', port, 'up');
      const addresses: string[] = [];
      for (let k = 0; k < Math.max(1, counts[i]); k++) {
        if (next > 254) throw new Error('A lab holds at most 254 addresses.');
        const a = `10.77.${subnet}.${next++}`;
        await ip('-n', ns, 'addr', 'add', `${a}/24`, 'dev', 'eth0');
        addresses.push(a);
      }
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0');
      hosts.push({ ns, address: addresses[0], addresses });
    }
  } catch (e) {
    await destroy();
    throw e;
  }
  return { bridgeNs, hosts, destroy };
}

/** The output of a finished process. */
export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command inside a namespace to its end (killed after timeoutMs). */
export async function runIn(ns: string, cmd: string, args: string[], timeoutMs = 30_000): Promise<Finished> {
  const bg = startIn(ns, cmd, args);
  const t = setTimeout(() => bg.child.kill('SIGKILL'), timeoutMs);
  const r = await bg.done;
  clearTimeout(t);
  return r;
}

/** A background process inside a namespace. */
export interface Background {
  child: ChildProcess;
  /** Everything printed so far (stdout then stderr). */
  output(): string;
  /** Resolves with the first stdout line matching `re`; rejects when the process exits first or after timeoutMs. */
  waitForLine(re: RegExp, timeoutMs?: number): Promise<string>;
  /** Sends SIGTERM (or closes stdin, see StartOptions) and waits for the exit (SIGKILL after 10 s). */
  stop(): Promise<Finished>;
  done: Promise<Finished>;
}

/** How a background process is stopped and watched. */
export interface StartOptions {
  /** `sigterm` (default): stop() sends SIGTERM; `stdin`: stop() closes its stdin (fixtures that stop on that). */
  stop?: 'sigterm' | 'stdin';
  /** waitForLine also matches lines on stderr (default: stdout only). */
  matchStderr?: boolean;
}

/** Starts a command inside a namespace (`ip netns exec NS CMD ...`). */
export function startIn(ns: string, cmd: string, args: string[], opts: StartOptions = {}): Background {
  return startLocal('ip', ['netns', 'exec', ns, cmd, ...args], opts, cmd);
}

/** Starts a command in this process's own namespace, watched the same way as startIn (loopback-only fixtures). */
export function startLocal(cmd: string, args: string[], opts: StartOptions = {}, name = cmd): Background {
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const poke = () => [...waiters].forEach((w) => w());
  let exited = false;
  child.stdout?.on('data', (d) => {
    stdout += d;
    poke();
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
    poke();
  });
  const done = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => {
      exited = true;
      resolve({ code, signal, stdout, stderr });
      poke();
    }),
  );
  child.on('error', (e) => {
    stderr += String(e);
    poke();
  });
  return {
    child,
    done,
    output: () => stdout + stderr,
    waitForLine(re, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const finish = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        function check() {
          const line = (opts.matchStderr ? `${stdout}\n${stderr}` : stdout).split('\n').find((l) => re.test(l));
          if (line !== undefined) return finish(() => resolve(line));
          if (exited) finish(() => reject(new Error(`${name} exited before printing ${re}:\n${stdout}${stderr}`)));
        }
        const timer = setTimeout(() => finish(() => reject(new Error(`${name} printed no line matching ${re} within ${timeoutMs} ms:\n${stdout}${stderr}`))), timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (opts.stop === 'stdin') child.stdin?.end();
      else if (!exited) child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const r = await done;
      clearTimeout(kill);
      return r;
    },
  };
}

/** Runs a TypeScript/JS file with Node + tsx inside a namespace (the way to run simulator or service code there). */
export function nodeScriptIn(ns: string, script: string, args: string[] = []): Background {
  return startIn(ns, process.execPath, ['--import', 'tsx', script, ...args]);
}
