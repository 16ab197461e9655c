/**
 * The commissioning area's failures are keyed: the English text stays the message, and the same failure is shown
 * in German from its key and parameters (what the renderer's ErrorAlert and the CLI do).
 */
import { describe, expect, it } from 'vitest';
import type { CameraBackup } from '../../../shared/domain/commissioning';
import { localizeError } from '../../../shared/i18n/messages';
import { isAppFailure, type AppFailure } from '../../../shared/ipc/result';
import { parseCameraCsv } from './batch-file';
import { TestGate } from './test-gate';
import { exactBackup } from './undo';

function caught(fn: () => unknown): AppFailure {
  try {
    fn();
  } catch (e) {
    if (isAppFailure(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('commissioning failures in German', () => {
  it('a camera listed twice in a test order', () => {
    const e = caught(() => new TestGate([{ url: 'http://a', needsTechnician: false }, { url: 'http://a', needsTechnician: false }]));
    expect(e.message).toBe('http://a is listed twice: list each camera once.');
    expect(e.key).toBe('errors.VALIDATION.cameraTwice');
    expect(localizeError('de', e)).toBe('http://a steht zweimal in der Liste: Führen Sie jede Kamera nur einmal auf.');
  });

  it('a camera list with bad lines counts them with the right plural in both languages', () => {
    const e = caught(() => parseCameraCsv('ftp://x,admin,admin\n', 'site.csv'));
    expect(e.message).toMatch(/^site\.csv has 1 bad line: /);
    expect(localizeError('de', e)).toMatch(/^site\.csv hat 1 fehlerhafte Zeile: /);
    const empty = caught(() => parseCameraCsv(''));
    expect(empty.message).toBe('the camera list lists no camera. Add lines like: http://192.168.0.20,admin,admin,Lobby');
    expect(localizeError('de', empty)).toBe('die Kameraliste enthält keine Kamera. Fügen Sie Zeilen wie diese hinzu: http://192.168.0.20,admin,admin,Lobby');
  });

  it('an old backup lists what to set by hand, its parts in the same language', () => {
    const v1 = {
      version: 1,
      savedAt: '2026-01-01T00:00:00.000Z',
      url: 'http://10.0.0.23',
      mac: '00:04:7D:00:00:01',
      model: 'IME322',
      general: { smtpServer: 'mail.site.lan', ntpServer: '10.0.0.1' },
      sourceName: 'Sabotage',
      source: null,
      handlerName: 'SabotageMail',
      handler: null,
      analytics: { profile: 'default', behaviours: [{ name: 'Camera Sabotage', active: true, sensitivity: 7 }] },
    } as unknown as CameraBackup;
    const e = caught(() => exactBackup(v1));
    expect(e.message).toContain('SMTP server "mail.site.lan", NTP server "10.0.0.1", Camera Sabotage active at sensitivity 7; delete the handler "SabotageMail"; delete the source "Sabotage".');
    const de = localizeError('de', e);
    expect(de).toContain('Diese Sicherung wurde von einer älteren Version der App geschrieben');
    expect(de).toContain('SMTP-Server „mail.site.lan“, NTP-Server „10.0.0.1“, Camera Sabotage aktiv mit Empfindlichkeit 7; Handler „SabotageMail“ löschen; Quelle „Sabotage“ löschen.');
  });
});
