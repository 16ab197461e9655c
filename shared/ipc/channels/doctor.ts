import { z } from 'zod';
import { channel } from '../define';
import {
  ArticleIdSchema,
  ArticleSchema,
  ArticleSummarySchema,
  DoctorRunRequestSchema,
} from '../../domain/diagnostics';
import { CheckFinishedSchema, DoctorFinishedSchema } from '../../domain/doctor-run';

/** Doctor and knowledge-base channels. */
export const doctorRequests = {
  'doctor:start': channel(
    DoctorRunRequestSchema,
    z.object({ operationId: z.string() }),
    'Starts the offline troubleshooting checks (camera, SMTP, NTP, relay); doctor:check-finished follows each check, doctor:finished carries the report.',
  ),
  'doctor:cancel': channel(
    z.object({ operationId: z.string().min(1).max(64) }).strict(),
    z.object({ isCancelled: z.boolean() }),
    'Cancels a running doctor run; the remaining checks are reported as skipped.',
  ),
  'kb:list-articles': channel(z.object({}).strict(), z.array(ArticleSummarySchema), 'Lists the offline knowledge-base articles.'),
  'kb:get-article': channel(z.object({ id: ArticleIdSchema }).strict(), ArticleSchema, 'One knowledge-base article with its markdown text.'),
} as const;

/** Doctor pushed events. */
export const doctorEvents = {
  'doctor:check-finished': CheckFinishedSchema,
  'doctor:finished': DoctorFinishedSchema,
} as const;
