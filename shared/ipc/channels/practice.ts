import { z } from 'zod';
import { channel } from '../define';
import { PracticeStateSchema } from '../../domain/practice';

/** Practice-mode channels. */
export const practiceRequests = {
  'practice:get-state': channel(z.object({}).strict(), PracticeStateSchema, 'The practice cameras and relay, when practice mode runs.'),
} as const;

/** Practice-mode events. */
export const practiceEvents = {} as const;
