import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCamera, type SimCamera, type SimCameraOptions } from '../../simulator/index';
import { createSarixWebDriver } from './driver';
import { SARIX_PROFILE } from './firmware-profile';
import { OnvifDevice } from './machine-api';
import { WebSession } from './web-session';
import { localizeError } from '../../../shared/i18n/messages';
import { AppFailure } from '../../../shared/ipc/result';

const cams: SimCamera[] = [];
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(cams.splice(0).map((c) => c.stop()));
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function cam(o: SimCameraOptions = {}): Promise<SimCamera> {
  const c = await startCamera(o);
  cams.push(c);
  return c;
}

const spec = { name: 'SabMail', to: 'alarms@site.lan', from: 'cam1@site.lan', subject: 'Camera sabotage', message: 'Check camera 1', jpegSnapshot: true, rawEventData: true, sources: ['Sabotage'] };

describe.each(['standard', 'alt'] as const)('SarixWebDriver against the simulator (%s forms)', (formVariant) => {
  it('reads identity, clock and general settings', async () => {
    const c = await cam({ formVariant, deviceName: 'Lobby1' });
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    const id = await d.identity();
    expect(id).toMatchObject({ model: c.model, firmware: c.firmware, mac: c.mac.toUpperCase(), serial: c.serial, name: 'Lobby1' });
    const clock = await d.clock();
    expect(clock.via).toBe('onvif');
    expect(Math.abs(clock.skewMs)).toBeLessThan(5000);
    expect(await d.readGeneral()).toEqual({ deviceName: 'Lobby1', smtpServer: '', ntpServer: '' });
  });

  it('changes only the intended General fields and verifies them', async () => {
    const c = await cam({ formVariant, initialState: { general: { deviceName: 'Gate2', smtpServer: '', ntpServer: '', timeZone: 'Europe/Berlin', nameOverlay: true, dateOverlay: false, overlayPosition: 'bottom-right' } } });
    const before = c.state();
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    await d.setSmtpServer('192.168.1.10');
    await d.setNtpServer('ntp.site.lan');
    const after = c.state();
    expect(after.general).toEqual({ ...before.general, smtpServer: '192.168.1.10', ntpServer: 'ntp.site.lan' });
    expect({ ...after, general: null }).toEqual({ ...before, general: null });
  });

  it('ensures source and handler idempotently, and sets Camera Sabotage', async () => {
    const c = await cam({ formVariant });
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    // The handler needs its source first (docs/camera.md §4): the camera refuses, and the driver says so.
    await expect(d.ensureEmailHandler(spec)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/Create the source/) });
    expect((await d.ensureAnalyticsSource('Sabotage', ['Camera Sabotage'])).action).toBe('created');
    expect((await d.ensureEmailHandler(spec)).action).toBe('created');
    const once = c.state();
    expect(once.sources).toEqual([expect.objectContaining({ name: 'Sabotage', type: 'analytics', analyticsAny: false, analyticsBehaviours: ['camera-sabotage'] })]);
    expect(once.handlers).toEqual([expect.objectContaining({ name: 'SabMail', type: 'email', to: spec.to, from: spec.from, subject: spec.subject, message: spec.message, jpegSnapshot: true, rawEventData: true, sources: ['Sabotage'] })]);
    expect((await d.ensureAnalyticsSource('Sabotage', ['Camera Sabotage'])).action).toBe('unchanged');
    expect((await d.ensureEmailHandler(spec)).action).toBe('unchanged');
    expect(c.state()).toEqual(once);
    const raw = await d.readForm({ page: 'handler', item: 'SabMail' });
    const changed = await d.ensureEmailHandler({ ...spec, subject: 'Other' });
    expect(changed).toMatchObject({ action: 'updated', previous: { subject: spec.subject } });
    await d.restoreForm({ page: 'handler', item: 'SabMail' }, raw);
    expect(c.state()).toEqual(once);

    const a = await d.setBehaviour('Camera Sabotage', { active: true, sensitivity: 10 });
    expect(a).toEqual({ name: 'Camera Sabotage', active: true, sensitivity: 10 });
    expect(c.state().analytics.behaviours['camera-sabotage']).toEqual({ active: true, sensitivity: 10 });
    await d.setProfileSensitivity(7);
    expect(c.state().analytics.profile).toEqual({ ...once.analytics.profile, sensitivity: 7 });

    await d.deleteHandler('SabMail');
    await d.deleteSource('Sabotage');
    expect(c.state().handlers).toEqual([]);
    expect(c.state().sources).toEqual([]);
  });

  it('refuses a 21st handler and says how many are used', async () => {
    const c = await cam({ formVariant, prefillHandlers: 20 });
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    expect((await d.listHandlers()).used).toBe(20);
    await d.ensureAnalyticsSource('Sabotage', ['Camera Sabotage']);
    const before = c.state();
    await expect(d.ensureEmailHandler(spec)).rejects.toMatchObject({ code: 'HANDLER_LIMIT', message: expect.stringMatching(/20 of 20 handlers used/) });
    expect(c.state()).toEqual(before);
    // The rule's key travels with the failure: the same refusal in German.
    const f = await d.ensureEmailHandler(spec).then(() => undefined, (e: AppFailure) => e);
    expect(f?.key).toBeTruthy();
    expect(localizeError('de', f!.toAppError())).toMatch(/20 von 20/);
  });

  it('a sensitivity of 11 is refused before anything is sent, in German from the rule key', async () => {
    const c = await cam({ formVariant });
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    const before = c.state();
    const f = await d.setBehaviour('Camera Sabotage', { sensitivity: 11 }).then(() => undefined, (e: AppFailure) => e);
    expect(f).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/from 1 \(least sensitive\) to 10/) });
    expect(localizeError('de', f!.toAppError())).toMatch(/muss eine ganze Zahl von 1 \(am wenigsten empfindlich\) bis 10/);
    expect(c.state()).toEqual(before);
  });
});

describe('SarixWebDriver failures', () => {
  it('a wrong password is AUTH_FAILED with a hint', async () => {
    const c = await cam();
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'nope' });
    await expect(d.readGeneral()).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/admin\/admin/) });
    // Identity still works without valid credentials, from the public UPnP description.
    expect(await d.identity()).toMatchObject({ model: c.model, mac: c.mac.toUpperCase(), sources: ['description'] });
  });

  it('an unreachable camera is CAMERA_UNREACHABLE', async () => {
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as AddressInfo).port;
    await new Promise((r) => s.close(r));
    const d = createSarixWebDriver({ url: `http://127.0.0.1:${port}`, username: 'admin', password: 'admin', timeoutMs: 2000 });
    await expect(d.readGeneral()).rejects.toMatchObject({ code: 'CAMERA_UNREACHABLE', message: expect.stringMatching(/Nothing answers/) });
  });

  it('logs in again once when the session expired', async () => {
    const c = await cam();
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    await d.readGeneral();
    c.expireSessions();
    await d.setSmtpServer('10.0.0.25');
    expect(c.state().general.smtpServer).toBe('10.0.0.25');
    expect(d.stats().logins).toBe(2);
  });

  it('an HTTP 500 on a save is CAMERA_ERROR and changes nothing', async () => {
    const c = await cam();
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    await d.readGeneral();
    c.failNext(/^\/setup\/system\/general$/, 1);
    const before = c.state();
    await expect(d.setSmtpServer('10.0.0.25')).rejects.toMatchObject({ code: 'CAMERA_ERROR', message: expect.stringMatching(/HTTP 500/) });
    expect(c.state()).toEqual(before);
  });

  it('refuses URLs it cannot use', () => {
    expect(() => createSarixWebDriver({ url: 'ftp://1.2.3.4', username: 'a', password: 'b' })).toThrow(/http/);
    expect(() => createSarixWebDriver({ url: 'not a url', username: 'a', password: 'b' })).toThrow(/not a camera URL/);
    expect(() => createSarixWebDriver({ url: 'http://admin:admin@1.2.3.4', username: 'a', password: 'b' })).toThrow(/separately/);
  });

  it('signs ONVIF with the camera clock when it runs an hour ahead', async () => {
    const c = await cam({ clockOffsetMs: 3_600_000 });
    const s = new WebSession({ baseUrl: c.url, username: 'admin', password: 'admin', timeoutMs: 5000, profile: SARIX_PROFILE });
    const onvif = new OnvifDevice(s, SARIX_PROFILE, { username: 'admin', password: 'admin' }, Date.now);
    const info = await onvif.deviceInformation();
    expect(info).toMatchObject({ manufacturer: 'Pelco', model: c.model, serial: c.serial });
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    expect((await d.clock()).skewMs).toBeGreaterThan(3_590_000);
  });
});

describe('firmware profile', () => {
  it('sets NTP over ONVIF SetNTP when the General page has no NTP field (profile without that label)', async () => {
    const c = await cam();
    const profile = { ...SARIX_PROFILE, general: { ...SARIX_PROFILE.general, ntpServer: /^no such label$/ } };
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin', profile });
    await d.writeGeneral({ smtpServer: '10.0.0.25', ntpServer: 'ntp.site.lan' });
    expect(c.state().general).toMatchObject({ smtpServer: '10.0.0.25', ntpServer: 'ntp.site.lan' });
  });

  it('says what to do when a labelled field is missing', async () => {
    const c = await cam();
    const profile = { ...SARIX_PROFILE, general: { ...SARIX_PROFILE.general, smtpServer: /^no such label$/ } };
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin', profile });
    await expect(d.readGeneral()).rejects.toMatchObject({ code: 'CAMERA_ERROR', message: expect.stringMatching(/no SMTP server field.*capture/) });
  });
});

describe('driver failures in German (keyed messages, docs/camera.md §4)', () => {
  async function failureOf(p: Promise<unknown>): Promise<AppFailure> {
    const e = await p.then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(AppFailure);
    return e as AppFailure;
  }

  it('a refused save names the step in the technician\'s language', async () => {
    const c = await cam();
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin' });
    await d.readGeneral();
    c.failNext(/^\/setup\/system\/general$/, 1);
    const f = await failureOf(d.setSmtpServer('10.0.0.25'));
    expect(f.key).toBe('errors.CAMERA_ERROR.refusedStatus');
    expect(f.message).toBe('Saving General Settings: the camera refused (HTTP 500): "500 Internal Server Error"');
    expect(localizeError('de', f.toAppError())).toBe('Speichern der General Settings: Die Kamera hat abgelehnt (HTTP 500): „500 Internal Server Error“');
  });

  it('a missing labelled field and an unusable URL read as German', async () => {
    const c = await cam();
    const profile = { ...SARIX_PROFILE, general: { ...SARIX_PROFILE.general, smtpServer: /^no such label$/ } };
    const d = createSarixWebDriver({ url: c.url, username: 'admin', password: 'admin', profile });
    const f = await failureOf(d.readGeneral());
    expect(localizeError('de', f.toAppError())).toMatch(/^Die Seite System > General wurde auf der Kamera nicht gefunden \(ein Feld für den SMTP-Server auf keiner der versuchten Seiten gefunden\): .*Führen Sie „sarix capture“ aus/);
    let thrown: unknown;
    try {
      createSarixWebDriver({ url: 'ftp://1.2.3.4', username: 'a', password: 'b' });
    } catch (e) {
      thrown = e;
    }
    expect(localizeError('de', (thrown as AppFailure).toAppError())).toBe('„ftp://1.2.3.4“ muss mit http:// oder https:// beginnen.');
  });
});

describe('WebSession redirects', () => {
  async function fake(handler: (url: string) => { status: number; location?: string; cookie?: string }): Promise<string> {
    const s = createServer((req, res) => {
      req.resume();
      const a = handler(req.url ?? '/');
      const h: Record<string, string> = {};
      if (a.location) h.Location = a.location;
      if (a.cookie) h['Set-Cookie'] = a.cookie;
      res.writeHead(a.status, h).end('<html><body>x</body></html>');
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  }

  it('never follows a redirect to another host', async () => {
    const url = await fake((u) => (u === '/auth/validate' ? { status: 302, location: '/liveview', cookie: 'PHPSESSID=1; Path=/' } : { status: 302, location: 'http://127.0.0.2:9/steal' }));
    const s = new WebSession({ baseUrl: url, username: 'admin', password: 'admin', timeoutMs: 2000, profile: SARIX_PROFILE });
    await expect(s.page('GET', '/setup/system/general')).rejects.toMatchObject({ code: 'CAMERA_ERROR', message: expect.stringMatching(/another host/) });
  });

  it('a second bounce to the login page after a fresh login is AUTH_FAILED', async () => {
    let logins = 0;
    const url = await fake((u) => {
      if (u === '/auth/validate') {
        logins++;
        return { status: 302, location: '/liveview', cookie: `PHPSESSID=${logins}; Path=/` };
      }
      return { status: 302, location: '/login' };
    });
    const s = new WebSession({ baseUrl: url, username: 'admin', password: 'admin', timeoutMs: 2000, profile: SARIX_PROFILE });
    await expect(s.page('GET', '/setup/events/handlers')).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(logins).toBe(2);
  });
});
