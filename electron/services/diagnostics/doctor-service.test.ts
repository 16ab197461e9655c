import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS, type CheckId, type CheckResult, type DoctorReport } from '../../../shared/domain/diagnostics';
import type { RelayState } from '../../../shared/domain/relay';
import { silentLogger } from '../common/logger';
import { startCamera, type SimCamera, type SimCameraOptions } from '../../simulator/index';
import { factoryState } from '../../simulator/state';
import { DoctorService, type DoctorDeps } from './doctor-service';
import { StaticResolver } from './resolver';
import { countingDialer, freePort, startSmtpPeer, type SmtpPeer } from './test-peers';

let relayPeer: SmtpPeer;
const cameras: SimCamera[] = [];
beforeAll(async () => {
  relayPeer = await startSmtpPeer('refuse-relay', { localDomain: 'example.com' });
});
afterAll(async () => {
  for (const c of cameras) await c.stop();
  await relayPeer.close();
});

/** A simulated camera whose General settings point at `relay.site.lan` (resolved by the test resolver). */
async function camera(o: SimCameraOptions & { smtpServer?: string; sabotage?: { active: boolean; sensitivity: number }; password?: string } = {}): Promise<SimCamera> {
  const { smtpServer = 'relay.site.lan', sabotage, password = 'admin', ...rest } = o;
  const st = factoryState('Cam1', 'admin', password);
  st.general.smtpServer = smtpServer;
  if (sabotage) st.analytics.behaviours['camera-sabotage'] = sabotage;
  const cam = await startCamera({ address: '127.0.1.90', ...rest, initialState: { general: st.general, analytics: st.analytics, users: st.users } });
  cameras.push(cam);
  return cam;
}

const relayState = (allow: string[]): RelayState => ({
  status: 'listening',
  listenAddress: '192.168.0.10',
  port: 25,
  allow,
  acceptAnyAuth: true,
  maxMessageBytes: 1024,
  messageCount: 0,
  queueLength: 0,
  activeSessions: 0,
  dataDir: '/tmp/relay',
});

function doctor(over: Partial<DoctorDeps> = {}) {
  const dial = countingDialer();
  const d = new DoctorService({
    resolver: new StaticResolver({ 'relay.site.lan': ['127.0.0.1'] }),
    log: silentLogger,
    dial,
    bindProbe: async () => 'ok',
    cameraSmtpPort: relayPeer.port,
    timeouts: { connectMs: 5000, replyMs: 5000, ntpMs: 2000 },
    ...over,
  });
  return { d, dial };
}

const byId = (r: DoctorReport) => Object.fromEntries(r.checks.map((c) => [c.id, c])) as Record<CheckId, CheckResult>;

describe('doctor against the camera simulator', () => {
  it('skewed clock, 19 handlers, sabotage off, old firmware; probes the camera\'s own SMTP server with its handler\'s To', async () => {
    // A password unlike the user name, so the leak check below finds the password and not the user the login line names.
    const cam = await camera({ clockOffsetMs: 400_000, prefillHandlers: 19, firmware: '1.9.2', password: 'Pw-7731-secret' });
    const { d } = doctor({ relay: { getState: () => relayState(['127.0.1.0/24']) } });
    const seen: string[] = [];
    const r = await d.run({ camera: { url: cam.url, username: 'admin', password: 'Pw-7731-secret' }, sendTest: false }, { onCheck: (c) => seen.push(c.id) });
    expect(r.checks.map((c) => c.id)).toEqual(CHECK_IDS);
    expect(seen).toEqual(CHECK_IDS);
    const by = byId(r);
    expect(by['camera-reachable'].verdict).toBe('pass');
    expect(by['camera-login'].verdict).toBe('pass');
    expect(by['camera-clock']).toMatchObject({ verdict: 'fail', article: 'ntp-clock-skew', message: expect.stringMatching(/^The camera clock is 6 min \d+ s ahead of this laptop/) });
    expect(by['camera-clock'].details.offsetMs as number).toBeGreaterThan(390_000);
    expect(by['camera-firmware']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/1\.9\.2 is older than 3\.29\.69/) });
    expect(by['camera-handlers']).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/^19\/20 handlers used/) });
    expect(by['camera-smtp-server']).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/relay\.site\.lan/) });
    expect(by['camera-sabotage']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/not active/) });
    expect(by['smtp-resolve'].message).toMatch(/relay\.site\.lan → 127\.0\.0\.1/);
    // The camera's handler has an example.com recipient, which this relay accepts.
    expect(by['smtp-recipient']).toMatchObject({ verdict: 'pass', details: expect.objectContaining({ to: expect.stringMatching(/@example\.com$/) }) });
    expect(by['relay-allow-list']).toMatchObject({ verdict: 'pass', message: '127.0.1.90 is on the relay allow-list.' });
    expect(r.exitCode).toBe(1);
    // The password never leaves the machine side.
    expect(JSON.stringify(r)).not.toContain('Pw-7731');
  });

  it('20 handlers, sabotage at 10, clock 30 s off, patched firmware; camera not on the allow-list', async () => {
    const cam = await camera({ address: '127.0.1.91', clockOffsetMs: -30_000, prefillHandlers: 20, firmware: '3.30.1', sabotage: { active: true, sensitivity: 10 } });
    const { d } = doctor({ relay: { getState: () => relayState(['10.0.0.0/8']) } });
    const by = byId(await d.run({ camera: { url: cam.url, username: 'admin', password: 'admin' }, sendTest: false }));
    expect(by['camera-handlers']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/^20\/20 handlers used \(all\)/) });
    // 10 is the test value: a camera left there alarms on every shadow, so the doctor warns with the fix.
    expect(by['camera-sabotage']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/stays at sensitivity 10/), fix: expect.stringMatching(/^Set the scene sensitivity/) });
    expect(by['camera-clock']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/behind this laptop/) });
    expect(by['camera-firmware'].verdict).toBe('pass');
    expect(by['relay-allow-list']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/127\.0\.1\.91 is not on the relay allow-list/) });
  });

  it('a wrong password fails the login, still measures the clock, and skips the rest of the camera', async () => {
    const cam = await camera({ address: '127.0.1.92' });
    const { d } = doctor();
    const by = byId(await d.run({ camera: { url: cam.url, username: 'admin', password: 'wrong' }, sendTest: false }));
    expect(by['camera-login']).toMatchObject({ verdict: 'fail', article: 'factory-defaults', fix: expect.stringMatching(/admin\/admin/) });
    expect(by['camera-clock'].verdict).toBe('pass');
    for (const id of ['camera-firmware', 'camera-handlers', 'camera-smtp-server', 'camera-sabotage'] as const) expect(by[id].verdict).toBe('skipped');
    expect(by['smtp-resolve']).toMatchObject({ verdict: 'skipped', message: 'No SMTP server to check.' });
  });

  it('an explicit --smtp-server that differs from the camera\'s is probed, with a warning', async () => {
    const cam = await camera({ address: '127.0.1.93' });
    const accept = await startSmtpPeer('accept');
    try {
      const { d } = doctor();
      const by = byId(await d.run({ camera: { url: cam.url, username: 'admin', password: 'admin' }, smtpServer: { host: '127.0.0.1', port: accept.port }, to: 'x@site.lan', sendTest: false }));
      expect(by['camera-smtp-server']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/sends mail to relay\.site\.lan, but the SMTP checks below probe 127\.0\.0\.1/) });
      expect(by['smtp-connect'].details).toBeDefined();
      expect(by['smtp-recipient']).toMatchObject({ verdict: 'pass', details: expect.objectContaining({ to: 'x@site.lan' }) });
    } finally {
      await accept.close();
    }
  });

  it('a camera that points at this app\'s relay is probed on the relay\'s port (practice mode)', async () => {
    const cam = await camera({ address: '127.0.1.95', smtpServer: '127.0.0.1' });
    const state = { ...relayState(['127.0.1.0/24']), listenAddress: '127.0.0.1', port: relayPeer.port };
    const { d, dial } = doctor({ cameraSmtpPort: undefined, relay: { getState: () => state } });
    const by = byId(await d.run({ camera: { url: cam.url, username: 'admin', password: 'admin' }, to: 'ops@example.com', sendTest: false }));
    expect(by['smtp-connect']).toMatchObject({ verdict: 'pass', message: expect.stringContaining(`127.0.0.1:${relayPeer.port}`) });
    expect(by['smtp-local']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/camera itself/) });
    expect(dial.attempts).toContain(`127.0.0.1:${relayPeer.port}`);
    expect(by['relay-listening']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(/loopback/) });
  });

  it('without relay state, a relay on this machine is judged from the SMTP probe (CLI case)', async () => {
    const { d } = doctor({ localAddresses: () => ['127.0.0.1', '192.0.2.77'] });
    const by = byId(await d.run({ smtpServer: { host: '127.0.0.1', port: relayPeer.port }, sendTest: false }));
    expect(by['relay-listening']).toMatchObject({ verdict: 'warn', message: expect.stringMatching(new RegExp(`listens on 127\\.0\\.0\\.1:${relayPeer.port} on this laptop \\(220 `)) });
  });

  it('says when the camera itself has no SMTP or NTP server set', async () => {
    const cam = await camera({ address: '127.0.1.96', smtpServer: '' });
    const { d } = doctor();
    const by = byId(await d.run({ camera: { url: cam.url, username: 'admin', password: 'admin' }, sendTest: false }));
    expect(by['camera-smtp-server']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/no SMTP server set/) });
    expect(by['smtp-resolve']).toMatchObject({ verdict: 'skipped', message: 'The camera has no SMTP server set, and none was given with --smtp-server.' });
    expect(by['ntp-resolve'].message).toMatch(/camera has no NTP server set/);
  });

  it('a camera set to a public provider fails, and nothing connects to the provider', async () => {
    const cam = await camera({ address: '127.0.1.94', smtpServer: 'smtp.gmail.com' });
    const { d, dial } = doctor();
    const by = byId(await d.run({ camera: { url: cam.url, username: 'admin', password: 'admin' }, sendTest: false }));
    expect(by['camera-smtp-server']).toMatchObject({ verdict: 'fail', article: 'forward-gmail', message: expect.stringMatching(/smtp\.gmail\.com.*public mail service/) });
    expect(by['smtp-local'].verdict).toBe('fail');
    expect(by['smtp-connect'].verdict).toBe('skipped');
    // Only the camera itself was dialled (its web port), never the provider.
    expect(dial.attempts).toEqual([`127.0.1.94:${new URL(cam.url).port}`]);
  });

  it('an unreachable camera and a public camera address fail without further camera checks', async () => {
    const port = await freePort();
    const { d, dial } = doctor();
    const r1 = byId(await d.run({ camera: { url: `http://127.0.0.1:${port}`, username: 'admin', password: 'admin' }, sendTest: false }));
    expect(r1['camera-reachable']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/ECONNREFUSED/) });
    expect(r1['camera-login'].verdict).toBe('skipped');
    dial.attempts.length = 0;
    const r2 = byId(await d.run({ camera: { url: 'http://8.8.8.8', username: 'admin', password: 'admin' }, sendTest: false }));
    expect(r2['camera-reachable']).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/not a local address/) });
    expect(dial.attempts).toEqual([]);
  });
});
