import { z } from 'zod';
import { channel } from '../define';
import { CameraTargetSchema, CommissionOptionsSchema, SiteProfileSchema } from '../../domain/commissioning';
import { CameraFinishedSchema, CommissioningOperationSchema, JobFinishedSchema, JobStartedSchema, RollbackResultSchema, StepChangedSchema } from '../../domain/commissioning-job';

/** Commissioning channels. */
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
  'commissioning:started': JobStartedSchema,
  'commissioning:step-changed': StepChangedSchema,
  'commissioning:camera-finished': CameraFinishedSchema,
  'commissioning:finished': JobFinishedSchema,
} as const;
