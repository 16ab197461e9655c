import { describe, expect, it } from 'vitest';
import type { RelayState } from '../../../shared/domain/relay';
import type { PreflightCheck } from '../../../shared/domain/commissioning-session';
import { failure, localizeError } from '../../../shared/i18n/messages';
import { runPreflight, type PreflightDeps } from './preflight-checks';

const relay = (over: Partial<RelayState>): RelayState => ({ status: 'stopped', allow: ['127.0.0.0/8'], acceptAnyAuth: false, maxMessageBytes: 1, messageCount: 0, queueLength: 0, activeSessions: 0, dataDir: '/x', ...over });

function deps(state: RelayState, over: Partial<PreflightDeps> = {}): PreflightDeps {
  return {
    relayState: () => state,
    localAddresses: () => [{ address: '10.0.0.5', netmask: '255.255.255.0', family: 'IPv4' }],
    resolveHost: async () => [],
    queryNtp: async () => ({ offsetMs: 1234.4, stratum: 2 }),
    ...over,
  };
}

const byId = (checks: PreflightCheck[], id: PreflightCheck['id']) => checks.find((c) => c.id === id)!;
const german = (text: string, keyed: { key: string; params?: Record<string, unknown> } | undefined) => localizeError('de', { message: text, key: keyed?.key, params: keyed?.params as never });

describe('pre-flight checks', () => {
  it('a stopped relay: English as before, German from the keys, the fix label in both', async () => {
    const r = await runPreflight({ cameraIp: '10.0.0.23', cameraAnswers: async () => undefined, ntpServer: '10.0.0.1' }, deps(relay({ status: 'stopped' })));
    const running = byId(r.checks, 'relay-running');
    expect(running.title).toBe('The relay is running');
    expect(running.message).toBe("The relay is stopped: the camera's test e-mail would be lost. Start it on 10.0.0.5:25.");
    expect(german(running.title, running.titleI18n)).toBe('Das Relay läuft');
    expect(german(running.message, running.messageI18n)).toBe('Das Relay ist gestoppt: Die Test-E-Mail der Kamera ginge verloren. Starten Sie es auf 10.0.0.5:25.');
    expect(running.fix?.label).toBe('Start the relay on 10.0.0.5:25');
    expect(german(running.fix!.label, running.fix!.labelI18n)).toBe('Relay auf 10.0.0.5:25 starten');
    expect(r.isReady).toBe(false);
    // The NTP offset reads as the English did (no digit grouping), in both languages.
    const ntp = byId(r.checks, 'ntp-answers');
    expect(ntp.message).toBe('10.0.0.1 answers NTP (stratum 2; this computer is 1234 ms behind).');
    expect(german(ntp.message, ntp.messageI18n)).toBe('10.0.0.1 antwortet per NTP (Stratum 2; dieser Computer geht 1234 ms nach).');
  });

  it('a relay on loopback port 2525 for a real camera: both problems, and the allow-list, in both languages', async () => {
    const r = await runPreflight({ cameraIp: '10.0.0.23', cameraAnswers: async () => undefined, ntpServer: '' }, deps(relay({ status: 'listening', listenAddress: '127.0.0.1', port: 2525 })));
    const reach = byId(r.checks, 'relay-reachable');
    expect(reach.message).toBe('Not reachable: the relay listens on 127.0.0.1, but the camera 10.0.0.23 reaches this computer at 10.0.0.5; the relay listens on port 2525, but a Sarix camera always sends to port 25 (it has no port setting).');
    expect(german(reach.message, reach.messageI18n)).toBe(
      'Nicht erreichbar: das Relay lauscht auf 127.0.0.1, die Kamera 10.0.0.23 erreicht diesen Computer aber unter 10.0.0.5; das Relay lauscht auf Port 2525, eine Sarix-Kamera sendet aber immer an Port 25 (sie hat keine Port-Einstellung).',
    );
    const allows = byId(r.checks, 'relay-allows');
    expect(allows.message).toBe("10.0.0.23 is not on the relay's allow-list: the relay would refuse the camera, and the camera does not send a refused e-mail again.");
    expect(german(allows.fix!.label, allows.fix!.labelI18n)).toBe('10.0.0.23 erlauben');
    const ntp = byId(r.checks, 'ntp-answers');
    expect(ntp.verdict).toBe('fail');
    expect(german(ntp.message, ntp.messageI18n)).toMatch(/NTP-Server/);
  });

  it('a camera that refuses the login keeps the failure key, so the check reads in German', async () => {
    const refused = failure('AUTH_FAILED', 'errors.AUTH_FAILED.camera', { origin: 'http://10.0.0.23' });
    const r = await runPreflight(
      {
        cameraIp: '10.0.0.23',
        cameraAnswers: async () => {
          throw refused;
        },
        ntpServer: '10.0.0.1',
      },
      deps(relay({ status: 'listening', listenAddress: '10.0.0.5', port: 25, allow: ['10.0.0.23'] })),
    );
    const cam = byId(r.checks, 'camera-answers');
    expect(cam.verdict).toBe('fail');
    expect(cam.message).toBe(refused.message);
    expect(cam.messageI18n?.key).toBe('errors.AUTH_FAILED.camera');
    expect(german(cam.message, cam.messageI18n)).toMatch(/^Die Kamera unter http:\/\/10\.0\.0\.23 hat/);
    expect(byId(r.checks, 'relay-reachable').message).toBe("The relay is on the camera's subnet (10.0.0.5) and on port 25.");
    expect(byId(r.checks, 'relay-allows').message).toBe("10.0.0.23 is on the relay's allow-list.");
  });
});
