/**
 * Push targets beside SMTP forwarding, for the hand-over: an ntfy topic (https://docs.ntfy.sh/publish/, a topic
 * URL on ntfy.sh or a self-hosted server; the snapshot is attached by PUTting the file with a Filename header) and
 * a generic webhook (an HTTP POST of JSON). Each target has a rule: every camera of the site (an empty camera
 * list) or the cameras named by address, MAC or name. Queued in the relay's durable spool like SMTP forwards.
 * Pure: the schemas, the rules, and the shape of what is sent.
 */
import { z } from 'zod';
import type { CameraIdentity } from './relay-cameras';

/** A target id: lower-case letters, digits and dashes (it becomes part of spool file names). */
export const PushTargetIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a target id is 1–40 lower-case letters, digits or dashes')
  .refine((id) => id !== 'smtp', 'the id "smtp" names the upstream mail server; choose another');

/** The id of a queued forward: the message id, plus `-<target id>` for a push target (the SMTP upstream has none). */
export const QueueItemIdSchema = z.string().regex(/^[0-9]{13}\.P[0-9]+Q[0-9]+R[0-9a-f]{8}(?:-[a-z0-9][a-z0-9-]{0,39})?$/, 'not a queued forward id');

/** The spool's target id of the SMTP upstream (push target ids may not take it). */
export const SMTP_TARGET_ID = 'smtp';

/** The queue item id of a message for a target ('smtp' = the upstream server, kept as the bare message id). */
export function queueItemId(messageId: string, targetId: string): string {
  return targetId === SMTP_TARGET_ID ? messageId : `${messageId}-${targetId}`;
}

/** An http(s) URL without a login in it (tokens go in their own, sealed field). */
const HttpUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .superRefine((text, ctx) => {
    const problem = checkPushUrl(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const base = {
  id: PushTargetIdSchema,
  label: z.string().trim().min(1).max(60),
  isEnabled: z.boolean().default(true),
  url: HttpUrlSchema,
  /** An access token sent as `Authorization: Bearer …` (write-only: never sent back to the UI). */
  token: z.string().max(2000).optional(),
  /** Which cameras: empty = every camera of the site; else addresses, MACs or names (case-insensitive). */
  cameras: z.array(z.string().trim().min(1).max(64)).max(200).default([]),
  /** Attach the first JPEG of the mail (ntfy: as the attachment; webhook: base64 in the JSON). */
  includeSnapshot: z.boolean().default(true),
  /** Give up after this long (default 1 day: a push about an old alarm is noise). */
  maxAgeMs: z.number().int().min(60_000).max(30 * 24 * 3600_000).default(24 * 3600_000),
};

/** An ntfy topic. */
export const NtfyTargetSchema = z.object({
  kind: z.literal('ntfy'),
  ...base,
  /** ntfy priority 1 (min) … 5 (max/urgent); 4 = high: a long vibration burst. */
  priority: z.number().int().min(1).max(5).default(4),
});

/** A generic webhook. */
export const WebhookTargetSchema = z.object({ kind: z.literal('webhook'), ...base });

/** One push target as configured. */
export const PushTargetSchema = z.discriminatedUnion('kind', [NtfyTargetSchema, WebhookTargetSchema]);
/** One push target as configured. */
export type PushTarget = z.infer<typeof PushTargetSchema>;
/** One push target as a caller writes it. */
export type PushTargetInput = z.input<typeof PushTargetSchema>;

/** A push target as the UI sees it: no token, only whether one is saved. */
export const PushTargetViewSchema = z.discriminatedUnion('kind', [
  NtfyTargetSchema.omit({ token: true }).extend({ hasToken: z.boolean() }),
  WebhookTargetSchema.omit({ token: true }).extend({ hasToken: z.boolean() }),
]);
/** A push target as the UI sees it. */
export type PushTargetView = z.infer<typeof PushTargetViewSchema>;

/** The list of targets, with unique ids. */
export const PushTargetListSchema = z
  .array(PushTargetSchema)
  .max(20)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const t of list) {
      if (seen.has(t.id)) ctx.addIssue({ code: 'custom', message: `Two push targets share the id "${t.id}"; give each its own.` });
      seen.add(t.id);
    }
  });

/** The UI view of a target. */
export function pushTargetView(t: PushTarget, hasToken = !!t.token): PushTargetView {
  const { token: _token, ...rest } = t;
  return { ...rest, hasToken };
}

/** Why a push URL is not usable, or undefined when it is (shared code has no URL class: the parts are read by hand). */
export function checkPushUrl(text: string): string | undefined {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#\s]*)([^\s]*)$/i.exec(text.trim());
  if (!m) return `"${text.slice(0, 80)}" is not a URL; write e.g. https://ntfy.example.com/site-alarms or http://192.168.0.5:8080/hook.`;
  const scheme = m[1].toLowerCase();
  if (scheme !== 'http' && scheme !== 'https') return `Use an http:// or https:// address (got ${scheme}:).`;
  if (m[2].includes('@')) return 'Do not put a login in the URL; put the access token in the token field (it is stored encrypted).';
  const host = m[2].replace(/:\d*$/, '');
  if (!host || !/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/i.test(host)) return `"${text.slice(0, 80)}" has no usable host name.`;
  return undefined;
}

/** Does a camera reference (address, MAC, name) name this identity or client address? */
function refMatches(ref: string, identity: CameraIdentity | undefined, clientIp: string): boolean {
  const r = ref.trim().toLowerCase();
  if (r === clientIp) return true;
  if (!identity) return false;
  const mac = identity.mac?.toLowerCase();
  return r === identity.ip || r === identity.displayName.toLowerCase() || (!!mac && (r === mac || r.replace(/[^0-9a-f]/g, '') === mac.replace(/:/g, '')));
}

/** The targets a message goes to under their rules: enabled, and every camera or one of the named ones. */
export function pushTargetsFor<T extends Pick<PushTarget, 'isEnabled' | 'cameras'>>(targets: readonly T[], identity: CameraIdentity | undefined, clientIp: string): T[] {
  return targets.filter((t) => t.isEnabled && (t.cameras.length === 0 || t.cameras.some((c) => refMatches(c, identity, clientIp))));
}

/** What a push says about a message (built on the machine side from the stored mail). */
export interface PushContent {
  /** The queue item id: receivers can drop a repeat delivery by it (delivery is at least once). */
  deliveryId: string;
  messageId: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  /** The message's text body, cut to a few hundred characters. */
  text: string;
  camera: { name: string; ip: string; mac: string | null; model: string | null } | null;
  clientIp: string;
  snapshot: { filename: string; contentType: string; data: Uint8Array } | null;
}

/** The JSON body of a webhook (version 1): from, to, subject, camera and the snapshot as base64. */
export interface WebhookBody {
  version: 1;
  deliveryId: string;
  messageId: string;
  receivedAt: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  clientIp: string;
  camera: PushContent['camera'];
  snapshot: { filename: string; contentType: string; base64: string } | null;
}

/** Builds the webhook body; `toBase64` is the host's encoder (shared code has no Buffer). */
export function webhookBody(c: PushContent, includeSnapshot: boolean, toBase64: (data: Uint8Array) => string): WebhookBody {
  return {
    version: 1,
    deliveryId: c.deliveryId,
    messageId: c.messageId,
    receivedAt: c.receivedAt,
    from: c.from,
    to: c.to,
    subject: c.subject,
    text: c.text,
    clientIp: c.clientIp,
    camera: c.camera,
    snapshot: includeSnapshot && c.snapshot ? { filename: c.snapshot.filename, contentType: c.snapshot.contentType, base64: toBase64(c.snapshot.data) } : null,
  };
}

/** The title and message of an ntfy notification: the camera and the subject, then the sender and the text. */
export function ntfyText(c: PushContent): { title: string; message: string } {
  const who = c.camera ? `${c.camera.name} (${c.camera.ip})` : c.clientIp;
  const title = `${who}: ${c.subject || '(no subject)'}`.slice(0, 250);
  const message = [c.text.trim() || `Mail from ${c.from || 'an unknown sender'}`, `From ${c.from} to ${c.to.join(', ')} at ${c.receivedAt}`].join('\n').slice(0, 3500);
  return { title, message };
}
