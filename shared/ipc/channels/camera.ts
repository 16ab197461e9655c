import { z } from 'zod';
import { channel } from '../define';
import { CameraTargetSchema } from '../../domain/commissioning';

/** What `camera:capture-pages` answers: where the zip is, how many pages, and what the driver could not read. */
export const CapturePagesResultSchema = z.object({
  file: z.string(),
  pages: z.number().int(),
  problems: z.array(z.string()),
});

/** Camera channels. */
export const cameraRequests = {
  'camera:capture-pages': channel(
    z.object({ target: CameraTargetSchema }).strict(),
    CapturePagesResultSchema,
    "Saves the camera's web pages as the driver reads them (passwords and session tokens blanked) in a zip for support; changes nothing on the camera.",
  ),
} as const;
