/**
 * The push targets' senders, as spool targets: ntfy (https://docs.ntfy.sh/publish/: POST the text to the topic
 * URL; with a snapshot, PUT the JPEG as the body with a Filename header and the text in the Message header, so the
 * phone shows the picture) and a generic webhook (POST of JSON: from, to, subject, camera, snapshot as base64). HTTP
 * goes through axios, the project's client: a timeout, no redirects (a moved hook must be re-entered, not followed
 * with the token), no environment proxy (like the SMTP upstream, the connection goes straight out), only 2xx
 * counts as delivered. Header text that is not plain ASCII is sent as an RFC 2047 encoded word, which ntfy decodes.
 */
import type { AxiosInstance, AxiosStatic } from 'axios';
import { lazyModule } from '../common/lazy-module';
import libmime from 'libmime';
import { ntfyText, webhookBody, type PushContent, type PushTarget } from '../../../shared/domain/relay-push';
import type { SpoolItem, SpoolTarget } from './spool';
import { parseFull } from './reader';


/** axios is loaded when the first push is sent (common/lazy-module.ts). */
const axiosLib = lazyModule<AxiosStatic>('axios');
/** What a push sender needs to know about a stored message besides its bytes. */
export type DescribeMessage = (messageId: string) => { receivedAt: string; clientIp: string; camera: PushContent['camera'] } | undefined;

/** Largest snapshot a push carries (ntfy.sh's default attachment limit is 15 MB; hooks rarely want more). */
export const MAX_PUSH_SNAPSHOT_BYTES = 10 * 1024 * 1024;

/** Builds the push content of a stored message: subject, text, the first JPEG, and who sent it. */
export async function pushContentOf(raw: Buffer, item: SpoolItem, describe: DescribeMessage): Promise<PushContent> {
  const parsed = await parseFull(raw);
  const jpeg = parsed.attachments.find((a) => /^image\/p?jpe?g$/i.test(a.contentType) && a.size <= MAX_PUSH_SNAPSHOT_BYTES);
  // The intake's note travels with the item; the index is the fallback for items queued without one.
  const about = item.about ?? describe(item.messageId);
  return {
    deliveryId: item.id,
    messageId: item.messageId,
    receivedAt: about?.receivedAt ?? new Date().toISOString(),
    from: item.from,
    to: item.to,
    subject: parsed.subject ?? '',
    text: (parsed.text ?? '').slice(0, 600),
    camera: about?.camera ?? null,
    clientIp: about?.clientIp ?? '',
    snapshot: jpeg ? { filename: jpeg.filename || 'snapshot.jpg', contentType: 'image/jpeg', data: jpeg.content } : null,
  };
}

/** A header value that any HTTP stack carries: ASCII as is, anything else as one RFC 2047 encoded word. */
export function headerText(text: string): string {
  const clean = text.replace(/[\r\n]+/g, ' ');
  // A header value goes out unencoded only when it is printable ASCII.
  return /^[\x20-\x7e]*$/.test(clean) ? clean : libmime.encodeWord(clean, 'B');
}

/** The project's HTTP client, set up for push targets. */
export function pushHttpClient(timeoutMs = 15_000): AxiosInstance {
  return axiosLib().create({
    timeout: timeoutMs,
    maxRedirects: 0,
    proxy: false,
    // Bodies of hooks and ntfy answers are small; a huge answer is cut off instead of filling memory.
    maxContentLength: 1024 * 1024,
    maxBodyLength: MAX_PUSH_SNAPSHOT_BYTES * 2,
    validateStatus: (s) => s >= 200 && s < 300,
    headers: { 'User-Agent': 'SarixCommissioner/1 (relay push)' },
  });
}

/** A failure as one line for the queue: "HTTP 404 Not Found" or the network error code and message. */
export function describeHttpError(e: unknown): string {
  if (axiosLib().isAxiosError(e)) {
    if (e.response) return `HTTP ${e.response.status} ${e.response.statusText || ''}`.trim();
    return `${e.code ?? 'ERROR'}: ${e.message}`.slice(0, 300);
  }
  return e instanceof Error ? e.message : String(e);
}

async function request(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (e) {
    throw new Error(describeHttpError(e), { cause: e });
  }
}

/** A push target as a spool target. */
export function pushSpoolTarget(t: PushTarget, describe: DescribeMessage, http: AxiosInstance = pushHttpClient()): SpoolTarget {
  const auth: Record<string, string> = t.token ? { Authorization: `Bearer ${t.token}` } : {};
  const send =
    t.kind === 'ntfy'
      ? async (item: SpoolItem, raw: Buffer) => {
          const c = await pushContentOf(raw, item, describe);
          const { title, message } = ntfyText(c);
          const headers = { ...auth, Title: headerText(title), Priority: String(t.priority), Tags: 'camera' };
          if (t.includeSnapshot && c.snapshot) {
            // Attach a local file: PUT the bytes with a Filename header; the text travels in the Message header.
            const data = c.snapshot.data;
            await request(() => http.put(t.url, data, { headers: { ...headers, Filename: headerText(c.snapshot!.filename), Message: headerText(message.replace(/\n/g, ' | ')), 'Content-Type': 'image/jpeg' } }));
          } else {
            await request(() => http.post(t.url, message, { headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } }));
          }
        }
      : async (item: SpoolItem, raw: Buffer) => {
          const c = await pushContentOf(raw, item, describe);
          const body = webhookBody(c, t.includeSnapshot, (d) => Buffer.from(d.buffer, d.byteOffset, d.byteLength).toString('base64'));
          // The delivery id lets a receiver drop a repeat (delivery is at least once: a lost 2xx means a resend).
          await request(() => http.post(t.url, body, { headers: { ...auth, 'Content-Type': 'application/json', 'Idempotency-Key': c.deliveryId } }));
        };
  return { id: t.id, kind: t.kind, label: t.label, maxAgeMs: t.maxAgeMs, send };
}
