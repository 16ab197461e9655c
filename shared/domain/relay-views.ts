/**
 * What the relay shows of itself: a received message as announced, a parsed message, a refused session, the saved
 * setup and the upstream presets. The relay service returns and emits these; the contract reuses the same schemas.
 */
import { z } from 'zod';
import { AttachmentInfoSchema, FORWARD_PRESETS, ForwardSecuritySchema, ForwardViewSchema, MessageSummarySchema, QuirkSchema } from './relay';
import { CameraIdentitySchema } from './relay-cameras';

/** A message the relay has just stored (the commissioning test run waits for the camera's one). */
export const ReceivedMessageSchema = z.object({
  id: z.string(),
  receivedAt: z.string(),
  from: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  clientIp: z.string(),
  size: z.number().int(),
  attachments: z.array(AttachmentInfoSchema),
  heloName: z.string(),
  messageId: z.string(),
  headerFrom: z.string(),
  camera: z.string().optional(),
  /** The camera that sent it, when the relay knows it (name, model, MAC). */
  identity: CameraIdentitySchema.optional(),
  sessionId: z.string(),
});
/** A message the relay has just stored. */
export type ReceivedMessage = z.infer<typeof ReceivedMessageSchema>;

/** A client the allow-list let in has connected. */
export const SessionOpenedSchema = z.object({ sessionId: z.string(), clientIp: z.string(), at: z.string() });
/** A client the allow-list let in has connected. */
export type SessionOpened = z.infer<typeof SessionOpenedSchema>;

/** A client the allow-list turned away. */
export const SessionRefusedSchema = z.object({ sessionId: z.string(), clientIp: z.string(), reason: z.string(), at: z.string(), camera: z.string().optional() });
/** A client the allow-list turned away. */
export type SessionRefused = z.infer<typeof SessionRefusedSchema>;

/** One attachment of a parsed message, with a thumbnail for JPEGs. */
export const MessageAttachmentSchema = AttachmentInfoSchema.extend({ index: z.number().int(), thumbnail: z.string().optional() });

/** A stored message parsed for reading. */
export const MessageDetailSchema = z.object({
  summary: MessageSummarySchema,
  text: z.string(),
  /** The HTML body as sent; untrusted, the UI must sanitise or show it sandboxed. */
  html: z.string().optional(),
  headers: z.array(z.object({ key: z.string(), value: z.string() })),
  attachments: z.array(MessageAttachmentSchema),
  quirks: z.array(QuirkSchema),
});
/** A stored message parsed for reading. */
export type MessageDetail = z.infer<typeof MessageDetailSchema>;

/** How the relay was last started by the technician (no password: only whether one is saved). */
export const SavedRelaySetupSchema = z.object({
  listenAddress: z.string(),
  port: z.number().int(),
  acceptAnyAuth: z.boolean(),
  allow: z.array(z.string()),
  forward: ForwardViewSchema.optional(),
  autoStart: z.boolean(),
});
/** How the relay was last started by the technician. */
export type SavedRelaySetup = z.infer<typeof SavedRelaySetupSchema>;

/** An upstream preset (Gmail, Microsoft 365) with its short guide. */
export const ForwardPresetSchema = z.object({ id: z.string(), label: z.string(), host: z.string(), port: z.number().int(), security: ForwardSecuritySchema, guide: z.string() });
/** An upstream preset with its short guide. */
export type ForwardPreset = z.infer<typeof ForwardPresetSchema>;

/** The upstream presets as a list. */
export function forwardPresets(): ForwardPreset[] {
  return Object.entries(FORWARD_PRESETS).map(([id, p]) => ({ id, ...p }));
}
