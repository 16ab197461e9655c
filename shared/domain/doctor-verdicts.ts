/**
 * The doctor's pure verdict rules: they turn what a probe saw (SMTP replies, an NTP answer, camera readings) into
 * pass / warn / fail with a one-line fix and a knowledge-base article. The services do the I/O; every judgement
 * lives here so it can be table-tested (diagnostics.test.ts). Imported through diagnostics.ts.
 */
import { FIRST_PATCHED_FIRMWARE, isVulnerableFirmware, MAX_HANDLERS } from './camera';
import type { CheckOutcome } from './diagnostics';
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
      return { verdict: 'pass', message: `Accepted MAIL FROM:<${from}> with no login and no TLS, as the camera sends it (${said}).` };
    case 'needs-starttls':
      return {
        verdict: 'fail',
        message: `The server demands STARTTLS before accepting mail (${said}); the camera cannot do TLS.`,
        fix: 'Point the camera at a local relay that accepts plain SMTP (this app\'s relay), and let the relay forward with TLS.',
        article: 'local-relay',
      };
    case 'needs-auth':
      return {
        verdict: 'fail',
        message: `The server demands a login before accepting mail (${said}); the camera cannot log in.`,
        fix: "Allow the camera's IP to send without a login on this server, or use a local relay that forwards with the login.",
        article: 'local-relay',
      };
    case 'temporary':
      return { verdict: 'warn', message: `The server deferred MAIL FROM (${said}); the camera does not retry.`, fix: 'Run the doctor again; if it repeats, read the server log for the reason.', article: 'smtp-transcript' };
    default:
      return {
        verdict: 'fail',
        message: `The server refused the sender <${from}> (${said}).`,
        fix: "Use a From address the server accepts (the handler's From field), or allow it on the server.",
        article: 'smtp-transcript',
      };
  }
}

/** The verdict on the RCPT TO reply: accepted, relaying refused, or another refusal. */
export function recipientOutcome(r: SmtpReply, to: string, client?: string): CheckOutcome {
  const said = formatReply(r);
  const who = client ? `this laptop (${client})` : 'this laptop';
  switch (classifySmtpReply('rcpt', r)) {
    case 'ok':
      return { verdict: 'pass', message: `Accepted RCPT TO:<${to}> from ${who} without a login (${said}).` };
    case 'relay-denied':
      return {
        verdict: 'fail',
        message: `The server refuses to relay to <${to}> for ${who} (${said}); unless its allow-list has the camera's IP, the camera's mail is lost the same way.`,
        fix: "Add the camera's IP address (and this laptop's, for the test) to the server's relay allow-list.",
        article: 'local-relay',
      };
    case 'needs-auth':
      return {
        verdict: 'fail',
        message: `The server only relays after a login (${said}); the camera cannot log in.`,
        fix: "Allow unauthenticated relay for the camera's IP, or use a local relay that forwards with the login.",
        article: 'local-relay',
      };
    case 'needs-starttls':
      return { verdict: 'fail', message: `The server demands STARTTLS (${said}); the camera cannot do TLS.`, fix: 'Use a local relay that accepts plain SMTP.', article: 'local-relay' };
    case 'temporary':
      return { verdict: 'warn', message: `The server deferred the recipient (${said}); the camera does not retry.`, fix: 'Run the doctor again; if it repeats, read the server log for the reason.', article: 'smtp-transcript' };
    default:
      return {
        verdict: 'fail',
        message: `The server refused the recipient <${to}> (${said}).`,
        fix: 'Check the To address for typos, or ask the mail administrator why the server refuses it.',
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
      message: `The server greeted with ${formatReply(banner)} instead of 220: it does not accept mail now.`,
      fix: 'Check that the mail service is running and accepts connections from this network.',
      details,
    };
  }
  if (!ehlo || ehlo.code !== 250) {
    return {
      verdict: 'fail',
      message: `The server refused EHLO and HELO${ehlo ? ` (${formatReply(ehlo)})` : ''}.`,
      fix: 'Read the transcript in the details; the server refuses this client before any mail is sent.',
      details,
    };
  }
  const notes: string[] = [];
  if (caps?.starttls) notes.push('offers STARTTLS');
  if (caps && caps.auth.length > 0) notes.push(`offers AUTH ${caps.auth.join(' ')}`);
  const offers = notes.length ? `; it ${notes.join(' and ')}, which the camera ignores (only a demand for them is a problem)` : '';
  return { verdict: 'pass', message: `Banner 220 and ${usedHelo ? 'HELO' : 'EHLO'} accepted${offers}.`, details };
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

/** The verdict on a clock difference: `what` names the clock, `against` the reference (positive = ahead). */
export function clockOutcome(offsetMs: number, what: string, against: string, fix: string): CheckOutcome {
  const a = Math.abs(offsetMs);
  const dir = offsetMs >= 0 ? 'ahead of' : 'behind';
  const msg = `${what} is ${formatOffset(offsetMs).slice(1)} ${dir} ${against}`;
  const details = { offsetMs: Math.round(offsetMs) };
  if (a <= CLOCK_WARN_MS) return { verdict: 'pass', message: `${msg}.`, details };
  if (a <= CLOCK_FAIL_MS) return { verdict: 'warn', message: `${msg}: e-mail timestamps will be off.`, fix, details, article: 'ntp-clock-skew' };
  return { verdict: 'fail', message: `${msg}: ONVIF logins are likely refused and timestamps are wrong.`, fix, details, article: 'ntp-clock-skew' };
}

/** NTP kiss codes (RFC 4330 §8) that a technician may see, in plain words. */
export const KISS_CODES: Readonly<Record<string, string>> = {
  DENY: 'the server denies access to this client',
  RSTR: 'the server restricts access to this client',
  RATE: 'this client asks too often (rate limited)',
  INIT: 'the server has not synchronised yet',
  STEP: 'the server is stepping its clock',
};

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
    const why = KISS_CODES[r.kissCode] ?? 'the server refused to serve time';
    return {
      verdict: 'fail',
      message: `${server} sent a kiss-of-death "${r.kissCode}": ${why}.`,
      fix: 'Use another NTP server on the site network, or allow the camera and this laptop on this one.',
      details,
    };
  }
  if (r.stratum >= 16 || r.leap === 3) {
    return {
      verdict: 'warn',
      message: `${server} answers but is not synchronised itself (stratum ${r.stratum}, leap ${r.leap}).`,
      fix: 'Let the NTP server synchronise to a reference first, or point the camera at one that is.',
      details,
    };
  }
  return {
    verdict: 'pass',
    message: `${server} answers: stratum ${r.stratum}, round trip ${details.roundTripMs} ms, reference ${r.refId || 'unknown'}.`,
    details,
  };
}

// ---------------------------------------------------------------- camera

/** The verdict on the firmware version: a warning when it reads older than the first fixed release. */
export function firmwareOutcome(version: string | undefined, model?: string): CheckOutcome {
  const label = `${model ? model + ' ' : ''}firmware ${version ?? '(unknown)'}`;
  if (!version || !/\d/.test(version)) {
    return {
      verdict: 'warn',
      message: `Could not read the firmware version (${version || 'none'}).`,
      fix: `Read the version on the camera page System > General and compare it with ${FIRST_PATCHED_FIRMWARE}.`,
      details: { version },
    };
  }
  if (isVulnerableFirmware(version)) {
    return {
      verdict: 'warn',
      message: `${label} is older than ${FIRST_PATCHED_FIRMWARE}, which has known vulnerabilities (CVE-2018-7228/7229/7781/7782).`,
      fix: 'Plan a firmware update from Pelco; until then keep the camera off untrusted networks and change the default password.',
      details: { version, firstPatched: FIRST_PATCHED_FIRMWARE },
    };
  }
  return { verdict: 'pass', message: `${label}.`, details: { version } };
}

/** The verdict on the handler count, knowing whether a Send Email handler exists already. */
export function handlersOutcome(used: number, sendEmailHandlers: number): CheckOutcome {
  const details = { used, max: MAX_HANDLERS, free: Math.max(0, MAX_HANDLERS - used), sendEmailHandlers };
  const count = `${used}/${MAX_HANDLERS} handlers used`;
  if (sendEmailHandlers === 0) {
    if (used >= MAX_HANDLERS) {
      return { verdict: 'fail', message: `${count} and none sends e-mail: the camera will refuse a new Send Email handler.`, fix: 'Delete an unused handler, then add the Send Email handler.', details };
    }
    return { verdict: 'fail', message: `${count}, none of them sends e-mail: no notification can leave the camera.`, fix: 'Add a Send Email handler linked to the event source (source first, then handler).', details };
  }
  if (used >= MAX_HANDLERS) {
    return { verdict: 'warn', message: `${count} (all): e-mail is set up, but no further handler can be added.`, fix: 'Delete unused handlers before adding another one.', details };
  }
  return { verdict: 'pass', message: `${count}, ${sendEmailHandlers} Send Email handler${sendEmailHandlers === 1 ? '' : 's'}.`, details };
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
      message: 'Camera Sabotage is not active: covering the lens will not trigger an event.',
      fix: 'Tick "Activate Behavior" for Camera Sabotage under Analytics, then set Sensitivity 10 for the test.',
      details,
    };
  }
  if (sensitivity === 10) {
    return {
      verdict: 'warn',
      message: 'Camera Sabotage stays at sensitivity 10, the test value: the camera will alarm on every shadow and passing light.',
      fix: 'Set the scene sensitivity: Analytics > Camera Sabotage > Sensitivity, to what the scene needs (1-9; lower for busy or changing scenes). Raise it to 10 only for an on-site test.',
      details,
    };
  }
  if (sensitivity === undefined) {
    return { verdict: 'warn', message: 'Camera Sabotage is active, but its sensitivity could not be read.', fix: 'Check the sensitivity on the camera page Analytics > Camera Sabotage (1-9 for the scene; 10 only for a test).', details };
  }
  return {
    verdict: 'pass',
    message: `Camera Sabotage is active at sensitivity ${sensitivity}, a scene setting. For an on-site test a partial cover may need 10; the wizard raises it for the test and puts it back.`,
    details,
  };
}

/** Sender address used when the camera's handler does not give one (the domain follows the recipient's). */
export function probeSender(to: string | undefined): string {
  const domain = to?.split('@')[1];
  return `sarix-camera@${domain && (isHostName(domain) || parseIp(domain)) ? domain : 'localhost'}`;
}
