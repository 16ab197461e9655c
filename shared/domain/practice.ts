/** Practice mode: simulated cameras and the embedded relay, all on loopback, so the job can be tried with no hardware. */
import { z } from 'zod';

/** One practice camera as the UI shows it. */
export const PracticeCameraSchema = z.object({ url: z.string(), ip: z.string(), httpPort: z.number().int(), model: z.string(), mac: z.string(), name: z.string(), firmware: z.string() });
/** One practice camera. */
export type PracticeCamera = z.infer<typeof PracticeCameraSchema>;

/** The practice environment. */
export const PracticeStateSchema = z.object({
  status: z.enum(['off', 'starting', 'running', 'failed']),
  /** The first practice camera (the one the home page offers). */
  camera: PracticeCameraSchema.optional(),
  /** Every practice camera (one unless practice was started with a count). */
  cameras: z.array(PracticeCameraSchema).optional(),
  relay: z.object({ address: z.string(), port: z.number().int() }).optional(),
  /** What the technician types as the camera's SMTP server in practice (the relay's address). */
  smtpServer: z.string().optional(),
  /** Why it is not running (failed status). */
  error: z.string().optional(),
});
/** The practice environment state. */
export type PracticeState = z.infer<typeof PracticeStateSchema>;
