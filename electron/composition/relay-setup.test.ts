import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBox, forwardOptions } from '../services/relay/relay-setup-fixtures';
import { createTestHost, type TestHost } from './test-host';

describe('relay profile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-relay-profile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('through the app core', () => {
    let core: TestHost | undefined;
    afterEach(async () => core?.dispose());
    // A web host: the app hosts bring the saved relay back at start (the CLI does not).
    const boot = () => createTestHost({ hostKind: 'web', userDataPath: dir, secrets: fakeBox });

    it('a relay started from the UI comes back after a restart with its forwarding, and stays off once stopped', async () => {
      core = await boot();
      const started = await core.call('relay:start', { options: forwardOptions() });
      expect(started).toMatchObject({ ok: true, value: { status: 'listening', forward: { hasPassword: true } } });
      await core.dispose();

      core = await boot();
      expect(core.services.relay.getState()).toMatchObject({ status: 'listening', listenAddress: '127.0.0.1', allow: ['127.0.0.1'], forward: { host: '127.0.0.1', user: 'site@example.com', hasPassword: true } });
      expect(await core.call('relay:stop', {})).toMatchObject({ ok: true, value: { status: 'stopped' } });
      await core.dispose();

      core = await boot();
      expect(core.services.relay.getState().status).toBe('stopped');
    });
  });
});

describe('relay profile: the saved password is reused, never shown', () => {
  let dir: string;
  let core: TestHost | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-relay-profile-'));
  });
  afterEach(async () => {
    await core?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('relay:get-saved-setup tells that a password is saved without sending it; a start without one reuses it for the same login only', async () => {
    core = await createTestHost({ hostKind: 'web', userDataPath: dir, secrets: fakeBox });
    await core.call('relay:start', { options: forwardOptions() });
    await core.call('relay:stop', {});
    const saved = await core.call('relay:get-saved-setup', {});
    expect(saved).toMatchObject({ ok: true, value: { setup: { listenAddress: '127.0.0.1', autoStart: false, forward: { user: 'site@example.com', hasPassword: true } } } });
    expect(JSON.stringify(saved)).not.toContain('app-password-123');

    const again = { ...forwardOptions(), forward: { ...forwardOptions().forward!, password: undefined } };
    expect(await core.call('relay:start', { options: again })).toMatchObject({ ok: true, value: { forward: { hasPassword: true } } });
    await core.call('relay:stop', {});

    const otherLogin = { ...again, forward: { ...again.forward, user: 'someone-else@example.com' } };
    expect(await core.call('relay:start', { options: otherLogin })).toMatchObject({ ok: true, value: { forward: { hasPassword: false } } });
  });
});
