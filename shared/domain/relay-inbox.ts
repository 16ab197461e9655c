/**
 * What the relay inbox shows: a message row (summary + camera identity + unread), a page of search results, the
 * counts behind the live badges, sessions with their advice, the relay's disk use, and readable download names.
 * The relay service returns these; the contract reuses the schemas. Pure: no I/O.
 */
import { z } from 'zod';
import { MessageSummarySchema, QueueItemSchema, SessionSummarySchema, TranscriptLineSchema } from './relay';
import { CameraIdentitySchema } from './relay-cameras';
import { AdviceSchema } from './relay-diagnosis';

/** A message as the inbox lists it. */
export const MessageRowSchema = MessageSummarySchema.extend({
  identity: CameraIdentitySchema.optional(),
  isUnread: z.boolean(),
});
/** A message as the inbox lists it. */
export type MessageRow = z.infer<typeof MessageRowSchema>;

/** A search request: the search text (see relay-search.ts), a window of the result, and the caller's UTC offset. */
export const InboxQuerySchema = z.object({
  q: z.string().max(1000).default(''),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
  /** Minutes east of UTC of the technician's clock (-Date#getTimezoneOffset()), for whole-day dates. */
  tzOffsetMinutes: z.number().int().min(-14 * 60).max(14 * 60).default(0),
});
/** A search request. */
export type InboxQuery = z.infer<typeof InboxQuerySchema>;

/** One window of a search. */
export const InboxPageSchema = z.object({
  /** Messages matching the search. */
  total: z.number().int(),
  offset: z.number().int(),
  items: z.array(MessageRowSchema),
  /** Parts of the search that could not be read, in plain words. */
  problems: z.array(z.string()),
});
/** One window of a search. */
export type InboxPage = z.infer<typeof InboxPageSchema>;

/** The counts behind the live badges (nav, tabs, tray). */
export const InboxCountsSchema = z.object({
  total: z.number().int(),
  unread: z.number().int(),
  pinned: z.number().int(),
  queued: z.number().int(),
  /** Addresses the relay refused (recorded sessions) that are still not on the allow-list. */
  refusedSessions: z.number().int(),
  /** Cameras commissioned that have sent no stored mail. */
  silentCameras: z.number().int(),
  isListening: z.boolean(),
});
/** The counts behind the live badges. */
export type InboxCounts = z.infer<typeof InboxCountsSchema>;

/** A session as listed, with who it was and the first piece of advice. */
export const SessionRowSchema = SessionSummarySchema.extend({
  identity: CameraIdentitySchema.optional(),
  headline: AdviceSchema,
});
/** A session as listed. */
export type SessionRow = z.infer<typeof SessionRowSchema>;

/** One session opened: transcript, every piece of advice, and its messages' forwarding state. */
export const SessionDetailSchema = z.object({
  session: SessionRowSchema,
  lines: z.array(TranscriptLineSchema),
  advice: z.array(AdviceSchema),
  /** Messages stored from this session (ids). */
  messageIds: z.array(z.string()),
  /** Their queued forwards, if any are still queued. */
  queue: z.array(QueueItemSchema),
});
/** One session opened. */
export type SessionDetail = z.infer<typeof SessionDetailSchema>;

/** What `relay:delete-messages` did. */
export const DeleteResultSchema = z.object({ deleted: z.number().int(), keptPinned: z.number().int() });
/** What `relay:delete-messages` did. */
export type DeleteResult = z.infer<typeof DeleteResultSchema>;

/** The raw source of a message for the Raw tab (cut for very large messages). */
export const MessageSourceSchema = z.object({ text: z.string(), size: z.number().int(), isTruncated: z.boolean(), filename: z.string() });
/** The raw source of a message. */
export type MessageSource = z.infer<typeof MessageSourceSchema>;

/** A snapshot at full size, re-encoded on the machine side (untrusted JPEGs are never decoded in the renderer). */
export const SnapshotSchema = z.object({ dataUrl: z.string(), width: z.number().int(), height: z.number().int(), filename: z.string() });
/** A snapshot at full size. */
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** How much disk the relay uses and how much is left. */
export const DiskUsageSchema = z.object({
  dataDir: z.string(),
  messageCount: z.number().int(),
  messagesBytes: z.number(),
  thumbnailsBytes: z.number(),
  spoolBytes: z.number(),
  otherBytes: z.number(),
  totalBytes: z.number(),
  /** Free space on the volume, when the OS tells. */
  freeBytes: z.number().nullable(),
  retention: z.object({ maxCount: z.number().int(), maxAgeDays: z.number().int(), maxTotalMb: z.number().int() }),
});
/** How much disk the relay uses. */
export type DiskUsage = z.infer<typeof DiskUsageSchema>;

/** A subject or name as a file-name part: letters, digits and dashes, at most `max` characters. */
export function fileNamePart(text: string, max = 40): string {
  const part = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return part;
}

/**
 * A readable download name: local date and time, the subject without the camera's boilerplate prefix, and the
 * sender's address, e.g. `2026-11-29_1042_Camera-Sabotage_10.0.0.23.eml`. `tzOffsetMinutes` is the machine's
 * offset east of UTC at that moment; `suffix` names an attachment (`snapshot.jpg`) or is the extension (`.eml`).
 */
export function downloadName(m: { receivedAt: string; subject: string; clientIp: string }, suffix: string, tzOffsetMinutes: number): string {
  const t = new Date(Date.parse(m.receivedAt) + tzOffsetMinutes * 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${t.getUTCFullYear()}-${p(t.getUTCMonth() + 1)}-${p(t.getUTCDate())}_${p(t.getUTCHours())}${p(t.getUTCMinutes())}`;
  // "Sarix camera alert: Camera Sabotage" → "Camera-Sabotage": the part after the last colon says what happened.
  const subject = m.subject.includes(':') ? m.subject.slice(m.subject.lastIndexOf(':') + 1) : m.subject;
  const what = fileNamePart(subject) || fileNamePart(m.subject) || 'message';
  const ip = m.clientIp.replace(/[^0-9A-Za-z.]+/g, '-') || 'unknown';
  const tail = suffix.startsWith('.') ? suffix : `_${suffix}`;
  return `${stamp}_${what}_${ip}${tail}`;
}
