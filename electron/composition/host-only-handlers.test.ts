import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from './test-host';

describe('desktop-only channels in the web host', () => {
  let dir: string;
  let host: TestHost;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sarix-hostonly-'));
    host = await createTestHost({ userDataPath: dir });
  });
  afterAll(async () => {
    await host.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('updates: says why they are not applicable, and refuses to install', async () => {
    expect(await host.call('updates:get-state')).toMatchObject({ ok: true, value: { canInstallFromFile: false, status: 'idle', notApplicableReason: expect.stringMatching(/browser version/) } });
    for (const ch of ['updates:install-from-file', 'updates:check-online', 'updates:download-online', 'updates:restart-and-install']) {
      expect(await host.call(ch)).toMatchObject({ ok: false, error: { code: 'NOT_APPLICABLE', message: expect.stringMatching(/cannot install updates/) } });
    }
  });

  it('appearance: the browser follows the OS itself', async () => {
    expect(await host.call('appearance:get-state')).toEqual({ ok: true, value: { source: 'browser' } });
  });

  it('support bundle: comes back as a zip for the browser to download', async () => {
    const r = (await host.call('support:save-bundle')) as { ok: true; value: { base64: string; fileName: string; entries: string[] } };
    expect(r.ok).toBe(true);
    expect(r.value.fileName).toMatch(/^sarix-support-.+\.zip$/);
    expect(Buffer.from(r.value.base64, 'base64').subarray(0, 4).toString('latin1')).toBe('PK\x03\x04');
    expect(r.value.entries).toContain('README.txt');
  });
});
