import { describe, expect, it } from 'vitest';
import { parseSceneSensitivity, rankTestCauses, type TestEvidence } from './commissioning-session';

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
