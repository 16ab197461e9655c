import { describe, expect, it } from 'vitest';
import { localizeError } from '../i18n/messages';
import {
  backoffMs,
  diagnoseSession,
  isClientAllowed,
  isForwardExpired,
  isWildcardAddress,
  messageMatches,
  normaliseIp,
  openRelayRisks,
  parseAllowEntry,
  plainPasswordRefusal,
  plainPasswordRisk,
  planForward,
  RelayStartOptionsSchema,
  retentionVictims,
  rewriteFromHeader,
  type AllowEntry,
  type MessageSummary,
  type TranscriptLine,
} from './relay';

function allowList(...entries: string[]): AllowEntry[] {
  return entries.map((e) => {
    const r = parseAllowEntry(e);
    if (!r.ok) throw new Error(r.error);
    return r.entry;
  });
}

describe('allow-list', () => {
  const table: Array<[string, string[], boolean]> = [
    ['192.168.0.20', ['192.168.0.20'], true],
    ['192.168.0.21', ['192.168.0.20'], false],
    ['192.168.0.21', ['192.168.0.0/24'], true],
    ['192.168.1.21', ['192.168.0.0/24'], false],
    ['::ffff:192.168.0.30', ['192.168.0.0/24'], true],
    ['10.0.0.1', [], false],
    ['169.254.3.4', ['169.254.0.0/16'], true],
    ['fe80::1', ['fe80::/10'], true],
    ['fe80::1', ['192.168.0.0/16'], false],
    ['8.8.8.8', ['192.168.0.0/16', '10.0.0.0/8'], false],
    ['not-an-ip', ['0.0.0.0/0'], false],
    ['127.0.0.9', ['127.0.0.0/8'], true],
  ];
  it.each(table)('%s with %j → %s', (ip, entries, expected) => {
    expect(isClientAllowed(ip, allowList(...entries))).toBe(expected);
  });

  it('refuses entries that are not an IP or CIDR with a message that shows the format', () => {
    for (const bad of ['camera-1', '192.168.0.0/33', '300.1.1.1', '']) {
      const r = parseAllowEntry(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toMatch(/e\.g\. 192\.168\.0\.20/);
    }
  });

  it('the refusal is keyed: German from its key, the English unchanged', () => {
    const r = parseAllowEntry('camera-1');
    expect(r).toMatchObject({ ok: false, error: '"camera-1" is not an IP address or CIDR range; write e.g. 192.168.0.20 or 192.168.0.0/24.', key: 'errors.VALIDATION.allowEntry' });
    if (!r.ok) expect(localizeError('de', { message: r.error, key: r.key, params: r.params })).toBe('„camera-1“ ist weder eine IP-Adresse noch ein CIDR-Bereich; schreiben Sie z. B. 192.168.0.20 oder 192.168.0.0/24.');
  });

  it('a login without TLS is refused with a keyed message (German from its key, the English unchanged)', () => {
    const f = { host: 'smtp.site.lan', port: 2525, security: 'none' as const, user: 'cam', password: 'pw', allowPasswordWithoutTls: false };
    expect(plainPasswordRisk(f)).toBe(
      'Forwarding to smtp.site.lan:2525 with a login but without TLS would send the password unencrypted (AUTH PLAIN/LOGIN is only base64) ' +
        'to anyone who can watch the network. Use STARTTLS (smtp+starttls://, usually port 587) or TLS (smtps://, port 465); ' +
        'only on a network you trust, allow it explicitly (sarix relay --forward-allow-plain-password).',
    );
    const r = plainPasswordRefusal(f)!;
    expect(localizeError('de', r)).toMatch(/^Eine Weiterleitung an smtp\.site\.lan:2525 mit Anmeldung, aber ohne TLS würde das Passwort unverschlüsselt senden/);
    expect(plainPasswordRefusal({ ...f, security: 'starttls' })).toBeUndefined();
    expect(plainPasswordRisk({ ...f, allowPasswordWithoutTls: true })).toBeUndefined();
  });

  it('normalises entries and addresses', () => {
    expect(allowList(' 192.168.0.0/24 ')[0].text).toBe('192.168.0.0/24');
    expect(normaliseIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(normaliseIp('fe80::1%eth0')).toBe('fe80::1');
  });
});

describe('open-relay guard', () => {
  it.each([
    [['192.168.0.0/24', '10.1.2.3', '127.0.0.1', '169.254.0.0/16', 'fd00::/8', 'fe80::/64'], []],
    [['0.0.0.0/0'], ['0.0.0.0/0']],
    [['192.168.0.0/15'], ['192.168.0.0/15']],
    [['8.8.8.8'], ['8.8.8.8']],
    [['172.16.0.0/12', '172.32.0.0/16'], ['172.32.0.0/16']],
    [['::/0'], ['::/0']],
  ])('%j → risks %j', (entries, risks) => {
    expect(openRelayRisks(allowList(...entries), true)).toEqual(risks);
    expect(openRelayRisks(allowList(...entries), false)).toEqual([]);
  });
});

describe('isWildcardAddress', () => {
  it.each([
    ['0.0.0.0', true],
    ['::', true],
    ['[::]', true],
    ['', true],
    ['127.0.0.1', false],
    ['192.168.0.5', false],
    ['::1', false],
  ])('%s → %s', (a, w) => expect(isWildcardAddress(a)).toBe(w));
});

describe('planForward', () => {
  const table: Array<[string[], Parameters<typeof planForward>[1], string[] | null]> = [
    [['a@x.local'], [{ match: 'all' }], ['a@x.local']],
    [['a@x.local'], [], null],
    [['a@x.local', 'b@y.local'], [{ match: 'recipient', pattern: '*@y.local' }], ['b@y.local']],
    [['a@x.local'], [{ match: 'recipient', pattern: '*@y.local' }], null],
    [['ALARM@Y.local'], [{ match: 'recipient', pattern: 'alarm@y.local' }], ['ALARM@Y.local']],
    [['a@x.local'], [{ match: 'all', to: ['boss@corp.example'] }], ['boss@corp.example']],
    [['a@x.local'], [{ match: 'recipient', pattern: 'a@x.local', to: ['z@z.example'] }, { match: 'all' }], ['z@z.example']],
    [['a@x.local'], [{ match: 'recipient' }, { match: 'all' }], ['a@x.local']],
    [['a.b@x.local'], [{ match: 'recipient', pattern: 'a?b@x.local' }], null],
  ];
  it.each(table)('%j with %j → %j', (to, rules, expected) => expect(planForward(to, rules)).toEqual(expected));
});

describe('backoff and expiry', () => {
  it('doubles from 30 s and caps at one hour, jitter within ±10 %', () => {
    expect(backoffMs(1, 0.5)).toBe(30_000);
    expect(backoffMs(2, 0.5)).toBe(60_000);
    expect(backoffMs(3, 0.5)).toBe(120_000);
    expect(backoffMs(20, 0.5)).toBe(3600_000);
    expect(backoffMs(1, 0)).toBe(27_000);
    expect(backoffMs(1, 1)).toBe(33_000);
  });
  it('expires after the maximum age', () => {
    expect(isForwardExpired(0, 1000, 999)).toBe(true);
    expect(isForwardExpired(0, 1000, 1000)).toBe(false);
  });
});

describe('retentionVictims', () => {
  const day = 86400_000;
  const now = 100 * day;
  const m = (id: string, ageDays: number, pinned = false) => ({ id, receivedAtMs: now - ageDays * day, pinned });
  it('removes old unpinned messages and keeps pinned evidence', () => {
    expect(retentionVictims([m('a', 91), m('b', 91, true), m('c', 1)], { maxCount: 10, maxAgeDays: 90, maxTotalMb: 4096 }, now)).toEqual(['a']);
  });
  it('removes the oldest unpinned beyond the count', () => {
    expect(retentionVictims([m('a', 5), m('b', 4, true), m('c', 3), m('d', 2)], { maxCount: 2, maxAgeDays: 90, maxTotalMb: 4096 }, now)).toEqual(['a', 'c']);
  });
  it('keeps everything pinned even over the count', () => {
    expect(retentionVictims([m('a', 5, true), m('b', 4, true)], { maxCount: 1, maxAgeDays: 90, maxTotalMb: 4096 }, now)).toEqual([]);
  });
  it('removes the oldest unpinned until the rest fits the size limit (pinned evidence counts but stays)', () => {
    const mb = 1024 * 1024;
    const sized = (id: string, ageDays: number, size: number, pinned = false) => ({ ...m(id, ageDays, pinned), size });
    const all = [sized('a', 5, 3 * mb), sized('b', 4, 3 * mb, true), sized('c', 3, 3 * mb), sized('d', 2, 3 * mb)];
    expect(retentionVictims(all, { maxCount: 100, maxAgeDays: 90, maxTotalMb: 12 }, now)).toEqual([]);
    expect(retentionVictims(all, { maxCount: 100, maxAgeDays: 90, maxTotalMb: 10 }, now)).toEqual(['a']);
    expect(retentionVictims(all, { maxCount: 100, maxAgeDays: 90, maxTotalMb: 6 }, now)).toEqual(['a', 'c']);
    expect(retentionVictims(all, { maxCount: 100, maxAgeDays: 90, maxTotalMb: 1 }, now)).toEqual(['a', 'c', 'd']);
  });
  it('gives what a full sort of the store gives, for stores in any order, with ties, pinned mail and every limit', () => {
    // The whole-store sort it replaced, kept here as the reference.
    type M = { id: string; receivedAtMs: number; pinned: boolean; size?: number };
    const reference = (messages: M[], policy: { maxCount: number; maxAgeDays: number; maxTotalMb: number }, nowMs: number) => {
      const out: string[] = [];
      const cutoff = nowMs - policy.maxAgeDays * day;
      const kept: M[] = [];
      let bytes = 0;
      for (const x of messages) {
        if (!x.pinned && x.receivedAtMs < cutoff) out.push(x.id);
        else {
          kept.push(x);
          bytes += x.size ?? 0;
        }
      }
      let excess = kept.length - policy.maxCount;
      const maxBytes = policy.maxTotalMb * 1024 * 1024;
      for (const x of kept.filter((k) => !k.pinned).sort((a, b) => a.receivedAtMs - b.receivedAtMs || (a.id < b.id ? -1 : 1))) {
        if (excess <= 0 && bytes <= maxBytes) break;
        out.push(x.id);
        excess--;
        bytes -= x.size ?? 0;
      }
      return out;
    };
    let seed = 7;
    // mulberry32: a small seeded generator, so a failure repeats.
    const rnd = (n: number) => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) % n;
    };
    const mb = 1024 * 1024;
    for (let run = 0; run < 400; run++) {
      const n = 1 + rnd(run < 390 ? 60 : 900);
      const isArrivalOrder = rnd(2) === 0;
      const messages: M[] = Array.from({ length: n }, (_, i) => ({
        id: `m${String(rnd(1000)).padStart(4, '0')}-${i}`,
        // Arrival order, or any order with many equal times (ties are ordered by id).
        receivedAtMs: now - (isArrivalOrder ? (n - i) * 1000 : rnd(12) * 10 * day) - rnd(3) * 1000,
        pinned: rnd(8) === 0,
        size: rnd(3) * mb,
      }));
      const policy = { maxCount: 1 + rnd(n + 5), maxAgeDays: 1 + rnd(150), maxTotalMb: 1 + rnd(2 * n + 2) };
      expect(retentionVictims(messages, policy, now), JSON.stringify({ run, policy })).toEqual(reference(messages, policy, now));
    }
  });
});

describe('messageMatches', () => {
  const msg: MessageSummary = {
    id: '1',
    receivedAt: '2026-01-02T10:00:00.000Z',
    from: 'cam1@site.local',
    to: ['alarms@site.local'],
    headerFrom: 'Lobby Cam <cam1@site.local>',
    subject: 'Camera Sabotage on Lobby',
    messageId: '<x@y>',
    clientIp: '192.168.0.20',
    heloName: 'lobbycam',
    camera: 'Lobby',
    size: 10,
    attachments: [],
    pinned: false,
    sessionId: 's',
  };
  it.each([
    [{}, true],
    [{ camera: 'lobby' }, true],
    [{ camera: '192.168.0.20' }, true],
    [{ camera: 'parking' }, false],
    [{ sender: 'LOBBY CAM' }, true],
    [{ sender: 'cam2@' }, false],
    [{ subject: 'sabotage' }, true],
    [{ since: '2026-01-02T09:00:00Z', until: '2026-01-02T11:00:00Z' }, true],
    [{ since: '2026-01-02T10:00:01Z' }, false],
    [{ until: '2026-01-02T10:00:00Z' }, false],
  ])('%j → %s', (q, expected) => expect(messageMatches(msg, q)).toBe(expected));
});

describe('diagnoseSession', () => {
  const l = (dir: TranscriptLine['dir'], line: string): TranscriptLine => ({ at: '2026-01-01T00:00:00Z', dir, line });
  const codes = (lines: TranscriptLine[], flags = {}) => diagnoseSession(lines, flags).map((q) => q.code);
  it('recognises AUTH that was not offered, but not AUTH that was', () => {
    expect(codes([l('C', 'EHLO cam'), l('S', '250-sarix-relay Nice to meet you'), l('S', '250 8BITMIME'), l('C', 'AUTH PLAIN /* secured */')])).toEqual(['auth-not-offered']);
    expect(codes([l('C', 'EHLO cam'), l('S', '250-sarix-relay'), l('S', '250 AUTH PLAIN LOGIN'), l('C', 'AUTH PLAIN /* secured */')])).toEqual([]);
    expect(codes([l('S', '250-AUTH PLAIN LOGIN'), l('C', 'AUTH LOGIN')])).toEqual([]);
  });
  it('recognises STARTTLS, a raw TLS hello, empty HELO, early talkers and the size limit', () => {
    expect(codes([l('C', 'STARTTLS')])).toEqual(['tls-attempted']);
    expect(codes([l('C', '\\x16\\x03\\x01')])).toEqual(['tls-attempted']);
    expect(codes([l('C', 'HELO')])).toEqual(['empty-helo']);
    expect(codes([l('C', 'EHLO   ')])).toEqual(['empty-helo']);
    expect(codes([l('S', '421 sarix-relay You talk too soon')])).toEqual(['early-talker']);
    expect(codes([l('S', '552 Message too large')])).toEqual(['too-large']);
  });
  it('adds flag-only quirks once, in a stable order, each with a one-line fix', () => {
    const q = diagnoseSession([l('C', 'HELO')], { bareLf: true, emptyHelo: true, notAllowed: true, tooLarge: true });
    expect(q.map((x) => x.code)).toEqual(['empty-helo', 'bare-lf', 'too-large', 'not-allowed']);
    for (const x of q) {
      expect(x.fix.length).toBeGreaterThan(10);
      expect(x.fix).not.toContain('\n');
    }
  });
  it('finds nothing in a clean session', () => {
    expect(codes([l('C', 'EHLO cam1'), l('S', '250 OK'), l('C', 'MAIL FROM:<a@b>'), l('S', '250 Accepted'), l('C', 'QUIT')])).toEqual([]);
  });
});

describe('rewriteFromHeader', () => {
  it('replaces a folded From and keeps the original as Reply-To', () => {
    const out = rewriteFromHeader('Subject: x\r\nFrom: "Lobby"\r\n <cam@site.local>\r\nTo: a@b', 'me@gmail.com');
    expect(out).toBe('Subject: x\r\nFrom: me@gmail.com\r\nTo: a@b\r\nReply-To: "Lobby" <cam@site.local>');
  });
  it('keeps an existing Reply-To and adds a From when missing', () => {
    expect(rewriteFromHeader('From: a@b\r\nReply-To: c@d', 'x@y')).toBe('From: x@y\r\nReply-To: c@d');
    expect(rewriteFromHeader('Subject: s', 'x@y')).toBe('From: x@y\r\nSubject: s');
  });
});

describe('RelayStartOptionsSchema', () => {
  it('defaults to port 25, 32 MiB, accept-any-auth and a closed allow-list', () => {
    const o = RelayStartOptionsSchema.parse({ listenAddress: '192.168.0.5' });
    expect(o).toMatchObject({ port: 25, maxMessageBytes: 32 * 1024 * 1024, acceptAnyAuth: true, allow: [], allowAllInterfaces: false });
    expect(o.retention).toEqual({ maxCount: 10_000, maxAgeDays: 90, maxTotalMb: 4096 });
  });
});
