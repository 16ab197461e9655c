import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CameraTarget, SiteProfileInput } from '../../../shared/domain/commissioning';
import type { TestQueueEntry } from '../../../shared/domain/test-queue';
import { isAppFailure } from '../../../shared/ipc/result';
import { silentLogger } from '../common/logger';
import { startCamera, type SimCamera, type SimCameraOptions } from '../../simulator/index';
import { RelayService } from '../relay/index';
import { CommissioningService, turnLine } from './commissioning-service';
import { ConfigSlots, TestGate } from './test-gate';
import { EmbeddedTestRelay } from './test-relay';

const never = new AbortController().signal;
const cams3 = (needsTechnician = false) => ['http://a', 'http://b', 'http://c'].map((url) => ({ url, label: url.slice(7).toUpperCase(), needsTechnician }));
const states = (g: TestGate) => g.snapshot().map((e) => `${e.label}:${e.state}`);
const tick = () => new Promise((r) => setImmediate(r));

describe('TestGate (pure)', () => {
  it('grants turns in the chosen order, one at a time, whatever order the cameras get configured in', async () => {
    const g = new TestGate(cams3());
    const tested: string[] = [];
    // c and b are configured before a: they wait for a's turn.
    const pc = g.turn('http://c', never).then((end) => (tested.push('c'), end));
    const pb = g.turn('http://b', never).then((end) => (tested.push('b'), end));
    await tick();
    expect(tested).toEqual([]);
    expect(states(g)).toEqual(['A:configuring', 'B:waiting', 'C:waiting']);
    const endA = await g.turn('http://a', never);
    expect(states(g)).toEqual(['A:testing', 'B:waiting', 'C:waiting']);
    endA();
    const endB = await pb;
    expect(tested).toEqual(['b']);
    expect(states(g)).toEqual(['A:tested', 'B:testing', 'C:waiting']);
    endB();
    (await pc)();
    expect(tested).toEqual(['b', 'c']);
    expect(g.snapshot().map((e) => e.testedAs)).toEqual([1, 2, 3]);
  });

  it('follows a new order set while the job runs; tested cameras keep their place and result', async () => {
    const g = new TestGate(cams3());
    const endA = await g.turn('http://a', never);
    const pb = g.turn('http://b', never);
    const pc = g.turn('http://c', never);
    g.reorder(['http://a', 'http://c', 'http://b']);
    endA();
    const endC = await pc;
    expect(states(g)).toEqual(['A:tested', 'C:testing', 'B:waiting']);
    endC();
    (await pb)();
    expect(g.snapshot().map((e) => [e.label, e.testedAs])).toEqual([
      ['A', 1],
      ['C', 2],
      ['B', 3],
    ]);
  });

  it('refuses an order that does not list every camera once', () => {
    const g = new TestGate(cams3());
    for (const bad of [['http://a', 'http://b'], ['http://a', 'http://b', 'http://b'], ['http://a', 'http://b', 'http://x']]) {
      expect(() => g.reorder(bad)).toThrow(/every camera of the job exactly once/);
    }
    expect(() => new TestGate([...cams3(), { url: 'http://a', needsTechnician: false }])).toThrow(/listed twice/);
  });

  it('a real camera waits for the technician: ready at its turn, testing after go; go on a waiting camera moves it first', async () => {
    const g = new TestGate(cams3(true));
    let isAStarted = false;
    const pa = g.turn('http://a', never).then((end) => ((isAStarted = true), end));
    const pb = g.turn('http://b', never);
    await tick();
    expect(states(g)).toEqual(['A:ready', 'B:waiting', 'C:configuring']);
    expect(isAStarted).toBe(false);
    // The technician is at B first: B moves to the front and starts; A waits again.
    g.go('http://b');
    const endB = await pb;
    expect(states(g)).toEqual(['B:testing', 'A:waiting', 'C:configuring']);
    expect(() => g.go('http://a')).toThrow(/still running/);
    expect(() => g.go('http://c')).toThrow(/still being configured/);
    endB();
    expect(states(g)).toEqual(['B:tested', 'A:ready', 'C:configuring']);
    g.go('http://a');
    (await pa)();
    expect(isAStarted).toBe(true);
  });

  it('a failing camera leaves the order and never blocks the next one', async () => {
    const g = new TestGate(cams3());
    const pb = g.turn('http://b', never);
    g.leave('http://a'); // a failed at login: it never reaches its test
    const endB = await pb;
    expect(states(g)).toEqual(['A:skipped', 'B:testing', 'C:configuring']);
    expect(() => g.go('http://a')).toThrow(/no test to start/);
    // b fails during its test: the end of its turn still comes (finally), and c goes next.
    endB();
    endB();
    (await g.turn('http://c', never))();
    expect(g.snapshot().map((e) => e.testedAs)).toEqual([undefined, 1, 2]);
  });

  it('cancel: a waiting camera gets CANCELLED and leaves the order; the others go on', async () => {
    const g = new TestGate(cams3());
    const endA = await g.turn('http://a', never);
    const abortB = new AbortController();
    const pb = g.turn('http://b', abortB.signal);
    const pc = g.turn('http://c', never);
    abortB.abort();
    await expect(pb).rejects.toMatchObject({ code: 'CANCELLED' });
    endA();
    (await pc)();
    expect(states(g)).toEqual(['A:tested', 'B:skipped', 'C:tested']);
    const done = new AbortController();
    done.abort();
    await expect(new TestGate(cams3()).turn('http://a', done.signal)).rejects.toSatisfy(isAppFailure);
  });

  it('tells every change to its listeners, in test order', async () => {
    const g = new TestGate(cams3());
    const seen: TestQueueEntry[][] = [];
    g.events.on('changed', (e) => seen.push(e));
    const end = await g.turn('http://a', never);
    g.reorder(['http://a', 'http://c', 'http://b']);
    end();
    expect(seen.map((q) => q.map((e) => `${e.label}:${e.state}`).join(' '))).toEqual([
      'A:testing B:configuring C:configuring',
      'A:testing C:configuring B:configuring',
      'A:tested C:configuring B:configuring',
    ]);
    expect(seen.at(-1)!.map((e) => e.state)).toEqual(['tested', 'configuring', 'configuring']);
  });

  it('turnLine says where a camera stands while it waits', () => {
    const q: TestQueueEntry[] = [
      { url: 'http://a', label: 'Lobby', state: 'testing', needsTechnician: true, testedAs: 1 },
      { url: 'http://b', state: 'waiting', needsTechnician: true },
      { url: 'http://c', state: 'ready', needsTechnician: true },
    ];
    expect(turnLine(q, 'http://b')).toBe('Configured; waiting for its test turn: 1 camera before it (now: Lobby).');
    expect(turnLine(q, 'http://c')).toMatch(/^Its turn: go to this camera/);
    expect(turnLine(q, 'http://a')).toBeUndefined();
  });
});

describe('ConfigSlots', () => {
  it('lets at most `limit` holders in; a double release frees one slot only', async () => {
    const slots = new ConfigSlots(2);
    const r1 = await slots.acquire();
    await slots.acquire();
    let isThirdIn = false;
    const third = slots.acquire().then((r) => ((isThirdIn = true), r));
    await tick();
    expect(isThirdIn).toBe(false);
    r1();
    r1();
    await third;
    let isFourthIn = false;
    void slots.acquire().then(() => (isFourthIn = true));
    await tick();
    expect(isFourthIn).toBe(false);
  });
});

// The gate inside a real job: simulated cameras, the embedded relay, tests triggered like a technician would.
describe('CommissioningService: tests one camera at a time, in the chosen order', () => {
  let dir: string;
  let relay: RelayService;
  let relayPort: number;
  const cams: SimCamera[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sarix-test-gate-'));
    relay = new RelayService({ dataDir: join(dir, 'relay'), logger: silentLogger });
    relayPort = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: [] })).port;
  });
  afterAll(async () => {
    await relay.stop();
    await rm(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    await Promise.all(cams.splice(0).map((c) => c.stop()));
  });

  const profile: SiteProfileInput = { smtpServer: '192.168.1.10', ntpServer: '192.168.1.1', to: 'alarms@site.lan', from: 'cam@site.lan', subject: 'Gate test' };
  async function cam(name: string, o: SimCameraOptions = {}): Promise<SimCamera> {
    const c = await startCamera({ address: '127.0.0.1', smtpPort: relayPort, resolver: async () => '127.0.0.1', deviceName: name, ...o });
    cams.push(c);
    return c;
  }
  const target = (c: SimCamera, name: string, password = 'admin'): CameraTarget => ({ url: c.url, username: 'admin', password, name });

  /** A service whose test trigger records the order and fires the simulator's sabotage (a hand over the lens). */
  function service(triggered: string[], isSelfTriggering = true): CommissioningService {
    return new CommissioningService({
      logger: silentLogger,
      backupDir: join(dir, 'backups'),
      resolveHost: async () => ['127.0.0.1'],
      relay: new EmbeddedTestRelay(relay, { listenAddress: '127.0.0.1', port: relayPort }),
      triggersItself: () => isSelfTriggering,
      triggerTest: async ({ url, label }) => {
        triggered.push(label ?? url);
        return cams.find((x) => x.url === url)!.trigger('camera-sabotage', { strength: 'partial' });
      },
    });
  }

  it('tests in the order of the targets even when the first camera is configured last; every camera passes', async () => {
    // The first camera answers slowly, so without the gate it would reach its test last.
    const slow = await cam('Slow', { faults: { latencyMs: 60 } });
    const b = await cam('Bee');
    const c = await cam('Sea');
    const triggered: string[] = [];
    const job = await service(triggered).run([target(slow, 'Slow'), target(b, 'Bee'), target(c, 'Sea')], profile, { concurrency: 3, testTimeoutMs: 15_000 });
    expect(job.results.map((r) => [r.label, r.verdict, r.testedAs])).toEqual([
      ['Slow', 'pass', 1],
      ['Bee', 'pass', 2],
      ['Sea', 'pass', 3],
    ]);
    expect(triggered).toEqual(['Slow', 'Bee', 'Sea']);
  });

  it('takes a new order while the job runs, and a camera with a wrong password does not block the next', async () => {
    const a = await cam('Aa', { faults: { latencyMs: 40 } });
    const bad = await cam('Bad');
    const c = await cam('Cc');
    const triggered: string[] = [];
    const svc = service(triggered);
    const queues: TestQueueEntry[][] = [];
    svc.events.on('test-queue-changed', (q) => queues.push(q.entries));
    const id = await svc.start([target(a, 'Aa'), target(bad, 'Bad', 'wrong'), target(c, 'Cc')], profile, { concurrency: 3, testTimeoutMs: 15_000 });
    // Before the slow first camera reaches its test, the technician puts Cc first.
    expect(svc.setTestOrder(id, [c.url, bad.url, a.url]).map((e) => e.label)).toEqual(['Cc', 'Bad', 'Aa']);
    const job = await svc.wait(id);
    expect(triggered).toEqual(['Cc', 'Aa']);
    const byLabel = Object.fromEntries(job.results.map((r) => [r.label, r]));
    expect(byLabel.Cc).toMatchObject({ verdict: 'pass', testedAs: 1 });
    expect(byLabel.Aa).toMatchObject({ verdict: 'pass', testedAs: 2 });
    expect(byLabel.Bad).toMatchObject({ verdict: 'fail', error: { code: 'AUTH_FAILED' } });
    expect(byLabel.Bad.testedAs).toBeUndefined();
    expect(queues.at(-1)!.map((e) => `${e.label}:${e.state}`)).toEqual(['Cc:tested', 'Bad:skipped', 'Aa:tested']);
    expect(() => svc.setTestOrder(id, [a.url, bad.url, c.url])).toThrow(/No running commissioning job/);
  });

  it('a real camera waits for "I am at this camera"; cancel while it waits rolls it back', async () => {
    const a = await cam('Real');
    const before = a.state();
    const triggered: string[] = [];
    const svc = service(triggered, false);
    const lines: string[] = [];
    svc.events.on('step-changed', (p) => p.step.id === 'test-run' && p.step.detail && lines.push(p.step.detail));
    const id = await svc.start([target(a, 'Real')], profile, { testStart: 'technician', testTimeoutMs: 15_000 });
    const ready = await svc.events.next('test-queue-changed', (q) => q.operationId === id && q.entries[0].state === 'ready');
    expect(ready.entries[0]).toMatchObject({ needsTechnician: true, state: 'ready' });
    expect(lines).toContain('Its turn: go to this camera, then press "I\'m at this camera — start test".');
    expect(triggered).toEqual([]);
    expect(svc.cancel(id)).toBe(true);
    const job = await svc.wait(id);
    expect(job.results[0]).toMatchObject({ verdict: 'fail', error: { code: 'CANCELLED' }, rolledBack: true });
    expect(triggered).toEqual([]);
    expect(a.state()).toEqual(before);
  });

  it('startTest starts a real camera whose turn it is; dry runs have no test order', async () => {
    const a = await cam('Real2');
    const triggered: string[] = [];
    const svc = service(triggered, false);
    const id = await svc.start([target(a, 'Real2')], profile, { testStart: 'technician', testTimeoutMs: 15_000 });
    await svc.events.next('test-queue-changed', (q) => q.operationId === id && q.entries[0].state === 'ready');
    expect(svc.startTest(id, a.url)[0].state).toBe('testing');
    const job = await svc.wait(id);
    expect(job.results[0]).toMatchObject({ verdict: 'pass', testedAs: 1 });
    expect(triggered).toEqual(['Real2']);
    const dry = await svc.start([target(a, 'Real2')], profile, { dryRun: true });
    expect(() => svc.setTestOrder(dry, [a.url])).toThrow(/no test order|No running/);
    await svc.wait(dry);
  });
});
