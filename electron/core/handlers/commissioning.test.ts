import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCamera, type SimCamera } from '../../simulator/index';
import { CommissioningService } from '../../services/commissioning/index';
import { dispatch } from '../dispatch';
import { EventHub } from '../event-hub';
import { silentLogger } from '../logger';
import { createCommissioningHandlers } from './commissioning';

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
    const hub = new EventHub();
    const svc = new CommissioningService({ events: hub, logger: silentLogger, backupDir: join(dir, 'backups'), resolveHost: async () => [] });
    const handlers = createCommissioningHandlers(svc);
    const seen: string[] = [];
    hub.subscribe((n, p) => seen.push(n + ' ' + JSON.stringify(p)));
    const started = await dispatch(handlers, 'commissioning:start', {
      targets: [{ url: cam.url, username: 'admin', password: 'Secr3tPw' }],
      profile: { smtpServer: '192.168.1.10', ntpServer: '192.168.1.1', to: 'a@site.lan', from: 'b@site.lan' },
      options: { testMode: 'skip' },
    }, { caller: 'test' });
    expect(started.ok).toBe(true);
    const operationId = (started as { value: { operationId: string } }).value.operationId;
    const job = await svc.wait(operationId);
    expect(job.results[0].verdict).toBe('pass');
    const state = await dispatch(handlers, 'commissioning:get-state', {}, { caller: 'test' });
    expect(state.ok).toBe(true);
    expect(JSON.stringify(state)).not.toContain('Secr3tPw');
    expect(seen.join('\n')).not.toContain('Secr3tPw');
    expect(seen.some((l) => l.startsWith('commissioning:finished'))).toBe(true);
    const rb = await dispatch(handlers, 'commissioning:rollback', { target: { url: cam.url, username: 'admin', password: 'Secr3tPw' } }, { caller: 'test' });
    expect(rb).toMatchObject({ ok: true, value: { verified: true } });
  });

  it('refusals come back as coded results', async () => {
    const svc = new CommissioningService({ events: new EventHub(), logger: silentLogger, backupDir: join(dir, 'b2'), resolveHost: async () => [] });
    const handlers = createCommissioningHandlers(svc);
    const profile = { smtpServer: 'smtp.gmail.com', ntpServer: '192.168.1.1', to: 'a@site.lan', from: 'b@site.lan' };
    expect(await dispatch(handlers, 'commissioning:start', { targets: [{ url: cam.url, username: 'admin', password: 'x' }], profile }, { caller: 'test' })).toMatchObject({ ok: false, error: { code: 'PUBLIC_SMTP_HOST' } });
    expect(await dispatch(handlers, 'commissioning:start', { targets: [], profile }, { caller: 'test' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await dispatch(handlers, 'commissioning:cancel', { operationId: 'nope' }, { caller: 'test' })).toMatchObject({ ok: true, value: { isCancelled: false } });
  });
});
