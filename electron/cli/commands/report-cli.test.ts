import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../services/common/logger';
import { ReportService } from '../../services/report/index';
import { spawnSarix } from '../../testing/cli';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-report-cli-'));
  // A journal as the app leaves it: the site details and one commissioning run.
  const svc = new ReportService({ userDataPath: join(dir, 'data'), logger: silentLogger, appVersion: '0', currentSite: () => ({ name: '' }) });
  await svc.record({ kind: 'site', site: { name: 'Bodega Peñalara', address: 'Calle Mayor 1', customer: 'Peñalara SA', integrator: 'Segur', technician: 'Ana Núñez' } }, 'Bodega Peñalara');
  await svc.record(
    {
      kind: 'commissioning',
      operationId: 'op1',
      url: 'http://10.1.2.3',
      label: 'Entrada',
      camera: { ip: '10.1.2.3', model: 'IXE22', mac: '00:0B:AB:10:20:30', firmware: '3.30.1', name: 'Cam1' },
      verdict: 'pass',
      tested: true,
      steps: [],
      changes: [{ step: 'smtp-ntp', field: 'general.smtpServer', from: '', to: '10.1.2.1', status: 'done' }],
      rolledBack: false,
      warnings: [],
      durationMs: 10,
      test: { eventAt: '2026-11-29T10:00:00.000Z', receivedAt: '2026-11-29T10:00:01.000Z', latencyMs: 1000, messageId: '<a@b>', relayMessageId: 'r', from: 'cam@x.es', to: ['al@x.es'], subject: 'S' },
    },
    'Bodega Peñalara',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('sarix report and sarix site', () => {
  it('writes the report of a named site and says where', async () => {
    const out = join(dir, 'out');
    const r = await spawnSarix('report', '--data', join(dir, 'data'), '--site', 'Bodega Peñalara', '--out', out, '--format', 'pdf,csv', '--json');
    expect(r.status, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout.trim().split('\n').pop()!);
    expect(j).toMatchObject({ site: 'Bodega Peñalara', summary: { found: 1, passed: 1 } });
    expect(j.files.map((f: string) => f.slice(out.length + 1)).sort()).toEqual([`handover-bodega-penalara-${j.reportId}-cameras.csv`, `handover-bodega-penalara-${j.reportId}-vms-import.csv`, `handover-bodega-penalara-${j.reportId}.pdf`]);
    for (const f of j.files) expect(existsSync(f)).toBe(true);
  }, 60_000);

  it('exports, refuses to import over the same site, imports under another name', async () => {
    const file = join(dir, 'bodega.sarix-site.json');
    expect((await spawnSarix('site', 'export', '--data', join(dir, 'data'), '--site', 'bodega penalara', '--out', file)).status).toBe(0);
    const again = await spawnSarix('site', 'import', file, '--data', join(dir, 'data'));
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/already has a journal with 2 entries/);
    const other = await spawnSarix('site', 'import', file, '--data', join(dir, 'data'), '--as', 'Bodega 2', '--json');
    expect(other.status, other.stderr).toBe(0);
    expect(JSON.parse(other.stdout)).toMatchObject({ site: { name: 'Bodega 2' }, added: 2 });
    const list = await spawnSarix('site', 'list', '--data', join(dir, 'data'), '--json');
    expect(JSON.parse(list.stdout).map((s: { name: string }) => s.name)).toEqual(expect.arrayContaining(['Bodega Peñalara', 'Bodega 2']));
  }, 180_000);

  it('bad input: unknown format is exit 2, unknown site is exit 1 with the known sites', async () => {
    const bad = await spawnSarix('report', '--data', join(dir, 'data'), '--out', join(dir, 'x'), '--format', 'docx');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/Unknown report format "docx"/);
    const none = await spawnSarix('report', '--data', join(dir, 'data'), '--site', 'Nowhere', '--out', join(dir, 'x'));
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no journal for the site "Nowhere" \(known sites: [^)]*bodega-penalara/);
  }, 120_000);
});
