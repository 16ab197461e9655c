import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/ipc/result';
import { dispatch, type Handlers } from './dispatch';
import { ConfSettingsStore, MemorySettingsStore } from '../services/common/settings-store';
import { createTestHost, type TestHost } from './test-host';

const ctx = { caller: 'test' };

describe('dispatch', () => {
  let core: TestHost | undefined;
  afterEach(async () => core?.dispose());

  it('refuses an unknown channel with UNKNOWN_CHANNEL', async () => {
    const r = await dispatch({}, 'app:steal-secrets', {}, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
  });

  it('turns bad arguments into BAD_REQUEST with the failing path, without calling the handler', async () => {
    let called = false;
    const handlers: Partial<Handlers> = {
      'app:set-settings': () => {
        called = true;
        throw new Error('should not run');
      },
    };
    const r = await dispatch(handlers, 'app:set-settings', { patch: { siteName: 25 } }, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('BAD_REQUEST');
      expect(r.error.message).toContain('patch.siteName');
    }
    expect(called).toBe(false);
    expect(await dispatch(handlers, 'app:get-info', 'not an object', ctx)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('keeps the code of an AppFailure and hides nothing else but the stack of a plain error', async () => {
    const handlers: Partial<Handlers> = {
      'app:get-settings': () => {
        throw new AppFailure('STORAGE', 'The settings file is locked; close the other copy of the app.');
      },
      'app:get-info': () => {
        throw new Error('boom');
      },
    };
    expect(await dispatch(handlers, 'app:get-settings', {}, ctx)).toEqual({ ok: false, error: { code: 'STORAGE', message: 'The settings file is locked; close the other copy of the app.' } });
    expect(await dispatch(handlers, 'app:get-info', {}, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: 'boom' } });
  });

  it('refuses a response that breaks the contract instead of passing it on', async () => {
    const handlers = { 'app:get-info': () => ({ version: 1 }) } as unknown as Partial<Handlers>;
    expect(await dispatch(handlers, 'app:get-info', {}, ctx)).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });

  it('serves app:get-info and persists settings across store instances', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sarix-settings-'));
    try {
      core = await createTestHost({ hostKind: 'cli', userDataPath: dir, settings: new ConfSettingsStore(dir) });
      const info = await dispatch(core.handlers, 'app:get-info', {}, ctx);
      expect(info).toMatchObject({ ok: true, value: { hostKind: 'cli', platform: process.platform } });
      const seen: unknown[] = [];
      core.hub.subscribe((n, p) => seen.push([n, p]));
      const set = await dispatch(core.handlers, 'app:set-settings', { patch: { siteName: 'Depot 4', theme: 'dark' } }, ctx);
      expect(set).toMatchObject({ ok: true, value: { siteName: 'Depot 4', theme: 'dark', practiceMode: true } });
      expect(seen).toHaveLength(1);
      expect(new ConfSettingsStore(dir).get()).toMatchObject({ siteName: 'Depot 4', theme: 'dark' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('memory settings start from the defaults', () => {
    expect(new MemorySettingsStore().get()).toMatchObject({ theme: 'auto', practiceMode: true });
  });
});
