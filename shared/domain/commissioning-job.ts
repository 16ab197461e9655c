/**
 * A commissioning job as an operation: what it reports while it runs and when it ends, and what a rollback did.
 * The commissioning service returns and emits these; the contract reuses the same schemas.
 */
import { z } from 'zod';
import { CameraResultSchema, StepResultSchema, TestMessageSchema } from './commissioning';
import { TestQueueEntrySchema } from './test-queue';

/** State of one job ('failed' only when the job runner itself broke; a camera's failure is in its result). */
export const JobStatusSchema = z.enum(['running', 'completed', 'cancelled', 'failed']);

/** One job as `commissioning:get-state` lists it (passwords never appear). */
export const CommissioningOperationSchema = z.object({
  operationId: z.string(),
  status: JobStatusSchema,
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  total: z.number().int(),
  results: z.array(CameraResultSchema),
  /** The test order and each camera's turn (jobs that test). */
  testQueue: z.array(TestQueueEntrySchema).optional(),
});
/** One job as listed. */
export type CommissioningOperation = z.infer<typeof CommissioningOperationSchema>;

/** What a rollback did: the backup restored and whether the camera reads back exactly as it. */
export const RollbackResultSchema = z.object({
  url: z.string(),
  mac: z.string(),
  backupFile: z.string(),
  savedAt: z.string(),
  verified: z.boolean(),
  differences: z.array(z.string()),
});
/** What a rollback did. */
export type RollbackResult = z.infer<typeof RollbackResultSchema>;

/** A job began. */
export const JobStartedSchema = z.object({ operationId: z.string(), cameras: z.number().int(), dryRun: z.boolean() });
/** A job began. */
export type JobStarted = z.infer<typeof JobStartedSchema>;

/** One step of one camera changed status. */
export const StepChangedSchema = z.object({ operationId: z.string(), url: z.string(), label: z.string().optional(), step: StepResultSchema });
/** One step of one camera changed status. */
export type StepChanged = z.infer<typeof StepChangedSchema>;

/** One camera of a job is done. */
export const CameraFinishedSchema = z.object({ operationId: z.string(), result: CameraResultSchema });
/** One camera of a job is done. */
export type CameraFinished = z.infer<typeof CameraFinishedSchema>;

/** A job ended. */
export const JobFinishedSchema = z.object({
  operationId: z.string(),
  status: z.enum(['completed', 'cancelled']),
  passed: z.number().int(),
  failed: z.number().int(),
  planned: z.number().int(),
  durationMs: z.number(),
});
/** A job ended. */
export type JobFinished = z.infer<typeof JobFinishedSchema>;

/**
 * A test e-mail run that ended on its own, not as the last step of a job's camera: the wizard's test step, the
 * first run and every "Try again". The site journal records each, so the report shows every test, failed ones too.
 */
export const TestRunFinishedSchema = z.object({
  /** The wizard session (or other owner) the run belongs to. */
  operationId: z.string(),
  origin: z.enum(['wizard']),
  url: z.string(),
  label: z.string().optional(),
  camera: CameraResultSchema.shape.camera,
  /** 1 for the first run of its session, 2 for the first "Try again", … */
  attempt: z.number().int().positive(),
  status: z.enum(['passed', 'failed', 'stopped']),
  /** When the test was started (the event was triggered or asked for), ISO. */
  startedAt: z.string(),
  /** When it ended (passed, failed or stopped), ISO. */
  endedAt: z.string(),
  latencyMs: z.number().optional(),
  /** The test e-mail, when it arrived. */
  message: TestMessageSchema.optional(),
  /** Why no e-mail came, in words (the most likely cause). */
  cause: z.string().optional(),
});
/** A test e-mail run that ended on its own. */
export type TestRunFinished = z.infer<typeof TestRunFinishedSchema>;
