import { z } from 'zod';
import { channel } from '../define';

/** What saving a support bundle produced. */
export const SupportBundleResultSchema = z.object({
  isCancelled: z.boolean(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  /** The files inside the zip, for the technician to see what is shared. */
  entries: z.array(z.string()),
  /** Where the desktop app wrote it (Save dialog). */
  savedTo: z.string().optional(),
  /** The zip itself, base64, where the host cannot write files for the user (web host: the browser downloads it). */
  base64: z.string().optional(),
});
/** What saving a support bundle produced. */
export type SupportBundleResult = z.infer<typeof SupportBundleResultSchema>;

/** Support channels. */
export const supportRequests = {
  'support:save-bundle': channel(
    z.object({}).strict(),
    SupportBundleResultSchema,
    'Writes one zip with the logs, redacted SMTP transcripts, settings without secrets, last discovery and commissioning results, crash dumps and versions.',
  ),
} as const;
