import { describe, expect, it } from 'vitest';
import { isEmptySearch, matchesMessageSearch, parseMessageSearch, parseSearchDate, tokenizeSearch, type SearchableMessage } from './relay-search';

// 2026-11-29 10:42 UTC; the technician is at UTC+1 (so it is 11:42 local there).
const NOW = Date.UTC(2026, 10, 29, 10, 42);
const CET = { nowMs: NOW, tzOffsetMinutes: 60 };
const UTC = { nowMs: NOW, tzOffsetMinutes: 0 };

const base: SearchableMessage = {
  from: 'gate-cam@site.example',
  headerFrom: 'Gate Camera <gate-cam@site.example>',
  to: ['alarms@site.example', 'tech@field.example'],
  subject: 'Sarix camera alert: Camera Sabotage',
  cameraText: 'Gate North IXE20DN 00:0b:ab:12:34:56 gatecam',
  clientIp: '10.0.0.23',
  receivedAtMs: Date.UTC(2026, 10, 29, 9, 0),
  attachmentCount: 1,
  isPinned: false,
  isUnread: true,
};

describe('tokenizeSearch', () => {
  it.each([
    ['a b  c', ['a', 'b', 'c']],
    ['subject:"camera sabotage" from:x', ['subject:camera sabotage', 'from:x']],
    ['"two words"', ['two words']],
    ['-"not this"', ['-not this']],
    ['  ', []],
    ['- a', ['a']],
    ['"unclosed quote', ['unclosed quote']],
  ])('%j → %j', (text, tokens) => expect(tokenizeSearch(text)).toEqual(tokens));
});

describe('parseSearchDate', () => {
  it.each([
    // A day is the local midnight: at UTC+1 that is 23:00 UTC the day before.
    ['2026-11-29', CET, Date.UTC(2026, 10, 28, 23, 0)],
    ['2026-11-29', UTC, Date.UTC(2026, 10, 29)],
    ['2026/11/29', UTC, Date.UTC(2026, 10, 29)],
    ['2026-11-29T10:42', CET, Date.UTC(2026, 10, 29, 9, 42)],
    ['2026-11-29T10:42Z', CET, Date.UTC(2026, 10, 29, 10, 42)],
    ['2026-11-29T10:42+02:00', CET, Date.UTC(2026, 10, 29, 8, 42)],
    ['today', CET, Date.UTC(2026, 10, 28, 23, 0)],
    ['yesterday', UTC, Date.UTC(2026, 10, 28)],
    ['2h', UTC, NOW - 2 * 3_600_000],
    ['30m', UTC, NOW - 30 * 60_000],
    ['7d', UTC, NOW - 7 * 86_400_000],
    ['1w', UTC, NOW - 7 * 86_400_000],
    ['2026-02-30', UTC, undefined],
    ['2026-13-01', UTC, undefined],
    ['2026-11-29T25:00', UTC, undefined],
    ['last tuesday', UTC, undefined],
    ['', UTC, undefined],
  ])('%s (offset %o) → %s', (value, clock, expected) => expect(parseSearchDate(value, clock)).toBe(expected));
});

describe('parseMessageSearch', () => {
  it.each([
    ['', { terms: [], problems: [] }],
    ['Sabotage', { terms: [{ field: 'text', value: 'sabotage', isNegated: false }] }],
    ['from:Gate-Cam', { terms: [{ field: 'from', value: 'gate-cam', isNegated: false }] }],
    ['to:alarms@', { terms: [{ field: 'to', value: 'alarms@', isNegated: false }] }],
    ['subject:"camera sabotage"', { terms: [{ field: 'subject', value: 'camera sabotage', isNegated: false }] }],
    ['camera:10.0.0.23', { terms: [{ field: 'camera', value: '10.0.0.23', isNegated: false }] }],
    ['cam:gate', { terms: [{ field: 'camera', value: 'gate', isNegated: false }] }],
    ['camera:00:0b:ab:12:34:56', { terms: [{ field: 'camera', value: '00:0b:ab:12:34:56', isNegated: false }] }],
    ['-from:noise', { terms: [{ field: 'from', value: 'noise', isNegated: true }] }],
    ['has:attachment', { hasAttachment: true }],
    ['-has:attachment', { hasAttachment: false }],
    ['has:snapshot', { hasAttachment: true }],
    ['is:unread', { isUnread: true }],
    ['is:read', { isUnread: false }],
    ['is:pinned', { isPinned: true }],
    ['after:2026-11-29', { afterMs: Date.UTC(2026, 10, 29) }],
    ['before:2026-11-29', { beforeMs: Date.UTC(2026, 10, 29) }],
    ['-before:2026-11-29', { afterMs: Date.UTC(2026, 10, 29) }],
    ['after:2026-11-01 after:2026-11-20', { afterMs: Date.UTC(2026, 10, 20) }],
    // Colons in free words (a time, a MAC) are not operators.
    ['10:42', { terms: [{ field: 'text', value: '10:42', isNegated: false }] }],
    ['FROM:X', { terms: [{ field: 'from', value: 'x', isNegated: false }] }],
  ])('%j', (text, expected) => {
    const s = parseMessageSearch(text, UTC);
    expect(s).toMatchObject({ problems: [], ...expected });
  });

  it.each([
    ['before:soon', /before:soon is not a date; write a date like 2026-11-29/],
    ['after:2026-02-30', /after:2026-02-30 is not a date/],
    ['has:video', /has:video is not known; use has:attachment/],
    ['is:urgent', /is:urgent is not known/],
    ['from:', /from: needs a value/],
  ])('%j says what is wrong and keeps the rest', (text, problem) => {
    const s = parseMessageSearch(`${text} sabotage`, UTC);
    expect(s.problems).toHaveLength(1);
    expect(s.problems[0]).toMatch(problem);
    expect(s.terms).toEqual([{ field: 'text', value: 'sabotage', isNegated: false }]);
  });

  it('knows an empty search', () => {
    expect(isEmptySearch(parseMessageSearch('  ', UTC))).toBe(true);
    expect(isEmptySearch(parseMessageSearch('is:unread', UTC))).toBe(false);
    expect(isEmptySearch(parseMessageSearch('before:nonsense', UTC))).toBe(true);
  });
});

describe('matchesMessageSearch', () => {
  it.each([
    ['', true],
    ['sabotage', true],
    ['SABOTAGE camera', true],
    ['motion', false],
    ['from:gate-cam', true],
    ['from:"gate camera"', true],
    ['from:alarms', false],
    ['to:tech@field', true],
    ['to:gate', false],
    ['subject:alert', true],
    ['subject:gate', false],
    ['camera:10.0.0.23', true],
    ['camera:10.0.0.2', false],
    ['camera:10.0.0', true],
    ['camera:gate', true],
    ['camera:"gate north"', true],
    ['camera:ixe20', true],
    ['camera:00:0b:ab:12:34:56', true],
    ['camera:000bab123456', true],
    ['camera:gatecam', true],
    ['camera:lobby', false],
    ['-camera:lobby', true],
    ['-subject:sabotage', false],
    ['has:attachment', true],
    ['-has:attachment', false],
    ['is:unread', true],
    ['is:read', false],
    ['is:pinned', false],
    ['-is:pinned', true],
    ['after:2026-11-29', true],
    ['after:2026-11-30', false],
    ['before:2026-11-29', false],
    ['before:2026-11-30', true],
    ['after:2026-11-29T09:00Z', true],
    ['after:2026-11-29T09:01Z', false],
    ['before:2026-11-29T09:00Z', false],
    ['after:2h', true],
    ['after:1h', false],
    ['from:gate-cam has:attachment after:today subject:sabotage camera:10.0.0.23', true],
    ['from:gate-cam has:attachment after:today subject:sabotage camera:10.0.0.24', false],
    ['10.0.0.23', true],
  ])('%j → %s', (text, expected) => expect(matchesMessageSearch(base, parseMessageSearch(text, UTC))).toBe(expected));

  it('reads days in the technician\'s zone: a 00:30 local mail is on the local day, not the UTC one', () => {
    // 2026-11-29 23:30 UTC is 2026-11-30 00:30 at UTC+1.
    const late = { ...base, receivedAtMs: Date.UTC(2026, 10, 29, 23, 30) };
    expect(matchesMessageSearch(late, parseMessageSearch('after:2026-11-30', CET))).toBe(true);
    expect(matchesMessageSearch(late, parseMessageSearch('after:2026-11-30', UTC))).toBe(false);
  });
});
