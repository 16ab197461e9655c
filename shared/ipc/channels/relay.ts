import { z } from 'zod';
import { channel } from '../define';
import {
  MessageIdSchema,
  MessageQuerySchema,
  MessageSummarySchema,
  QueueItemSchema,
  RelayStartOptionsSchema,
  RelayStateSchema,
  SessionSummarySchema,
  TranscriptLineSchema,
} from '../../domain/relay';
import { QueueItemIdSchema } from '../../domain/relay-push';
import { ForwardPresetSchema, MessageDetailSchema, ReceivedMessageSchema, SavedRelaySetupSchema, SessionOpenedSchema, SessionRefusedSchema } from '../../domain/relay-views';

/** A downloadable file (raw source or an attachment), base64 so it crosses IPC and WebSocket alike. */
export const DownloadSchema = z.object({ filename: z.string(), contentType: z.string(), base64: z.string() });

const idArg = z.object({ id: MessageIdSchema }).strict();
const queueIdArg = z.object({ id: QueueItemIdSchema }).strict();

/** Relay channels. */
export const relayRequests = {
  'relay:start': channel(z.object({ options: RelayStartOptionsSchema }).strict(), RelayStateSchema, 'Starts the embedded SMTP relay on one address and port.'),
  'relay:stop': channel(z.object({}).strict(), RelayStateSchema, 'Stops the relay (stored mail and the queue stay on disk).'),
  'relay:get-state': channel(z.object({}).strict(), RelayStateSchema, 'Listening address, allow-list, counts and forwarding of the relay.'),
  'relay:allow-client': channel(z.object({ entry: z.string().min(1).max(100) }).strict(), RelayStateSchema, 'Adds an IP or CIDR to the allow-list of the running relay.'),
  'relay:set-allow-list': channel(z.object({ allow: z.array(z.string().max(100)).max(4096) }).strict(), RelayStateSchema, 'Replaces the allow-list.'),
  'relay:list-messages': channel(
    z.object({ query: MessageQuerySchema.prefault({}) }).strict(),
    z.object({ total: z.number().int(), items: z.array(MessageSummarySchema) }),
    'Stored messages, newest first, filtered by camera, sender, subject and date.',
  ),
  'relay:get-message': channel(idArg, MessageDetailSchema, 'One stored message parsed: text, headers, attachments with JPEG thumbnails.'),
  'relay:get-raw': channel(idArg, DownloadSchema, 'The raw source of a stored message (.eml).'),
  'relay:get-attachment': channel(z.object({ id: MessageIdSchema, index: z.number().int().min(0) }).strict(), DownloadSchema, 'One attachment of a stored message.'),
  'relay:pin-message': channel(z.object({ id: MessageIdSchema, pinned: z.boolean().default(true) }).strict(), MessageSummarySchema, 'Pins a message as commissioning evidence (retention keeps it).'),
  'relay:delete-message': channel(idArg, z.object({ deleted: z.boolean() }), 'Deletes a stored message.'),
  'relay:get-queue': channel(z.object({}).strict(), z.array(QueueItemSchema), 'The forwarding queue: state, attempts, last upstream error.'),
  'relay:retry-queued': channel(queueIdArg, z.array(QueueItemSchema), 'Retries a queued forward now.'),
  'relay:delete-queued': channel(queueIdArg, z.array(QueueItemSchema), 'Removes a forward from the queue (the stored message stays).'),
  'relay:get-sessions': channel(z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(), z.array(SessionSummarySchema), 'Recent SMTP sessions with their quirk diagnosis.'),
  'relay:get-transcript': channel(
    z.object({ id: z.string().min(1).max(100) }).strict(),
    z.object({ session: SessionSummarySchema, lines: z.array(TranscriptLineSchema) }),
    'The command/reply transcript of one SMTP session (bodies cut).',
  ),
  'relay:get-forward-presets': channel(z.object({}).strict(), z.array(ForwardPresetSchema), 'Upstream presets (Gmail, Microsoft 365) with a short guide.'),
  'relay:get-saved-setup': channel(z.object({}).strict(), z.object({ setup: SavedRelaySetupSchema.nullable() }), 'How the relay was last started from the app (to fill the form; the password is never sent).'),
} as const;

/** Relay pushed events. */
export const relayEvents = {
  'relay:state-changed': z.object({ state: RelayStateSchema }),
  'relay:message-received': ReceivedMessageSchema,
  'relay:queue-changed': z.object({ items: z.array(QueueItemSchema) }),
  'relay:session-opened': SessionOpenedSchema,
  'relay:session-refused': SessionRefusedSchema,
  'relay:session-closed': z.object({ session: SessionSummarySchema }),
} as const;
