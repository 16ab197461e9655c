/**
 * Test runs on their own (the wizard's test step, first run and "Try again") reach the site journal with the same
 * evidence as a commissioning's test, and the report shows them: composed services, a simulated camera and the
 * embedded relay, all on 127.0.0.1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../shared/domain/commissioning-session';
import type { JournalEntryOf } from '../../../shared/domain/site-journal';
import { createServices, type Services } from '../../composition/index';
import { startCamera, type SimCamera } from '../../simulator/index';
import { silentLogger } from '../common/logger';
import { MemorySettingsStore } from '../common/settings-store';

let dir: string;
let services: Services;
let cam: SimCamera;
let relayPort: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-report-tests-'));
  services = await createServices(
    { hostKind: 'web', userDataPath: dir, logger: silentLogger, settings: new MemorySettingsStore(), resolveHost: async (h) => (h === '127.0.0.1' ? ['127.0.0.1'] : []) },
    { practice: false, resumeRelay: false },
  );
  services.app.updateSettings({ siteName: 'Depot Ost', technicianName: 'Ana' });
  relayPort = (await services.relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'] })).port;
  cam = await startCamera({ address: '127.0.0.1', smtpPort: relayPort, resolver: async () => '127.0.0.1', mac: '00:0B:AB:7E:00:01', deviceName: 'Yard1' });
});
afterAll(async () => {
  await cam?.stop();
  await services?.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function until(id: string, ok: (v: SessionView) => boolean): Promise<SessionView> {
  for (;;) {
    const v = services.sessions.view(id);
    if (ok(v)) return v;
    await new Promise<void>((r) => {
      const off = services.sessions.events.on('session-changed', (x) => x.id === id && (off(), r()));
    });
  }
}

describe('test runs on their own in the site journal and the report', () => {
  it('records each run of the wizard\'s test step (stopped, then passed with Message-ID, snapshot and transcript) and the report shows them', async () => {
    const s = services.sessions;
    const v = await s.open({ url: cam.url, username: 'admin', password: 'admin', name: 'Hof' }, { smtpServer: '127.0.0.1', ntpServer: '127.0.0.1', to: 'alarme@site.example', from: 'yard@site.example', subject: 'Hof Test' });
    expect((await s.preflight(v.id)).isReady).toBe(true);
    for (const step of ['smtp-ntp', 'source', 'handler', 'behaviour'] as const) await s.applyStep(v.id, step);
    // A real camera (not a practice one): the app waits for a hand over the lens. The first run is stopped.
    await s.startTest(v.id, 60_000);
    s.stopTest(v.id);
    // "Try again", and the camera sees the hand.
    await s.startTest(v.id, 60_000);
    await cam.trigger('camera-sabotage', { strength: 'partial' });
    const passed = await until(v.id, (x) => x.test.status !== 'waiting');
    expect(passed.test.status).toBe('passed');
    // The technician leaves the wizard without its safe end: no commissioning is on record, the tests are.
    await services.journal.flush();
    const { entries } = await services.report.journal().read();
    const tests = entries.filter((e): e is JournalEntryOf<'test'> => e.kind === 'test');
    expect(tests.map((t) => `${t.attempt}:${t.verdict}`)).toEqual(['1:stopped', '2:pass']);
    expect(entries.some((e) => e.kind === 'commissioning')).toBe(false);
    expect(tests[1]).toMatchObject({
      origin: 'wizard',
      operationId: v.id,
      label: 'Hof',
      camera: { mac: '00:0B:AB:7E:00:01' },
      latencyMs: passed.test.latencyMs,
      test: {
        relayMessageId: passed.test.mail!.id,
        messageId: expect.stringMatching(/^<.+@.+>$/),
        subject: 'Hof Test',
        snapshot: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), width: expect.any(Number) },
        transcript: { clientIp: '127.0.0.1', lines: expect.arrayContaining([expect.objectContaining({ dir: 'C', line: expect.stringMatching(/^DATA$/i) })]) },
      },
    });

    const { report, pictures } = await services.report.preview();
    const hof = report.cameras.find((c) => c.location === 'Hof')!;
    expect(hof).toMatchObject({ verdict: 'skipped', mac: '00:0B:AB:7E:00:01', test: { messageId: tests[1].test!.messageId, snapshot: { sha256: tests[1].test!.snapshot!.sha256 } } });
    expect(pictures[hof.key]).toMatch(/^data:image\/jpeg;base64,/);
    expect(report.activity.filter((a) => a.what.startsWith('Test e-mail')).map((a) => a.outcome)).toEqual(['stopped', expect.stringMatching(/^pass \(\d+\.\d s\)$/)]);
    expect(report.transcripts.map((t) => t.sessionId)).toEqual([tests[1].test!.transcript!.sessionId]);
    expect(report.items).toContainEqual(expect.objectContaining({ camera: 'Hof', text: expect.stringMatching(/commissioning was not finished/) }));
    await s.rollBack(v.id);
  });
});
