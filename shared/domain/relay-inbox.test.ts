import { describe, expect, it } from 'vitest';
import { downloadName, fileNamePart } from './relay-inbox';

const m = { receivedAt: '2026-11-29T10:42:31.000Z', subject: 'Sarix camera alert: Camera Sabotage', clientIp: '10.0.0.23' };

describe('downloadName', () => {
  it.each([
    [m, '.eml', 0, '2026-11-29_1042_Camera-Sabotage_10.0.0.23.eml'],
    [m, '.eml', 60, '2026-11-29_1142_Camera-Sabotage_10.0.0.23.eml'],
    [m, '.eml', -11 * 60, '2026-11-28_2342_Camera-Sabotage_10.0.0.23.eml'],
    [m, 'snapshot.jpg', 0, '2026-11-29_1042_Camera-Sabotage_10.0.0.23_snapshot.jpg'],
    [{ ...m, subject: 'Motion' }, '.eml', 0, '2026-11-29_1042_Motion_10.0.0.23.eml'],
    [{ ...m, subject: '' }, '.eml', 0, '2026-11-29_1042_message_10.0.0.23.eml'],
    [{ ...m, subject: 'Alarm: ' }, '.eml', 0, '2026-11-29_1042_Alarm_10.0.0.23.eml'],
    [{ ...m, subject: 'Kamera: Sabotage über Tür / Tor' }, '.eml', 0, '2026-11-29_1042_Sabotage-uber-Tur-Tor_10.0.0.23.eml'],
    [{ ...m, subject: '../../etc/passwd' }, '.eml', 0, '2026-11-29_1042_etc-passwd_10.0.0.23.eml'],
    [{ ...m, clientIp: '::1' }, '.eml', 0, '2026-11-29_1042_Camera-Sabotage_-1.eml'],
  ])('%j %s %i → %s', (msg, suffix, tz, expected) => expect(downloadName(msg, suffix, tz)).toBe(expected));
});

describe('fileNamePart', () => {
  it.each([
    ['Camera Sabotage', 'Camera-Sabotage'],
    ['  --x--  ', 'x'],
    ['a'.repeat(60), 'a'.repeat(40)],
    ['日本', ''],
    ['a b'.repeat(30), 'a-ba-ba-ba-ba-ba-ba-ba-ba-ba-ba-ba-ba-ba'],
  ])('%j → %j', (text, part) => expect(fileNamePart(text)).toBe(part));
});
