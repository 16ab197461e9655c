import { describe, expect, it } from 'vitest';
import {
  checkEmailAddress,
  checkEmailHandlerSpec,
  checkHandlerRoom,
  checkName,
  checkSensitivity,
  checkSourcesExist,
  handlerUsage,
  isVulnerableFirmware,
  normalizeMac,
} from './camera';

describe('names: 2–23 letters and digits', () => {
  it.each([
    ['Ab', true],
    ['Sabotage', true],
    ['A1234567890123456789012', true],
    ['A12345678901234567890123', false],
    ['A', false],
    ['', false],
    ['Has Space', false],
    ['dash-name', false],
    ['under_score', false],
    ['Ünïcode', false],
  ])('%j → ok=%s', (name, ok) => {
    const p = checkName('Source name', name);
    expect(p === null).toBe(ok);
    if (p) expect(p.message).toMatch(/2 to 23|letters and digits/);
  });
});

describe('To/From: one plain address', () => {
  it.each([
    ['alarms@site.lan', true],
    ['first.last+tag@mail.example.com', true],
    ['a@b', true],
    ['', false],
    ['no-at-sign', false],
    ['two@@site.lan', false],
    ['Name <a@b.c>', false],
    ['a@b.c, d@e.f', false],
    ['a@b.c;d@e.f', false],
    ['.dot@site.lan', false],
    ['dot.@site.lan', false],
    ['a..b@site.lan', false],
    ['a@-site.lan', false],
    ['a b@site.lan', false],
  ])('%j → ok=%s', (addr, ok) => {
    const p = checkEmailAddress('To', addr);
    expect(p === null).toBe(ok);
  });
  it('says what to do for a list', () => {
    expect(checkEmailAddress('To', 'a@b.c,d@e.f')?.message).toMatch(/exactly one/);
  });
});

describe('sensitivity 1–10', () => {
  it.each([
    [1, true],
    [5, true],
    [10, true],
    [0, false],
    [11, false],
    [5.5, false],
    [NaN, false],
    [-3, false],
  ])('%s → ok=%s', (n, ok) => {
    expect(checkSensitivity('Sensitivity', n) === null).toBe(ok);
  });
});

describe('at most 20 handlers, and the count is said', () => {
  it.each([
    [0, true],
    [19, true],
    [20, false],
    [25, false],
  ])('%s used → one more ok=%s', (used, ok) => {
    const p = checkHandlerRoom(used);
    expect(p === null).toBe(ok);
    if (p) expect(p.message).toContain(handlerUsage(used));
  });
  it('handlerUsage', () => expect(handlerUsage(12)).toBe('12 of 20 handlers used'));
});

describe('a source before its handler', () => {
  it.each([
    [['Sabotage'], ['Sabotage', 'Alarm1'], null],
    [['Sabotage'], [], /Create the source "Sabotage"/],
    [['A1', 'B2'], ['A1'], /"B2"/],
  ] as const)('%j with %j', (wanted, existing, expected) => {
    const p = checkSourcesExist(wanted, existing);
    if (expected === null) expect(p).toBeNull();
    else expect(p?.message).toMatch(expected);
  });
});

describe('Send Email handler spec', () => {
  const ok = { name: 'SabMail', to: 'a@b.c', from: 'c@d.e', subject: 'x', message: '', jpegSnapshot: true, rawEventData: false, sources: ['Sabotage'] };
  it('collects every problem', () => {
    expect(checkEmailHandlerSpec(ok)).toEqual([]);
    const p = checkEmailHandlerSpec({ ...ok, name: 'x', to: 'bad', subject: 'a\nb', sources: ['bad name'] });
    expect(p.map((x) => x.field)).toEqual(['Handler name', 'To', 'Subject', 'Source name']);
  });
});

describe('MAC and firmware', () => {
  it.each([
    ['00:0b:ab:12:34:56', '00:0B:AB:12:34:56'],
    ['00-0B-AB-12-34-56', '00:0B:AB:12:34:56'],
    ['000bab123456', '00:0B:AB:12:34:56'],
    ['00:0b:ab:12:34', null],
    ['zz:0b:ab:12:34:56', null],
  ])('normalizeMac(%j)', (m, want) => expect(normalizeMac(m)).toBe(want));
  it.each([
    ['3.29.68', true],
    ['3.29.69', false],
    ['3.30', false],
    ['2.1.0', true],
    ['unknown', false],
  ])('isVulnerableFirmware(%j) = %s', (v, want) => expect(isVulnerableFirmware(v)).toBe(want));
});
