import { afterEach, describe, expect, it } from 'vitest';
import type { CameraResult } from '../../../shared/domain/commissioning';
import { failure } from '../../../shared/i18n/messages';
import { stepLine, summaryLine } from './commission-output';

const saved = process.env.LC_ALL;
afterEach(() => {
  if (saved === undefined) delete process.env.LC_ALL;
  else process.env.LC_ALL = saved;
});

const failed = (): CameraResult => ({
  operationId: 'op',
  url: 'http://10.0.0.23',
  verdict: 'fail',
  steps: [],
  rolledBack: false,
  warnings: [],
  requests: 0,
  durationMs: 0,
  error: failure('CAMERA_UNREACHABLE', 'errors.CAMERA_UNREACHABLE.hostNotResolved', { host: 'cam1.site.lan' }).toAppError(),
});

describe('sarix commission output in the terminal language', () => {
  it('English under C, German under a German locale: step titles and the keyed failure', () => {
    process.env.LC_ALL = 'C';
    const step = { id: 'smtp-ntp' as const, title: 'Set SMTP and NTP servers', status: 'done' as const, durationMs: 12, changes: [] };
    expect(stepLine('', step)).toBe('[ ok ] Set SMTP and NTP servers (12 ms)');
    expect(summaryLine(failed())).toBe('http://10.0.0.23: FAIL (CAMERA_UNREACHABLE) The camera host name "cam1.site.lan" does not resolve: use the camera\'s IP address instead.');
    process.env.LC_ALL = 'de_DE.UTF-8';
    expect(stepLine('', step)).toBe('[ ok ] SMTP- und NTP-Server einstellen (12 ms)');
    expect(summaryLine(failed())).toBe('http://10.0.0.23: FAIL (CAMERA_UNREACHABLE) Der Hostname der Kamera „cam1.site.lan“ lässt sich nicht auflösen: Verwenden Sie stattdessen die IP-Adresse der Kamera.');
  });
});
