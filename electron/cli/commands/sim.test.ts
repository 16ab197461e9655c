import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { SARIX_BIN } from '../../testing/cli';

const BIN = SARIX_BIN;
const children: ChildProcess[] = [];
const servers: Server[] = [];
afterEach(async () => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

function sarix(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const waiters: (() => void)[] = [];
  child.stdout.on('data', (d) => {
    stdout += d;
    waiters.splice(0).forEach((w) => w());
  });
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  return {
    child,
    exited,
    stderr: () => stderr,
    lines: (n: number) =>
      new Promise<string[]>((resolve, reject) => {
        const check = () => {
          const ls = stdout.split('\n').filter(Boolean);
          if (ls.length >= n) resolve(ls.slice(0, n));
          else waiters.push(check);
        };
        void exited.then(() => reject(new Error(`exited early: ${stdout}${stderr}`)));
        check();
      }),
  };
}

describe('sarix sim', () => {
  it('prints one JSON line per ready camera on consecutive addresses, serves them, and exits 0 on SIGTERM', async () => {
    const p = sarix(['sim', '--count', '2', '--json', '--base-address', '127.0.7.1', '--smtp-port', '2525']);
    const cams = (await p.lines(2)).map((l) => JSON.parse(l));
    expect(cams.map((c) => c.ip)).toEqual(['127.0.7.1', '127.0.7.2']);
    for (const c of cams) {
      expect(Object.keys(c)).toEqual(expect.arrayContaining(['ip', 'httpPort', 'mac', 'model', 'name', 'firmware', 'username', 'password']));
      expect(c.mac).toMatch(/^00:0B:AB/);
      const r = await fetch(`http://${c.ip}:${c.httpPort}/liveview`);
      expect(await r.text()).toContain('Sarix&trade;');
    }
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
  });

  it('exits 2 with a clear message on bad flags', async () => {
    const cases = [['--count', 'many'], ['--base-address', 'nowhere'], ['--mdns']];
    const runs = cases.map((args) => ({ args, p: sarix(['sim', ...args]) }));
    for (const { args, p } of runs) {
      expect([args, await p.exited]).toEqual([args, 2]);
      expect(p.stderr()).toMatch(/error:/);
    }
  });

  it('fails with the address named when a port is in use', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.7.12', r));
    servers.push(s);
    const port = (s.address() as { port: number }).port;
    const p = sarix(['sim', '--count', '3', '--base-address', '127.0.7.10', '--http-port', String(port)]);
    expect(await p.exited).toBe(1);
    expect(p.stderr()).toContain(`127.0.7.12:${port} is already in use`);
  });
});
