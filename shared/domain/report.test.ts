import { describe, expect, it } from 'vitest';
import { buildReport, csvSafe, formatLocalTime, makeReportId, urlParts, vmsCsvRows } from './report';
import { redactTranscript, type JournalEntry } from './site-journal';

const meta = { reportId: 'SRX-20261129-0000ABCD', generatedAt: '2026-11-29T13:05:09.000Z', timeZone: 'Europe/Berlin', appVersion: '1.2.3' };
const site = { name: 'Depot', address: '', customer: 'ACME', integrator: 'Integr8', technician: 'Ana' };
const cam = { ip: '10.0.0.5', model: 'IXE22', mac: '00:0b:ab:01:02:03', firmware: '3.30.1', name: 'Cam5' };
let n = 0;
const base = (at: string) => ({ v: 1 as const, id: `id-${String(++n).padStart(6, '0')}`, at, by: 'Ana' });
const run = (at: string, over: Partial<Extract<JournalEntry, { kind: 'commissioning' }>> = {}): JournalEntry => ({
  ...base(at),
  kind: 'commissioning',
  operationId: 'op',
  url: 'http://10.0.0.5',
  camera: cam,
  verdict: 'pass',
  tested: true,
  steps: [],
  changes: [],
  rolledBack: false,
  warnings: [],
  durationMs: 1,
  test: { eventAt: at, receivedAt: at, latencyMs: 800, messageId: '<m@x>', relayMessageId: 'r1', from: 'a@x', to: ['b@x'], subject: 's' },
  ...over,
});

describe('buildReport verdicts', () => {
  it('the newest run decides; a rollback after it undoes it; a run without the test is not a pass', () => {
    const pass = buildReport({ entries: [run('2026-11-29T10:00:00Z', { verdict: 'fail', error: { code: 'X', message: 'boom' } }), run('2026-11-29T11:00:00Z')], site, meta });
    expect(pass.cameras[0]).toMatchObject({ verdict: 'pass', attempts: 2, mac: '00:0B:AB:01:02:03' });
    expect(pass.summary).toMatchObject({ found: 1, commissioned: 1, passed: 1, failed: 0 });
    const rolled = buildReport({ entries: [run('2026-11-29T10:00:00Z'), { ...base('2026-11-29T12:00:00Z'), kind: 'rollback', url: 'http://10.0.0.5', mac: '00:0B:AB:01:02:03', verified: true, differences: [] }], site, meta });
    expect(rolled.cameras[0]).toMatchObject({ verdict: 'skipped', verdictText: expect.stringMatching(/Rolled back/) });
    expect(rolled.items.some((i) => i.kind === 'deviation' && /Rolled back/.test(i.text))).toBe(true);
    const untested = buildReport({ entries: [run('2026-11-29T10:00:00Z', { tested: false, test: undefined })], site, meta });
    expect(untested.cameras[0].verdict).toBe('skipped');
    const dry = buildReport({ entries: [run('2026-11-29T10:00:00Z', { verdict: 'planned', test: undefined })], site, meta });
    expect(dry.summary).toMatchObject({ found: 1, commissioned: 0, skipped: 1 });
  });

  it('a failed rollback attempt does not count as rolled back; found-only cameras are open items', () => {
    const r = buildReport({
      entries: [
        { ...base('2026-11-29T09:00:00Z'), kind: 'found', camera: { ip: '10.0.0.9', mac: '00-0B-AB-09-09-09', model: 'IMP', name: 'Nine', firmware: '1.0', methods: ['ssdp'] } },
        run('2026-11-29T10:00:00Z'),
        { ...base('2026-11-29T12:00:00Z'), kind: 'rollback', url: 'http://10.0.0.5', mac: '', verified: false, differences: [], error: { code: 'AUTH_FAILED', message: 'no' } },
      ],
      site,
      meta,
    });
    expect(r.cameras.find((c) => c.ip === '10.0.0.5')?.verdict).toBe('pass');
    const nine = r.cameras.find((c) => c.ip === '10.0.0.9')!;
    expect(nine).toMatchObject({ verdict: 'skipped', mac: '00:0B:AB:09:09:09', firmwareWarning: expect.stringMatching(/older than 3\.29\.69/) });
    expect(r.items.filter((i) => i.camera === 'Nine').map((i) => i.owner).sort()).toEqual(['integrator', 'technician']);
  });

  it('forwarding, queue and notes become open items with their owner names', () => {
    const r = buildReport({
      entries: [
        run('2026-11-29T10:00:00Z'),
        { ...base('2026-11-29T10:00:01Z'), kind: 'forward', relayMessageId: 'r1', outcome: 'queued', attempts: 3, lastError: '535 auth failed' },
        { ...base('2026-11-29T10:00:02Z'), kind: 'note', text: 'Replace the PoE switch', owner: 'customer' },
        { ...base('2026-11-29T10:00:03Z'), kind: 'note', text: 'done earlier', owner: 'technician' },
      ],
      site,
      meta,
      relay: { status: 'listening', listenAddress: '10.0.0.1', port: 25, allow: ['10.0.0.0/24'], forward: { host: 'smtp.example', port: 587, security: 'starttls', verifyCertificate: true }, queueLength: 1, queue: [] },
    });
    expect(r.cameras[0].forwarding).toMatchObject({ outcome: 'queued', text: expect.stringMatching(/Still queued after 3 attempts: 535/) });
    const owners = r.items.map((i) => `${i.owner}:${i.ownerName}`);
    expect(owners).toEqual(expect.arrayContaining(['integrator:Integr8', 'customer:ACME']));
    expect(r.items.some((i) => /still wait in the relay's forwarding queue/.test(i.text))).toBe(true);
  });
});

describe('buildReport and test runs on their own (the wizard\'s test step, each "Try again")', () => {
  const tr = [{ at: '2026-11-29T10:00:00Z', dir: 'C' as const, line: 'EHLO cam5' }];
  const testRun = (at: string, attempt: number, verdict: 'pass' | 'fail' | 'stopped', over: Partial<Extract<JournalEntry, { kind: 'test' }>> = {}): JournalEntry => ({
    ...base(at),
    kind: 'test',
    operationId: 'session-1',
    origin: 'wizard',
    url: 'http://10.0.0.5',
    camera: cam,
    attempt,
    verdict,
    ...(verdict === 'pass'
      ? {
          latencyMs: 1200,
          test: { eventAt: at, receivedAt: at, latencyMs: 1200, messageId: `<t${attempt}@x>`, relayMessageId: `rt${attempt}`, from: 'a@x', to: ['b@x'], subject: 's', transcript: { sessionId: `sess-${attempt}`, clientIp: '10.0.0.5', lines: tr } },
        }
      : {}),
    ...(verdict === 'fail' ? { cause: 'The relay refused 10.0.0.5: not on the allow-list.' } : {}),
    ...over,
  });

  it('the runs of a wizard before its end are in the activity and the transcripts; the commissioning still decides', () => {
    const r = buildReport({
      entries: [
        testRun('2026-11-29T10:00:00Z', 1, 'fail'),
        testRun('2026-11-29T10:01:00Z', 2, 'stopped'),
        testRun('2026-11-29T10:02:00Z', 3, 'pass'),
        run('2026-11-29T10:03:00Z', { test: { eventAt: '2026-11-29T10:02:00Z', receivedAt: '2026-11-29T10:02:00Z', latencyMs: 1200, messageId: '<t3@x>', relayMessageId: 'rt3', from: 'a@x', to: ['b@x'], subject: 's', transcript: { sessionId: 'sess-3', clientIp: '10.0.0.5', lines: tr } } }),
      ],
      site,
      meta,
    });
    expect(r.cameras).toHaveLength(1);
    expect(r.cameras[0]).toMatchObject({ verdict: 'pass', verdictText: 'Test e-mail received after 1.2 s.', test: { messageId: '<t3@x>' } });
    expect(r.activity.map((a) => `${a.what} | ${a.camera} | ${a.outcome}`)).toEqual([
      'Test e-mail (wizard, run 1) | Cam5 | fail: The relay refused 10.0.0.5: not on the allow-list.',
      'Test e-mail (wizard, run 2) | Cam5 | stopped',
      'Test e-mail (wizard, run 3) | Cam5 | pass (1.2 s)',
      'Commissioning with test | Cam5 | pass',
    ]);
    // The passing run and the commissioning carry the same SMTP session: its transcript is shown once.
    expect(r.transcripts.map((t) => t.sessionId)).toEqual(['sess-3']);
    expect(r.items.some((i) => /Test failed/.test(i.text))).toBe(false);
  });

  it('a run after the commissioning decides whether mail arrives now, and a passing one is the evidence', () => {
    const later = buildReport({ entries: [run('2026-11-29T10:00:00Z', { tested: false, test: undefined }), testRun('2026-11-29T11:00:00Z', 1, 'pass')], site, meta });
    expect(later.cameras[0]).toMatchObject({ verdict: 'pass', verdictText: 'Test e-mail received after 1.2 s in a test run on its own (2026-11-29 12:00:00).', test: { messageId: '<t1@x>', relayMessageId: 'rt1' } });
    expect(later.items.some((i) => /without the test e-mail/.test(i.text))).toBe(false);
    expect(later.transcripts.map((t) => t.sessionId)).toEqual(['sess-1']);
    const broken = buildReport({ entries: [run('2026-11-29T10:00:00Z'), testRun('2026-11-29T11:00:00Z', 1, 'fail')], site, meta });
    expect(broken.cameras[0]).toMatchObject({ verdict: 'fail', verdictText: 'The test run of 2026-11-29 12:00:00 got no e-mail: The relay refused 10.0.0.5: not on the allow-list.', test: { messageId: '<m@x>' } });
    expect(broken.items).toContainEqual(expect.objectContaining({ kind: 'open-item', owner: 'technician', text: expect.stringMatching(/^Test failed: The test run of .* Fix the cause and test again\.$/) }));
    expect(broken.summary).toMatchObject({ passed: 0, failed: 1 });
    // A stopped run says nothing about the camera.
    const stopped = buildReport({ entries: [run('2026-11-29T10:00:00Z'), testRun('2026-11-29T11:00:00Z', 1, 'stopped')], site, meta });
    expect(stopped.cameras[0].verdict).toBe('pass');
  });

  it('a camera tested in a wizard that was never ended is in the report with its evidence and an open item', () => {
    const r = buildReport({ entries: [testRun('2026-11-29T10:00:00Z', 1, 'pass', { label: 'Gate' })], site, meta });
    expect(r.cameras[0]).toMatchObject({ location: 'Gate', mac: '00:0B:AB:01:02:03', verdict: 'skipped', test: { latencyMs: 1200, messageId: '<t1@x>' }, attempts: 0 });
    expect(r.cameras[0].verdictText).toMatch(/in a test run on its own .* No finished commissioning on record\.$/);
    expect(r.items).toContainEqual(expect.objectContaining({ camera: 'Gate', text: expect.stringMatching(/^Tested, but the commissioning was not finished/) }));
    expect(r.summary).toMatchObject({ found: 1, commissioned: 0 });
  });
});

describe('report helpers', () => {
  it('prints times in the given zone with the offset spelled out', () => {
    expect(formatLocalTime('2026-11-29T13:05:09Z', 'Europe/Berlin')).toBe('2026-11-29 14:05:09 UTC+01:00 (Europe/Berlin)');
    expect(formatLocalTime('2026-07-01T13:05:09Z', 'America/Bogota')).toBe('2026-07-01 08:05:09 UTC-05:00 (America/Bogota)');
    expect(formatLocalTime('2026-07-01T13:05:09Z', 'UTC')).toBe('2026-07-01 13:05:09 UTC+00:00 (UTC)');
    expect(formatLocalTime('2026-07-01T13:05:09Z', 'Not/AZone')).toBe('2026-07-01 13:05:09 UTC+00:00 (UTC)');
    expect(makeReportId('2026-11-29T13:05:09Z', 'a1b2c3d4')).toBe('SRX-20261129-A1B2C3D4');
  });

  it('guards CSV cells against formula injection', () => {
    expect(csvSafe('=HYPERLINK("x")')).toBe(`'=HYPERLINK("x")`);
    expect(csvSafe('@SUM(A1)')).toBe(`'@SUM(A1)`);
    expect(csvSafe('-42')).toBe('-42');
    expect(csvSafe('Lobby')).toBe('Lobby');
    const r = buildReport({ entries: [run('2026-11-29T10:00:00Z', { label: '=cmd|calc' })], site, meta });
    expect(vmsCsvRows(r)[1]).toEqual(['10.0.0.5', '80', `'=cmd|calc`, 'IXE22', '00:0B:AB:01:02:03', '', '']);
  });

  it('parses camera URLs without the URL global', () => {
    expect(urlParts('http://[fe80::1]:8080/x')).toEqual({ scheme: 'http', host: 'fe80::1', port: 8080 });
    expect(urlParts('10.0.0.5')).toEqual({ scheme: 'http', host: '10.0.0.5' });
    expect(urlParts('https://cam.site.lan')).toEqual({ scheme: 'https', host: 'cam.site.lan' });
  });

  it('redacts AUTH PLAIN with an initial response and the answers to 334 challenges', () => {
    const at = '2026-11-29T10:00:00Z';
    const out = redactTranscript(
      [
        { at, dir: 'C', line: 'EHLO nvr' },
        { at, dir: 'C', line: 'AUTH PLAIN AGFkbWluAHMzY3JldA==' },
        { at, dir: 'S', line: '235 ok' },
        { at, dir: 'C', line: 'AUTH LOGIN' },
        { at, dir: 'S', line: '334 VXNlcm5hbWU6' },
        { at, dir: 'C', line: 'YWRtaW4=' },
        { at, dir: 'S', line: '334 UGFzc3dvcmQ6' },
        { at, dir: 'C', line: 'czNjcmV0' },
        { at, dir: 'S', line: '235 ok' },
        { at, dir: 'C', line: 'MAIL FROM:<a@x>' },
        { at, dir: 'I', line: 'note with s3cret inside' },
      ],
      ['s3cret'],
    );
    expect(out.map((l) => l.line)).toEqual(['EHLO nvr', 'AUTH PLAIN [redacted]', '235 ok', 'AUTH LOGIN', '334 VXNlcm5hbWU6', '[redacted]', '334 UGFzc3dvcmQ6', '[redacted]', '235 ok', 'MAIL FROM:<a@x>', 'note with [redacted] inside']);
  });
});
