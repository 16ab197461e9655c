import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../../shared/ipc/result';
import { silentLogger } from '../common/logger';
import type { SecretBox } from '../common/secret-box';
import { RelaySetupStore as RelayProfileStore } from './relay-setup-store';

import { fakeBox, forwardOptions } from './relay-setup-fixtures';

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
});
