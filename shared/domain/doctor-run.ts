/** A doctor run as an operation: what it reports as each check ends. The contract reuses the same schemas. */
import { z } from 'zod';
import { CheckResultSchema } from './diagnostics';

/** One check of a run finished. */
export const CheckFinishedSchema = z.object({
  operationId: z.string(),
  check: CheckResultSchema,
  /** 0-based position of this check and the number of checks in a run (progress bar). */
  index: z.number().int().nonnegative(),
  total: z.number().int().positive(),
});
/** One check of a run finished. */
export type CheckFinished = z.infer<typeof CheckFinishedSchema>;
