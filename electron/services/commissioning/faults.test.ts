/**
 * A camera that refuses, drops the connection or hangs in the middle of the plan or of the undo ends exactly as
 * it began, and the result says truthfully how it was left (decided by reading it back).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SiteProfileInput } from '../../../shared/domain/commissioning';
import { silentLogger } from '../common/logger';
import { BEHAVIOUR_IDS, startCamera, type SimCamera, type SimCameraOptions, type SimState } from '../../simulator/index';
import { makeVariant } from '../../simulator/variants/spec';
import { RelayService } from '../relay/index';
import { CommissioningService } from './commissioning-service';
import { EmbeddedTestRelay } from './test-relay';

let dir: string;
let relay: RelayService;
let relayPort: number;
const cams: SimCamera[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-faults-'));
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

async function cam(o: SimCameraOptions = {}): Promise<SimCamera> {
  const c = await startCamera({ address: '127.0.0.1', smtpPort: relayPort, resolver: async () => '127.0.0.1', ...o });
  cams.push(c);
  return c;
}

function service(o: { trigger?: boolean; timeoutMs?: number } = {}): CommissioningService {
  return new CommissioningService({
    logger: silentLogger,
    backupDir: join(dir, 'backups'),
    resolveHost: async () => ['192.168.1.10'],
    cameraTimeoutMs: o.timeoutMs ?? 3000,
    relay: new EmbeddedTestRelay(relay, { listenAddress: '127.0.0.1', port: relayPort }),
    triggerTest: o.trigger ? async ({ url }) => cams.find((c) => c.url === url)!.trigger('camera-sabotage', { strength: 'partial' }) : async () => undefined,
  });
}

const profile: SiteProfileInput = { smtpServer: 'relay.site.lan', ntpServer: 'ntp.site.lan', to: 'alarms@site.lan', from: 'cam@site.lan', subject: 'Fault test' };
const target = (c: SimCamera, password = 'admin') => ({ url: c.url, username: 'admin', password });
const lived = { general: { deviceName: 'Dock3', smtpServer: '10.9.9.9', ntpServer: 'old.ntp.lan', timeZone: 'Europe/Paris', nameOverlay: true, dateOverlay: true, overlayPosition: 'top-right' as const } };

describe('truthful outcomes', () => {
  it('a wrong password changes nothing and says so', async () => {
    const c = await cam();
    const before = c.state();
    const r = (await service().run([target(c, 'wrong')], profile, { testMode: 'skip' })).results[0];
    expect(r).toMatchObject({ verdict: 'fail', rolledBack: false, endState: 'unchanged', error: { code: 'AUTH_FAILED', message: expect.stringMatching(/Nothing was changed on the camera\.$/) } });
    expect(r.error!.message).not.toMatch(/rolled back|undo/i);
    expect(c.state()).toEqual(before);
  });

  it.each([0, 11, 5.5])('scene sensitivity %s is refused before any camera is touched (never clamped)', async (n) => {
    const c = await cam();
    const before = c.state();
    await expect(service().run([target(c)], { ...profile, sceneSensitivity: n })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/Scene sensitivity must be a whole number from 1 .* to 10/) });
    expect(c.state()).toEqual(before);
  });
});

describe('faults in the middle of the plan', () => {
  it.each([
    ['drops the connection on the handler save', (c: SimCamera) => c.dropNext(/^\/setup\/events\/handlers\/save$/, 1, 'POST'), 'CAMERA_UNREACHABLE'],
    ['hangs on the Camera Sabotage save', (c: SimCamera) => c.stallNext(/^\/setup\/events\/analytics\/behavior$/, 1, 'POST'), 'CAMERA_UNREACHABLE'],
    ['answers 500 on the source save', (c: SimCamera) => c.failNext(/^\/setup\/events\/sources\/save$/, 1, 'POST'), 'CAMERA_ERROR'],
  ])('a camera that %s ends exactly as it began', async (_what, fault, code) => {
    const c = await cam({ initialState: lived });
    const before = c.state();
    fault(c);
    const r = (await service({ timeoutMs: 1500 }).run([target(c)], profile, { testMode: 'skip' })).results[0];
    expect(r).toMatchObject({ verdict: 'fail', rolledBack: true, endState: 'restored', error: { code, message: expect.stringMatching(/undone; the camera reads back exactly as before/) } });
    expect(c.state()).toEqual(before);
  });

  it.each(['div-alert', 'p-msg-err', 'bootstrap', 'font-red', 'page-200', 409] as const)('hears a refusal shown as %s and reports the camera’s own words', async (style) => {
    let seed = 1;
    while (makeVariant(seed).error !== style) seed++;
    // Three behaviours already active: the camera refuses a fourth ("not enough processing power").
    const behaviours = Object.fromEntries(BEHAVIOUR_IDS.map((id) => [id, { active: ['adaptive-motion', 'object-counting', 'loitering-detection'].includes(id), sensitivity: 5 }])) as SimState['analytics']['behaviours'];
    const c2 = await cam({ variant: seed, initialState: { ...lived, analytics: { profile: { sceneType: 'indoor', background: 'still', fineTuning: 'normal', sensitivity: 5 }, behaviours } } });
    const before = c2.state();
    const r = (await service().run([target(c2)], profile, { testMode: 'skip' })).results[0];
    expect(r.error?.message, `seed ${seed}`).toMatch(/The camera does not have enough processing power to activate this behavior/);
    expect(r, `seed ${seed}`).toMatchObject({ verdict: 'fail', endState: 'restored', rolledBack: true });
    expect(c2.state()).toEqual(before);
    expect(c2.droppedFields()).toEqual([]);
  });
});

describe('faults in the middle of the undo', () => {
  it.each([
    ['drops the connection', (c: SimCamera) => c.dropNext(/^\/setup\/system\/general$/, 1, 'POST')],
    ['hangs', (c: SimCamera) => c.stallNext(/^\/setup\/system\/general$/, 1, 'POST')],
    ['answers 500', (c: SimCamera) => c.failNext(/^\/setup\/system\/general$/, 1, 'POST')],
  ])('an undo whose first attempt %s is retried on a fresh connection and session: exact', async (_what, fault) => {
    const c = await cam({ initialState: lived });
    const before = c.state();
    c.failNext(/^\/setup\/events\/handlers\/save$/, 1, 'POST');
    // The undo of the SMTP/NTP step meets the fault once (after the plan failed on the handler).
    const svc = service({ timeoutMs: 1500 });
    const off = svc.events.on('step-changed', (p) => {
      if (p.step.id === 'handler' && p.step.status === 'failed') fault(c);
    });
    const r = (await svc.run([target(c)], profile, { testMode: 'skip' })).results[0];
    off();
    expect(r).toMatchObject({ verdict: 'fail', rolledBack: true, endState: 'restored' });
    expect(c.state()).toEqual(before);
  });

  it('an undo after a long test wait on a dead keep-alive connection retries fresh and restores the camera', async () => {
    const c = await cam({ initialState: lived });
    const before = c.state();
    // While the test waits for an e-mail that never comes, every open connection goes dead without closing.
    const svc = service({ timeoutMs: 1000 });
    const off = svc.events.on('step-changed', ({ step }) => {
      if (step.id === 'test-run' && step.status === 'running' && step.detail) c.stallOpenConnections();
    });
    const r = (await svc.run([target(c)], profile, { testTimeoutMs: 1000 })).results[0];
    off();
    expect(r).toMatchObject({ verdict: 'fail', error: { code: 'TIMEOUT' }, rolledBack: true, endState: 'restored' });
    expect(c.state()).toEqual(before);
  });

  it('an undo that cannot be verified names the field that differs and what it reads now', async () => {
    const c = await cam({ initialState: lived });
    const before = c.state();
    const svc = service();
    const off = svc.events.on('step-changed', ({ step }) => {
      if (step.id === 'test-run' && step.status === 'running' && step.detail) c.failNext(/^\/setup\/events\/analytics\/behavior$/, 20, 'POST');
    });
    const r = (await svc.run([target(c)], profile, { testTimeoutMs: 1000 })).results[0];
    off();
    expect(r).toMatchObject({ verdict: 'fail', rolledBack: false, endState: 'differs' });
    expect(r.error?.message).toMatch(/Undoing the changes did not complete \(.*behaviour "Camera Sabotage": "Activate Behavior" \([^)]+\) reads ticked; the backup has not ticked/);
    expect(r.error?.message).toMatch(/behaviour "Camera Sabotage": "Sensitivity" \([^)]+\) reads "10"; the backup has "5"/);
    expect(r.error?.message).toMatch(/sarix rollback --camera/);
    expect(c.state().analytics.behaviours['camera-sabotage']).toEqual({ active: true, sensitivity: 10 });
    expect(c.state().general).toEqual(before.general);
  });
});
