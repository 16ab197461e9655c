/**
 * The doctor's pure verdict rules: they turn what a probe saw (SMTP replies, an NTP answer, camera readings) into
 * pass / warn / fail with a one-line fix and a knowledge-base article. The services do the I/O; every judgement
 * lives here so it can be table-tested (diagnostics.test.ts). Imported through diagnostics.ts.
 */
import { FIRST_PATCHED_FIRMWARE, isVulnerableFirmware, MAX_HANDLERS } from './camera';
import type { CheckOutcome } from './diagnostics';
import { says } from './doctor-says';
import { part, type KeyedLine } from '../i18n/keyed-text';
import { isHostName, parseIp } from './net-address';

// ---------------------------------------------------------------- SMTP

/** One SMTP reply: code, optional enhanced status (RFC 3463) and the text lines without the code. */
export interface SmtpReply {
  code: number;
  enhanced?: string;
  lines: string[];
}

/** What an SMTP reply means for a camera that can neither log in nor start TLS. */
export type SmtpReplyMeaning =
  | 'ok'
  | 'needs-starttls'
  | 'needs-auth'
  | 'relay-denied'
  | 'sender-rejected'
  | 'recipient-rejected'
  | 'temporary'
  | 'service-unavailable'
  | 'rejected';

/** Parses the text after the code into an enhanced status code when one leads it (`5.7.0 Must issue…`). */
export function splitEnhanced(text: string): { enhanced?: string; text: string } {
  const m = /^([245]\.\d{1,3}\.\d{1,3})\s+(.*)$/.exec(text);
  return m ? { enhanced: m[1], text: m[2] } : { text };
}

/**
 * Interprets a reply to MAIL FROM, RCPT TO or DATA. The wording of real servers varies, so the enhanced code
 * decides first (RFC 3463/RFC 4954: 5.7.0 + STARTTLS, 5.7.0/5.7.11/5.7.57 auth, 5.7.1 relay), then the text.
 */
export function classifySmtpReply(stage: 'mail' | 'rcpt' | 'data', r: SmtpReply): SmtpReplyMeaning {
  const text = r.lines.join(' ').toLowerCase();
  if (r.code >= 200 && r.code < 400) return 'ok';
  if (r.code === 421) return 'service-unavailable';
  if (/starttls|tls required|must issue a starttls|encryption required|secure connection/.test(text)) return 'needs-starttls';
  if (r.code === 530 || r.code === 535 || r.code === 538 || r.enhanced === '5.7.57' || r.enhanced === '5.7.11' || /authenticat|auth required|login required|not authenticated/.test(text)) {
    return 'needs-auth';
  }
  if (r.code >= 400 && r.code < 500) return 'temporary';
  if (stage === 'rcpt' && (/relay|not permitted|not allowed to send/.test(text) || r.enhanced === '5.7.1')) return 'relay-denied';
  if (stage === 'rcpt' && (r.code === 550 || r.code === 551 || r.code === 553 || r.code === 554)) return 'recipient-rejected';
  if (stage === 'mail' && (r.code === 550 || r.code === 553 || r.code === 554 || r.code === 501)) return 'sender-rejected';
  if (r.code === 554) return 'service-unavailable';
  return 'rejected';
}

/** What the server advertised in its EHLO reply. */
export interface EhloCapabilities {
  starttls: boolean;
  auth: string[];
  size?: number;
  pipelining: boolean;
  eightBitMime: boolean;
  /** Every keyword line as the server sent it (the first line, the greeting, excluded). */
  extensions: string[];
}

/** Parses the lines of a 250 EHLO reply (first line is the server's greeting). */
export function parseEhlo(lines: readonly string[]): EhloCapabilities {
  const ext = lines.slice(1).map((l) => l.trim()).filter(Boolean);
  const kw = (l: string) => l.split(/[\s=]/)[0].toUpperCase();
  const auth = new Set<string>();
  let size: number | undefined;
  for (const l of ext) {
    const k = kw(l);
    // "AUTH=LOGIN PLAIN" is the pre-RFC 4954 form still sent by some servers.
    if (k === 'AUTH') for (const m of l.slice(5).trim().split(/\s+/)) if (m) auth.add(m.toUpperCase());
    if (k === 'SIZE') {
      const n = Number(l.split(/\s+/)[1]);
      if (Number.isFinite(n)) size = n;
    }
  }
  return {
    starttls: ext.some((l) => kw(l) === 'STARTTLS'),
    auth: [...auth],
    ...(size !== undefined ? { size } : {}),
    pipelining: ext.some((l) => kw(l) === 'PIPELINING'),
    eightBitMime: ext.some((l) => kw(l) === '8BITMIME'),
    extensions: ext,
  };
}

/** Formats a reply as it appeared on the wire, for messages (`530 5.7.0 Must issue a STARTTLS command first`). */
export function formatReply(r: SmtpReply): string {
  return `${r.code}${r.enhanced ? ' ' + r.enhanced : ''} ${r.lines.join(' / ')}`.trim();
}

/** The verdict on the MAIL FROM reply (the first command where a server demands AUTH or STARTTLS). */
export function senderOutcome(r: SmtpReply, from: string): CheckOutcome {
  const said = formatReply(r);
  switch (classifySmtpReply('mail', r)) {
    case 'ok':
      return { verdict: 'pass', ...says(['doctor.msg.senderOk', { from, said }]) };
    case 'needs-starttls':
      return {
        verdict: 'fail',
        ...says(['doctor.msg.senderTls', { said }], ['doctor.fix.senderTls']),
        article: 'local-relay',
      };
    case 'needs-auth':
      return {
        verdict: 'fail',
        ...says(['doctor.msg.senderAuth', { said }], ['doctor.fix.senderAuth']),
        article: 'local-relay',
      };
    case 'temporary':
      return { verdict: 'warn', ...says(['doctor.msg.senderDeferred', { said }], ['doctor.fix.runAgain']), article: 'smtp-transcript' };
    default:
      return {
        verdict: 'fail',
        ...says(['doctor.msg.senderRefused', { from, said }], ['doctor.fix.senderRefused']),
        article: 'smtp-transcript',
      };
  }
}

/** The verdict on the RCPT TO reply: accepted, relaying refused, or another refusal. */
export function recipientOutcome(r: SmtpReply, to: string, client?: string): CheckOutcome {
  const said = formatReply(r);
  const who = client ? part('doctor.msg.thisLaptopAt', { client }) : part('doctor.msg.thisLaptop');
  switch (classifySmtpReply('rcpt', r)) {
    case 'ok':
      return { verdict: 'pass', ...says(['doctor.msg.recipientOk', { to, who, said }]) };
    case 'relay-denied':
      return {
        verdict: 'fail',
        ...says(['doctor.msg.relayDenied', { to, who, said }], ['doctor.fix.relayDenied']),
        article: 'local-relay',
      };
    case 'needs-auth':
      return {
        verdict: 'fail',
        ...says(['doctor.msg.recipientAuth', { said }], ['doctor.fix.recipientAuth']),
        article: 'local-relay',
      };
    case 'needs-starttls':
      return { verdict: 'fail', ...says(['doctor.msg.recipientTls', { said }], ['doctor.fix.plainRelay']), article: 'local-relay' };
    case 'temporary':
      return { verdict: 'warn', ...says(['doctor.msg.recipientDeferred', { said }], ['doctor.fix.runAgain']), article: 'smtp-transcript' };
    default:
      return {
        verdict: 'fail',
        ...says(['doctor.msg.recipientRefused', { to, said }], ['doctor.fix.recipientRefused']),
        article: 'smtp-transcript',
      };
  }
}

/** The verdict on the EHLO step: what the server advertises and whether that will trouble the camera. */
export function greetingOutcome(banner: SmtpReply, ehlo: SmtpReply | undefined, usedHelo: boolean, caps: EhloCapabilities | undefined): CheckOutcome {
  const details = { banner: formatReply(banner), ehlo: ehlo ? formatReply(ehlo) : undefined, usedHelo, capabilities: caps };
  if (banner.code !== 220) {
    return {
      verdict: 'fail',
      ...says(['doctor.msg.bannerNot220', { banner: formatReply(banner) }], ['doctor.fix.mailServiceRuns']),
      details,
    };
  }
  if (!ehlo || ehlo.code !== 250) {
    return {
      verdict: 'fail',
      ...says(ehlo ? ['doctor.msg.ehloRefusedWith', { reply: formatReply(ehlo) }] : ['doctor.msg.ehloRefused'], ['doctor.fix.ehloRefused']),
      details,
    };
  }
  const hasAuth = !!caps && caps.auth.length > 0;
  const offers = caps?.starttls ? (hasAuth ? 'both' : 'tls') : hasAuth ? 'auth' : 'none';
  return { verdict: 'pass', ...says(['doctor.msg.greetingOk', { command: usedHelo ? 'HELO' : 'EHLO', offers, mechanisms: caps?.auth.join(' ') ?? '' }]), details };
}

// ---------------------------------------------------------------- clocks and NTP

/**
 * Clock thresholds. ONVIF logins use a WS-Security UsernameToken whose Created time the camera checks against
 * its own clock; common implementations reject tokens more than 5 minutes off (Apache WSS4J's default
 * time-to-live is 300 s). Anything over a few seconds already makes e-mail timestamps misleading.
 */
export const CLOCK_WARN_MS = 5_000;
/** Above this skew ONVIF logins are likely refused. */
export const CLOCK_FAIL_MS = 300_000;

/** Formats a signed millisecond offset for people (`+2.4 s`, `−3 min 10 s`, `+1 h 2 min`). */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  const a = Math.abs(ms);
  // Round once per unit before splitting, so 3599.9 s reads "1 h 0 min", never "59 min 60 s".
  if (Math.round(a) < 1000) return `${sign}${Math.round(a)} ms`;
  const tenths = Math.round(a / 100) / 10;
  if (tenths < 60) return `${sign}${tenths.toFixed(1)} s`;
  const s = Math.round(a / 1000);
  if (s < 3600) return `${sign}${Math.floor(s / 60)} min ${s % 60} s`;
  const m = Math.round(a / 60_000);
  if (m < 1440) return `${sign}${Math.floor(m / 60)} h ${m % 60} min`;
  return `${sign}${(a / 86_400_000).toFixed(1)} days`;
}

/**
 * The verdict on a clock difference (positive = ahead): the camera's clock against this laptop, or this laptop's
 * clock against an NTP server.
 */
export function clockOutcome(offsetMs: number, clock: 'camera' | { ntpServer: string }, fix: KeyedLine): CheckOutcome {
  const a = Math.abs(offsetMs);
  const params = {
    what: clock === 'camera' ? part('doctor.clock.camera') : part('doctor.clock.laptop'),
    against: clock === 'camera' ? part('doctor.clock.thisLaptop') : clock.ntpServer,
    offset: formatOffset(offsetMs).slice(1),
    direction: offsetMs >= 0 ? 'ahead' : 'behind',
  };
  const details = { offsetMs: Math.round(offsetMs) };
  if (a <= CLOCK_WARN_MS) return { verdict: 'pass', ...says(['doctor.msg.clockOk', params]), details };
  if (a <= CLOCK_FAIL_MS) return { verdict: 'warn', ...says(['doctor.msg.clockOff', params], fix), details, article: 'ntp-clock-skew' };
  return { verdict: 'fail', ...says(['doctor.msg.clockFar', params], fix), details, article: 'ntp-clock-skew' };
}

/** NTP kiss codes (RFC 4330 §8) that a technician may see, in plain words. */
export const KISS_CODES: Readonly<Record<string, string>> = {
  DENY: 'the server denies access to this client',
  RSTR: 'the server restricts access to this client',
  RATE: 'this client asks too often (rate limited)',
  INIT: 'the server has not synchronised yet',
  STEP: 'the server is stepping its clock',
};

/** The catalog keys of the kiss codes in KISS_CODES (the same words, in the technician's language). */
const KISS_KEYS = {
  DENY: 'doctor.kiss.DENY',
  RSTR: 'doctor.kiss.RSTR',
  RATE: 'doctor.kiss.RATE',
  INIT: 'doctor.kiss.INIT',
  STEP: 'doctor.kiss.STEP',
} as const satisfies Record<keyof typeof KISS_CODES, string>;

/** What an SNTP answer looked like, as the verdict rules need it. */
export interface SntpReading {
  stratum: number;
  leap: number;
  offsetMs: number;
  roundTripMs: number;
  refId: string;
  kissCode?: string;
}

/** The verdict on the server's answer itself (not on the laptop's clock). */
export function ntpAnswerOutcome(r: SntpReading, server: string): CheckOutcome {
  const details = { ...r, offsetMs: Math.round(r.offsetMs), roundTripMs: Math.round(r.roundTripMs * 10) / 10 };
  if (r.kissCode !== undefined) {
    const why = r.kissCode in KISS_KEYS ? part(KISS_KEYS[r.kissCode as keyof typeof KISS_KEYS]) : part('doctor.kiss.other');
    return {
      verdict: 'fail',
      ...says(['doctor.msg.kissOfDeath', { server, kiss: r.kissCode, why }], ['doctor.fix.otherNtp']),
      details,
    };
  }
  if (r.stratum >= 16 || r.leap === 3) {
    return {
      verdict: 'warn',
      ...says(['doctor.msg.ntpUnsynced', { server, stratum: r.stratum, leap: r.leap }], ['doctor.fix.ntpUnsynced']),
      details,
    };
  }
  return {
    verdict: 'pass',
    ...says(['doctor.msg.ntpOk', { server, stratum: r.stratum, roundTrip: details.roundTripMs, reference: r.refId || part('doctor.msg.unknown') }]),
    details,
  };
}

// ---------------------------------------------------------------- camera

/** The verdict on the firmware version: a warning when it reads older than the first fixed release. */
export function firmwareOutcome(version: string | undefined, model?: string): CheckOutcome {
  if (!version || !/\d/.test(version)) {
    return {
      verdict: 'warn',
      ...says(['doctor.msg.firmwareUnknown', { version: version || part('doctor.msg.none') }], ['doctor.fix.compareFirmware', { first: FIRST_PATCHED_FIRMWARE }]),
      details: { version },
    };
  }
  const label = model ? part('doctor.msg.firmwareOfModel', { model, version }) : part('doctor.msg.firmwareLabel', { version });
  if (isVulnerableFirmware(version)) {
    return {
      verdict: 'warn',
      ...says(['doctor.msg.firmwareOld', { label, first: FIRST_PATCHED_FIRMWARE }], ['doctor.fix.firmwareUpdate']),
      details: { version, firstPatched: FIRST_PATCHED_FIRMWARE },
    };
  }
  return { verdict: 'pass', ...says(['doctor.msg.firmwareOk', { label }]), details: { version } };
}

/** The verdict on the handler count, knowing whether a Send Email handler exists already. */
export function handlersOutcome(used: number, sendEmailHandlers: number): CheckOutcome {
  const details = { used, max: MAX_HANDLERS, free: Math.max(0, MAX_HANDLERS - used), sendEmailHandlers };
  const count = { used, max: MAX_HANDLERS };
  if (sendEmailHandlers === 0) {
    if (used >= MAX_HANDLERS) {
      return { verdict: 'fail', ...says(['doctor.msg.handlersFullNoEmail', count], ['doctor.fix.deleteThenAdd']), details };
    }
    return { verdict: 'fail', ...says(['doctor.msg.handlersNoEmail', count], ['doctor.fix.addEmailHandler']), details };
  }
  if (used >= MAX_HANDLERS) {
    return { verdict: 'warn', ...says(['doctor.msg.handlersFull', count], ['doctor.fix.deleteUnused']), details };
  }
  return { verdict: 'pass', ...says(['doctor.msg.handlersOk', { ...count, email: sendEmailHandlers }]), details };
}

/**
 * The verdict on Camera Sabotage. It must be active to send anything. Sensitivity 10 is the TEST value
 * (docs/camera.md §1): a camera left at 10 alarms on every shadow, so 10 is a warning with the fix, never a pass.
 */
export function sabotageOutcome(active: boolean, sensitivity: number | undefined): CheckOutcome {
  const details = { active, sensitivity };
  if (!active) {
    return {
      verdict: 'fail',
      ...says(['doctor.msg.sabotageInactive'], ['doctor.fix.activateSabotage']),
      details,
    };
  }
  if (sensitivity === 10) {
    return {
      verdict: 'warn',
      ...says(['doctor.msg.sabotageAtTest'], ['doctor.fix.sceneSensitivity']),
      details,
    };
  }
  if (sensitivity === undefined) {
    return { verdict: 'warn', ...says(['doctor.msg.sabotageNoSensitivity'], ['doctor.fix.checkSensitivity']), details };
  }
  return {
    verdict: 'pass',
    ...says(['doctor.msg.sabotageOk', { sensitivity }]),
    details,
  };
}

/** Sender address used when the camera's handler does not give one (the domain follows the recipient's). */
export function probeSender(to: string | undefined): string {
  const domain = to?.split('@')[1];
  return `sarix-camera@${domain && (isHostName(domain) || parseIp(domain)) ? domain : 'localhost'}`;
}
