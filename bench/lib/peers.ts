/**
 * The peers of bench/relay-peers.bench.ts and the tools around them, all local and on 127.0.0.1:
 * - Postfix 3.7 from Debian's .deb (`apt-get download`, `dpkg -x`, never installed as a service), run as a
 *   private instance whose only listener is smtpd on 127.0.0.1:PORT and whose mail stays queued (delivery is
 *   deferred to a port nobody listens on) or, in "hold" mode, is put on hold (storing only);
 * - Postfix's `smtp-source` as the load generator (C, so the client costs little next to the servers);
 * - MailDev 3 from npm, installed into a temporary prefix;
 * - the relay as the project's built CLI (`npm run build:cli`, started through bin/sarix.js; no tsx in the process).
 * Plus what the benchmark reads from /proc: CPU ticks and RSS/PSS of a process and its descendants.
 * Linux only; Postfix needs root (its master drops to the `postfix` user, created if missing).
 */
// Long on purpose: postfixInstance is Postfix's private instance written out as its main.cf and master.cf lines plus the queue folders Postfix insists on (owners and modes); the lines read best as one listing next to Postfix's documentation.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where the peers are installed (kept between runs: downloading them takes a minute). */
export const TOOLS = process.env.SARIX_PEER_TOOLS ?? join(tmpdir(), 'sarix-peer-tools');

/** Why the peers cannot run here, or undefined when they can. */
export function peersUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'the peer benchmark runs on Linux only (Postfix from Debian packages, /proc for CPU and memory)';
  if (process.getuid?.() !== 0) return 'the peer benchmark needs root (a private Postfix instance starts as root and drops to the postfix user)';
  try {
    execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
    execFileSync('dpkg', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'the peer benchmark needs apt-get and dpkg to fetch Postfix';
  }
  return undefined;
}

/** Installs Postfix (extracted) and MailDev (npm prefix) under TOOLS if missing; returns their paths. */
export function preparePeers(log: (m: string) => void): { postfix: string; maildev: string } {
  const postfix = join(TOOLS, 'postfix');
  mkdirSync(TOOLS, { recursive: true });
  if (!existsSync(join(postfix, 'usr', 'sbin', 'smtp-source'))) {
    log(`fetching Postfix's .deb into ${TOOLS} (apt-get download; nothing is installed)`);
    for (const f of readdirSync(TOOLS)) if (f.endsWith('.deb')) rmSync(join(TOOLS, f));
    execFileSync('apt-get', ['download', 'postfix'], { cwd: TOOLS, stdio: 'ignore' });
    const deb = readdirSync(TOOLS).find((f) => /^postfix_.*\.deb$/.test(f));
    if (!deb) throw new Error('apt-get download postfix produced no .deb');
    execFileSync('dpkg', ['-x', join(TOOLS, deb), postfix]);
    rmSync(join(TOOLS, deb));
  }
  const maildev = join(TOOLS, 'maildev', 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  if (!existsSync(maildev)) {
    log(`installing MailDev 3 from npm into ${join(TOOLS, 'maildev')}`);
    execFileSync('npm', ['install', '--prefix', join(TOOLS, 'maildev'), '--no-audit', '--no-fund', '--loglevel=error', 'maildev@3'], { stdio: 'ignore' });
  }
  // A private Postfix instance needs its own user and groups (it refuses to run its daemons as root).
  const has = (db: string, name: string) => {
    try {
      execFileSync('getent', [db, name], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  if (!has('group', 'postdrop')) execFileSync('groupadd', ['--system', 'postdrop']);
  if (!has('group', 'postfix')) execFileSync('groupadd', ['--system', 'postfix']);
  if (!has('passwd', 'postfix')) execFileSync('useradd', ['--system', '-g', 'postfix', '-d', '/nonexistent', '-s', '/usr/sbin/nologin', 'postfix']);
  return { postfix, maildev };
}

/**
 * The relay as the project's built CLI: `npm run build:cli` output (dist-cli/<build>/, named by
 * dist-cli/current.json) started through bin/sarix.js, exactly as `npx sarix relay` starts. When the build is
 * missing or older than a source file it was built from, it is rebuilt first, so bin/sarix.js never falls back
 * to tsx during a measurement. Returns the script to run with node and how it was made.
 */
export function relayCli(): { script: string; how: string } {
  const current = () => {
    try {
      const { build, startedAt, inputs } = JSON.parse(readFileSync(join(ROOT, 'dist-cli', 'current.json'), 'utf8')) as { build: string; startedAt: number; inputs: string[] };
      for (const f of inputs) if (statSync(join(ROOT, f)).mtimeMs > startedAt) return undefined;
      return existsSync(join(ROOT, 'dist-cli', build, 'main.js')) ? build : undefined;
    } catch {
      return undefined;
    }
  };
  let build = current();
  let how = 'the built CLI';
  if (!build) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-cli.mjs')], { cwd: ROOT, stdio: 'ignore' });
    build = current();
    how = 'the built CLI (rebuilt by the benchmark: it was missing or stale)';
  }
  if (!build) throw new Error('npm run build:cli did not leave a current build in dist-cli/');
  return { script: join(ROOT, 'bin', 'sarix.js'), how: `${how}: bin/sarix.js running dist-cli/${build}/main.js in plain Node (no tsx)` };
}

/** Writes a private Postfix instance under `dir` that listens on 127.0.0.1:`port` only. */
export function postfixInstance(pf: string, dir: string, port: number, mode: 'defer' | 'hold'): string {
  const uid = Number(execFileSync('id', ['-u', 'postfix']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postfix']).toString().trim());
  const conf = join(dir, 'conf');
  const queue = join(dir, 'queue');
  const data = join(dir, 'data');
  mkdirSync(conf, { recursive: true });
  mkdirSync(data, { recursive: true, mode: 0o700 });
  chownSync(data, uid, gid);
  mkdirSync(queue, { recursive: true, mode: 0o755 });
  for (const d of ['incoming', 'active', 'bounce', 'corrupt', 'defer', 'deferred', 'flush', 'hold', 'saved', 'trace', 'private']) {
    mkdirSync(join(queue, d), { mode: 0o700 });
    chownSync(join(queue, d), uid, 0);
  }
  const postdrop = Number(execFileSync('getent', ['group', 'postdrop']).toString().split(':')[2]);
  for (const [d, mode] of [
    ['maildrop', 0o730],
    ['public', 0o710],
  ] as const) {
    mkdirSync(join(queue, d));
    chownSync(join(queue, d), uid, postdrop);
    chmodSync(join(queue, d), mode);
  }
  mkdirSync(join(queue, 'pid'), { mode: 0o755 });
  const lib = join(pf, 'usr', 'lib', 'postfix');
  writeFileSync(
    join(conf, 'main.cf'),
    `compatibility_level = 3.6
queue_directory = ${queue}
data_directory = ${data}
daemon_directory = ${join(lib, 'sbin')}
command_directory = ${join(pf, 'usr', 'sbin')}
shlib_directory = ${lib}
meta_directory = ${join(pf, 'etc', 'postfix')}
import_environment = MAIL_CONFIG MAIL_DEBUG MAIL_LOGTAG TZ LANG=C POSTLOG_SERVICE POSTLOG_HOSTNAME LD_LIBRARY_PATH=${lib}
mail_owner = postfix
setgid_group = postdrop
myhostname = peerbench.localdomain
mydomain = localdomain
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains =
smtpd_relay_restrictions = permit_mynetworks, reject
smtpd_recipient_restrictions = permit_mynetworks, reject
relayhost = [127.0.0.1]:9
defer_transports = smtp, relay, local, virtual
alias_maps =
alias_database =
local_recipient_maps =
biff = no
smtputf8_enable = no
message_size_limit = 33554432
smtpd_peername_lookup = no
maillog_file = ${join(dir, 'maillog')}
maillog_file_prefixes = ${dir}
${mode === 'hold' ? 'smtpd_end_of_data_restrictions = check_client_access static:HOLD\n' : ''}`,
  );
  writeFileSync(
    join(conf, 'master.cf'),
    `127.0.0.1:${port} inet n - n - - smtpd
cleanup   unix  n - n - 0 cleanup
qmgr      unix  n - n 300 1 qmgr
rewrite   unix  - - n - - trivial-rewrite
bounce    unix  - - n - 0 bounce
defer     unix  - - n - 0 bounce
trace     unix  - - n - 0 bounce
verify    unix  - - n - 1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n - - proxymap
smtp      unix  - - n - - smtp
relay     unix  - - n - - smtp
error     unix  - - n - - error
retry     unix  - - n - - error
discard   unix  - - n - - discard
local     unix  - n n - - local
anvil     unix  - - n - 1 anvil
scache    unix  - - n - 1 scache
showq     unix  n - n - - showq
postlog   unix-dgram n - n - 1 postlogd
`,
  );
  return conf;
}

/** Starts a child process (stdout/stderr to files) and returns it. */
export function startProcess(cmd: string, args: string[], logBase: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const out = `${logBase}.out`;
  const err = `${logBase}.err`;
  writeFileSync(out, '');
  writeFileSync(err, '');
  const p = spawn('sh', ['-c', 'exec "$0" "$@" >>"$OUT" 2>>"$ERR"', cmd, ...args], { env: { ...env, OUT: out, ERR: err }, stdio: 'ignore' });
  p.on('error', () => undefined);
  return p;
}

/** Resolves once 127.0.0.1:`port` accepts a connection; rejects after `seconds` or when `proc` exits first. */
export async function waitPort(port: number, seconds: number, proc?: ChildProcess): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    if (proc && (proc.exitCode !== null || proc.signalCode !== null)) throw new Error(`the process exited (${proc.exitCode ?? proc.signalCode}) before listening on ${port}`);
    const ok = await new Promise<boolean>((r) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listened on 127.0.0.1:${port} within ${seconds} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The process and all its descendants (from /proc). */
export function processTree(root: number): number[] {
  const parent = new Map<number, number>();
  for (const f of readdirSync('/proc')) {
    if (!/^\d+$/.test(f)) continue;
    try {
      const stat = readFileSync(`/proc/${f}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(f), ppid);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    for (let q: number | undefined = pid, k = 0; q && q > 1 && k < 64; q = parent.get(q), k++) {
      if (q === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

/** CPU ticks (user + system) of a process tree, plus the children the root reaped (Postfix's master reaps its daemons). */
export function cpuTicks(root: number): number {
  let t = 0;
  for (const p of processTree(root)) {
    try {
      const f = readFileSync(`/proc/${p}/stat`, 'utf8');
      const v = f.slice(f.lastIndexOf(')') + 2).split(' ');
      // fields 14-17 of stat (1-based) are utime, stime, cutime, cstime; v starts at field 3
      t += Number(v[11]) + Number(v[12]);
      if (p === root) t += Number(v[13]) + Number(v[14]);
    } catch {
      // exited meanwhile
    }
  }
  return t;
}

/** RSS and PSS (kB) summed over a process tree, and how many processes. */
export function memory(root: number): { rssKb: number; pssKb: number; processes: number } {
  let rssKb = 0;
  let pssKb = 0;
  let processes = 0;
  for (const p of processTree(root)) {
    try {
      rssKb += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
      pssKb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      processes++;
    } catch {
      // exited meanwhile
    }
  }
  return { rssKb, pssKb, processes };
}

/** Stops a process tree started by startProcess: SIGTERM to the root, then SIGKILL to whatever of it is left. */
export async function stopTree(p: ChildProcess): Promise<void> {
  if (!p.pid) return;
  const kids = processTree(p.pid).filter((x) => x !== p.pid);
  if (p.exitCode === null && p.signalCode === null) {
    const exited = new Promise<void>((r) => p.once('exit', () => r()));
    p.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
  }
  for (const k of kids) {
    try {
      process.kill(k, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** The ~70 KB camera alarm mail (text + a real 640×480 JPEG snapshot), with CRLF line ends. */
export async function alarmMessage(): Promise<Buffer> {
  const jpeg = (await import('jpeg-js')).default;
  const nodemailer = (await import('nodemailer')).default;
  const W = 640;
  const H = 480;
  const data = Buffer.alloc(W * H * 4);
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const i = (y * W + x) * 4;
      const n = rnd() * 60;
      data[i] = (x / W) * 180 + n;
      data[i + 1] = (y / H) * 180 + n;
      data[i + 2] = 90 + n;
      data[i + 3] = 255;
    }
  }
  let best: Buffer | undefined;
  for (let q = 5; q <= 95; q += 5) {
    const j = jpeg.encode({ data, width: W, height: H }, q).data;
    if (!best || Math.abs(j.length - 50_000) < Math.abs(best.length - 50_000)) best = j;
  }
  const info = await nodemailer.createTransport({ streamTransport: true, buffer: true }).sendMail({
    from: 'Sarix IXE <cam1@site.local>',
    to: 'tech@site.local',
    subject: 'Alarm: Camera Sabotage (cam1)',
    text: 'Event: Camera Sabotage\nCamera: IXE-cam1\nTime: 2026-11-29T01:00:00Z\n',
    attachments: [{ filename: 'snapshot.jpg', contentType: 'image/jpeg', content: best }],
  });
  return info.message as Buffer;
}

/** Runs smtp-source; resolves with its exit code and the tail of its output. */
export function smtpSource(pf: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const p = spawn(join(pf, 'usr', 'sbin', 'smtp-source'), args, { env: { ...process.env, LD_LIBRARY_PATH: join(pf, 'usr', 'lib', 'postfix') }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    p.stdout.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
    p.stderr.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-2000)));
    p.on('exit', (code) => resolve({ code, output }));
  });
}

/** Files inside some folders and their subfolders, by name (unique names: Postfix moves files between its queues while we count). */
export function countFiles(dirs: string[], match: (name: string) => boolean = () => true): number {
  const names = new Set<string>();
  const walk = (d: string, depth: number) => {
    try {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isFile() && match(e.name)) names.add(e.name);
        else if (e.isDirectory() && depth < 3) walk(join(d, e.name), depth + 1);
      }
    } catch {
      // not there (yet), or moved meanwhile
    }
  };
  for (const d of dirs) walk(d, 0);
  return names.size;
}
