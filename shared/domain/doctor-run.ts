/** A doctor run as an operation: what it reports as each check ends, and at its end. The contract reuses the same schemas. */
import { z } from 'zod';
import { CheckResultSchema, DoctorReportSchema } from './diagnostics';

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

/** A run ended, with its whole report; the camera is named by its URL only, never its login. */
export const DoctorFinishedSchema = z.object({ operationId: z.string(), report: DoctorReportSchema, cameraUrl: z.string().optional() });
/** A run ended, with its whole report. */
export type DoctorFinished = z.infer<typeof DoctorFinishedSchema>;
