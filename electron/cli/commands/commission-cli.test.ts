import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../main';
import { startCamera, type SimCamera, type SimCameraOptions } from '../../simulator/index';
import { spawnSarix } from '../../testing/cli';

/** Runs the CLI in this process (fast: no tsx start-up per call), capturing what it prints. */
async function sarix(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return sarixWatching(() => undefined, ...args);
}

/** Runs the CLI like `sarix`, calling `onStderr` with every chunk it writes to stderr (a technician reading the prompts). */
async function sarixWatching(onStderr: (chunk: string) => void, ...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), onStderr(String(c)), true));
  try {
    const status = await runCli(args);
    return { status, stdout, stderr };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

let dir: string;
let relayPort: number;
const cams: SimCamera[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-commission-cli-'));
  relayPort = await freePort();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await Promise.all(cams.splice(0).map((c) => c.stop()));
});

async function cam(o: SimCameraOptions = {}): Promise<SimCamera> {
  const c = await startCamera({ address: '127.0.0.1', smtpPort: relayPort, resolver: async () => '127.0.0.1', ...o });
  cams.push(c);
  return c;
}

const site = ['--smtp-server', '192.168.1.10', '--ntp-server', 'ntp.site.lan', '--to', 'alarms@site.lan', '--from', 'cam@site.lan', '--subject', 'CLI test'];

describe('sarix commission / rollback', () => {
  it('--dry-run prints the exact changes and leaves the camera alone', async () => {
    const c = await cam();
    const before = c.state();
    const r = await sarix('commission', '--camera', c.url, '--password', 'admin', ...site, '--dry-run', '--data', dir, '--relay-listen', `127.0.0.1:${relayPort}`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('general.smtpServer: "" -> "127.0.0.1"');
    expect(r.stdout).toContain('Camera Sabotage.sensitivity: 5 -> 10');
    expect(r.stdout).toMatch(/dry run, nothing was changed/);
    expect(c.state()).toEqual(before);
  });

  it('commissions with the test e-mail, then rollback restores the camera', async () => {
    const c = await cam();
    const before = c.state();
    const r = await sarix('commission', '--camera', c.url, '--password', 'admin', ...site, '--json', '--data', dir, '--relay-listen', `127.0.0.1:${relayPort}`, '--test-timeout', '2');
    // Nobody covers the lens of a practice camera here, so the test times out: FAIL, rolled back, exit 1.
    expect(r.status).toBe(1);
    const job = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(job.results[0]).toMatchObject({ verdict: 'fail', rolledBack: true, error: { code: 'TIMEOUT' } });
    expect(r.stderr).toMatch(/cover the camera lens now/);
    expect(c.state()).toEqual(before);

    const ok = await sarix('commission', '--camera', c.url, '--password', 'admin', ...site, '--no-test', '--scene-sensitivity', '6', '--data', dir);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/PASS/);
    expect(c.state().general.smtpServer).toBe('192.168.1.10');
    expect(c.state().analytics.behaviours['camera-sabotage']).toEqual({ active: true, sensitivity: 6 });

    const rb = await sarix('rollback', '--camera', c.url, '--password', 'admin', '--data', dir);
    expect(rb.stdout).toMatch(/reads back exactly as in the backup/);
    expect(rb.status).toBe(0);
    expect(c.state()).toEqual(before);
  });

  it.each([
    ['a public SMTP host', ['--smtp-server', 'smtp.gmail.com'], 1, /LOCAL network SMTP server/],
    ['a wrong password', ['--password', 'wrong'], 1, /refused the user name or password/],
    ['missing flags', ['--to', ''], 2, /Missing --to/],
  ])('%s: a clear message, non-zero exit, camera unchanged', async (_what, extra, code, msg) => {
    const c = await cam();
    const before = c.state();
    const args = ['commission', '--camera', c.url, '--password', 'admin', ...site, '--no-test', '--data', dir, ...extra];
    const r = await sarix(...args);
    expect(r.status).toBe(code);
    expect(r.stdout + r.stderr).toMatch(msg);
    expect(c.state()).toEqual(before);
  });

  it('a 21st handler and a camera error mid-plan: clear messages, exit 1, cameras unchanged; the batch goes on', async () => {
    const full = await cam({ prefillHandlers: 20 });
    const flaky = await cam();
    const good = await cam({ formVariant: 'alt' });
    flaky.failNext(/^\/setup\/events\/handlers\/save$/, 1);
    const fullBefore = full.state();
    const flakyBefore = flaky.state();
    const csv = join(dir, 'cams.csv');
    await writeFile(csv, `url,username,password,name\n${full.url},admin,admin,Full\n${flaky.url},admin,admin,Flaky\n# a comment\n${good.url},admin,admin,Good\n`);
    const r = await sarix('commission', '--cameras', csv, ...site, '--no-test', '--concurrency', '2', '--data', dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/Full: FAIL \(HANDLER_LIMIT\).*20 of 20 handlers used/);
    expect(r.stdout).toMatch(/Flaky: FAIL \(CAMERA_ERROR\).*HTTP 500.*undone/);
    expect(r.stdout).toMatch(/Good: PASS/);
    expect(r.stdout).toMatch(/1 passed, 2 failed/);
    expect(full.state()).toEqual(fullBefore);
    expect(flaky.state()).toEqual(flakyBefore);
  });

  it('a CSV batch tests one camera at a time in the order of the file, without reading stdin', async () => {
    // The first camera of the file answers slowly: it is configured last, yet tested first.
    const slow = await cam({ faults: { latencyMs: 60 } });
    const b = await cam();
    const c = await cam();
    const byName: Record<string, SimCamera> = { Slow: slow, Bee: b, Sea: c };
    const csv = join(dir, 'ordered.csv');
    await writeFile(csv, `${slow.url},admin,admin,Slow\n${b.url},admin,admin,Bee\n${c.url},admin,admin,Sea\n`);
    const prompted: string[] = [];
    // The technician walks to each camera when the CLI names it and covers the lens (the simulator's trigger).
    const r = await sarixWatching(
      (chunk) => {
        const m = />>> (\w+): cover the camera lens now/.exec(chunk);
        if (!m) return;
        prompted.push(m[1]);
        setTimeout(() => void byName[m[1]].trigger('camera-sabotage', { strength: 'full' }), 50);
      },
      'commission', '--cameras', csv, ...site, '--concurrency', '3', '--json', '--data', dir, '--relay-listen', `127.0.0.1:${relayPort}`, '--test-timeout', '20',
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(prompted).toEqual(['Slow', 'Bee', 'Sea']);
    expect(r.stderr).toMatch(/=== test 1 of 3: Slow \(2 more after it, in the order of the list\)[\s\S]*=== test 2 of 3: Bee[\s\S]*=== test 3 of 3: Sea\n/);
    const job = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(job.results.map((x: { label: string; verdict: string; testedAs: number }) => [x.label, x.verdict, x.testedAs])).toEqual([
      ['Slow', 'pass', 1],
      ['Bee', 'pass', 2],
      ['Sea', 'pass', 3],
    ]);
  });

  it('bad batch files and flag mixes are usage errors (exit 2)', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'http://127.0.0.1:1,admin\nftp://x,admin,admin\n');
    const r = await sarix('commission', '--cameras', bad, ...site);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 1: expected url,username,password\[,name\].*line 2: .*http or https/);
    expect((await sarix('commission', ...site)).status).toBe(2);
    expect((await sarix('commission', '--camera', 'http://127.0.0.1:1', '--cameras', bad, ...site)).status).toBe(2);
  });
});

describe('sarix demo', () => {
  it('--json passes and the last line is the verdict object', async () => {
    const r = await spawnSarix('demo', '--json');
    expect(r.status).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(last).toMatchObject({
      verdict: 'pass',
      camera: { ip: '127.0.0.1', model: expect.any(String), mac: expect.stringMatching(/^00:0B:AB/) },
      latencyMs: expect.any(Number),
      message: { from: expect.any(String), to: [expect.any(String)], subject: expect.any(String), attachments: [{ contentType: 'image/jpeg', size: expect.any(Number) }] },
      sensitivityRestoredTo: 5,
    });
    expect(last.steps.map((s: { id: string; status: string }) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done', 'done', 'unchanged']);
    // It ends by writing the hand-over report, and says where.
    expect(last.report).toMatchObject({ reportId: expect.stringMatching(/^SRX-/), files: expect.arrayContaining([expect.stringMatching(/\.pdf$/), expect.stringMatching(/-vms-import\.csv$/)]) });
    expect(readFileSync(last.report.files.find((f: string) => f.endsWith('.pdf'))).subarray(0, 5).toString()).toBe('%PDF-');
    await rm(last.report.dir, { recursive: true, force: true });
  });
});
