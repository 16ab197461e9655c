import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CameraTarget, SiteProfileInput } from '../../../shared/domain/commissioning';
import { silentLogger } from '../common/logger';
import { startCamera, type SimCamera, type SimCameraOptions } from '../../simulator/index';
import { RelayService } from '../relay/index';
import { CommissioningService } from './commissioning-service';
import { EmbeddedTestRelay } from './test-relay';

// One relay for the file (127.0.0.1, free port); each practice camera sends to it via the simulator's smtpPort knob.
let dir: string;
let relay: RelayService;
let relayPort: number;
const cams: SimCamera[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-commissioning-'));
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

// No real DNS in tests: names resolve through this table only.
const names: Record<string, string[]> = { 'relay.site.lan': ['192.168.1.10'], 'mail.example.org': ['93.184.216.34'] };
const resolveHost = async (h: string) => {
  const a = names[h];
  if (!a) throw new Error(`ENOTFOUND ${h}`);
  return a;
};

async function cam(o: SimCameraOptions = {}): Promise<SimCamera> {
  const c = await startCamera({ address: '127.0.0.1', smtpPort: relayPort, resolver: async () => '127.0.0.1', ...o });
  cams.push(c);
  return c;
}

function service(o: { trigger?: 'sim' | 'none'; backupDir?: string } = {}): CommissioningService {
  return new CommissioningService({
    logger: silentLogger,
    backupDir: o.backupDir ?? join(dir, 'backups'),
    resolveHost,
    relay: new EmbeddedTestRelay(relay, { listenAddress: '127.0.0.1', port: relayPort }),
    triggerTest:
      o.trigger === 'none'
        ? async () => undefined
        : async ({ url }) => {
            const c = cams.find((x) => x.url === url)!;
            return c.trigger('camera-sabotage', { strength: 'partial' });
          },
  });
}

const profile: SiteProfileInput = { smtpServer: 'relay.site.lan', ntpServer: 'ntp.site.lan', to: 'alarms@site.lan', from: 'cam@site.lan', subject: 'Sabotage test' };
const target = (c: SimCamera, password = 'admin'): CameraTarget => ({ url: c.url, username: 'admin', password });

describe('CommissioningService against the simulator and the embedded relay', () => {
  it('runs the whole plan: e-mail received, sensitivity restored, final SMTP server set', async () => {
    const c = await cam();
    const steps: string[] = [];
    const svc = service();
    const off = svc.events.on('step-changed', (p) => steps.push(`${p.step.id}:${p.step.status}`));
    const job = await svc.run([target(c)], profile, { testTimeoutMs: 10_000 });
    off();
    const r = job.results[0];
    expect(r.error?.message).toBeUndefined();
    expect(r.verdict).toBe('pass');
    expect(r.steps.map((s) => [s.id, s.status])).toEqual([
      ['credentials', 'done'],
      ['smtp-ntp', 'done'],
      ['source', 'done'],
      ['handler', 'done'],
      ['sabotage', 'done'],
      ['test-run', 'done'],
      ['restore-sensitivity', 'done'],
      ['final-smtp', 'done'],
    ]);
    expect(steps[0]).toBe('credentials:running');
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.message).toMatchObject({ from: 'cam@site.lan', to: ['alarms@site.lan'], subject: 'Sabotage test', attachments: [expect.objectContaining({ contentType: 'image/jpeg' })] });
    expect(r.sensitivityRestoredTo).toBe(5);
    expect(r.camera).toMatchObject({ ip: '127.0.0.1', model: c.model, mac: c.mac.toUpperCase() });
    const st = c.state();
    expect(st.general).toMatchObject({ smtpServer: 'relay.site.lan', ntpServer: 'ntp.site.lan' });
    expect(st.analytics.behaviours['camera-sabotage']).toEqual({ active: true, sensitivity: 5 });
    expect(await readdir(join(dir, 'backups', c.mac.toUpperCase().replace(/:/g, '')))).toHaveLength(1);

    // Idempotent: a second run changes no source or handler.
    const again = (await service().run([target(c)], profile, { testTimeoutMs: 10_000 })).results[0];
    expect(again.verdict).toBe('pass');
    expect(again.steps.find((s) => s.id === 'source')?.status).toBe('unchanged');
    expect(again.steps.find((s) => s.id === 'handler')?.status).toBe('unchanged');
    expect(c.state().sources).toEqual(st.sources);
    expect(c.state().handlers).toEqual(st.handlers);

    // sarix rollback: back to the state before the second run (the newest backup).
    const rb = await service().rollback(target(c));
    expect(rb.verified).toBe(true);
  });

  it('a dry run lists the exact changes and changes nothing', async () => {
    const c = await cam();
    const before = c.state();
    const r = (await service().run([target(c)], { ...profile, sceneSensitivity: 7 }, { dryRun: true, testTimeoutMs: 10_000 }, undefined)).results[0];
    expect(r.verdict).toBe('planned');
    expect(r.steps.find((s) => s.id === 'smtp-ntp')?.changes).toEqual([
      { field: 'general.smtpServer', from: '', to: '127.0.0.1' },
      { field: 'general.ntpServer', from: '', to: 'ntp.site.lan' },
    ]);
    expect(r.steps.find((s) => s.id === 'sabotage')?.changes).toEqual([
      { field: 'Camera Sabotage.active', from: false, to: true },
      { field: 'Camera Sabotage.sensitivity', from: 5, to: 10 },
    ]);
    expect(r.steps.find((s) => s.id === 'restore-sensitivity')?.changes).toEqual([{ field: 'Camera Sabotage.sensitivity', from: 10, to: 7 }]);
    expect(r.steps.find((s) => s.id === 'final-smtp')?.changes).toEqual([{ field: 'general.smtpServer', from: '127.0.0.1', to: 'relay.site.lan' }]);
    expect(r.steps.find((s) => s.id === 'handler')?.changes.map((x) => x.field)).toContain('handler SabotageMail.to');
    expect(r.backupFile).toBeUndefined();
    expect(c.state()).toEqual(before);
  });

  it.each([
    ['the handler save', /^\/setup\/events\/handlers\/save$/, 'handler'],
    ['the sabotage save', /^\/setup\/events\/analytics\/behavior$/, 'sabotage'],
  ])('an HTTP 500 on %s rolls every applied step back: the camera state is identical', async (_what, path, failedStep) => {
    const c = await cam({ initialState: { general: { deviceName: 'Dock3', smtpServer: '10.9.9.9', ntpServer: 'old.ntp.lan', timeZone: 'Europe/Paris', nameOverlay: true, dateOverlay: true, overlayPosition: 'top-right' } } });
    const before = c.state();
    c.failNext(path, 1, 'POST');
    const r = (await service().run([target(c)], profile, { testTimeoutMs: 10_000 })).results[0];
    expect(r.verdict).toBe('fail');
    expect(r.error).toMatchObject({ code: 'CAMERA_ERROR', message: expect.stringMatching(/HTTP 500[\s\S]*undone/) });
    expect(r.steps.find((s) => s.id === failedStep)?.status).toBe('failed');
    expect(r.steps.find((s) => s.id === 'smtp-ntp')?.status).toBe('rolled-back');
    expect(r.rolledBack).toBe(true);
    expect(c.state()).toEqual(before);
  });

  it('no e-mail within the timeout: FAIL with likely causes, rolled back', async () => {
    const c = await cam();
    const before = c.state();
    const r = (await service({ trigger: 'none' }).run([target(c)], profile, { testTimeoutMs: 1000 })).results[0];
    expect(r.verdict).toBe('fail');
    expect(r.error?.code).toBe('TIMEOUT');
    expect(r.error?.message).toMatch(/no test e-mail from 127\.0\.0\.1 within 1 s[\s\S]*Likely causes/);
    expect(r.steps.find((s) => s.id === 'test-run')?.status).toBe('failed');
    expect(r.rolledBack).toBe(true);
    expect(c.state()).toEqual(before);
  });

  it('cancelling during the test run rolls the camera back', async () => {
    const c = await cam();
    const before = c.state();
    const svc = service({ trigger: 'none' });
    const waiting = svc.events.next('step-changed', (p) => p.step.id === 'test-run' && p.step.status === 'running' && p.step.detail !== undefined);
    const opId = await svc.start([target(c)], profile, { testTimeoutMs: 60_000 });
    await waiting;
    expect(svc.cancel(opId)).toBe(true);
    const job = await svc.wait(opId);
    expect(job.status).toBe('cancelled');
    expect(job.results[0]).toMatchObject({ verdict: 'fail', rolledBack: true, error: { code: 'CANCELLED' } });
    expect(c.state()).toEqual(before);
    expect(svc.getState().operations.find((o) => o.operationId === opId)?.status).toBe('cancelled');
  });

  it('refuses a public SMTP server before touching any camera', async () => {
    const c = await cam();
    await expect(service().run([target(c)], { ...profile, smtpServer: 'smtp.gmail.com' })).rejects.toMatchObject({ code: 'PUBLIC_SMTP_HOST', message: expect.stringMatching(/LOCAL network SMTP server/), key: 'smtpHost.publicProvider' });
    await expect(service().run([target(c)], { ...profile, smtpServer: 'mail.example.org' })).rejects.toMatchObject({ code: 'PUBLIC_SMTP_HOST', message: expect.stringMatching(/93\.184\.216\.34/) });
    await expect(service().run([target(c)], { ...profile, to: 'not an address' })).rejects.toMatchObject({ code: 'VALIDATION' });
  });

  it('a batch goes on when some cameras fail (wrong password, 20 handlers already), and each failure leaves its camera as it was', async () => {
    const good1 = await cam();
    const badPass = await cam();
    const full = await cam({ prefillHandlers: 20 });
    const good2 = await cam({ formVariant: 'alt' });
    const fullBefore = full.state();
    const badBefore = badPass.state();
    const job = await service().run([target(good1), target(badPass, 'wrong'), target(full), target(good2)], profile, { concurrency: 2, testTimeoutMs: 10_000 });
    expect(job.results.map((r) => r.verdict)).toEqual(['pass', 'fail', 'fail', 'pass']);
    expect(job.results[1].error?.code).toBe('AUTH_FAILED');
    expect(job.results[2].error).toMatchObject({ code: 'HANDLER_LIMIT', message: expect.stringMatching(/20 of 20 handlers used/) });
    expect(job.results[2].steps.find((s) => s.id === 'handler')?.status).toBe('failed');
    expect(full.state()).toEqual(fullBefore);
    expect(badPass.state()).toEqual(badBefore);
    expect(job).toMatchObject({ passed: 2, failed: 2 });
  });
});
