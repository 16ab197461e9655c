import { z } from 'zod';
import { channel } from '../define';
import { CameraResultSchema, CameraTargetSchema, CommissionOptionsSchema, SiteProfileSchema, StepResultSchema } from '../../domain/commissioning';

/** One job as `commissioning:get-state` lists it (passwords never appear). */
export const CommissioningOperationSchema = z.object({
  operationId: z.string(),
  status: z.enum(['running', 'completed', 'cancelled']),
  startedAt: z.number(),
  finishedAt: z.number().nullable(),
  total: z.number().int(),
  results: z.array(CameraResultSchema),
});

/** What `commissioning:rollback` answers. */
export const RollbackResultSchema = z.object({
  url: z.string(),
  mac: z.string(),
  backupFile: z.string(),
  savedAt: z.string(),
  verified: z.boolean(),
  differences: z.array(z.string()),
});

/** Commissioning channels (issue 6). */
export const commissioningRequests = {
  'commissioning:start': channel(
    z.object({ targets: z.array(CameraTargetSchema).min(1).max(1000), profile: SiteProfileSchema, options: CommissionOptionsSchema.prefault({}) }).strict(),
    z.object({ operationId: z.string() }),
    'Commissions one or many cameras with a site profile; progress arrives as commissioning:* events.',
  ),
  'commissioning:cancel': channel(z.object({ operationId: z.string() }).strict(), z.object({ isCancelled: z.boolean() }), 'Cancels a job; cameras in progress are rolled back.'),
  'commissioning:get-state': channel(z.object({}).strict(), z.object({ operations: z.array(CommissioningOperationSchema) }), 'Running and recent commissioning jobs with per-camera results.'),
  'commissioning:rollback': channel(
    z.object({ target: CameraTargetSchema, backupFile: z.string().optional() }).strict(),
    RollbackResultSchema,
    'Restores a camera from its newest backup (or a chosen one) and reads it back.',
  ),
} as const;

/** Commissioning pushed events. */
export const commissioningEvents = {
  'commissioning:started': z.object({ operationId: z.string(), cameras: z.number().int(), dryRun: z.boolean() }),
  'commissioning:step-changed': z.object({ operationId: z.string(), url: z.string(), label: z.string().optional(), step: StepResultSchema }),
  'commissioning:camera-finished': z.object({ operationId: z.string(), result: CameraResultSchema }),
  'commissioning:finished': z.object({
    operationId: z.string(),
    status: z.enum(['completed', 'cancelled']),
    passed: z.number().int(),
    failed: z.number().int(),
    planned: z.number().int(),
    durationMs: z.number(),
  }),
} as const;
