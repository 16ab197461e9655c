/**
 * The relay's diagnosis in plain words: what an SMTP session (or a forward that failed upstream) means for the
 * technician, with the one thing to do next and the knowledge-base article behind it. Built on the quirk
 * diagnosis of relay.ts (diagnoseSession) and on the transcript itself: who stopped where. SMTP reply codes per
 * RFC 5321 §4.2 (2xx done, 4xx try later, 5xx refused); a camera does not retry a refused mail (docs/camera.md §6).
 * Pure: no I/O.
 */
import { z } from 'zod';
import { englishOf, KeyedTextSchema, part, textKey, type KeyedLine, type KeyedText } from '../i18n/keyed-text';
import { ArticleIdSchema, type ArticleId } from './diagnostics';
import type { Quirk, SessionSummary, TranscriptLine } from './relay';

/** Something the technician can do right from the advice. */
export const AdviceActionSchema = z.discriminatedUnion('kind', [
  /** Add the address to the relay's allow-list. */
  z.object({ kind: z.literal('allow-client'), entry: z.string(), label: z.string() }),
  /** Retry a queued forward now. */
  z.object({ kind: z.literal('retry-queued'), id: z.string(), label: z.string() }),
]);
/** Something the technician can do right from the advice. */
export type AdviceAction = z.infer<typeof AdviceActionSchema>;

/** One piece of advice about a session or a forward. */
export const AdviceSchema = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning', 'info', 'ok']),
  /** The finding in a few words, e.g. "10.0.0.23 is not on the allow-list". */
  headline: z.string(),
  /** What it means and what to do, in plain words. */
  detail: z.string(),
  /** The catalog keys of headline and detail, so each host shows them in the technician's language. */
  headlineText: KeyedTextSchema.optional(),
  detailText: KeyedTextSchema.optional(),
  action: AdviceActionSchema.optional(),
  /** Knowledge-base article id. */
  article: ArticleIdSchema.optional(),
});
/** One piece of advice. */
export type Advice = z.infer<typeof AdviceSchema>;

/** The advice's words from the catalogs (`relay.advice.*`): the English text plus the keys to show it in another language. */
function worded(headline: KeyedLine, detail: KeyedLine): Pick<Advice, 'headline' | 'detail' | 'headlineText' | 'detailText'> {
  return { headline: englishOf(headline), detail: englishOf(detail), headlineText: textKey(headline), detailText: textKey(detail) };
}

/** The catalog keys of each quirk's title and fix (the English is relay.ts's QUIRKS, word for word; a test checks it). */
export const QUIRK_KEYS = {
  'not-allowed': { title: 'relay.advice.quirk.not-allowed.title', fix: 'relay.advice.quirk.not-allowed.fix' },
  'auth-not-offered': { title: 'relay.advice.quirk.auth-not-offered.title', fix: 'relay.advice.quirk.auth-not-offered.fix' },
  'tls-attempted': { title: 'relay.advice.quirk.tls-attempted.title', fix: 'relay.advice.quirk.tls-attempted.fix' },
  'empty-helo': { title: 'relay.advice.quirk.empty-helo.title', fix: 'relay.advice.quirk.empty-helo.fix' },
  'bare-lf': { title: 'relay.advice.quirk.bare-lf.title', fix: 'relay.advice.quirk.bare-lf.fix' },
  'too-large': { title: 'relay.advice.quirk.too-large.title', fix: 'relay.advice.quirk.too-large.fix' },
  'early-talker': { title: 'relay.advice.quirk.early-talker.title', fix: 'relay.advice.quirk.early-talker.fix' },
} as const satisfies Record<Quirk['code'], { title: string; fix: string }>;

/** The line a session shows when there is no advice at all. */
export function nothingToReport(): Advice {
  return { code: 'none', severity: 'info', headline: englishOf(['relay.advice.nothing']), headlineText: textKey(['relay.advice.nothing']), detail: '' };
}

const cmdOf = (l: TranscriptLine) => l.line.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
const codeOf = (l: TranscriptLine) => Number(/^(\d{3})[ -]/.exec(l.line)?.[1] ?? NaN);

/** The last reply before a command at index i (or the last reply overall). */
function lastReplyBefore(lines: readonly TranscriptLine[], end: number): TranscriptLine | undefined {
  for (let i = end - 1; i >= 0; i--) if (lines[i].dir === 'S') return lines[i];
  return undefined;
}

type Command = { l: TranscriptLine; i: number };

/** Replies that refused something the client asked for (not the 554 of the allow-list, handled by the caller). */
function refusedReplies(lines: readonly TranscriptLine[], commands: readonly Command[]): Advice[] {
  const out: Advice[] = [];
  for (const { l, i } of commands) {
    const verb = cmdOf(l);
    const replies = lines.slice(i + 1).filter((x) => x.dir === 'S');
    // DATA gets 354 first; the verdict on the message is the reply after the body (RFC 5321 §4.1.1.4).
    const reply = verb === 'DATA' && replies[0] && codeOf(replies[0]) === 354 ? replies[1] : replies[0];
    const code = reply ? codeOf(reply) : NaN;
    if (!(code >= 400) || verb === 'QUIT' || verb === 'STARTTLS' || verb === 'AUTH') continue;
    if (code === 552) continue; // too large: the quirk explains it
    out.push({
      code: `refused-${verb.toLowerCase() || 'command'}`,
      severity: code >= 500 ? 'error' : 'warning',
      ...worded(['relay.advice.refused', { code, verb }], [code >= 500 ? 'relay.advice.refusedDetail' : 'relay.advice.deferredDetail', { reply: reply?.line ?? '' }]),
      article: 'smtp-transcript',
    });
  }
  return out;
}

/** Where a session that ended without a stored message stopped: nothing at all, after EHLO, MAIL, RCPT or in DATA. */
function whereItStopped(who: string, lines: readonly TranscriptLine[], commands: readonly Command[]): Advice | undefined {
  const verbs = commands.map((c) => cmdOf(c.l));
  const hasGreeting = verbs.some((v) => v === 'EHLO' || v === 'HELO');
  const hasMail = verbs.includes('MAIL');
  const hasRcpt = verbs.includes('RCPT');
  const hasData = verbs.includes('DATA');
  if (!hasGreeting && commands.length === 0) {
    return {
      code: 'silent-client',
      severity: 'warning',
      ...worded(['relay.advice.silent', { who }], ['relay.advice.silentDetail']),
      article: 'smtp-transcript',
    };
  }
  if (hasGreeting && !hasMail) {
    return {
      code: 'nothing-after-ehlo',
      severity: 'warning',
      ...worded(['relay.advice.afterEhlo'], ['relay.advice.afterEhloDetail']),
      article: 'smtp-transcript',
    };
  }
  if (hasMail && !hasRcpt) {
    return {
      code: 'no-recipient',
      severity: 'warning',
      ...worded(['relay.advice.noRecipient'], ['relay.advice.noRecipientDetail']),
      article: 'smtp-transcript',
    };
  }
  if (hasRcpt && !hasData) {
    return {
      code: 'no-data',
      severity: 'warning',
      ...worded(['relay.advice.noData'], ['relay.advice.noDataDetail']),
      article: 'smtp-transcript',
    };
  }
  if (hasData) {
    const reply = lastReplyBefore(lines, lines.length);
    return {
      code: 'data-not-stored',
      severity: 'warning',
      ...worded(['relay.advice.incomplete'], ['relay.advice.incompleteDetail', { reply: reply?.line ?? part('relay.advice.none') }]),
      article: 'smtp-transcript',
    };
  }
  return undefined;
}

/**
 * Explains one SMTP session: refusal by the allow-list (with "Allow it"), where a client stopped (nothing after
 * EHLO, no recipient, no data), replies that refused it (4xx/5xx), and the recognised quirks. Accepted mail with
 * no quirk gives one "ok" line. Most important first.
 */
export function explainSession(session: SessionSummary, lines: readonly TranscriptLine[]): Advice[] {
  const out: Advice[] = [];
  const who = session.clientIp;
  const isEnded = !!session.endedAt;
  if (session.refused) {
    out.push({
      code: 'not-allowed',
      severity: 'error',
      ...worded(['relay.advice.notAllowed', { who }], ['relay.advice.notAllowedDetail', { who }]),
      action: { kind: 'allow-client', entry: who, label: 'Allow it' },
      article: 'local-relay',
    });
    return out;
  }
  const commands = lines.map((l, i) => ({ l, i })).filter((x) => x.l.dir === 'C');
  out.push(...refusedReplies(lines, commands));
  if (session.accepted === 0 && isEnded) {
    const stop = whereItStopped(who, lines, commands);
    if (stop) out.push(stop);
  }
  for (const q of session.quirks) {
    if (q.code === 'not-allowed') continue;
    const isHarmless = q.code === 'empty-helo' || q.code === 'bare-lf';
    // The English stays the quirk's own words (they travel in the session summary); the keys carry the same words.
    out.push({
      code: q.code,
      severity: isHarmless ? 'info' : 'warning',
      headline: q.title,
      detail: q.fix,
      headlineText: { key: QUIRK_KEYS[q.code].title },
      detailText: { key: QUIRK_KEYS[q.code].fix },
      article: q.code === 'too-large' ? 'smtp-transcript' : 'local-relay',
    });
  }
  if (session.accepted > 0 && !out.some((a) => a.severity === 'error' || a.severity === 'warning')) {
    out.unshift({
      code: 'accepted',
      severity: 'ok',
      ...worded(['relay.advice.received', { n: session.accepted }], ['relay.advice.receivedDetail']),
    });
  } else if (!isEnded && out.length === 0) {
    out.push({ code: 'open', severity: 'info', ...worded(['relay.advice.open'], ['relay.advice.openDetail']) });
  }
  return out;
}

/** Which upstream a host is, for the right guide. */
function upstreamArticle(host: string | undefined): ArticleId {
  const h = (host ?? '').toLowerCase();
  if (h.includes('gmail') || h.includes('google')) return 'forward-gmail';
  if (h.includes('office365') || h.includes('outlook') || h.includes('microsoft')) return 'forward-microsoft-365';
  return 'smtp-transcript';
}

/**
 * Explains the last error of a queued forward (SMTP upstream or a push target): a permanent refusal ("550 from the
 * upstream"), a login refusal, a temporary one, or an unreachable server, with "Retry now".
 */
export function explainForwardError(item: { id: string; lastError?: string; target?: { kind: string; label: string } }, host?: string): Advice | undefined {
  const e = item.lastError?.trim();
  if (!e) return undefined;
  const retry: AdviceAction = { kind: 'retry-queued', id: item.id, label: 'Retry now' };
  const isPush = !!item.target && item.target.kind !== 'smtp';
  const label = item.target?.label;
  // With its preposition, so each language can decline it ("vom Upstream-Server", "an den Upstream-Server").
  const from = isPush ? (label ? part('relay.advice.fromLabel', { label }) : part('relay.advice.fromPushTarget')) : part('relay.advice.fromUpstream');
  const to = isPush ? (label ? part('relay.advice.toLabel', { label }) : part('relay.advice.toPushTarget')) : part('relay.advice.toUpstream');
  // The same at the start of a sentence (a target's own label only gets its first letter raised, as before).
  const whereStart: string | KeyedText = isPush ? (label ? `${label[0].toUpperCase()}${label.slice(1)}` : part('relay.advice.thePushTargetStart')) : part('relay.advice.theUpstreamStart');
  const error200 = e.slice(0, 200);
  const http = /\bHTTP (\d{3})\b/.exec(e);
  if (http) {
    const status = Number(http[1]);
    const hint =
      status === 401 || status === 403
        ? part('relay.advice.http.token')
        : status === 404
          ? part('relay.advice.http.url')
          : status === 413
            ? part('relay.advice.http.size')
            : status === 429
              ? part('relay.advice.http.rate')
              : status >= 500
                ? part('relay.advice.http.server')
                : part('relay.advice.http.refused');
    return { code: `http-${status}`, severity: status >= 500 || status === 429 ? 'warning' : 'error', ...worded(['relay.advice.httpFrom', { status, from }], ['relay.advice.httpDetail', { hint, error: error200 }]), action: retry };
  }
  const smtp = /^(\d{3})\b/.exec(e) ?? /\b([45]\d\d)[ -][0-9.]*\s/.exec(e);
  if (smtp) {
    const code = Number(smtp[1]);
    const article = upstreamArticle(host);
    if (code === 535 || code === 534 || code === 530) {
      return { code: `smtp-${code}`, severity: 'error', ...worded(['relay.advice.loginRefused', { code, from }], ['relay.advice.loginRefusedDetail', { error: error200 }]), action: retry, article };
    }
    if (code >= 500) {
      return {
        code: `smtp-${code}`,
        severity: 'error',
        ...worded(['relay.advice.smtpFrom', { code, from }], ['relay.advice.permanentDetail', { error: error200 }]),
        action: retry,
        article,
      };
    }
    return { code: `smtp-${code}`, severity: 'warning', ...worded(['relay.advice.tryLater', { code, from }], ['relay.advice.temporaryDetail', { error: error200 }]), action: retry, article };
  }
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNRESET|timeout|socket hang up/i.test(e)) {
    return {
      code: 'unreachable',
      severity: 'warning',
      ...worded(['relay.advice.unreachable', { where: whereStart }], ['relay.advice.unreachableDetail', { error: e.slice(0, 120) }]),
      action: retry,
      article: isPush ? undefined : 'port-25',
    };
  }
  return { code: 'failed', severity: 'warning', ...worded(['relay.advice.forwardFailed', { to }], ['relay.advice.asIs', { text: e.slice(0, 300) }]), action: retry };
}
