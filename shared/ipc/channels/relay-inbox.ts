import { z } from 'zod';
import { channel } from '../define';
import { MessageIdSchema, RetentionSchema } from '../../domain/relay';
import { CameraOverviewSchema } from '../../domain/relay-cameras';
import { AdviceSchema } from '../../domain/relay-diagnosis';
import { DeleteResultSchema, DiskUsageSchema, InboxCountsSchema, InboxPageSchema, InboxQuerySchema, MessageSourceSchema, SessionDetailSchema, SessionRowSchema, SnapshotSchema } from '../../domain/relay-inbox';
import { PushTargetIdSchema, PushTargetSchema, PushTargetViewSchema } from '../../domain/relay-push';

const ids = z.array(MessageIdSchema).min(1).max(10_000);

/** Relay inbox channels: search, unread, delete, cameras, sessions, snapshots, disk use, push targets. */
export const relayInboxRequests = {
  'relay:search-messages': channel(z.object({ query: InboxQuerySchema.prefault({}) }).strict(), InboxPageSchema, 'One window of the inbox for a search (from:, to:, subject:, camera:, has:attachment, is:unread, before:, after:).'),
  'relay:get-counts': channel(z.object({}).strict(), InboxCountsSchema, 'Counts behind the badges: messages, unread, queued, refused sessions, silent cameras.'),
  'relay:mark-read': channel(z.object({ ids, isRead: z.boolean().default(true) }).strict(), InboxCountsSchema, 'Marks messages read or unread.'),
  'relay:mark-all-read': channel(z.object({ q: z.string().max(1000).default(''), tzOffsetMinutes: z.number().int().min(-840).max(840).default(0) }).strict(), InboxCountsSchema, 'Marks every message matching a search read.'),
  'relay:delete-messages': channel(
    z
      .object({
        scope: z.discriminatedUnion('scope', [
          z.object({ scope: z.literal('ids'), ids }),
          z.object({ scope: z.literal('search'), q: z.string().max(1000), tzOffsetMinutes: z.number().int().min(-840).max(840).default(0) }),
          z.object({ scope: z.literal('all') }),
        ]),
        includePinned: z.boolean().default(false),
      })
      .strict(),
    DeleteResultSchema,
    'Deletes messages by id, by search or all; pinned evidence only with includePinned.',
  ),
  'relay:get-cameras': channel(z.object({}).strict(), z.array(CameraOverviewSchema), 'Each known camera with mail count, last mail, last refusal and test result.'),
  'relay:name-camera': channel(z.object({ ref: z.string().min(1).max(100), label: z.string().max(100).nullable() }).strict(), z.array(CameraOverviewSchema), 'Names a camera (or an unknown sender by its address); null clears the name.'),
  'relay:list-sessions': channel(z.object({ limit: z.number().int().min(1).max(500).default(200) }).strict(), z.array(SessionRowSchema), 'Recent SMTP sessions, refused ones included, with who it was and the diagnosis.'),
  'relay:get-session': channel(z.object({ id: z.string().min(1).max(100) }).strict(), SessionDetailSchema, 'One session: transcript, advice in plain words with actions, its messages.'),
  'relay:get-queue-advice': channel(z.object({}).strict(), z.array(z.object({ id: z.string(), advice: AdviceSchema })), 'Advice for failed queued forwards ("550 from the upstream").'),
  'relay:get-source': channel(z.object({ id: MessageIdSchema }).strict(), MessageSourceSchema, 'The raw source of a message for reading (cut at 512 KiB).'),
  'relay:get-snapshot': channel(z.object({ id: MessageIdSchema, index: z.number().int().min(0).max(1000) }).strict(), SnapshotSchema, 'A JPEG attachment at full size, re-encoded on the machine side.'),
  'relay:get-disk-usage': channel(z.object({}).strict(), DiskUsageSchema, 'How much disk the relay uses, what is left, and its retention.'),
  'relay:set-retention': channel(
    z.object({ retention: RetentionSchema.partial() }).strict(),
    z.object({ removed: z.number().int(), retention: RetentionSchema }),
    'Changes retention by count, age and size (pinned evidence is kept) and applies it now.',
  ),
  'relay:get-push-targets': channel(z.object({}).strict(), z.array(PushTargetViewSchema), 'The push targets (ntfy, webhooks) without their tokens.'),
  'relay:set-push-targets': channel(z.object({ targets: z.array(PushTargetSchema).max(20) }).strict(), z.array(PushTargetViewSchema), 'Replaces the push targets; a target without a token keeps its saved one.'),
  'relay:test-push-target': channel(z.object({ id: PushTargetIdSchema }).strict(), z.object({ target: z.string() }), 'Sends a test notification to one push target now.'),
} as const;

/** Relay inbox pushed events. */
export const relayInboxEvents = {
  'relay:counts-changed': InboxCountsSchema,
} as const;
