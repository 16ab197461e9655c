import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RelayStartOptionsSchema } from '../../shared/domain/relay';
import { AppFailure } from '../../shared/ipc/result';
import { createCore, type Core } from './core';
import { dispatch } from './dispatch';
import { silentLogger } from './logger';
import { RelayProfileStore } from './relay-profile';
import type { SecretBox } from './secret-box';
import { MemorySettingsStore } from './settings-store';

/** A reversible stand-in for safeStorage: enough to prove only the sealed form reaches the disk. */
const fakeBox: SecretBox = {
  isAvailable: () => true,
  seal: (s) => 'sealed:' + Buffer.from(s).toString('base64').split('').reverse().join(''),
  open: (s) => {
    if (!s.startsWith('sealed:')) throw new AppFailure('STORAGE', 'not sealed here');
    return Buffer.from(s.slice(7).split('').reverse().join(''), 'base64').toString();
  },
};

const forwardOptions = () =>
  RelayStartOptionsSchema.parse({
    listenAddress: '127.0.0.1',
    port: 0,
    allow: ['127.0.0.1'],
    forward: { host: '127.0.0.1', port: 1, security: 'starttls', user: 'site@example.com', password: 'app-password-123' },
  });

describe('relay profile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-relay-profile-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps the forwarding password only sealed, and gives it back on load', () => {
    new RelayProfileStore(dir, fakeBox, silentLogger).save(forwardOptions());
    const onDisk = readFileSync(join(dir, 'relay-profile.json'), 'utf8');
    expect(onDisk).not.toContain('app-password-123');
    const loaded = new RelayProfileStore(dir, fakeBox, silentLogger).load();
    expect(loaded).toMatchObject({ autoStart: true, options: { listenAddress: '127.0.0.1', forward: { user: 'site@example.com', password: 'app-password-123' } } });
    expect(loaded?.warning).toBeUndefined();
  });

  it('without OS encryption never writes the password, and restarts without forwarding with a warning', () => {
    new RelayProfileStore(dir, undefined, silentLogger).save(forwardOptions());
    expect(readFileSync(join(dir, 'relay-profile.json'), 'utf8')).not.toContain('app-password-123');
    const loaded = new RelayProfileStore(dir, undefined, silentLogger).load();
    expect(loaded?.options.forward).toBeUndefined();
    expect(loaded?.warning).toMatch(/password is not saved/);
  });

  it('a password sealed by another user cannot be opened: forwarding is left out with a warning', () => {
    new RelayProfileStore(dir, fakeBox, silentLogger).save(forwardOptions());
    const other: SecretBox = { ...fakeBox, open: () => { throw new AppFailure('STORAGE', 'foreign'); } };
    const loaded = new RelayProfileStore(dir, other, silentLogger).load();
    expect(loaded?.options.forward).toBeUndefined();
    expect(loaded?.warning).toMatch(/could not be decrypted/);
  });

  it('ignores a corrupt file instead of failing', () => {
    writeFileSync(join(dir, 'relay-profile.json'), '{ nope');
    expect(new RelayProfileStore(dir, fakeBox, silentLogger).load()).toBeNull();
  });

  describe('through the app core', () => {
    let core: Core | undefined;
    afterEach(async () => core?.dispose());
    const boot = () => createCore({ hostKind: 'web', userDataPath: dir, settings: new MemorySettingsStore(), log: silentLogger, practice: false, secrets: fakeBox });

    it('a relay started from the UI comes back after a restart with its forwarding, and stays off once stopped', async () => {
      core = await boot();
      const started = await dispatch(core.handlers, 'relay:start', { options: forwardOptions() }, { caller: 't' });
      expect(started).toMatchObject({ ok: true, value: { status: 'listening', forward: { hasPassword: true } } });
      await core.dispose();

      core = await boot();
      expect(core.relay.getState()).toMatchObject({ status: 'listening', listenAddress: '127.0.0.1', allow: ['127.0.0.1'], forward: { host: '127.0.0.1', user: 'site@example.com', hasPassword: true } });
      expect(await dispatch(core.handlers, 'relay:stop', {}, { caller: 't' })).toMatchObject({ ok: true, value: { status: 'stopped' } });
      await core.dispose();

      core = await boot();
      expect(core.relay.getState().status).toBe('stopped');
    });
  });
});

describe('relay profile: the saved password is reused, never shown', () => {
  let dir: string;
  let core: Core | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-relay-profile-'));
  });
  afterEach(async () => {
    await core?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('relay:get-saved-setup tells that a password is saved without sending it; a start without one reuses it for the same login only', async () => {
    core = await createCore({ hostKind: 'web', userDataPath: dir, settings: new MemorySettingsStore(), log: silentLogger, practice: false, secrets: fakeBox });
    await dispatch(core.handlers, 'relay:start', { options: forwardOptions() }, { caller: 't' });
    await dispatch(core.handlers, 'relay:stop', {}, { caller: 't' });
    const saved = await dispatch(core.handlers, 'relay:get-saved-setup', {}, { caller: 't' });
    expect(saved).toMatchObject({ ok: true, value: { setup: { listenAddress: '127.0.0.1', autoStart: false, forward: { user: 'site@example.com', hasPassword: true } } } });
    expect(JSON.stringify(saved)).not.toContain('app-password-123');

    const again = { ...forwardOptions(), forward: { ...forwardOptions().forward!, password: undefined } };
    expect(await dispatch(core.handlers, 'relay:start', { options: again }, { caller: 't' })).toMatchObject({ ok: true, value: { forward: { hasPassword: true } } });
    await dispatch(core.handlers, 'relay:stop', {}, { caller: 't' });

    const otherLogin = { ...again, forward: { ...again.forward, user: 'someone-else@example.com' } };
    expect(await dispatch(core.handlers, 'relay:start', { options: otherLogin }, { caller: 't' })).toMatchObject({ ok: true, value: { forward: { hasPassword: false } } });
  });
});
