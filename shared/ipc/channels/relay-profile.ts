import { z } from 'zod';
import { channel } from '../define';
import { ForwardViewSchema } from '../../domain/relay';

/** How the relay was last started from the app (no password: only whether one is saved). */
export const SavedRelaySetupSchema = z.object({
  listenAddress: z.string(),
  port: z.number().int(),
  acceptAnyAuth: z.boolean(),
  allow: z.array(z.string()),
  forward: ForwardViewSchema.optional(),
  autoStart: z.boolean(),
});
/** How the relay was last started from the app. */
export type SavedRelaySetup = z.infer<typeof SavedRelaySetupSchema>;

/** Saved relay setup channels. */
export const relayProfileRequests = {
  'relay:get-saved-setup': channel(z.object({}).strict(), z.object({ setup: SavedRelaySetupSchema.nullable() }), 'How the relay was last started from the app (to fill the form; the password is never sent).'),
} as const;
