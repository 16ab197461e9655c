import { describe, expect, it } from 'vitest';
import {
  CHECK_CATALOG,
  CHECK_IDS,
  checkResult,
  classifySmtpReply,
  clockOutcome,
  DoctorRunRequestSchema,
  firmwareOutcome,
  formatOffset,
  greetingOutcome,
  handlersOutcome,
  normalizeCameraUrl,
  ntpAnswerOutcome,
  parseEhlo,
  probeSender,
  recipientOutcome,
  sabotageOutcome,
  senderOutcome,
  splitEnhanced,
  summarize,
  type SmtpReply,
} from './diagnostics';

const reply = (code: number, text: string): SmtpReply => {
  const s = splitEnhanced(text);
  return { code, lines: [s.text], ...(s.enhanced ? { enhanced: s.enhanced } : {}) };
};

describe('classifySmtpReply', () => {
  it.each([
    ['mail', 250, 'Accepted', 'ok'],
    ['mail', 530, '5.7.0 Must issue a STARTTLS command first', 'needs-starttls'],
    ['mail', 530, 'Error: authentication Required', 'needs-auth'],
    ['mail', 530, '5.7.0 Authentication required', 'needs-auth'],
    ['mail', 550, '5.7.57 Client not authenticated to send mail', 'needs-auth'],
    ['mail', 553, '5.1.8 Sender address rejected: Domain not found', 'sender-rejected'],
    ['mail', 451, '4.3.0 Try again later', 'temporary'],
    ['mail', 421, 'Service shutting down', 'service-unavailable'],
    ['rcpt', 250, '2.1.5 Ok', 'ok'],
    ['rcpt', 251, 'User not local; will forward', 'ok'],
    ['rcpt', 550, '5.7.1 Relaying denied', 'relay-denied'],
    ['rcpt', 554, '5.7.1 <a@b.c>: Relay access denied', 'relay-denied'],
    ['rcpt', 550, 'relay not permitted', 'relay-denied'],
    ['rcpt', 550, '5.1.1 User unknown', 'recipient-rejected'],
    ['rcpt', 450, '4.2.0 Greylisted', 'temporary'],
    ['rcpt', 530, '5.7.0 Authentication required', 'needs-auth'],
    ['data', 250, 'OK: queued as ABC', 'ok'],
    ['data', 552, 'Message too large', 'rejected'],
  ] as const)('%s %i %s → %s', (stage, code, text, meaning) => {
    expect(classifySmtpReply(stage, reply(code, text))).toBe(meaning);
  });
});

describe('parseEhlo', () => {
  it('reads STARTTLS, AUTH (both forms), SIZE and the rest', () => {
    const caps = parseEhlo(['relay.lan Hello', 'PIPELINING', 'SIZE 10240000', 'AUTH PLAIN LOGIN', 'AUTH=CRAM-MD5', 'STARTTLS', '8BITMIME']);
    expect(caps).toEqual({
      starttls: true,
      auth: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
      size: 10240000,
      pipelining: true,
      eightBitMime: true,
      extensions: ['PIPELINING', 'SIZE 10240000', 'AUTH PLAIN LOGIN', 'AUTH=CRAM-MD5', 'STARTTLS', '8BITMIME'],
    });
  });
  it('treats a one-line reply as no extensions', () => {
    expect(parseEhlo(['hello'])).toMatchObject({ starttls: false, auth: [], extensions: [] });
  });
});

describe('SMTP outcomes', () => {
  it('fails MAIL FROM demands for STARTTLS and AUTH, pointing at the local-relay article', () => {
    const tls = senderOutcome(reply(530, '5.7.0 Must issue a STARTTLS command first'), 'a@b.lan');
    expect(tls).toMatchObject({ verdict: 'fail', article: 'local-relay', message: expect.stringMatching(/STARTTLS/) });
    expect(senderOutcome(reply(530, 'Authentication required'), 'a@b.lan')).toMatchObject({ verdict: 'fail', message: expect.stringMatching(/login/) });
    expect(senderOutcome(reply(250, 'OK'), 'a@b.lan').verdict).toBe('pass');
    expect(senderOutcome(reply(451, 'later'), 'a@b.lan').verdict).toBe('warn');
  });
  it('tells relay refusal from an unknown user', () => {
    expect(recipientOutcome(reply(550, '5.7.1 Relaying denied'), 'x@y.com')).toMatchObject({ verdict: 'fail', fix: expect.stringMatching(/allow-list/) });
    expect(recipientOutcome(reply(550, '5.1.1 User unknown'), 'x@y.com')).toMatchObject({ verdict: 'fail', fix: expect.stringMatching(/typos/) });
  });
  it('passes a greeting that merely offers STARTTLS and AUTH, and fails a bad banner', () => {
    const ok = greetingOutcome(reply(220, 'hi'), { code: 250, lines: ['hi', 'STARTTLS', 'AUTH PLAIN'] }, false, parseEhlo(['hi', 'STARTTLS', 'AUTH PLAIN']));
    expect(ok).toMatchObject({ verdict: 'pass', message: expect.stringMatching(/offers STARTTLS and offers AUTH PLAIN/) });
    expect(greetingOutcome(reply(554, 'No SMTP service here'), undefined, false, undefined).verdict).toBe('fail');
    expect(greetingOutcome(reply(220, 'hi'), reply(502, 'no'), true, undefined).verdict).toBe('fail');
  });
  it('builds a probe sender in the recipient domain', () => {
    expect(probeSender('alerts@site.lan')).toBe('sarix-camera@site.lan');
    expect(probeSender(undefined)).toBe('sarix-camera@localhost');
  });
});

describe('clocks and NTP', () => {
  it.each([
    [0, 'pass'],
    [4_999, 'pass'],
    [-5_000, 'pass'],
    [5_001, 'warn'],
    [-299_000, 'warn'],
    [300_001, 'fail'],
    [-3_600_000, 'fail'],
  ] as const)('skew %i ms → %s', (ms, verdict) => {
    expect(clockOutcome(ms, 'camera', ['doctor.fix.cameraNtp']).verdict).toBe(verdict);
  });
  it('says ahead or behind', () => {
    expect(clockOutcome(42_000, 'camera', ['doctor.fix.cameraNtp']).message).toBe('The camera clock is 42.0 s ahead of this laptop: e-mail timestamps will be off.');
    expect(clockOutcome(-600_000, { ntpServer: 'ntp.site.lan' }, ['doctor.fix.laptopTime']).message).toMatch(/^This laptop's clock is 10 min 0 s behind ntp\.site\.lan: ONVIF/);
  });
  it('formats offsets', () => {
    expect(formatOffset(12)).toBe('+12 ms');
    expect(formatOffset(-1500)).toBe('-1.5 s');
    expect(formatOffset(3_723_000)).toBe('+1 h 2 min');
    expect(formatOffset(-2 * 86_400_000)).toBe('-2.0 days');
    // Rounding never produces "60" in a lower unit.
    expect(formatOffset(999.6)).toBe('+1.0 s');
    expect(formatOffset(59_960)).toBe('+1 min 0 s');
    expect(formatOffset(3_599_700)).toBe('+1 h 0 min');
    expect(formatOffset(-3_600_000 + 20)).toBe('-1 h 0 min');
  });
  const base = { stratum: 2, leap: 0, offsetMs: 10, roundTripMs: 1.23, refId: '127.127.1.0' };
  it.each([
    [base, 'pass'],
    [{ ...base, stratum: 16 }, 'warn'],
    [{ ...base, leap: 3 }, 'warn'],
    [{ ...base, stratum: 0, kissCode: 'DENY' }, 'fail'],
  ])('NTP answer %o → %s', (r, verdict) => {
    expect(ntpAnswerOutcome(r, 'ntp.lan').verdict).toBe(verdict);
  });
  it('explains a kiss code', () => {
    expect(ntpAnswerOutcome({ ...base, stratum: 0, kissCode: 'RATE' }, 'ntp.lan').message).toMatch(/too often/);
  });
});

describe('camera outcomes', () => {
  it.each([
    ['1.9.2', 'warn'],
    ['3.29.68', 'warn'],
    ['3.29.69', 'pass'],
    ['V3.30.1 build 7', 'pass'],
    ['', 'warn'],
    ['unknown', 'warn'],
  ])('firmware %s → %s', (v, verdict) => {
    expect(firmwareOutcome(v || undefined).verdict).toBe(verdict);
  });
  it('names the CVEs for old firmware', () => {
    expect(firmwareOutcome('1.8.2', 'IXE20').message).toMatch(/IXE20 firmware 1\.8\.2 .*CVE-2018-7228/);
  });
  it.each([
    [5, 1, 'pass'],
    [19, 1, 'pass'],
    [20, 1, 'warn'],
    [19, 0, 'fail'],
    [20, 0, 'fail'],
    [0, 0, 'fail'],
  ])('%i handlers, %i send-email → %s', (used, email, verdict) => {
    expect(handlersOutcome(used, email).verdict).toBe(verdict);
  });
  it('says how many handlers are used', () => {
    expect(handlersOutcome(20, 0).message).toMatch(/^20\/20 handlers used/);
    expect(handlersOutcome(19, 1).details).toMatchObject({ used: 19, free: 1 });
  });
  it.each([
    [false, 10, 'fail'],
    [false, 5, 'fail'],
    [true, 10, 'warn'],
    [true, 9, 'pass'],
    [true, 5, 'pass'],
    [true, 1, 'pass'],
    [true, undefined, 'warn'],
  ] as const)('sabotage active=%s sensitivity=%s → %s', (active, s, verdict) => {
    expect(sabotageOutcome(active, s).verdict).toBe(verdict);
  });
  it('never calls sensitivity 10 a pass: it warns and says to set the scene sensitivity', () => {
    const o = sabotageOutcome(true, 10);
    expect(o.verdict).toBe('warn');
    expect(o.message).toMatch(/stays at sensitivity 10/);
    expect(o.fix).toMatch(/^Set the scene sensitivity/);
  });
});

describe('request and report', () => {
  it('applies default ports and refuses bad values', () => {
    const r = DoctorRunRequestSchema.parse({ smtpServer: { host: 'relay.lan' }, ntpServer: { host: '10.0.0.1' } });
    expect(r).toMatchObject({ smtpServer: { host: 'relay.lan', port: 25 }, ntpServer: { port: 123 }, sendTest: false });
    expect(DoctorRunRequestSchema.safeParse({ smtpServer: { host: 'bad host' } }).success).toBe(false);
    expect(DoctorRunRequestSchema.safeParse({ to: 'not-an-address' }).success).toBe(false);
    expect(DoctorRunRequestSchema.safeParse({ camera: { url: 'ftp://x', username: 'a', password: 'b' } }).success).toBe(false);
    expect(DoctorRunRequestSchema.safeParse({ extra: 1 }).success).toBe(false);
  });
  it.each([
    ['192.168.0.20', 'http://192.168.0.20'],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
    ['HTTPS://Cam1.Site.lan', 'https://cam1.site.lan'],
    ['[fe80::1]:81', 'http://[fe80::1]:81'],
    ['ftp://x', null],
    ['http://user:pw@x', null],
    ['http://x:99999', null],
    ['http://x/setup', null],
    ['', null],
  ])('normalizeCameraUrl(%s) → %s', (input, out) => {
    expect(normalizeCameraUrl(input)).toBe(out);
  });
  it('summarizes: exit 1 as soon as one check failed', () => {
    expect(summarize([{ verdict: 'pass' }, { verdict: 'warn' }, { verdict: 'skipped' }])).toEqual({ counts: { pass: 1, warn: 1, fail: 0, skipped: 1 }, exitCode: 0 });
    expect(summarize([{ verdict: 'pass' }, { verdict: 'fail' }]).exitCode).toBe(1);
  });
  it('gives every check a title, group and article', () => {
    for (const id of CHECK_IDS) {
      const r = checkResult(id, { verdict: 'pass', message: 'x' });
      expect(r).toMatchObject({ id, group: CHECK_CATALOG[id].group, article: CHECK_CATALOG[id].article, fix: '' });
      expect(id.startsWith(r.group + '-')).toBe(true);
    }
  });
});
