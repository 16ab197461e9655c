import { z } from 'zod';
import { channel } from '../define';

/** The practice environment: a simulated camera and the embedded relay, both on loopback. */
export const PracticeStateSchema = z.object({
  status: z.enum(['off', 'starting', 'running', 'failed']),
  camera: z
    .object({ url: z.string(), ip: z.string(), httpPort: z.number().int(), model: z.string(), mac: z.string(), name: z.string(), firmware: z.string() })
    .optional(),
  relay: z.object({ address: z.string(), port: z.number().int() }).optional(),
  /** What the technician types as the camera's SMTP server in practice (the relay's address). */
  smtpServer: z.string().optional(),
  /** Why it is not running (failed status). */
  error: z.string().optional(),
});
/** The practice environment state. */
export type PracticeState = z.infer<typeof PracticeStateSchema>;

/** Practice-mode channels. */
export const practiceRequests = {
  'practice:get-state': channel(z.object({}).strict(), PracticeStateSchema, 'The practice camera and relay, when practice mode runs.'),
} as const;

/** Practice-mode events. */
export const practiceEvents = {} as const;
