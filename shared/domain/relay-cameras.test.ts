import { describe, expect, it } from 'vitest';
import { localizeError } from '../i18n/messages';
import { cameraDisplayName, cameraKey, CameraLabelSchema, checkCameraLabel, cameraOverview, identifyClient, indexCameras, type KnownCamera, type Refusal } from './relay-cameras';

function cam(p: Partial<KnownCamera> & { ip: string }): KnownCamera {
  return { key: cameraKey(p.mac ?? null, p.ip), mac: null, model: null, name: null, label: null, sources: ['discovered'], commissioning: null, lastSeenAt: null, ...p };
}

const gate = cam({ ip: '10.0.0.23', mac: '00:0b:ab:00:00:23', model: 'IXE20DN', name: 'GateCam', label: 'Gate North' });
const lobby = cam({ ip: '10.0.0.24', mac: '00:0b:ab:00:00:24', model: 'IME229', name: 'LobbyCam' });
const p1 = cam({ ip: '127.0.0.1', mac: '00:0b:ab:00:01:01', name: 'PracticeCam1', sources: ['practice'] });
const p2 = cam({ ip: '127.0.0.1', mac: '00:0b:ab:00:01:02', name: 'PracticeCam2', sources: ['practice'] });
const index = indexCameras([gate, lobby, p1, p2]);

describe('identifyClient', () => {
  it.each([
    ['10.0.0.23', 'GateCam', { key: 'mac:00:0b:ab:00:00:23', displayName: 'Gate North', matchedBy: 'ip', model: 'IXE20DN' }],
    // The address decides even when the HELO name is another camera's (the HELO is only a hint).
    ['10.0.0.24', 'GateCam', { key: 'mac:00:0b:ab:00:00:24', displayName: 'LobbyCam', matchedBy: 'ip' }],
    ['10.0.0.24', '', { key: 'mac:00:0b:ab:00:00:24', matchedBy: 'ip' }],
    // Two cameras on one address: the HELO name picks one, case-insensitively.
    ['127.0.0.1', 'practicecam2', { key: 'mac:00:0b:ab:00:01:02', matchedBy: 'ip' }],
    ['127.0.0.1', 'PracticeCam1', { key: 'mac:00:0b:ab:00:01:01', matchedBy: 'ip' }],
    // Unknown address, HELO names exactly one camera (it moved to another address): a hint.
    ['10.0.0.99', 'LobbyCam', { key: 'mac:00:0b:ab:00:00:24', matchedBy: 'helo', ip: '10.0.0.24' }],
    ['10.0.0.99', 'gate north', { key: 'mac:00:0b:ab:00:00:23', matchedBy: 'helo' }],
  ])('%s HELO %j', (ip, helo, expected) => expect(identifyClient(ip, helo, index)).toMatchObject(expected));

  it.each([
    ['10.0.0.99', ''],
    ['10.0.0.99', '[10.0.0.99]'],
    ['10.0.0.99', 'unknown-host'],
    // A HELO name that two cameras share is no hint.
    ['10.0.0.99', 'shared'],
  ])('%s HELO %j is nobody', (ip, helo) => {
    const idx = indexCameras([gate, lobby, cam({ ip: '10.0.0.50', name: 'shared' }), cam({ ip: '10.0.0.51', name: 'shared' })]);
    expect(identifyClient(ip, helo, idx)).toBeUndefined();
  });
});

describe('names', () => {
  it('prefers the label, then the device name, then model and address', () => {
    expect(cameraDisplayName(gate)).toBe('Gate North');
    expect(cameraDisplayName(lobby)).toBe('LobbyCam');
    expect(cameraDisplayName(cam({ ip: '10.0.0.5', model: 'IME229' }))).toBe('IME229 (10.0.0.5)');
    expect(cameraDisplayName(cam({ ip: '10.0.0.5' }))).toBe('10.0.0.5');
  });
  it.each([
    ['Gate North', true],
    ['  Gate  ', true],
    ['', false],
    ['x'.repeat(41), false],
    ['bad\nname', false],
  ])('label %j valid: %s', (label, ok) => expect(CameraLabelSchema.safeParse(label).success).toBe(ok));
});

describe('cameraOverview', () => {
  const at = (iso: string) => Date.parse(iso);
  it('counts mail per camera, flags commissioned-but-silent first, adds unknown senders and refusals', () => {
    const commissioned = { ...lobby, commissioning: { at: '2026-11-29T09:00:00.000Z', verdict: 'pass' as const, isTestPassed: true }, sources: ['discovered' as const, 'commissioned' as const] };
    const failed = cam({ ip: '10.0.0.30', name: 'YardCam', commissioning: { at: '2026-11-29T09:00:00.000Z', verdict: 'fail', isTestPassed: false } });
    const refusals = new Map<string, Refusal>([
      ['10.0.0.23', { at: '2026-11-29T10:00:00.000Z', reason: 'not on the allow-list', count: 2 }],
      ['10.0.0.77', { at: '2026-11-29T10:05:00.000Z', reason: 'not on the allow-list', count: 1 }],
    ]);
    const rows = cameraOverview(
      [gate, commissioned, failed],
      [
        { ip: '10.0.0.23', key: gate.key, mailCount: 3, unreadCount: 1, lastMailAtMs: at('2026-11-29T10:30:00Z'), lastSubject: 'Camera Sabotage' },
        { ip: '10.0.0.88', mailCount: 2, unreadCount: 2, lastMailAtMs: at('2026-11-29T08:00:00Z'), lastSubject: 'Motion' },
      ],
      refusals,
    );
    expect(rows.map((r) => [r.displayName, r.status])).toEqual([
      ['LobbyCam', 'silent'],
      ['10.0.0.77', 'refused'],
      ['YardCam', 'failed'],
      ['10.0.0.88', 'ok'],
      ['Gate North', 'ok'],
    ]);
    const g = rows.find((r) => r.key === gate.key)!;
    expect(g).toMatchObject({ mailCount: 3, unreadCount: 1, lastMailAt: '2026-11-29T10:30:00.000Z', lastSubject: 'Camera Sabotage', isKnown: true, mac: '00:0b:ab:00:00:23', model: 'IXE20DN' });
    // The refusal came before the last mail, so the camera is fine now, but the refusal stays visible.
    expect(g.lastRefusal?.count).toBe(2);
    expect(rows.find((r) => r.displayName === 'LobbyCam')).toMatchObject({ isSilent: true, mailCount: 0, commissioning: { isTestPassed: true } });
    expect(rows.find((r) => r.ip === '10.0.0.88')).toMatchObject({ isKnown: false, mailCount: 2, key: 'ip:10.0.0.88' });
  });

  it('a refusal after the last mail makes a known camera "refused"', () => {
    const rows = cameraOverview([gate], [{ ip: gate.ip, key: gate.key, mailCount: 1, unreadCount: 0, lastMailAtMs: at('2026-11-29T09:00:00Z'), lastSubject: 's' }], new Map([[gate.ip, { at: '2026-11-29T10:00:00.000Z', reason: 'r', count: 1 }]]));
    expect(rows[0].status).toBe('refused');
  });
});

describe('checkCameraLabel: keyed refusals (the schema\'s English, German from the key)', () => {
  it.each([
    ['   ', 'Give the camera a name, e.g. "Gate North".', 'Geben Sie der Kamera einen Namen, z. B. „Tor Nord“.'],
    ['x'.repeat(41), 'Keep camera names to 40 characters.', 'Kameranamen dürfen höchstens 40 Zeichen lang sein.'],
    ['Gate\u0007North', 'A camera name cannot hold control characters.', 'Ein Kameraname darf keine Steuerzeichen enthalten.'],
  ])('%j', (label, english, german) => {
    const r = checkCameraLabel(label);
    expect(r).toMatchObject({ ok: false, message: english });
    expect(CameraLabelSchema.safeParse(label).error?.issues[0]?.message).toBe(english);
    if (!r.ok) expect(localizeError('de', r)).toBe(german);
  });
  it('accepts and trims a good name', () => expect(checkCameraLabel('  Gate North ')).toEqual({ ok: true, label: 'Gate North' }));
});
