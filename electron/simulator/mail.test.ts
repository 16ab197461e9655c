import { afterEach, describe, expect, it } from 'vitest';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import jpeg from 'jpeg-js';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { once } from 'node:events';
import { startCamera, type SimCamera, type SimCameraOptions, type SimState } from './index';
import { defaultAnalytics, defaultHandler, defaultSource } from './state';

interface Peer {
  port: number;
  mails: { parsed: ParsedMail; session: SMTPServerSession; mailFrom: string; rcptTo: string[] }[];
  connections: number;
  mailFromAttempts: number;
  ehlo: string[];
  close(): Promise<void>;
}

/** A real SMTP server (smtp-server) on 127.0.0.1, recording what arrives. */
async function smtpPeer(extra: Partial<SMTPServerOptions> = {}): Promise<Peer> {
  const peer: Peer = { port: 0, mails: [], connections: 0, mailFromAttempts: 0, ehlo: [], close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    logger: false,
    onConnect(_s, cb) {
      peer.connections++;
      cb();
    },
    onData(stream, session, cb) {
      simpleParser(stream).then((parsed) => {
        peer.mails.push({ parsed, session, mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', rcptTo: session.envelope.rcptTo.map((r) => r.address) });
        cb();
      }, cb);
    },
    ...extra,
    onMailFrom(addr, session, cb) {
      peer.mailFromAttempts++;
      peer.ehlo.push(session.hostNameAppearsAs);
      if (extra.onMailFrom) return extra.onMailFrom(addr, session, cb);
      cb();
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  peer.port = (server.server.address() as AddressInfo).port;
  peer.close = () => new Promise((r) => server.close(() => r()));
  return peer;
}

const cams: SimCamera[] = [];
const peers: Peer[] = [];
afterEach(async () => {
  await Promise.all(cams.splice(0).map((c) => c.stop()));
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

function siteState(smtpServer: string, sabotageSensitivity = 5): Partial<SimState> {
  const analytics = defaultAnalytics();
  analytics.behaviours['camera-sabotage'] = { active: true, sensitivity: sabotageSensitivity };
  return {
    general: { deviceName: 'Lobby01', smtpServer, ntpServer: '', timeZone: 'UTC', nameOverlay: false, dateOverlay: false, overlayPosition: 'top-left' },
    sources: [{ ...defaultSource('Sabotage1'), type: 'analytics', analyticsAny: false, analyticsBehaviours: ['camera-sabotage'] }, defaultSource('Door1')],
    handlers: [
      { ...defaultHandler('MailOps'), to: 'ops@site.example', from: 'cam01@site.example', subject: 'Camera sabotage', message: 'Someone covered the lens.', jpegSnapshot: true, rawEventData: true, sources: ['Sabotage1'] },
      { ...defaultHandler('DoorMail'), to: 'door@site.example', from: 'cam01@site.example', subject: 'Door', message: 'Door input', sources: ['Door1'] },
    ],
    analytics,
  };
}

async function cam(peer: Peer, o: Partial<SimCameraOptions> = {}): Promise<{ c: SimCamera; lookups: string[] }> {
  const lookups: string[] = [];
  const c = await startCamera({
    address: '127.0.0.1',
    smtpPort: peer.port,
    resolver: async (name) => {
      lookups.push(name);
      if (name === 'mail.site.local') return '127.0.0.1';
      throw new Error(`NXDOMAIN ${name}`);
    },
    initialState: siteState('mail.site.local'),
    ...o,
  });
  cams.push(c);
  return { c, lookups };
}

describe('e-mail the camera sends', () => {
  it('delivers plain SMTP with EHLO = device name, one MAIL FROM, one RCPT TO, headers, body, raw event block and a decodable JPEG', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const { c, lookups } = await cam(peer, { clockOffsetMs: 0 });
    const r = await c.trigger('camera-sabotage', { strength: 'full' });
    expect(r).toMatchObject({ detected: true, firedSources: ['Sabotage1'] });
    expect(r.sends).toHaveLength(1);
    expect(r.sends[0]).toMatchObject({ ok: true, handler: 'MailOps', smtpServer: 'mail.site.local', smtpAddress: '127.0.0.1', smtpPort: peer.port });
    expect(lookups).toEqual(['mail.site.local']);
    expect(peer.mails).toHaveLength(1);
    const m = peer.mails[0];
    expect(m.session.secure).toBe(false);
    expect(m.session.user).toBeUndefined();
    // smtp-server lower-cases the EHLO argument it reports.
    expect(peer.ehlo).toEqual(['lobby01']);
    expect(m.mailFrom).toBe('cam01@site.example');
    expect(m.rcptTo).toEqual(['ops@site.example']);
    expect(m.parsed.subject).toBe('Camera sabotage');
    expect(m.parsed.from?.text).toBe('cam01@site.example');
    expect((Array.isArray(m.parsed.to) ? m.parsed.to[0] : m.parsed.to)?.text).toBe('ops@site.example');
    expect(m.parsed.date).toBeInstanceOf(Date);
    expect(m.parsed.messageId).toMatch(/^<.+@.+>$/);
    expect(m.parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/mixed' });
    expect(m.parsed.text).toContain('Someone covered the lens.');
    expect(m.parsed.text).toMatch(/--- Raw Event Data ---[\s\S]*Source: Sabotage1[\s\S]*Type: analytics[\s\S]*State: Camera Sabotage detected[\s\S]*Time: \d{4}-/);
    expect(m.parsed.attachments).toHaveLength(1);
    const a = m.parsed.attachments[0];
    expect(a.contentType).toBe('image/jpeg');
    const img = jpeg.decode(a.content);
    expect([img.width, img.height]).toEqual([640, 360]);
    expect(c.sendLog()).toEqual(r.sends);
    expect(await (await fetch(`${c.url}/__sim/log`)).json()).toEqual(r.sends);
  });

  it('sends a text-only mail without attachment or raw block when those are unticked', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const { c } = await cam(peer);
    const r = await c.trigger('Door1');
    expect(r.sends.map((s) => s.ok)).toEqual([true]);
    const m = peer.mails[0].parsed;
    expect(m.attachments).toEqual([]);
    expect(m.text?.trim()).toBe('Door input');
    expect(m.headers.get('content-type')).toMatchObject({ value: 'text/plain' });
  });

  it('detects a partial sabotage only at sensitivity 8 or more; an inactive behaviour never fires', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const { c } = await cam(peer, { initialState: siteState('mail.site.local', 7) });
    const weak = await c.trigger('camera-sabotage', { strength: 'partial' });
    expect(weak).toMatchObject({ detected: false, sends: [] });
    expect(weak.reason).toMatch(/sensitivity 7/);
    await c.stop();
    const { c: c2 } = await cam(peer, { initialState: siteState('mail.site.local', 8), address: '127.0.0.2' });
    const strong = await c2.trigger('camera-sabotage', { strength: 'partial' });
    expect(strong.detected).toBe(true);
    expect(strong.sends.map((s) => s.ok)).toEqual([true]);
    const st = siteState('mail.site.local', 10);
    st.analytics!.behaviours['camera-sabotage'].active = false;
    const { c: c3 } = await cam(peer, { initialState: st, address: '127.0.0.3' });
    expect(await c3.trigger('Camera Sabotage')).toMatchObject({ detected: false, sends: [] });
    expect(peer.mails).toHaveLength(1);
  });

  it('triggers through POST /__sim/trigger', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const { c } = await cam(peer);
    const r = await fetch(`${c.url}/__sim/trigger`, { method: 'POST', body: JSON.stringify({ behaviour: 'camera-sabotage', strength: 'full' }) });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ detected: true, sends: [{ ok: true }] });
    expect(peer.mails).toHaveLength(1);
  });

  it('does not deliver to a server that demands AUTH, and does not retry', async () => {
    const peer = await smtpPeer({ authOptional: false, onAuth: (_a, _s, cb) => cb(null, { user: 'x' }) });
    peers.push(peer);
    const { c } = await cam(peer);
    const r = await c.trigger('Door1');
    expect(r.sends[0]).toMatchObject({ ok: false, responseCode: 530 });
    expect(peer.mails).toHaveLength(0);
    expect(peer.connections).toBe(1);
  });

  it('never uses STARTTLS even when offered, so a server that demands it gets no mail', async () => {
    const offered = await smtpPeer();
    peers.push(offered);
    const { c } = await cam(offered);
    await c.trigger('Door1');
    expect(offered.mails[0].session.secure).toBe(false);

    const demanding = await smtpPeer({
      onMailFrom(_a, session, cb) {
        if (!session.secure) return cb(Object.assign(new Error('Must issue a STARTTLS command first'), { responseCode: 530 }));
        cb();
      },
    });
    peers.push(demanding);
    const { c: c2 } = await cam(demanding, { address: '127.0.0.2' });
    const r = await c2.trigger('Door1');
    expect(r.sends[0]).toMatchObject({ ok: false, responseCode: 530 });
    expect(r.sends[0].response).toMatch(/STARTTLS/);
    expect(demanding.mails).toHaveLength(0);
    expect(demanding.connections).toBe(1);
  });

  it('logs a 550 relaying denied and does not retry', async () => {
    const peer = await smtpPeer({ onRcptTo: (_a, _s, cb) => cb(Object.assign(new Error('relaying denied'), { responseCode: 550 })) });
    peers.push(peer);
    const { c } = await cam(peer);
    const r = await c.trigger('Door1');
    expect(r.sends[0]).toMatchObject({ ok: false, responseCode: 550 });
    expect(r.sends[0].response).toMatch(/relaying denied/);
    expect(peer.connections).toBe(1);
    expect(peer.mailFromAttempts).toBe(1);
    expect(c.sendLog()).toHaveLength(1);
  });

  it('logs a DNS failure and an unset SMTP server without sending', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const { c } = await cam(peer, { initialState: siteState('unknown.site.local') });
    expect((await c.trigger('Door1')).sends[0].response).toMatch(/DNS lookup of unknown\.site\.local failed/);
    const { c: c2 } = await cam(peer, { initialState: siteState(''), address: '127.0.0.2' });
    expect((await c2.trigger('Door1')).sends[0].response).toMatch(/No SMTP Server/);
    expect(peer.connections).toBe(0);
  });

  it('uses an IP literal SMTP server without DNS, and the EHLO falls back to [ip] for a name with spaces', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const st = siteState('127.0.0.1');
    st.general!.deviceName = 'Front Door';
    const { c, lookups } = await cam(peer, { initialState: st, address: '127.0.0.5' });
    expect((await c.trigger('Door1')).sends[0].ok).toBe(true);
    expect(lookups).toEqual([]);
    expect(peer.ehlo).toEqual(['[127.0.0.5]']);
  });

  it('honours the handler time filter in the camera time zone (clock injected)', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const st = siteState('mail.site.local');
    st.general!.timeZone = 'America/New_York';
    st.handlers![1] = { ...st.handlers![1], days: ['mon'], startTime: '0800', endTime: '1700' };
    // 2026-03-02 is a Monday. 14:00Z = 09:00 in New York (inside), 23:00Z = 18:00 (outside).
    let now = Date.parse('2026-03-02T14:00:00Z');
    const { c } = await cam(peer, { initialState: st, now: () => now });
    expect((await c.trigger('Door1')).sends).toHaveLength(1);
    now = Date.parse('2026-03-02T23:00:00Z');
    expect((await c.trigger('Door1')).sends).toHaveLength(0);
    now = Date.parse('2026-03-03T14:00:00Z');
    expect((await c.trigger('Door1')).sends).toHaveLength(0);
  });

  it('fires System sources on reboot and honours the smtp.refuse fault', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const st = siteState('mail.site.local');
    st.sources!.push({ ...defaultSource('Boot1'), type: 'system' });
    st.handlers!.push({ ...defaultHandler('BootMail'), to: 'boot@site.example', from: 'cam01@site.example', subject: 'Booted', sources: ['Boot1'] });
    const { c } = await cam(peer, { initialState: st });
    const r = await c.trigger('system');
    expect(r.sends.map((s) => s.handler)).toEqual(['BootMail']);
    c.setFaults({ smtp: { refuse: true } });
    expect((await c.trigger('Boot1')).sends[0]).toMatchObject({ ok: false });
    expect(peer.mails.filter((m) => m.parsed.subject === 'Booted').length).toBeGreaterThanOrEqual(1);
  });

  it('fires a Timer source on its interval (awaited through the camera "sent" event)', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const st = siteState('mail.site.local');
    st.sources!.push({ ...defaultSource('Tick1'), type: 'timer', timerIntervalS: 1 });
    st.handlers!.push({ ...defaultHandler('TickMail'), to: 'tick@site.example', from: 'cam01@site.example', subject: 'Tick', sources: ['Tick1'] });
    const { c } = await cam(peer, { initialState: st });
    const [entry] = (await once(c, 'sent')) as [{ source: string; ok: boolean; handler: string }];
    expect(entry).toMatchObject({ source: 'Tick1', handler: 'TickMail', ok: true });
  });

  it('gives up on a server that never greets after the camera timeout (smtp.timeoutMs), once', async () => {
    let connections = 0;
    const silent = createTcpServer(() => connections++);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const port = (silent.address() as AddressInfo).port;
      const { c } = await cam({ port, mails: [], connections: 0, mailFromAttempts: 0, ehlo: [], close: async () => {} }, { faults: { smtp: { timeoutMs: 300 } } });
      const r = await c.trigger('Door1');
      expect(r.sends[0].ok).toBe(false);
      expect(r.sends[0].response).toMatch(/timeout|Greeting never received/i);
      expect(connections).toBe(1);
    } finally {
      silent.close();
    }
  });

  it('stamps HTTP responses with the camera clock', async () => {
    const peer = await smtpPeer();
    peers.push(peer);
    const { c } = await cam(peer, { clockOffsetMs: -3 * 3600_000 });
    const date = Date.parse((await fetch(`${c.url}/liveview`)).headers.get('date') ?? '');
    expect(Date.now() - date).toBeGreaterThan(2 * 3600_000);
  });
});
