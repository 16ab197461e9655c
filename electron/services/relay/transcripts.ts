/**
 * Per-session SMTP transcripts (commands and replies; message bodies are never recorded) and the facts the
 * quirk diagnosis needs. Fed by smtp-server's bunyan-style logger, whose `C:`/`S:` debug entries carry the
 * connection id (= session.id). Bounded: at most `maxSessions` sessions, `maxLines` lines each, lines cut at
 * `maxLineLength`, so hostile clients cannot grow memory.
 */
import { diagnoseSession, type SessionFlags, type SessionSummary, type TranscriptLine } from '../../../shared/domain/relay';

/** One recorded line: kept as the client or server sent it (cut to length) and turned into a TranscriptLine when read. */
interface RawLine {
  at: number;
  dir: TranscriptLine['dir'];
  line: string;
}

interface SessionRecord {
  id: string;
  clientIp: string;
  startedAt: number;
  endedAt?: number;
  heloName?: string;
  accepted: number;
  refused: boolean;
  lines: RawLine[];
  dropped: number;
  flags: SessionFlags;
}

const iso = (ms: number) => new Date(ms).toISOString();
// Control characters from hostile clients would garble a terminal or the UI.
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
const shown = (l: RawLine): TranscriptLine => ({ at: iso(l.at), dir: l.dir, line: l.line.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) });

/** Limits of the recorder. */
export interface SessionLogLimits {
  maxSessions: number;
  maxLines: number;
  maxLineLength: number;
}

/** The recorder of recent SMTP sessions. */
export class SessionLog {
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly limits: SessionLogLimits;

  constructor(
    limits: Partial<SessionLogLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { maxSessions: 500, maxLines: 200, maxLineLength: 300, ...limits };
  }

  /** Starts (or returns) the record of a session. */
  begin(id: string, clientIp: string): void {
    if (this.sessions.has(id)) return;
    this.sessions.set(id, {
      id,
      clientIp,
      startedAt: this.now(),
      accepted: 0,
      refused: false,
      lines: [],
      dropped: 0,
      flags: { bareLf: false, emptyHelo: false, tooLarge: false, notAllowed: false },
    });
    while (this.sessions.size > this.limits.maxSessions) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }

  /**
   * Adds one line to a session's transcript (unknown sessions are ignored). Cheap on purpose (a number and a
   * bounded string per line, every SMTP command and reply passes here); escaping happens when a transcript is read.
   */
  add(id: string, dir: TranscriptLine['dir'], line: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    if (s.lines.length >= this.limits.maxLines) {
      s.dropped++;
      return;
    }
    s.lines.push({ at: this.now(), dir, line: line.length > this.limits.maxLineLength ? line.slice(0, this.limits.maxLineLength) + ` … (${line.length} chars)` : line });
  }

  /** Sets a flag that the transcript cannot show. */
  flag(id: string, name: keyof SessionFlags): void {
    const s = this.sessions.get(id);
    if (s) s.flags[name] = true;
  }

  /** Records the name the client gave in HELO/EHLO. */
  setHelo(id: string, name: string): void {
    const s = this.sessions.get(id);
    if (s) s.heloName = name;
  }

  /** Counts an accepted message. */
  accepted(id: string): void {
    const s = this.sessions.get(id);
    if (s) s.accepted++;
  }

  /** Marks a session refused (client not on the allow-list). */
  refused(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    s.refused = true;
    s.flags.notAllowed = true;
  }

  /** Marks a session ended. */
  end(id: string): void {
    const s = this.sessions.get(id);
    if (s && !s.endedAt) s.endedAt = this.now();
  }

  /** Sessions, newest first, with their quirk diagnosis. */
  list(limit = 200): SessionSummary[] {
    const out: SessionSummary[] = [];
    const all = [...this.sessions.values()];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) out.push(this.summary(all[i]));
    return out;
  }

  /** Client addresses of the refused sessions still recorded (no summaries built: the badge counts ask often). */
  refusedClients(): Set<string> {
    const out = new Set<string>();
    for (const s of this.sessions.values()) if (s.refused) out.add(s.clientIp);
    return out;
  }

  /** One session's summary, if still recorded. */
  get(id: string): SessionSummary | undefined {
    const s = this.sessions.get(id);
    return s ? this.summary(s) : undefined;
  }

  /** One session's transcript lines, if still recorded. */
  transcript(id: string): TranscriptLine[] | undefined {
    const s = this.sessions.get(id);
    if (!s) return undefined;
    const lines = s.lines.map(shown);
    if (s.dropped) lines.push({ at: iso(s.endedAt ?? s.startedAt), dir: 'I', line: `(${s.dropped} more lines not recorded)` });
    return lines;
  }

  /** Number of sessions recorded. */
  get size(): number {
    return this.sessions.size;
  }

  /** A bunyan-style logger for smtp-server that feeds the transcripts and forwards errors to `onError`. */
  smtpLogger(onError: (message: string) => void): Record<'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal', (...args: unknown[]) => void> {
    const noop = () => {};
    return {
      trace: noop,
      info: noop,
      warn: noop,
      debug: (entry: unknown, tag: unknown, line: unknown) => {
        const e = entry as { tnx?: string; cid?: string };
        if (!e || !e.cid) return;
        if (e.tnx === 'command' && tag === 'C:') this.add(e.cid, 'C', String(line));
        else if (e.tnx === 'send' && tag === 'S:') this.add(e.cid, 'S', String(line));
      },
      error: (entry: unknown, format: unknown, ...args: unknown[]) => {
        const e = entry as { cid?: string; err?: Error };
        const msg = e?.err?.message ?? (typeof format === 'string' ? format.replace(/%s/g, () => String(args.shift() ?? '')) : 'smtp error');
        if (e?.cid) this.add(e.cid, 'I', `error: ${msg}`);
        onError(msg);
      },
      fatal: (...a: unknown[]) => onError(String(a[1] ?? a[0])),
    };
  }

  private summary(s: SessionRecord): SessionSummary {
    return {
      id: s.id,
      clientIp: s.clientIp,
      startedAt: iso(s.startedAt),
      endedAt: s.endedAt === undefined ? undefined : iso(s.endedAt),
      heloName: s.heloName,
      accepted: s.accepted,
      refused: s.refused,
      quirks: diagnoseSession(s.lines, s.flags),
    };
  }
}
