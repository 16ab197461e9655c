import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CameraResult } from '../../../shared/domain/commissioning';
import type { TestRunFinished } from '../../../shared/domain/commissioning-job';
import type { SessionView } from '../../../shared/domain/commissioning-session';
import { createSarixWebDriver } from '../camera/driver';
import { silentLogger } from '../common/logger';
import { RelayService } from '../relay/index';
import { startCamera, type SimCamera } from '../../simulator/index';
import { BackupStore } from './backup-store';
import { CommissioningSessions } from './session-service';
import { EmbeddedTestRelay } from './test-relay';

// One relay (127.0.0.1, free port) and simulated cameras on loopback that send to it through the simulator's smtpPort knob.
let dir: string;
let relay: RelayService;
let relayPort: number;
const cams: SimCamera[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sarix-session-'));
  relay = new RelayService({ dataDir: join(dir, 'relay'), logger: silentLogger });
  relayPort = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'] })).port;
});
afterEach(async () => {
  await Promise.all(cams.splice(0).map((c) => c.stop()));
  if (relay.getState().status !== 'listening') await relay.start({ listenAddress: '127.0.0.1', port: relayPort, allow: ['127.0.0.0/8'] });
  relay.setAllowList(['127.0.0.0/8']);
});
afterAll(async () => {
  await relay.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function cam(): Promise<SimCamera> {
  const c = await startCamera({ address: '127.0.0.1', smtpPort: relayPort, resolver: async () => '127.0.0.1' });
  cams.push(c);
  return c;
}

function sessions(o: { isPractice?: boolean } = {}): CommissioningSessions {
  return new CommissioningSessions({
    driverFactory: (t) => createSarixWebDriver({ url: t.url, username: t.username, password: t.password, logger: silentLogger }),
    backups: new BackupStore(join(dir, 'backups')),
    resolveHost: async (h) => {
      throw new Error(`no DNS in tests (${h})`);
    },
    relay: new EmbeddedTestRelay(relay, { listenAddress: '127.0.0.1', port: relayPort }),
    preflight: { relayState: () => relay.getState(), savedRelay: () => null, localAddresses: () => [], queryNtp: async () => ({ offsetMs: 12, stratum: 2 }) },
    triggerTest: async ({ url, behaviour }) => cams.find((c) => c.url === url)!.trigger(behaviour ?? 'camera-sabotage', { strength: 'partial' }),
    isPracticeCamera: () => o.isPractice ?? true,
    logger: silentLogger,
  });
}

const profile = { smtpServer: '127.0.0.1', ntpServer: '127.0.0.1', to: 'alarms@site.lan', from: 'cam@site.lan', subject: 'Session test' };
const target = (c: SimCamera, password = 'admin') => ({ url: c.url, username: 'admin', password });

async function until(svc: CommissioningSessions, id: string, ok: (v: SessionView) => boolean): Promise<SessionView> {
  for (;;) {
    const v = svc.view(id);
    if (ok(v)) return v;
    await new Promise<void>((r) => {
      const off = svc.events.on('session-changed', (x) => x.id === id && (off(), r()));
    });
  }
}

describe('commissioning session (step by step)', () => {
  it('opens by reading only, previews each step, applies in order, tests, and ends at the chosen sensitivity', async () => {
    const c = await cam();
    const before = structuredClone(c.state());
    const svc = sessions();
    const outcomes: CameraResult[] = [];
    svc.events.on('camera-finished', ({ result }) => outcomes.push(result));
    const v0 = await svc.open(target(c), profile);
    expect(v0.hasChanges).toBe(false);
    expect(c.state()).toEqual(before);
    expect(v0.behaviours).toContain('Camera Sabotage');
    expect(v0.steps.map((s) => s.id)).toEqual(['smtp-ntp', 'source', 'handler', 'behaviour']);
    expect(v0.steps[3].changes).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'Camera Sabotage.sensitivity', to: 10 })]));
    // No change before the pre-flight passed.
    await expect(svc.applyStep(v0.id, 'smtp-ntp')).rejects.toMatchObject({ code: 'PREFLIGHT' });
    // Names are checked and editable until their step runs.
    expect(() => svc.update(v0.id, { sourceName: 'Bad name' })).toThrow(/letters and digits/);
    svc.update(v0.id, { sourceName: 'Lens1', handlerName: 'MailLens1' });
    const pre = await svc.preflight(v0.id);
    expect(pre.isReady).toBe(true);
    expect(pre.checks.find((x) => x.id === 'ntp-answers')?.verdict).toBe('pass');
    await expect(svc.applyStep(v0.id, 'source')).rejects.toMatchObject({ code: 'CONFLICT' });
    for (const step of ['smtp-ntp', 'source', 'handler', 'behaviour'] as const) await svc.applyStep(v0.id, step);
    const applied = svc.view(v0.id);
    expect(applied.steps.map((s) => s.status)).toEqual(['done', 'done', 'done', 'done']);
    expect(applied.backupFile).toBeTruthy();
    expect(() => svc.update(v0.id, { sourceName: 'Other1' })).toThrow(/already applied/);
    await svc.startTest(v0.id);
    const passed = await until(svc, v0.id, (v) => v.test.status !== 'waiting');
    expect(passed.test.status).toBe('passed');
    expect(passed.test.events.map((e) => e.kind)).toEqual(expect.arrayContaining(['triggered', 'connected', 'message']));
    expect(passed.test.mail?.attachments.some((a) => a.contentType === 'image/jpeg')).toBe(true);
    // The safe end: 11 refused (never clamped), 10 needs a confirmation and is recorded as a warning.
    await expect(svc.finish(v0.id, 11, false)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/1 .*to 10.*nothing is rounded or clamped/) });
    expect(c.state().analytics.behaviours['camera-sabotage'].sensitivity).toBe(10);
    await expect(svc.finish(v0.id, 10, false)).rejects.toMatchObject({ code: 'CONFIRMATION_NEEDED' });
    await svc.finish(v0.id, 4, false);
    const done = svc.view(v0.id);
    expect(done.phase).toBe('finished');
    expect(done.result).toMatchObject({ verdict: 'pass', endState: 'commissioned', sensitivityRestoredTo: 4 });
    expect(c.state().analytics.behaviours['camera-sabotage'].sensitivity).toBe(4);
    expect(c.state().sources.map((s) => s.name)).toContain('Lens1');
    // The outcome is told once, like a job's camera, with what the hand-over report needs as evidence.
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]).toMatchObject({ verdict: 'pass', applied: { sourceName: 'Lens1', handlerName: 'MailLens1', to: 'alarms@site.lan' } });
    expect(outcomes[0].message).toMatchObject({ relayId: passed.test.mail!.id, messageId: expect.stringMatching(/@/), sessionId: expect.any(String) });
    expect(outcomes[0].testEventAt).toEqual(expect.any(String));
    // Roll back after the end restores the camera exactly (and is told again).
    await svc.rollBack(v0.id);
    const back = svc.view(v0.id);
    expect(back.result).toMatchObject({ endState: 'restored', rolledBack: true });
    expect(c.state()).toEqual(before);
    expect(outcomes.map((r) => r.endState)).toEqual(['commissioned', 'restored']);
  });

  it('a wrong password fails the open and says nothing was changed', async () => {
    const c = await cam();
    await expect(sessions().open(target(c, 'wrong'), profile)).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/Nothing was changed on the camera\.$/) });
  });

  it('with the relay stopped the pre-flight offers to start it and nothing starts it unasked', async () => {
    const c = await cam();
    const svc = sessions();
    const v = await svc.open(target(c), profile);
    await relay.stop();
    const pre = await svc.preflight(v.id);
    expect(pre.isReady).toBe(false);
    const running = pre.checks.find((x) => x.id === 'relay-running')!;
    expect(running).toMatchObject({ verdict: 'fail', fix: { kind: 'start-relay', listenAddress: '127.0.0.1' } });
    await expect(svc.applyStep(v.id, 'smtp-ntp')).rejects.toMatchObject({ code: 'PREFLIGHT' });
    expect(relay.getState().status).toBe('stopped');
  });

  it('a camera off the allow-list is offered "Allow"; a refusal during the test ends it early with that cause, and roll back restores', async () => {
    const c = await cam();
    const before = structuredClone(c.state());
    const svc = sessions();
    const v = await svc.open(target(c), profile);
    relay.setAllowList(['10.0.0.0/8']);
    const pre = await svc.preflight(v.id);
    expect(pre.checks.find((x) => x.id === 'relay-allows')).toMatchObject({ verdict: 'fail', fix: { kind: 'allow-client', entry: '127.0.0.1', label: 'Allow 127.0.0.1' } });
    relay.setAllowList(['127.0.0.0/8']);
    expect((await svc.preflight(v.id)).isReady).toBe(true);
    for (const step of ['smtp-ntp', 'source', 'handler', 'behaviour'] as const) await svc.applyStep(v.id, step);
    relay.setAllowList(['10.0.0.0/8']);
    await svc.startTest(v.id, 60_000);
    const failed = await until(svc, v.id, (x) => x.test.status !== 'waiting');
    expect(failed.test.status).toBe('failed');
    expect(failed.test.causes[0]).toMatchObject({ kind: 'refused' });
    expect(failed.test.events.some((e) => e.kind === 'refused')).toBe(true);
    await svc.rollBack(v.id);
    expect(svc.view(v.id).result).toMatchObject({ endState: 'restored' });
    expect(c.state()).toEqual(before);
  });

  it('tells every test run as it ends, a "Try again" included: the failed one with its cause, the passed one with its evidence', async () => {
    const c = await cam();
    const svc = sessions();
    const runs: TestRunFinished[] = [];
    svc.events.on('test-finished', (r) => runs.push(r));
    const v = await svc.open({ ...target(c), name: 'Gate' }, profile);
    expect((await svc.preflight(v.id)).isReady).toBe(true);
    for (const step of ['smtp-ntp', 'source', 'handler', 'behaviour'] as const) await svc.applyStep(v.id, step);
    relay.setAllowList(['10.0.0.0/8']);
    await svc.startTest(v.id, 60_000);
    await until(svc, v.id, (x) => x.test.status !== 'waiting');
    relay.setAllowList(['127.0.0.0/8']);
    await svc.startTest(v.id, 60_000);
    const passed = await until(svc, v.id, (x) => x.test.status !== 'waiting');
    expect(passed.test.status).toBe('passed');
    // Later changes of the session (the safe end) do not tell a run again.
    await svc.finish(v.id, 4, false);
    expect(runs).toHaveLength(2);
    expect(runs[0]).toMatchObject({ operationId: v.id, origin: 'wizard', url: c.url, label: 'Gate', attempt: 1, status: 'failed', cause: expect.stringMatching(/127\.0\.0\.1/) });
    expect(runs[0].message).toBeUndefined();
    expect(runs[1]).toMatchObject({
      attempt: 2,
      status: 'passed',
      camera: { mac: v.camera.mac, ip: '127.0.0.1' },
      latencyMs: passed.test.latencyMs,
      message: { relayId: passed.test.mail!.id, messageId: expect.stringMatching(/@/), sessionId: expect.any(String), subject: 'Session test' },
    });
    expect(Date.parse(runs[1].endedAt)).toBeGreaterThanOrEqual(Date.parse(runs[1].startedAt));
    await svc.rollBack(v.id);
  });

  it('aborting before any change says nothing was changed', async () => {
    const c = await cam();
    const svc = sessions();
    const v = await svc.open(target(c), profile);
    await svc.rollBack(v.id);
    expect(svc.view(v.id).result).toMatchObject({ endState: 'unchanged', error: { message: expect.stringMatching(/Nothing was changed on the camera/) } });
  });
});
