import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { localizeError } from '../../shared/i18n/messages';
import { isAppFailure } from '../../shared/ipc/result';
import { practiceOff } from './practice';
import { createTestHost, type TestHost } from './test-host';

describe('practice mode through createServices', () => {
  let host: TestHost | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await host?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts a batch of practice cameras on 127.0.0.1 and the relay; triggers only its own cameras; stops the relay it started', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-practice-'));
    host = await createTestHost({ userDataPath: dir }, { practice: { count: 3, relayPort: 0 } });
    const state = await host.call('practice:get-state');
    expect(state).toMatchObject({ ok: true, value: { status: 'running', relay: { address: '127.0.0.1' }, smtpServer: '127.0.0.1' } });
    const cams = (state as { value: { cameras: Array<{ url: string; name: string; mac: string; ip: string }> } }).value.cameras;
    expect(cams.map((c) => c.name)).toEqual(['PracticeCam1', 'PracticeCam2', 'PracticeCam3']);
    expect(new Set(cams.map((c) => c.url)).size).toBe(3);
    expect(new Set(cams.map((c) => c.mac)).size).toBe(3);
    expect(cams.every((c) => c.ip === '127.0.0.1')).toBe(true);
    expect(host.services.relay.getState().status).toBe('listening');
    // Camera Sabotage is off on a fresh camera, so a trigger is not detected (and says why); a foreign camera is not ours.
    expect(await host.services.practice.trigger(cams[1].url)).toMatchObject({ detected: false, reason: expect.any(String) });
    expect(await host.services.practice.trigger('http://127.0.0.1:1')).toBeUndefined();
    await host.services.practice.stop();
    expect(host.services.practice.state().status).toBe('off');
    expect(host.services.relay.getState().status).toBe('stopped');
  });
});

describe('practice mode off', () => {
  it('says so in the technician\'s language', async () => {
    const e = await practiceOff.addCameras(1).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(isAppFailure(e)).toBe(true);
    if (!isAppFailure(e)) return;
    expect(e.message).toBe('Practice mode is off: switch it on in Settings > Practice mode, then restart the app to get practice cameras.');
    expect(localizeError('de', e)).toBe('Der Übungsmodus ist aus: Schalten Sie ihn unter Einstellungen > Übungsmodus ein und starten Sie die App dann neu, um Übungskameras zu bekommen.');
  });
});
