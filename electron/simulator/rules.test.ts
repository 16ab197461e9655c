import { describe, expect, it } from 'vitest';
import { behaviourId, checkBehaviour, checkHandler, factoryState, isDetected, timeFilterMatches, defaultHandler, defaultSource, SIM_ERRORS } from './state';
import { firmwareAtLeast, macForAddress } from './identity';
import { addAddress } from './fleet';
import { ehloName } from './mailer';
import { parseAuthParams } from './http-auth';
import { scopesMatch, typesMatch } from './wsd';
import { fieldName, optionValue } from './forms';

describe('pure rules of the simulated firmware', () => {
  it.each([
    ['full', 1, true],
    ['full', 10, true],
    ['partial', 7, false],
    ['partial', 8, true],
    ['partial', 10, true],
  ] as const)('a %s trigger at sensitivity %i is detected: %s', (strength, sens, want) => {
    expect(isDetected(strength, sens)).toBe(want);
  });

  it.each([
    // 2026-03-02 is a Monday; times are UTC and the zone is UTC.
    ['2026-03-02T09:00:00Z', { days: [], startTime: '', endTime: '' }, true],
    ['2026-03-02T09:00:00Z', { days: ['tue'], startTime: '', endTime: '' }, false],
    ['2026-03-02T07:59:00Z', { days: ['mon'], startTime: '0800', endTime: '1700' }, false],
    ['2026-03-02T17:00:00Z', { days: ['mon'], startTime: '0800', endTime: '1700' }, true],
    ['2026-03-02T23:30:00Z', { days: [], startTime: '2200', endTime: '0600' }, true],
    ['2026-03-02T05:59:00Z', { days: [], startTime: '2200', endTime: '0600' }, true],
    ['2026-03-02T12:00:00Z', { days: [], startTime: '2200', endTime: '0600' }, false],
  ] as const)('time filter at %s with %j → %s', (at, f, want) => {
    expect(timeFilterMatches({ ...defaultHandler('H1'), ...f, days: [...f.days] }, Date.parse(at), 'UTC')).toBe(want);
  });

  it('counts active behaviours against the processing-power limit and checks sensitivity first', () => {
    const st = factoryState('Cam', 'admin', 'admin');
    st.analytics.behaviours['camera-sabotage'].active = true;
    expect(checkBehaviour(st, 'adaptive-motion', { active: true, sensitivity: 5 }, 1)).toBe(SIM_ERRORS.processingPower);
    expect(checkBehaviour(st, 'camera-sabotage', { active: true, sensitivity: 5 }, 1)).toBeUndefined();
    expect(checkBehaviour(st, 'adaptive-motion', { active: false, sensitivity: 11 }, 1)).toBe(SIM_ERRORS.sensitivity);
  });

  it('refuses the 21st handler before looking at anything else', () => {
    const st = factoryState('Cam', 'admin', 'admin');
    st.sources.push(defaultSource('S1'));
    for (let i = 0; i < 20; i++) st.handlers.push({ ...defaultHandler(`H${i}`), sources: ['S1'] });
    expect(checkHandler(st, { ...defaultHandler('New1'), sources: ['S1'], to: 'a@b.c', from: 'c@d.e' })).toBe(SIM_ERRORS.maxHandlers);
  });

  it('maps behaviour references, firmware versions, addresses, MACs and EHLO names', () => {
    expect(behaviourId('Camera Sabotage')).toBe('camera-sabotage');
    expect(behaviourId('camerasabotage')).toBe('camera-sabotage');
    expect(behaviourId('motion')).toBeUndefined();
    expect(firmwareAtLeast('1.9.0', [1, 9])).toBe(true);
    expect(firmwareAtLeast('1.8.6', [1, 9])).toBe(false);
    expect(firmwareAtLeast('3.29.69', [1, 8, 2])).toBe(true);
    expect(firmwareAtLeast('1.8.1', [1, 8, 2])).toBe(false);
    expect(addAddress('127.0.1.255', 1)).toBe('127.0.2.0');
    expect(() => addAddress('255.255.255.255', 1)).toThrow(/past/);
    expect(macForAddress('127.0.1.9')).toBe('00:0B:AB:00:01:09');
    expect(ehloName('Lobby-01', '10.0.0.5')).toBe('Lobby-01');
    expect(ehloName('Front Door', '10.0.0.5')).toBe('[10.0.0.5]');
  });

  it('parses Digest parameters with quoted commas', () => {
    expect(parseAuthParams('username="ad,min", realm="Sarix", nc=00000001, qop=auth')).toEqual({ username: 'ad,min', realm: 'Sarix', nc: '00000001', qop: 'auth' });
  });

  it('matches WS-Discovery types and scopes like the spec (any prefix, RFC 3986 path prefix)', () => {
    expect(typesMatch('dn:NetworkVideoTransmitter')).toBe(true);
    expect(typesMatch('x:NetworkVideoTransmitter tds:Device')).toBe(true);
    expect(typesMatch('tds:PTZ')).toBe(false);
    expect(typesMatch('')).toBe(true);
    const ours = ['onvif://www.onvif.org/hardware/IX30DN', 'onvif://www.onvif.org/name/Gate'];
    expect(scopesMatch('onvif://www.onvif.org/hardware', ours)).toBe(true);
    expect(scopesMatch('onvif://www.onvif.org/hard', ours)).toBe(false);
    expect(scopesMatch('', ours)).toBe(true);
  });

  it('keeps field names and option values opaque and different between variants', () => {
    expect(fieldName('standard', 'general', 'smtpServer')).toMatch(/^f_[0-9a-z]{1,4}$/);
    expect(fieldName('alt', 'general', 'smtpServer')).not.toBe(fieldName('standard', 'general', 'smtpServer'));
    expect(fieldName('standard', 'general', 'smtpServer')).not.toMatch(/smtp/i);
    const f = { key: 'type', label: 'Type', kind: 'select' as const, opaqueOptions: true, options: [{ value: 'email', label: 'Send Email' }] };
    expect(optionValue('standard', f, 0)).toBe('1');
    expect(optionValue('alt', f, 0)).not.toBe('email');
  });
});
