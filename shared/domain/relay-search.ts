/**
 * The relay inbox's search language, as a pure parser and matcher (table-tested): free words plus the operators
 * `from:`, `to:`, `subject:`, `camera:`, `has:attachment`, `is:unread`/`is:read`/`is:pinned` and
 * `before:`/`after:`, each negatable with a leading `-`, values quoted with "..." when they hold spaces. The dates
 * follow Gmail's reading: `after:2026-11-29` keeps mail from the start of that day on, `before:2026-11-29` mail
 * from before that day; a date and time (`2026-11-29T10:42`), `today`, `yesterday` and ages (`30m`, `2h`, `7d`:
 * that long ago) work too. Days are local days of the technician's clock: the caller passes its UTC offset.
 * What cannot be read becomes a problem in plain words, and the rest of the search still applies.
 */

/** The fields a word can be matched against. */
export type SearchField = 'text' | 'from' | 'to' | 'subject' | 'camera';

/** One word or operator value of a search. */
export interface SearchTerm {
  field: SearchField;
  /** Lower-cased value. */
  value: string;
  /** True for a leading `-`: the message must NOT match. */
  isNegated: boolean;
}

/** A parsed search. Undefined flags mean "either". */
export interface MessageSearch {
  terms: SearchTerm[];
  hasAttachment?: boolean;
  isUnread?: boolean;
  isPinned?: boolean;
  /** Received at or after (epoch ms). */
  afterMs?: number;
  /** Received before (epoch ms). */
  beforeMs?: number;
  /** What could not be read, in plain words (the rest of the search still applies). */
  problems: string[];
}

/** Where the parser stands in time: now, and the technician's UTC offset in minutes (east positive: -getTimezoneOffset()). */
export interface SearchClock {
  nowMs: number;
  tzOffsetMinutes: number;
}

/** The message fields a search looks at. */
export interface SearchableMessage {
  from: string;
  headerFrom: string;
  to: readonly string[];
  subject: string;
  /** Camera name, label, model, MAC and the HELO name: everything `camera:` may name. */
  cameraText: string;
  clientIp: string;
  receivedAtMs: number;
  attachmentCount: number;
  isPinned: boolean;
  isUnread: boolean;
}

const FIELD_OPS: Record<string, SearchField> = { from: 'from', to: 'to', subject: 'subject', camera: 'camera', cam: 'camera' };
const DATE_HELP = 'a date like 2026-11-29, a time like 2026-11-29T10:42, today, yesterday, or an age like 30m, 2h or 7d';

/** Splits a search into tokens: whitespace separates, "double quotes" keep spaces (also after `op:`). */
export function tokenizeSearch(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuote = false;
  let hasToken = false;
  for (const ch of text) {
    if (ch === '"') {
      inQuote = !inQuote;
      hasToken = true;
      continue;
    }
    if (!inQuote && /\s/.test(ch)) {
      if (hasToken) out.push(cur);
      cur = '';
      hasToken = false;
      continue;
    }
    cur += ch;
    hasToken = true;
  }
  if (hasToken) out.push(cur);
  return out.filter((t) => t !== '' && t !== '-');
}

/** Local midnight of a calendar day, as epoch ms, for a UTC offset in minutes. */
function localDayStart(y: number, m: number, d: number, tzOffsetMinutes: number): number {
  return Date.UTC(y, m - 1, d) - tzOffsetMinutes * 60_000;
}

/** The local calendar day (y, m, d) that contains an instant. */
function localDayOf(ms: number, tzOffsetMinutes: number): [number, number, number] {
  const d = new Date(ms + tzOffsetMinutes * 60_000);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

/**
 * Reads a date value of `before:`/`after:` as an instant (epoch ms). A whole day is its local midnight; `today` and
 * `yesterday` are local midnights; an age (`2h`) is now minus that long. Undefined when the value is not a date.
 */
export function parseSearchDate(value: string, clock: SearchClock): number | undefined {
  const v = value.trim().toLowerCase();
  if (v === 'today' || v === 'yesterday') {
    const [y, m, d] = localDayOf(clock.nowMs, clock.tzOffsetMinutes);
    return localDayStart(y, m, d, clock.tzOffsetMinutes) - (v === 'yesterday' ? 86_400_000 : 0);
  }
  const age = /^(\d{1,5})(m|min|h|d|w)$/.exec(v);
  if (age) {
    const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 }[age[2] as 'm' | 'min' | 'h' | 'd' | 'w'];
    return clock.nowMs - Number(age[1]) * unit;
  }
  const day = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/.exec(v);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
    const ms = localDayStart(y, m, d, clock.tzOffsetMinutes);
    // Reject days that roll over (2026-02-30 would silently become March 2).
    const [ry, rm, rd] = localDayOf(ms, clock.tzOffsetMinutes);
    return ry === y && rm === m && rd === d ? ms : undefined;
  }
  const time = /^(\d{4})-(\d{2})-(\d{2})[t ](\d{2}):(\d{2})(?::(\d{2}))?(z|[+-]\d{2}:?\d{2})?$/.exec(v);
  if (time) {
    const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(time[i] ?? 0));
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
    const utc = Date.UTC(y, mo - 1, d, h, mi, s);
    const zone = time[7];
    if (!zone) return utc - clock.tzOffsetMinutes * 60_000;
    if (zone === 'z') return utc;
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
    if (!z) return undefined;
    const offset = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
    return utc - offset * 60_000;
  }
  return undefined;
}

/** Parses a search text into terms, flags and problems. Never throws. */
export function parseMessageSearch(text: string, clock: SearchClock): MessageSearch {
  const out: MessageSearch = { terms: [], problems: [] };
  for (const raw of tokenizeSearch(text.slice(0, 1000))) {
    const isNegated = raw.startsWith('-') && raw.length > 1;
    const token = isNegated ? raw.slice(1) : raw;
    const colon = token.indexOf(':');
    const key = colon > 0 ? token.slice(0, colon).toLowerCase() : '';
    const value = colon > 0 ? token.slice(colon + 1) : token;
    const field = FIELD_OPS[key];
    if (field) {
      if (!value.trim()) out.problems.push(`${key}: needs a value, e.g. ${key}:"${key === 'subject' ? 'camera sabotage' : key === 'camera' ? '10.0.0.23' : 'alarms@site.example'}"`);
      else out.terms.push({ field, value: value.trim().toLowerCase(), isNegated });
      continue;
    }
    if (key === 'has') {
      const v = value.toLowerCase();
      if (v === 'attachment' || v === 'attachments' || v === 'snapshot' || v === 'file') out.hasAttachment = !isNegated;
      else out.problems.push(`has:${value} is not known; use has:attachment`);
      continue;
    }
    if (key === 'is') {
      const v = value.toLowerCase();
      if (v === 'unread' || v === 'new') out.isUnread = !isNegated;
      else if (v === 'read' || v === 'seen') out.isUnread = isNegated;
      else if (v === 'pinned' || v === 'evidence') out.isPinned = !isNegated;
      else out.problems.push(`is:${value} is not known; use is:unread, is:read or is:pinned`);
      continue;
    }
    if (key === 'before' || key === 'after') {
      const ms = parseSearchDate(value, clock);
      if (ms === undefined) {
        out.problems.push(`${key}:${value} is not a date; write ${DATE_HELP}`);
        continue;
      }
      // -before:X means "not before X", i.e. after:X (and the other way round).
      const isAfter = (key === 'after') !== isNegated;
      if (isAfter) out.afterMs = Math.max(out.afterMs ?? -Infinity, ms);
      else out.beforeMs = Math.min(out.beforeMs ?? Infinity, ms);
      continue;
    }
    out.terms.push({ field: 'text', value: token.toLowerCase(), isNegated });
  }
  return out;
}

/** True when the search filters nothing (no terms, no flags, no dates). */
export function isEmptySearch(s: MessageSearch): boolean {
  return s.terms.length === 0 && s.hasAttachment === undefined && s.isUnread === undefined && s.isPinned === undefined && s.afterMs === undefined && s.beforeMs === undefined;
}

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

function fieldMatches(m: SearchableMessage, t: SearchTerm): boolean {
  const has = (hay: string) => hay.toLowerCase().includes(t.value);
  switch (t.field) {
    case 'from':
      return has(m.from) || has(m.headerFrom);
    case 'to':
      return m.to.some(has);
    case 'subject':
      return has(m.subject);
    case 'camera':
      // A whole IPv4 address names one camera exactly: camera:10.0.0.2 must not also find 10.0.0.23.
      if (IPV4.test(t.value)) return m.clientIp === t.value;
      return has(m.clientIp) || has(m.cameraText) || has(m.cameraText.replace(/:/g, ''));
    case 'text':
      return has(m.subject) || has(m.from) || has(m.headerFrom) || m.to.some(has) || has(m.cameraText) || has(m.clientIp);
  }
}

/** Does a message match a parsed search? Every term and flag must hold. */
export function matchesMessageSearch(m: SearchableMessage, s: MessageSearch): boolean {
  if (s.hasAttachment !== undefined && s.hasAttachment !== m.attachmentCount > 0) return false;
  if (s.isUnread !== undefined && s.isUnread !== m.isUnread) return false;
  if (s.isPinned !== undefined && s.isPinned !== m.isPinned) return false;
  if (s.afterMs !== undefined && m.receivedAtMs < s.afterMs) return false;
  if (s.beforeMs !== undefined && m.receivedAtMs >= s.beforeMs) return false;
  for (const t of s.terms) if (fieldMatches(m, t) === t.isNegated) return false;
  return true;
}
