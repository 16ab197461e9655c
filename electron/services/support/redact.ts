/**
 * Redaction for the support bundle (docs/architecture.md §2.10: credentials never leave the machine side). Three
 * layers, because a support bundle is mailed around and one missed password is one too many:
 *
 * 1. Structure: in JSON-like data every value under a secret-sounding key (password, token, secret, sealed…)
 *    becomes "[redacted]".
 * 2. Patterns: in text, SMTP AUTH arguments (RFC 4954 §4: the initial response and every continuation line),
 *    user:password@ in URLs, token/password/key query parameters and key=value pairs, Authorization headers.
 * 3. Known values: every secret the app itself holds (passed in by the providers) is replaced wherever it
 *    occurs, in text and in binary files such as crash dumps (same length, so a minidump stays parseable).
 */

/** Replacement text for a redacted value. */
export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear. */
const SECRET_KEY = /pass(word|wd|phrase)?$|^pw$|secret|token|auth(orization)?$|credential|api[-_]?key|private[-_]?key|sealed|cookie|session[-_]?key/i;

/** Whether an object key names a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** Deep copy of JSON-like data with every secret-keyed value replaced (strings get the text patterns too). */
export function redactValue(value: unknown, depth = 0): unknown {
  if (depth > 40) return '[too deep]';
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = isSecretKey(k) && v !== null && v !== undefined && v !== '' && typeof v !== 'boolean' ? REDACTED : redactValue(v, depth + 1);
    }
    return out;
  }
  return value;
}

const TEXT_RULES: Array<[RegExp, string | ((...m: string[]) => string)]> = [
  // SMTP AUTH with an initial response: `AUTH PLAIN <b64>`, `AUTH LOGIN <b64>`, `AUTH XOAUTH2 <b64>`.
  [/\b(AUTH\s+[A-Z0-9_-]+)\s+\S+/gi, `$1 ${REDACTED}`],
  // URL credentials: scheme://user:password@host
  [/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]*):([^\s/@]*)@/gi, `$1$2:${REDACTED}@`],
  // Query parameters and key=value / key: value pairs with secret-sounding names (JSON strings included).
  [/(["']?)([\w.-]*(?:pass(?:word|wd)?|secret|token|api[-_]?key|credential|sealed[\w]*)\1\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s&,;"'}]+)/gi, (_m, _q, lhs: string, v: string) => `${_q}${lhs}${v.startsWith('"') ? `"${REDACTED}"` : v.startsWith("'") ? `'${REDACTED}'` : REDACTED}`],
  // HTTP Authorization headers and bearer tokens.
  [/\b(authorization:\s*)(basic|bearer|digest)\s+[^\r\n]+/gi, `$1$2 ${REDACTED}`],
  [/\bbearer\s+[A-Za-z0-9._~+/=-]{8,}/gi, `Bearer ${REDACTED}`],
];

/** Redacts secrets in free text (log lines, transcripts). */
export function redactText(text: string): string {
  let out = text;
  for (const [re, to] of TEXT_RULES) out = out.replace(re, to as string);
  return out;
}

/**
 * SMTP transcript lines: after a client's bare `AUTH LOGIN`/`AUTH PLAIN`, the next client lines until the
 * server's final 235/5xx reply are credentials (RFC 4954 §4), whatever they look like.
 */
export function redactTranscript(lines: Array<{ dir: string; line: string }>): Array<{ dir: string; line: string }> {
  let inAuth = false;
  return lines.map((l) => {
    if (l.dir === 'C' && /^AUTH\s+\S+\s*$/i.test(l.line.trim())) {
      inAuth = true;
      return { ...l, line: redactText(l.line) };
    }
    if (inAuth && l.dir === 'S' && !/^334\b/.test(l.line)) inAuth = false;
    if (inAuth && l.dir === 'C') return { ...l, line: REDACTED };
    return { ...l, line: redactText(l.line) };
  });
}

/**
 * Replaces every occurrence of each known secret (UTF-8 and UTF-16LE, as strings appear in process memory)
 * with asterisks of the same length. Secrets shorter than 4 characters are skipped: they would wipe ordinary
 * bytes everywhere and cannot be told apart from them anyway.
 */
export function scrubKnownSecrets(data: Buffer, secrets: string[]): { data: Buffer; hits: number } {
  let out = data;
  let hits = 0;
  for (const s of new Set(secrets)) {
    if (s.length < 4) continue;
    for (const needle of [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le'), Buffer.from(Buffer.from(s, 'utf8').toString('base64'))]) {
      let at = out.indexOf(needle);
      while (at !== -1) {
        if (out === data) out = Buffer.from(data);
        out.fill(0x2a, at, at + needle.length);
        hits++;
        at = out.indexOf(needle, at + needle.length);
      }
    }
  }
  return { data: out, hits };
}
