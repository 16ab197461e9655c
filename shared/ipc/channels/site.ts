/**
 * Whole-site channels: the test order of a running batch (tests run one camera at a time, in the technician's
 * order: shared/domain/test-queue.ts) and more practice cameras for trying a batch without hardware.
 */
import { z } from 'zod';
import { channel } from '../define';
import { PracticeStateSchema } from '../../domain/practice';
import { TestQueueChangedSchema, TestQueueEntrySchema } from '../../domain/test-queue';

/** Most practice cameras one call adds (each is a small web server on 127.0.0.1). */
export const MAX_ADDED_PRACTICE_CAMERAS = 8;

/** Whole-site request channels. */
export const siteRequests = {
  'commissioning:set-test-order': channel(
    z.object({ operationId: z.string(), urls: z.array(z.string()).min(1).max(1000) }).strict(),
    z.object({ entries: z.array(TestQueueEntrySchema) }),
    'Changes the test order of a running job (every camera once); the first untested camera goes next.',
  ),
  'commissioning:start-test': channel(
    z.object({ operationId: z.string(), url: z.string() }).strict(),
    z.object({ entries: z.array(TestQueueEntrySchema) }),
    "The technician stands at the camera: its test starts now (a real camera's test waits for this).",
  ),
  'practice:add-cameras': channel(
    z.object({ count: z.number().int().min(1).max(MAX_ADDED_PRACTICE_CAMERAS) }).strict(),
    PracticeStateSchema,
    'Starts more practice cameras now (practice mode must be on); answers the practice state with every camera.',
  ),
} as const;

/** Whole-site pushed events. */
export const siteEvents = {
  'commissioning:test-queue-changed': TestQueueChangedSchema,
} as const;
