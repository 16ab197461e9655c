import { describe, expect, it } from 'vitest';
import jpeg from 'jpeg-js';
import { SIM_ERRORS, type SimCamera } from './index';
import { loopbackCameras } from './test-cameras';
import { WebSession, errorText, formFor, readForms, serialise, applyChanges, norm } from './test-web-client';

const cam = loopbackCameras();

async function session(c: SimCamera): Promise<WebSession> {
  const s = new WebSession(c.url);
  const r = await s.login(c.username, c.password);
  expect(r.status).toBe(302);
  return s;
}

async function addSource(s: WebSession, changes: Record<string, string | boolean | string[]>) {
  return s.edit('/setup/events/sources/new', '/setup/events/sources/save', changes);
}

async function addHandler(s: WebSession, changes: Record<string, string | boolean | string[]>) {
  return s.edit('/setup/events/handlers/new', '/setup/events/handlers/save', { 'Handler Type': 'Send Email', To: 'ops@example.com', From: 'cam@example.com', ...changes });
}

describe('fingerprint and login', () => {
  it('serves /liveview with Sarix&trade; and /jpeg as a decodable JPEG without a login', async () => {
    const c = await cam();
    const lv = await fetch(`${c.url}/liveview`);
    expect(lv.status).toBe(200);
    expect(await lv.text()).toContain('Sarix&trade;');
    const img = await fetch(`${c.url}/jpeg`);
    expect(img.headers.get('content-type')).toBe('image/jpeg');
    const decoded = jpeg.decode(Buffer.from(await img.arrayBuffer()));
    expect([decoded.width, decoded.height]).toEqual([640, 360]);
  });

  it('logs in with a 302 to /liveview and both cookies; wrong credentials get a 302 to the login page and no cookies', async () => {
    const c = await cam();
    const bad = new WebSession(c.url);
    const r1 = await bad.login('admin', 'wrong');
    expect(r1.status).toBe(302);
    expect(r1.location).toMatch(/^\/login/);
    expect(bad.cookieNames()).toEqual([]);
    expect((await bad.get('/setup/system/general')).location).toBe('/login');

    const good = new WebSession(c.url);
    const r2 = await good.login('admin', 'admin');
    expect(r2.status).toBe(302);
    expect(r2.location).toBe('/liveview');
    expect(good.cookieNames().sort()).toEqual(['PHPSESSID', 'authos-token']);
    const page = await good.get('/setup/system/general');
    expect(page.status).toBe(200);
    expect(page.html).toContain('SMTP Server');
  });

  it('redirects every /setup/* page to the login page without a session, and after logout', async () => {
    const c = await cam();
    for (const p of ['/setup/system/general', '/setup/events/sources', '/setup/events/handlers', '/setup/events/analytics', '/setup/users', '/setup/network/ssh']) {
      const r = await fetch(c.url + p, { redirect: 'manual' });
      expect([p, r.status, r.headers.get('location')]).toEqual([p, 302, '/login']);
    }
    const s = await session(c);
    await s.get('/auth/logout');
    expect((await s.get('/setup/users')).location).toBe('/login');
  });

  it('expires an idle session (clock injected, no sleeping) and after a reboot', async () => {
    let now = Date.parse('2026-03-02T10:00:00Z');
    const c = await cam({ now: () => now, faults: { sessionIdleMs: 60_000 } });
    const s = await session(c);
    now += 59_000;
    expect((await s.get('/setup/system/general')).status).toBe(200);
    now += 59_000; // still within idle time of the last request
    expect((await s.get('/setup/system/general')).status).toBe(200);
    now += 61_000;
    expect((await s.get('/setup/system/general')).location).toBe('/login');
    const s2 = await session(c);
    c.restart();
    expect((await s2.get('/setup/system/general')).location).toBe('/login');
  });

  it('refuses a forged session cookie', async () => {
    const c = await cam();
    await session(c);
    const r = await fetch(`${c.url}/setup/system/general`, { headers: { cookie: 'PHPSESSID=abc; authos-token=def' }, redirect: 'manual' });
    expect(r.status).toBe(302);
  });
});

describe('general settings', () => {
  it('saves SMTP and NTP found by label and shows them again; state() reflects them', async () => {
    const c = await cam();
    const s = await session(c);
    const r = await s.edit('/setup/system/general', '/setup/system/general', { 'SMTP Server': 'mail.site.local', 'Time Server': 'pool.ntp.example', 'Time Zone': 'Europe/Berlin' });
    expect(r.status).toBe(302);
    const f = formFor((await s.get('/setup/system/general')).html, '/setup/system/general');
    expect(f.controls.find((x) => x.label === 'smtp server')?.value).toBe('mail.site.local');
    expect(c.state().general).toMatchObject({ smtpServer: 'mail.site.local', ntpServer: 'pool.ntp.example', timeZone: 'Europe/Berlin' });
  });

  it('resets fields left out of the POST to factory defaults (full-object replace)', async () => {
    const c = await cam({ deviceName: 'Lobby' });
    const s = await session(c);
    await s.edit('/setup/system/general', '/setup/system/general', { 'Device Name': 'Gate', 'SMTP Server': '10.0.0.5', 'Time Server': '10.0.0.6', 'Show Date/Time Overlay': true });
    expect(c.state().general).toMatchObject({ deviceName: 'Gate', smtpServer: '10.0.0.5', ntpServer: '10.0.0.6', dateOverlay: true });
    const r = await s.edit('/setup/system/general', '/setup/system/general', { 'SMTP Server': '10.0.0.7' }, ['Time Server', 'Device Name']);
    expect(r.status).toBe(302);
    expect(c.state().general).toMatchObject({ deviceName: 'Lobby', smtpServer: '10.0.0.7', ntpServer: '', dateOverlay: true });
  });

  it('refuses a POST without the form token or with a wrong one (403, nothing saved)', async () => {
    const c = await cam();
    const s = await session(c);
    const before = c.state();
    const page = await s.get('/setup/system/general');
    const form = applyChanges(formFor(page.html, '/setup/system/general'), { 'SMTP Server': 'evil.example' });
    const body = serialise(form);
    body.delete('f_tk');
    const r1 = await s.post('/setup/system/general', body);
    expect(r1.status).toBe(403);
    expect(errorText(r1.html)).toBe(SIM_ERRORS.token);
    body.set('f_tk', 'forged');
    expect((await s.post('/setup/system/general', body)).status).toBe(403);
    expect(c.state()).toEqual(before);
  });

  it('refuses a host name with spaces, with the error in role=alert', async () => {
    const c = await cam();
    const s = await session(c);
    const r = await s.edit('/setup/system/general', '/setup/system/general', { 'SMTP Server': 'mail server' });
    expect(r.status).toBe(200);
    expect(errorText(r.html)).toMatch(/SMTP Server/);
    expect(c.state().general.smtpServer).toBe('');
  });
});

describe('sources and handlers', () => {
  it('creates a source and a Send Email handler linked to it, listed with Edit and Delete', async () => {
    const c = await cam();
    const s = await session(c);
    expect((await addSource(s, { Name: 'Door1', 'Source Type': 'Alarm' })).status).toBe(302);
    const r = await addHandler(s, { Name: 'MailOps', Subject: 'Door', Message: 'Door opened', 'JPEG Snapshot': true, 'Attach Raw Event Data': true, Sources: ['Door1'], Days: ['Monday', 'Friday'], 'Start Time (HHMM)': '0800', 'End Time (HHMM)': '1730' });
    expect(r.status).toBe(302);
    expect(r.location).toBe('/setup/events/handlers');
    const h = c.state().handlers[0];
    expect(h).toMatchObject({ name: 'MailOps', type: 'email', to: 'ops@example.com', jpegSnapshot: true, rawEventData: true, sources: ['Door1'], days: ['mon', 'fri'], startTime: '0800', endTime: '1730' });
    const list = (await s.get('/setup/events/handlers')).html;
    expect(list).toContain('MailOps');
    expect(readForms(list).some((f) => f.action === '/setup/events/handlers/delete')).toBe(true);
    expect(list).toMatch(/href="\/setup\/events\/handlers\/edit\?[^"]+">Edit</);
  });

  it.each([
    ['A', SIM_ERRORS.name('Source')],
    ['Has Space', SIM_ERRORS.name('Source')],
    ['x'.repeat(24), SIM_ERRORS.name('Source')],
    ['dash-name', SIM_ERRORS.name('Source')],
  ])('refuses the source name %j', async (name, err) => {
    const c = await cam();
    const s = await session(c);
    const r = await addSource(s, { Name: name });
    expect(r.status).toBe(200);
    expect(errorText(r.html)).toBe(err);
    expect(c.state().sources).toEqual([]);
  });

  it('accepts 2 and 23 characters and refuses a duplicate name (case-insensitive)', async () => {
    const c = await cam();
    const s = await session(c);
    expect((await addSource(s, { Name: 'AB' })).status).toBe(302);
    expect((await addSource(s, { Name: 'x'.repeat(23) })).status).toBe(302);
    const r = await addSource(s, { Name: 'ab' });
    expect(errorText(r.html)).toBe(SIM_ERRORS.duplicate('Source', 'ab'));
  });

  it('refuses a handler naming a source that does not exist, and one with no source', async () => {
    const c = await cam();
    const s = await session(c);
    await addSource(s, { Name: 'Real1' });
    const page = await s.get('/setup/events/handlers/new');
    const form = applyChanges(formFor(page.html, '/setup/events/handlers/save'), { Name: 'H1', 'Handler Type': 'Send Email', To: 'a@b.c', From: 'c@d.e', Sources: ['Real1'] });
    const body = serialise(form);
    const sourceBox = form.controls.find((x) => x.group === 'sources');
    body.set(sourceBox!.name, 'Ghost1');
    const r = await s.post('/setup/events/handlers/save', body);
    expect(errorText(r.html)).toBe(SIM_ERRORS.missingSource('Ghost1'));
    const r2 = await addHandler(s, { Name: 'H2', Sources: [] });
    expect(errorText(r2.html)).toBe(SIM_ERRORS.noSource);
    expect(c.state().handlers).toEqual([]);
  });

  it('takes the 20th handler and refuses the 21st', async () => {
    const c = await cam({ prefillHandlers: 19 });
    const s = await session(c);
    expect(c.state().handlers).toHaveLength(19);
    expect((await addHandler(s, { Name: 'Twentieth', Sources: ['Alarm1'] })).status).toBe(302);
    const r = await addHandler(s, { Name: 'TwentyFirst', Sources: ['Alarm1'] });
    expect(r.status).toBe(200);
    expect(errorText(r.html)).toBe(SIM_ERRORS.maxHandlers);
    expect(c.state().handlers).toHaveLength(20);
    // Editing an existing handler is still allowed at the limit.
    const list = (await s.get('/setup/events/handlers')).html;
    const href = /href="(\/setup\/events\/handlers\/edit\?[^"]*Twentieth)"/.exec(list)![1];
    expect((await s.edit(href, '/setup/events/handlers/save', { Subject: 'Edited' })).status).toBe(302);
    expect(c.state().handlers.find((h) => h.name === 'Twentieth')?.subject).toBe('Edited');
  });

  it('edits a handler with full replace: fields not posted revert to defaults', async () => {
    const c = await cam({ prefillHandlers: 1 });
    const s = await session(c);
    const list = (await s.get('/setup/events/handlers')).html;
    const href = /href="(\/setup\/events\/handlers\/edit\?[^"]*)">Edit/.exec(list)![1].replace(/&amp;/g, '&');
    const r = await s.edit(href, '/setup/events/handlers/save', { 'JPEG Snapshot': true }, ['Subject', 'Message']);
    expect(r.status).toBe(302);
    expect(c.state().handlers[0]).toMatchObject({ name: 'Prefill1', subject: '', message: '', jpegSnapshot: true, to: 'ops1@example.com' });
  });

  it('validates e-mail addresses, HHMM times and the relay duration', async () => {
    const c = await cam();
    const s = await session(c);
    await addSource(s, { Name: 'S1' });
    expect(errorText((await addHandler(s, { Name: 'H1', To: 'not-an-address', Sources: ['S1'] })).html)).toBe(SIM_ERRORS.email('To'));
    expect(errorText((await addHandler(s, { Name: 'H1', Sources: ['S1'], 'Start Time (HHMM)': '2500', 'End Time (HHMM)': '0100' })).html)).toBe(SIM_ERRORS.hhmm);
    expect(errorText((await addHandler(s, { Name: 'H1', Sources: ['S1'], 'Handler Type': 'Open/Close Relay', 'Relay Duration (seconds)': '250' })).html)).toBe(SIM_ERRORS.relayDuration);
    expect((await addHandler(s, { Name: 'H1', Sources: ['S1'], 'Handler Type': 'Open/Close Relay', 'Relay Duration (seconds)': '0.1' })).status).toBe(302);
  });

  it('renames a source into its handlers and refuses to delete a source in use', async () => {
    const c = await cam({ prefillHandlers: 1 });
    const s = await session(c);
    const list = (await s.get('/setup/events/sources')).html;
    const href = /href="(\/setup\/events\/sources\/edit\?[^"]*)">Edit/.exec(list)![1];
    expect((await s.edit(href, '/setup/events/sources/save', { Name: 'Door2' })).status).toBe(302);
    expect(c.state().handlers[0].sources).toEqual(['Door2']);
    const del = formFor((await s.get('/setup/events/sources')).html, '/setup/events/sources/delete');
    const r = await s.post(del.action, serialise(del));
    expect(errorText(r.html)).toBe(SIM_ERRORS.sourceInUse('Door2', 'Prefill1'));
    const hdel = formFor((await s.get('/setup/events/handlers')).html, '/setup/events/handlers/delete');
    expect((await s.post(hdel.action, serialise(hdel))).status).toBe(302);
    const del2 = formFor((await s.get('/setup/events/sources')).html, '/setup/events/sources/delete');
    expect((await s.post(del2.action, serialise(del2))).status).toBe(302);
    expect(c.state()).toMatchObject({ sources: [], handlers: [] });
  });
});

describe('analytics', () => {
  async function behaviourHref(s: WebSession, name: string): Promise<string> {
    const html = (await s.get('/setup/events/analytics')).html;
    const m = new RegExp(`href="([^"]+)">${name}<`).exec(html);
    return m![1];
  }

  it('refuses sensitivity outside 1-10 for a behaviour and for the profile', async () => {
    const c = await cam();
    const s = await session(c);
    const href = await behaviourHref(s, 'Camera Sabotage');
    for (const v of ['0', '11', '5.5', 'high']) {
      const r = await s.edit(href, href, { 'Activate Behavior': true, Sensitivity: v });
      expect([v, errorText(r.html)]).toEqual([v, SIM_ERRORS.sensitivity]);
    }
    expect(errorText((await s.edit('/setup/events/analytics', '/setup/events/analytics', { Sensitivity: '12' })).html)).toBe(SIM_ERRORS.sensitivity);
    expect((await s.edit(href, href, { 'Activate Behavior': true, Sensitivity: '10' })).status).toBe(302);
    expect(c.state().analytics.behaviours['camera-sabotage']).toEqual({ active: true, sensitivity: 10 });
    expect((await s.edit('/setup/events/analytics', '/setup/events/analytics', { 'Scene Type': 'Outdoor', Background: 'Noisy', 'Fine Tuning': 'Aggressive', Sensitivity: '7' })).status).toBe(302);
    expect(c.state().analytics.profile).toEqual({ sceneType: 'outdoor', background: 'noisy', fineTuning: 'aggressive', sensitivity: 7 });
  });

  it('refuses one active behaviour too many with the verbatim processing-power text', async () => {
    const c = await cam({ maxActiveBehaviours: 2 });
    const s = await session(c);
    for (const name of ['Camera Sabotage', 'Adaptive Motion']) {
      const href = await behaviourHref(s, name);
      expect((await s.edit(href, href, { 'Activate Behavior': true })).status).toBe(302);
    }
    const href = await behaviourHref(s, 'Loitering Detection');
    const r = await s.edit(href, href, { 'Activate Behavior': true });
    expect(errorText(r.html)).toBe('The camera does not have enough processing power to activate this behavior');
    expect(c.state().analytics.behaviours['loitering-detection'].active).toBe(false);
    // Re-saving an already active behaviour is not a new activation.
    const again = await behaviourHref(s, 'Camera Sabotage');
    expect((await s.edit(again, again, { Sensitivity: '9', 'Activate Behavior': true })).status).toBe(302);
  });
});

describe('users', () => {
  it('checks password length, keeps the last admin, and a new password works for login', async () => {
    const c = await cam();
    const s = await session(c);
    expect(errorText((await s.edit('/setup/users/new', '/setup/users/save', { Username: 'tech1', Password: 'abc', Role: 'Manager' })).html)).toBe(SIM_ERRORS.password);
    expect((await s.edit('/setup/users/new', '/setup/users/save', { Username: 'tech1', Password: 'secret1', Role: 'Manager' })).status).toBe(302);
    const del = readForms((await s.get('/setup/users')).html).filter((f) => f.action === '/setup/users/delete');
    expect(errorText((await s.post('/setup/users/delete', serialise(del[0]))).html)).toBe(SIM_ERRORS.lastAdmin);
    const s2 = new WebSession(c.url);
    expect((await s2.login('tech1', 'secret1')).location).toBe('/liveview');
  });
});

describe('alt form variant', () => {
  it('uses other names, order and token for the same labels, and still works by label', async () => {
    const std = await cam();
    const alt = await cam({ address: '127.0.0.2', formVariant: 'alt' });
    const fs = formFor((await (await session(std)).get('/setup/events/handlers/new')).html, '/setup/events/handlers/save');
    const sa = await session(alt);
    const fa = formFor((await sa.get('/setup/events/handlers/new')).html, '/setup/events/handlers/save');
    const labelled = (f: typeof fs) => f.controls.filter((x) => x.label && !x.group);
    const namesStd = new Map(labelled(fs).map((x) => [x.label, x.name]));
    for (const x of labelled(fa)) if (namesStd.has(x.label)) expect(x.name).not.toBe(namesStd.get(x.label));
    expect(labelled(fa).map((x) => x.label)).not.toEqual(labelled(fs).map((x) => x.label));
    expect(labelled(fa).map((x) => x.label)).toContain(norm('Installer Notes'));
    expect(fa.controls.some((x) => x.name === 'f_tk')).toBe(false);
    expect(fa.controls.some((x) => x.name === '__vtok_x')).toBe(true);
    const r = await sa.edit('/setup/system/general', '/setup/system/general', { 'smtp server': 'relay.local', 'TIME   SERVER': '10.1.1.1' });
    expect(r.status).toBe(302);
    expect(alt.state().general).toMatchObject({ smtpServer: 'relay.local', ntpServer: '10.1.1.1' });
  });

  it('has unique field names in every form of both variants', async () => {
    for (const variant of ['standard', 'alt'] as const) {
      const c = await cam({ formVariant: variant, prefillHandlers: 1, address: variant === 'alt' ? '127.0.0.3' : '127.0.0.4' });
      const s = await session(c);
      for (const p of ['/setup/system/general', '/setup/events/sources/new', '/setup/events/handlers/new', '/setup/events/analytics', '/setup/users/new']) {
        for (const f of readForms((await s.get(p)).html)) {
          const names = f.controls.filter((x) => !x.group).map((x) => x.name);
          expect([variant, p, new Set(names).size]).toEqual([variant, p, names.length]);
        }
      }
    }
  });
});

describe('hooks and faults', () => {
  it('exposes state and identity under /__sim/ and answers 404 with help for an unknown trigger', async () => {
    const c = await cam({ prefillHandlers: 2 });
    expect(await (await fetch(`${c.url}/__sim/state`)).json()).toEqual(c.state());
    expect(await (await fetch(`${c.url}/__sim/identity`)).json()).toMatchObject({ ip: c.ip, mac: c.mac, username: 'admin' });
    const r = await fetch(`${c.url}/__sim/trigger`, { method: 'POST', body: JSON.stringify({ source: 'Nope' }) });
    expect(r.status).toBe(404);
    expect(((await r.json()) as { error: string }).error).toMatch(/neither a source/);
    const bad = await fetch(`${c.url}/__sim/trigger`, { method: 'POST', body: '{' });
    expect(bad.status).toBe(400);
  });

  it('state() is a deep copy', async () => {
    const c = await cam({ prefillHandlers: 1 });
    const snap = c.state();
    snap.handlers[0].to = 'changed@x.y';
    expect(c.state().handlers[0].to).toBe('ops1@example.com');
  });

  it('answers 500 to targeted requests (failNext) and at http500Rate 1, then recovers', async () => {
    const c = await cam();
    const s = await session(c);
    c.failNext(/^\/setup\/events\/handlers/, 2);
    expect((await s.get('/setup/events/handlers')).status).toBe(500);
    expect((await s.get('/setup/events/sources')).status).toBe(200);
    expect((await s.get('/setup/events/handlers')).status).toBe(500);
    expect((await s.get('/setup/events/handlers')).status).toBe(200);
    c.setFaults({ http500Rate: 1 });
    expect((await fetch(`${c.url}/liveview`)).status).toBe(500);
    expect((await fetch(`${c.url}/__sim/state`)).status).toBe(200);
    await fetch(`${c.url}/__sim/faults`, { method: 'POST', body: JSON.stringify({ http500Rate: 0, latencyMs: 5 }) });
    expect((await fetch(`${c.url}/liveview`)).status).toBe(200);
  });
});
