import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCamera, type SimCamera } from '../simulator/index';
import { createTestHost } from './test-host';

let dir: string;
let cam: SimCamera;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-commissioning-handlers-'));
  cam = await startCamera({ address: '127.0.0.1', password: 'Secr3tPw' });
});
afterAll(async () => {
  await cam.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('commissioning:* handlers through the dispatcher', () => {
  it('start → events → get-state; the camera password never comes back', async () => {
    const host = await createTestHost({ userDataPath: join(dir, 'h1'), resolveHost: async () => [] });
    const svc = host.services.commissioning;
    const seen: string[] = [];
    host.hub.subscribe((n, p) => seen.push(n + ' ' + JSON.stringify(p)));
    const started = await host.call('commissioning:start', {
      targets: [{ url: cam.url, username: 'admin', password: 'Secr3tPw' }],
      profile: { smtpServer: '192.168.1.10', ntpServer: '192.168.1.1', to: 'a@site.lan', from: 'b@site.lan' },
      options: { testMode: 'skip' },
    });
    expect(started.ok).toBe(true);
    const operationId = (started as { value: { operationId: string } }).value.operationId;
    const job = await svc.wait(operationId);
    expect(job.results[0].verdict).toBe('pass');
    const state = await host.call('commissioning:get-state', {});
    expect(state.ok).toBe(true);
    expect(JSON.stringify(state)).not.toContain('Secr3tPw');
    expect(seen.join('\n')).not.toContain('Secr3tPw');
    expect(seen.some((l) => l.startsWith('commissioning:finished'))).toBe(true);
    const rb = await host.call('commissioning:rollback', { target: { url: cam.url, username: 'admin', password: 'Secr3tPw' } });
    expect(rb).toMatchObject({ ok: true, value: { verified: true } });
    await host.dispose();
  });

  it('refusals come back as coded results', async () => {
    const host = await createTestHost({ userDataPath: join(dir, 'h2'), resolveHost: async () => [] });
    const profile = { smtpServer: 'smtp.gmail.com', ntpServer: '192.168.1.1', to: 'a@site.lan', from: 'b@site.lan' };
    expect(await host.call('commissioning:start', { targets: [{ url: cam.url, username: 'admin', password: 'x' }], profile })).toMatchObject({ ok: false, error: { code: 'PUBLIC_SMTP_HOST' } });
    expect(await host.call('commissioning:start', { targets: [], profile })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await host.call('commissioning:cancel', { operationId: 'nope' })).toMatchObject({ ok: true, value: { isCancelled: false } });
    await host.dispose();
  });
});
