/**
 * The relay's diagnosis in plain words: what an SMTP session (or a forward that failed upstream) means for the
 * technician, with the one thing to do next and the knowledge-base article behind it. Built on the quirk
 * diagnosis of relay.ts (diagnoseSession) and on the transcript itself: who stopped where. SMTP reply codes per
 * RFC 5321 §4.2 (2xx done, 4xx try later, 5xx refused); a camera does not retry a refused mail (docs/camera.md §6).
 * Pure: no I/O.
 */
import { z } from 'zod';
import { ArticleIdSchema, type ArticleId } from './diagnostics';
import type { SessionSummary, TranscriptLine } from './relay';

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
  action: AdviceActionSchema.optional(),
  /** Knowledge-base article id. */
  article: ArticleIdSchema.optional(),
});
/** One piece of advice. */
export type Advice = z.infer<typeof AdviceSchema>;

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
      headline: `The relay answered ${code} to ${verb}`,
      detail: `${reply?.line ?? ''}${code >= 500 ? ' — a refusal; the camera does not retry, so this mail is lost.' : ' — a temporary refusal; a camera does not retry, so this mail is lost.'}`,
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
      headline: `${who} connected and sent nothing`,
      detail: 'The client opened the connection and closed it (or timed out) without a single command. A port scan or a monitoring check looks like this; a camera sends EHLO right after the greeting.',
      article: 'smtp-transcript',
    };
  }
  if (hasGreeting && !hasMail) {
    return {
      code: 'nothing-after-ehlo',
      severity: 'warning',
      headline: 'The camera sent nothing after EHLO',
      detail:
        'It greeted the relay and then stopped. A camera does this when its handler has no valid To or From address, or when it waits for something this relay does not offer (a login or TLS). Check the Send Email handler on the camera, then trigger the event again.',
      article: 'smtp-transcript',
    };
  }
  if (hasMail && !hasRcpt) {
    return {
      code: 'no-recipient',
      severity: 'warning',
      headline: 'The camera gave a sender but no recipient',
      detail: "It stopped after MAIL FROM. Check the handler's To address on the camera.",
      article: 'smtp-transcript',
    };
  }
  if (hasRcpt && !hasData) {
    return {
      code: 'no-data',
      severity: 'warning',
      headline: 'The camera stopped before sending the message',
      detail: 'It named the recipient but never sent DATA. Look at the reply to RCPT TO above; a network drop or a timeout also ends a session here.',
      article: 'smtp-transcript',
    };
  }
  if (hasData) {
    const reply = lastReplyBefore(lines, lines.length);
    return {
      code: 'data-not-stored',
      severity: 'warning',
      headline: 'The message did not arrive complete',
      detail: `The camera started sending the message, but no message was stored (last reply: ${reply?.line ?? 'none'}). The connection probably dropped or timed out mid-message.`,
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
      headline: `${who} is not on the allow-list`,
      detail: `The relay turned ${who} away before it could send anything (554). If this is one of the site's cameras, allow its address; the camera does not retry, so trigger its event again afterwards.`,
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
    out.push({ code: q.code, severity: isHarmless ? 'info' : 'warning', headline: q.title, detail: q.fix, article: q.code === 'too-large' ? 'smtp-transcript' : 'local-relay' });
  }
  if (session.accepted > 0 && !out.some((a) => a.severity === 'error' || a.severity === 'warning')) {
    out.unshift({
      code: 'accepted',
      severity: 'ok',
      headline: `${session.accepted} message${session.accepted === 1 ? '' : 's'} received`,
      detail: 'The relay stored the mail before it answered 250, so it is safe here.',
    });
  } else if (!isEnded && out.length === 0) {
    out.push({ code: 'open', severity: 'info', headline: 'The session is still open', detail: 'The client is connected; the transcript grows as it talks.' });
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
  const where = isPush ? (item.target?.label ?? 'the push target') : 'the upstream';
  const http = /\bHTTP (\d{3})\b/.exec(e);
  if (http) {
    const status = Number(http[1]);
    const hint =
      status === 401 || status === 403
        ? 'The server wants a valid access token for this topic or hook: check the token in the push target.'
        : status === 404
          ? 'The URL is wrong: check the topic or hook address.'
          : status === 413
            ? 'The server refused the size: turn off the snapshot for this target, or raise the attachment limit on the server.'
            : status === 429
              ? 'The server limits how often it accepts messages; the relay retries later by itself.'
              : status >= 500
                ? 'The server had a problem; the relay retries later by itself.'
                : 'The server refused the request.';
    return { code: `http-${status}`, severity: status >= 500 || status === 429 ? 'warning' : 'error', headline: `HTTP ${status} from ${where}`, detail: `${hint} (${e.slice(0, 200)})`, action: retry };
  }
  const smtp = /^(\d{3})\b/.exec(e) ?? /\b([45]\d\d)[ -][0-9.]*\s/.exec(e);
  if (smtp) {
    const code = Number(smtp[1]);
    const article = upstreamArticle(host);
    if (code === 535 || code === 534 || code === 530) {
      return { code: `smtp-${code}`, severity: 'error', headline: `${code} from ${where}: the login was refused`, detail: `The upstream server did not accept the login: check the user name and the (app) password in the relay setup. (${e.slice(0, 200)})`, action: retry, article };
    }
    if (code >= 500) {
      return {
        code: `smtp-${code}`,
        severity: 'error',
        headline: `${code} from ${where}`,
        detail: `The upstream server refused this message for good. Usual causes: the sender address is not allowed (set "Rewrite sender" to the login's address), or the recipient does not exist. (${e.slice(0, 200)})`,
        action: retry,
        article,
      };
    }
    return { code: `smtp-${code}`, severity: 'warning', headline: `${code} from ${where}: try later`, detail: `A temporary refusal; the relay retries by itself with growing pauses. (${e.slice(0, 200)})`, action: retry, article };
  }
  if (/ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNRESET|timeout|socket hang up/i.test(e)) {
    return {
      code: 'unreachable',
      severity: 'warning',
      headline: `${where[0].toUpperCase()}${where.slice(1)} cannot be reached`,
      detail: `This laptop cannot reach the server right now (${e.slice(0, 120)}). Check the network and the address; the relay keeps the mail and retries by itself.`,
      action: retry,
      article: isPush ? undefined : 'port-25',
    };
  }
  return { code: 'failed', severity: 'warning', headline: `Forwarding to ${where} failed`, detail: e.slice(0, 300), action: retry };
}
