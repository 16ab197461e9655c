/** The report:* channels through the contract edge, on composed services (practice off, no camera). */
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestHost, type TestHost } from './test-host';

let dir: string;
let host: TestHost | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-contract-report-'));
});
afterEach(async () => {
  await host?.dispose();
  host = undefined;
  await rm(dir, { recursive: true, force: true });
});

const value = <T>(r: { ok: boolean; value?: unknown; error?: unknown }): T => {
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
};

describe('report:* channels', () => {
  it('the site named in Settings, a note with its owner, the preview, and a PDF for the browser to download', async () => {
    host = await createTestHost({ userDataPath: dir });
    const changed: unknown[] = [];
    host.hub.subscribe((name, payload) => name === 'report:journal-changed' && changed.push(payload));
    value(await host.call('app:set-settings', { patch: { siteName: 'Almacén Norte', customer: 'Peña SL', integrator: 'Segur', technicianName: 'Ana' } }));
    value(await host.call('report:add-note', { text: 'Replace the PoE switch', owner: 'customer' }));
    // The page follows the journal: every entry is announced.
    expect(changed).toContainEqual({ site: 'Almacén Norte', kinds: ['note'] });
    await host.services.journal.flush();
    const preview = value<{ report: { site: { name: string; customer: string }; items: Array<{ text: string; ownerName: string }> } }>(await host.call('report:get-preview', {}));
    expect(preview.report.site).toMatchObject({ name: 'Almacén Norte', customer: 'Peña SL' });
    expect(preview.report.items).toEqual([expect.objectContaining({ text: 'Replace the PoE switch', ownerName: 'Peña SL' })]);
    const saved = value<{ isCancelled: boolean; fileName: string; base64: string; reportId: string }>(await host.call('report:save', { format: 'pdf' }));
    expect(saved).toMatchObject({ isCancelled: false, fileName: expect.stringMatching(/^handover-almacen-norte-SRX-.*\.pdf$/) });
    expect(Buffer.from(saved.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
    const vms = value<{ base64: string }>(await host.call('report:save', { format: 'vms-csv' }));
    expect(Buffer.from(vms.base64, 'base64').toString('utf8')).toContain('HardwareAddress,HardwarePort');
    expect(await host.call('report:save', { format: 'docx' })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const sites = value<Array<{ name: string; isCurrent: boolean }>>(await host.call('report:list-sites', {}));
    expect(sites).toEqual([expect.objectContaining({ name: 'Almacén Norte', isCurrent: true })]);
  });

  it('desktop: saves where the Save dialog says, and a cancelled dialog writes nothing', async () => {
    const target = join(dir, 'chosen.pdf');
    let answer: string | null = target;
    const asked: string[] = [];
    host = await createTestHost({
      userDataPath: dir,
      chooseSavePath: async (name, kind) => {
        asked.push(`${kind}:${name}`);
        return answer;
      },
    });
    const saved = value<{ savedTo: string; base64?: string }>(await host.call('report:save', { format: 'pdf' }));
    expect(saved.savedTo).toBe(target);
    expect(saved.base64).toBeUndefined();
    expect(readFileSync(target).subarray(0, 5).toString()).toBe('%PDF-');
    answer = null;
    expect(value(await host.call('report:export-site', {}))).toMatchObject({ isCancelled: true });
    expect(asked).toEqual([expect.stringMatching(/^pdf:handover-unnamed-site-SRX-.*\.pdf$/), 'site:unnamed-site.sarix-site.json']);
    expect(existsSync(join(dir, 'unnamed-site.sarix-site.json'))).toBe(false);
  });

  it('import: refuses to overwrite an existing site (CONFLICT), imports under another name, refuses a damaged file', async () => {
    host = await createTestHost({ userDataPath: dir });
    value(await host.call('app:set-settings', { patch: { siteName: 'Depot' } }));
    value(await host.call('report:add-note', { text: 'Check the gate camera', owner: 'technician' }));
    await host.services.journal.flush();
    const exp = value<{ base64: string; entries: number }>(await host.call('report:export-site', {}));
    expect(await host.call('report:import-site', { base64: exp.base64 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(value(await host.call('report:import-site', { base64: exp.base64, asName: 'Depot copy' }))).toMatchObject({ site: { name: 'Depot copy' }, added: exp.entries });
    expect(value(await host.call('report:import-site', { base64: exp.base64, merge: true }))).toMatchObject({ added: 0 });
    expect(await host.call('report:import-site', { base64: Buffer.from('not json').toString('base64') })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('site journal across restarts', () => {
  it('the same relay started again after a restart adds no entry; a changed allow-list does', async () => {
    const boot = () => createTestHost({ userDataPath: dir });
    const start = (h: TestHost, allow: string[]) => h.services.relay.start({ listenAddress: '127.0.0.1', port: 0, allow });
    const relayEntries = async (h: TestHost) => (await h.services.report.journal().read()).entries.filter((e) => e.kind === 'relay').map((e) => (e.kind === 'relay' ? e.relay.allow : []));
    host = await boot();
    await start(host, ['127.0.0.1']);
    await host.services.journal.flush();
    const port = host.services.relay.getState().port;
    await host.dispose();
    host = await boot();
    await host.services.relay.start({ listenAddress: '127.0.0.1', port: port!, allow: ['127.0.0.1'] });
    await host.services.journal.flush();
    expect(await relayEntries(host)).toEqual([['127.0.0.1']]);
    host.services.relay.allow('127.0.0.2');
    await host.services.journal.flush();
    expect(await relayEntries(host)).toEqual([['127.0.0.1'], ['127.0.0.1', '127.0.0.2']]);
  });
});
