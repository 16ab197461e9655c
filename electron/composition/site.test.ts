import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { PracticeState } from '../../shared/domain/practice';
import type { TestQueueEntry } from '../../shared/domain/test-queue';
import { MemorySettingsStore } from '../services/common/settings-store';
import { createTestHost, type TestHost } from './test-host';

// The whole site through the contract, as the Site page drives it: more practice cameras, one batch job with a
// changed test order, the live test queue as contract events, and the doctor's word on a camera left at 10.
describe('whole site through the contract', () => {
  let host: TestHost | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await host?.dispose();
    host = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Settings > practice cameras sets how many start; practice:add-cameras adds more, numbered on', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-site-'));
    const settings = new MemorySettingsStore();
    settings.update({ practiceCameraCount: 2 });
    host = await createTestHost({ userDataPath: dir, settings }, { practice: true });
    expect(host.services.practice.state().cameras?.map((c) => c.name)).toEqual(['PracticeCam1', 'PracticeCam2']);
    const added = await host.call('practice:add-cameras', { count: 2 });
    expect(added.ok).toBe(true);
    const cams = (added as { value: PracticeState }).value.cameras!;
    expect(cams.map((c) => c.name)).toEqual(['PracticeCam1', 'PracticeCam2', 'PracticeCam3', 'PracticeCam4']);
    expect(new Set(cams.map((c) => c.mac)).size).toBe(4);
    expect(host.services.practice.isPracticeCamera(cams[3].url)).toBe(true);
    expect(await host.call('practice:add-cameras', { count: 0 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('practice:add-cameras says what to do when practice mode is off', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-site-'));
    host = await createTestHost({ userDataPath: dir });
    expect(await host.call('practice:add-cameras', { count: 1 })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringMatching(/Settings > Practice mode/) } });
  });

  it('a batch of 3 practice cameras in a changed order: the queue events follow it, every camera passes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-site-'));
    host = await createTestHost({ userDataPath: dir }, { practice: { count: 3, relayPort: 0 } });
    const practice = host.services.practice.state();
    const urls = practice.cameras!.map((c) => c.url);
    const queues: TestQueueEntry[][] = [];
    host.hub.subscribe((name, p) => name === 'commissioning:test-queue-changed' && queues.push((p as { entries: TestQueueEntry[] }).entries));
    const order = [urls[2], urls[0], urls[1]];
    const started = await host.call('commissioning:start', {
      targets: order.map((url, i) => ({ url, username: 'admin', password: 'admin', name: `Cam${i}` })),
      profile: { smtpServer: practice.smtpServer, ntpServer: '127.0.0.1', to: 'tech@site.example', from: 'cams@site.example', sceneSensitivity: 4 },
      // Practice cameras trigger themselves: 'technician' makes no practice camera wait.
      options: { testStart: 'technician', concurrency: 3, testTimeoutMs: 20_000 },
    });
    expect(started.ok).toBe(true);
    const id = (started as { value: { operationId: string } }).value.operationId;
    // The order changes while the job runs: the last camera goes first.
    const reordered = await host.call('commissioning:set-test-order', { operationId: id, urls: [order[2], order[0], order[1]] });
    expect(reordered).toMatchObject({ ok: true, value: { entries: [{ url: order[2] }, { url: order[0] }, { url: order[1] }] } });
    expect(await host.call('commissioning:set-test-order', { operationId: id, urls: [order[0]] })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const job = await host.services.commissioning.wait(id);
    expect(job.results.map((r) => r.verdict)).toEqual(['pass', 'pass', 'pass']);
    const tested = Object.fromEntries(job.results.map((r) => [r.url, r.testedAs]));
    expect([tested[order[2]], tested[order[0]], tested[order[1]]]).toEqual([1, 2, 3]);
    expect(queues.at(-1)!.every((e) => e.state === 'tested' && e.needsTechnician === false)).toBe(true);
    const state = await host.call('commissioning:get-state');
    expect(state).toMatchObject({ ok: true, value: { operations: [{ operationId: id, testQueue: expect.any(Array) }] } });
    expect(await host.call('commissioning:start-test', { operationId: id, url: order[0] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('Troubleshoot after commissioning: a camera left at sensitivity 10 is a warning with the fix, 4 is a pass', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-site-'));
    host = await createTestHost({ userDataPath: dir, resolveHost: async (h) => (/^127\.\d+\.\d+\.\d+$/.test(h) ? [h] : h === 'localhost' ? ['127.0.0.1'] : []) }, { practice: { count: 2, relayPort: 0 } });
    const practice = host.services.practice.state();
    const [ten, four] = practice.cameras!;
    for (const [cam, sceneSensitivity] of [
      [ten, 10],
      [four, 4],
    ] as const) {
      const job = await host.services.commissioning.run([{ url: cam.url, username: 'admin', password: 'admin' }], { smtpServer: practice.smtpServer!, ntpServer: '127.0.0.1', to: 'tech@site.example', from: 'cams@site.example', sceneSensitivity }, { testTimeoutMs: 20_000 });
      expect(job.results[0]).toMatchObject({ verdict: 'pass', sensitivityRestoredTo: sceneSensitivity });
    }
    const check = async (url: string) => {
      const r = await host!.services.doctor.run({ camera: { url, username: 'admin', password: 'admin' }, sendTest: false });
      return r.checks.find((c) => c.id === 'camera-sabotage')!;
    };
    expect(await check(ten.url)).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/stays at sensitivity 10/), fix: expect.stringMatching(/^Set the scene sensitivity/) });
    expect(await check(four.url)).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/sensitivity 4/) });
  });
});
