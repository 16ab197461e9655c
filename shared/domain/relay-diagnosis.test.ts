import { describe, expect, it } from 'vitest';
import { quirkOf, type SessionSummary, type TranscriptLine } from './relay';
import { localizeText } from '../i18n/keyed-text';
import { msg } from '../i18n/messages';
import { explainForwardError, explainSession, QUIRK_KEYS } from './relay-diagnosis';

const at = '2026-11-29T10:42:00.000Z';
const t = (spec: string): TranscriptLine[] =>
  spec
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .map((l) => ({ at, dir: l[0] as 'C' | 'S' | 'I', line: l.slice(3) }));
const session = (p: Partial<SessionSummary> = {}): SessionSummary => ({ id: 's1', clientIp: '10.0.0.23', startedAt: at, endedAt: at, accepted: 0, refused: false, quirks: [], ...p });

const GREET = `S: 220 sarix-relay ESMTP
C: EHLO GateCam
S: 250-sarix-relay Nice to meet you
S: 250 8BITMIME`;

describe('explainSession', () => {
  it('a refused client: the address, "Allow it", the local-relay article', () => {
    const [a, ...rest] = explainSession(session({ refused: true, quirks: [quirkOf('not-allowed')] }), t('S: 554 10.0.0.23 is not on the allow-list of this relay'));
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ code: 'not-allowed', severity: 'error', headline: '10.0.0.23 is not on the allow-list', action: { kind: 'allow-client', entry: '10.0.0.23', label: 'Allow it' }, article: 'local-relay' });
  });

  it.each([
    ['nothing-after-ehlo', `${GREET}\nC: QUIT\nS: 221 Bye`, 'The camera sent nothing after EHLO'],
    ['nothing-after-ehlo', GREET, 'The camera sent nothing after EHLO'],
    ['silent-client', 'S: 220 sarix-relay ESMTP', '10.0.0.23 connected and sent nothing'],
    ['no-recipient', `${GREET}\nC: MAIL FROM:<cam@site>\nS: 250 Accepted`, 'The camera gave a sender but no recipient'],
    ['no-data', `${GREET}\nC: MAIL FROM:<cam@site>\nS: 250 Accepted\nC: RCPT TO:<a@site>\nS: 250 Accepted`, 'The camera stopped before sending the message'],
    ['data-not-stored', `${GREET}\nC: MAIL FROM:<cam@site>\nS: 250 Accepted\nC: RCPT TO:<a@site>\nS: 250 Accepted\nC: DATA\nS: 354 End data with <CR><LF>.<CR><LF>`, 'The message did not arrive complete'],
  ])('%s', (code, transcript, headline) => {
    const advice = explainSession(session(), t(transcript));
    expect(advice[0]).toMatchObject({ code, headline, article: 'smtp-transcript' });
  });

  it('a refused command is named with its reply; the verdict on DATA is the reply after the body', () => {
    const advice = explainSession(
      session(),
      t(`${GREET}\nC: MAIL FROM:<cam@site>\nS: 250 Accepted\nC: RCPT TO:<a@site>\nS: 250 Accepted\nC: DATA\nS: 354 End data\nS: 554 Message refused: it has more than 1000 MIME parts`),
    );
    expect(advice[0]).toMatchObject({ code: 'refused-data', severity: 'error', headline: 'The relay answered 554 to DATA' });
    expect(advice[0].detail).toContain('1000 MIME parts');
  });

  it('accepted mail: one ok line, harmless quirks as info', () => {
    const advice = explainSession(session({ accepted: 2, quirks: [quirkOf('bare-lf')] }), t(`${GREET}\nC: MAIL FROM:<c@s>\nS: 250 OK`));
    expect(advice.map((a) => [a.code, a.severity])).toEqual([
      ['accepted', 'ok'],
      ['bare-lf', 'info'],
    ]);
    expect(advice[0].headline).toBe('2 messages received');
  });

  it('a quirk that loses mail is a warning and there is no ok line', () => {
    const advice = explainSession(session({ accepted: 0, quirks: [quirkOf('tls-attempted')] }), t(`${GREET}\nC: STARTTLS\nS: 502 Command not implemented`));
    expect(advice.map((a) => a.code)).toEqual(['nothing-after-ehlo', 'tls-attempted']);
    expect(advice.every((a) => a.severity !== 'ok')).toBe(true);
  });

  it('an open session says so', () => {
    expect(explainSession(session({ endedAt: undefined }), t(GREET))[0]).toMatchObject({ code: 'open' });
  });
});

describe('explainForwardError', () => {
  it.each([
    ['550 5.7.1 Relaying denied', 'smtp.site.example', 'smtp-550', 'error', '550 from the upstream', 'smtp-transcript'],
    ['553 5.7.1 Sender address rejected', 'smtp.gmail.com', 'smtp-553', 'error', '553 from the upstream', 'forward-gmail'],
    ['535 5.7.8 Username and Password not accepted', 'smtp.gmail.com', 'smtp-535', 'error', '535 from the upstream: the login was refused', 'forward-gmail'],
    ['Invalid login: 535 5.7.139 Authentication unsuccessful', 'smtp.office365.com', 'smtp-535', 'error', '535 from the upstream: the login was refused', 'forward-microsoft-365'],
    ['421 4.7.0 Try again later', 'smtp.site.example', 'smtp-421', 'warning', '421 from the upstream: try later', 'smtp-transcript'],
    ['connect ECONNREFUSED 10.0.0.9:587', 'smtp.site.example', 'unreachable', 'warning', 'The upstream cannot be reached', 'port-25'],
  ])('%s', (lastError, host, code, severity, headline, article) => {
    expect(explainForwardError({ id: 'q1', lastError }, host)).toMatchObject({ code, severity, headline, article, action: { kind: 'retry-queued', id: 'q1', label: 'Retry now' } });
  });

  it.each([
    ['HTTP 403 Forbidden', 'http-403', 'error', /access token/],
    ['HTTP 404 Not Found', 'http-404', 'error', /URL is wrong/],
    ['HTTP 413 Payload Too Large', 'http-413', 'error', /snapshot/],
    ['HTTP 503 Service Unavailable', 'http-503', 'warning', /retries later/],
  ])('push target %s', (lastError, code, severity, detail) => {
    const a = explainForwardError({ id: 'q2', lastError, target: { kind: 'ntfy', label: 'Phone' } });
    expect(a).toMatchObject({ code, severity, headline: `${lastError.slice(0, 8)} from Phone` });
    expect(a?.detail).toMatch(detail);
  });

  it('nothing to explain without an error', () => expect(explainForwardError({ id: 'q' })).toBeUndefined());
});

describe('the advice in the technician\'s language', () => {
  const de = (text: string, keyed: Parameters<typeof localizeText>[2]) => localizeText('de', text, keyed);

  it('a refused camera and a stalled session read in German from their keys; the English text stays as it was', () => {
    const [refused] = explainSession(session({ refused: true }), t('S: 554 10.0.0.23 is not on the allow-list of this relay'));
    expect(refused.headline).toBe('10.0.0.23 is not on the allow-list');
    expect(de(refused.headline, refused.headlineText)).toBe('10.0.0.23 steht nicht auf der Freigabeliste');
    expect(de(refused.detail, refused.detailText)).toMatch(/^Das Relay hat 10\.0\.0\.23 abgewiesen, bevor etwas gesendet werden konnte \(554\)\./);
    const [stalled] = explainSession(session(), t(GREET));
    expect(de(stalled.headline, stalled.headlineText)).toBe('Die Kamera hat nach EHLO nichts mehr gesendet');
    expect(de(stalled.detail, stalled.detailText)).toContain('Prüfen Sie den Send-Email-Handler in der Kamera');
  });

  it('a forward error names the upstream in German too', () => {
    const a = explainForwardError({ id: 'q1', lastError: '535 5.7.8 Username and Password not accepted' }, 'smtp.gmail.com')!;
    expect(a.headline).toBe('535 from the upstream: the login was refused');
    expect(de(a.headline, a.headlineText)).toBe('535 vom Upstream-Server: Die Anmeldung wurde abgelehnt');
    const push = explainForwardError({ id: 'q2', lastError: 'connect ECONNREFUSED 10.0.0.9:443', target: { kind: 'ntfy', label: 'Phone' } })!;
    expect(push.headline).toBe('Phone cannot be reached');
    expect(de(push.headline, push.headlineText)).toBe('Phone ist nicht erreichbar');
  });

  it('the quirk keys carry relay.ts\'s own words in English', () => {
    for (const code of Object.keys(QUIRK_KEYS) as (keyof typeof QUIRK_KEYS)[]) {
      const q = quirkOf(code);
      expect(msg(QUIRK_KEYS[code].title)).toBe(q.title);
      expect(msg(QUIRK_KEYS[code].fix)).toBe(q.fix);
    }
  });
});
