import { describe, expect, it } from 'vitest';
import { translate } from '../i18n/i18n';
import { localizeError } from '../i18n/messages';
import { parseSceneSensitivity, rankTestCauses, STEP_GUIDE, type TestEvidence } from './commissioning-session';

const base: TestEvidence = { cameraIp: '10.0.0.23', isRealCamera: true, relay: { isListening: true, address: '10.0.0.5', port: 25 }, sessions: [], refusals: [], otherMessages: [] };

describe('rankTestCauses: the cause the relay evidence points to comes first', () => {
  it.each<[string, Partial<TestEvidence>, string]>([
    ['relay stopped', { relay: { isListening: false } }, 'relay-stopped'],
    ['refused by the allow-list', { sessions: [{ refused: true, accepted: 0 }], refusals: ['10.0.0.23 is not on the allow-list'] }, 'refused'],
    ['wrong port for a real camera', { relay: { isListening: true, address: '10.0.0.5', port: 2525 } }, 'wrong-port'],
    ['no connection at all', {}, 'no-connection'],
    ['connected but no message', { sessions: [{ refused: false, accepted: 0 }] }, 'connected-no-mail'],
    ['mail that did not match', { sessions: [{ refused: false, accepted: 1 }], otherMessages: [{ from: 'x@y.z', subject: 'other' }] }, 'mismatch'],
    ['trigger not detected', { notDetected: 'sensitivity 5' }, 'not-detected'],
  ])('%s', (_name, facts, first) => {
    expect(rankTestCauses({ ...base, ...facts })[0].kind).toBe(first);
  });

  it('a practice camera on another port is not blamed on the port', () => {
    const kinds = rankTestCauses({ ...base, cameraIp: '127.0.0.1', isRealCamera: false, relay: { isListening: true, address: '127.0.0.1', port: 2525 } }).map((c) => c.kind);
    expect(kinds).toEqual(['no-connection']);
  });
});

describe('parseSceneSensitivity: 1–10 or a message, never clamped', () => {
  it.each(['1', '5', '10', ' 7 '])('accepts %s', (t) => expect(parseSceneSensitivity(t).value).toBe(Number(t)));
  it.each(['11', '0', '-3', '5.5', 'ten', ''])('refuses %j with a message', (t) => {
    const r = parseSceneSensitivity(t);
    expect(r.value).toBeUndefined();
    expect(r.problem?.message).toMatch(/1.*10/);
  });
  it('says that 11 is not rounded down', () => expect(parseSceneSensitivity('11').problem?.message).toMatch(/got 11.*nothing is rounded or clamped/));
});

describe('the wizard texts travel with their catalog keys', () => {
  it('a STEP_GUIDE why line is English as the text and German from its key', () => {
    expect(STEP_GUIDE.test.why).toBe('Only an e-mail that really arrives proves the camera, the network and the relay work together.');
    expect(translate('de', STEP_GUIDE.test.whyKey)).toBe('Nur eine E-Mail, die wirklich ankommt, beweist, dass Kamera, Netzwerk und Relay zusammenarbeiten.');
    expect(translate('de', STEP_GUIDE.handler.whyKey)).toContain('höchstens 20 Handler');
  });
  it('a refused scene sensitivity is shown in German, field label included', () => {
    const r = parseSceneSensitivity('11');
    expect(r.problem?.message).toBe('Scene sensitivity must be a whole number from 1 (least sensitive) to 10 (most sensitive); got 11. The camera refuses it; nothing is rounded or clamped.');
    expect(localizeError('de', r.problem!)).toBe(
      'Szenen-Empfindlichkeit muss eine ganze Zahl von 1 (am wenigsten empfindlich) bis 10 (am empfindlichsten) sein; erhalten: 11. Die Kamera lehnt das ab; nichts wird gerundet oder begrenzt.',
    );
  });
  it('a test cause is shown in German', () => {
    const [c] = rankTestCauses({ ...base, sessions: [{ refused: true, accepted: 0 }, { refused: true, accepted: 0 }], refusals: [] });
    expect(c.message).toBe('The relay refused 10.0.0.23 2 times: 10.0.0.23 is not on its allow-list. The camera does not send a refused e-mail again: allow 10.0.0.23, then press Try again.');
    expect(localizeError('de', { message: c.message, ...c.i18n })).toBe(
      'Das Relay hat 10.0.0.23 2-mal abgewiesen: 10.0.0.23 steht nicht auf seiner Zulassungsliste. Die Kamera sendet eine abgewiesene E-Mail nicht erneut: Lassen Sie 10.0.0.23 zu und drücken Sie dann „Erneut versuchen“.',
    );
  });
});
