import { z } from 'zod';
import { channel } from '../define';
import {
  ArticleIdSchema,
  ArticleSchema,
  ArticleSummarySchema,
  DoctorReportSchema,
  DoctorRunRequestSchema,
} from '../../domain/diagnostics';
import { CheckFinishedSchema } from '../../domain/doctor-run';

/** Doctor and knowledge-base channels. */
export const doctorRequests = {
  'doctor:run': channel(
    DoctorRunRequestSchema,
    DoctorReportSchema,
    'Runs the offline troubleshooting checks (camera, SMTP, NTP, relay); pushes doctor:check-finished as each check ends.',
  ),
  'doctor:cancel-run': channel(
    z.object({ operationId: z.string().min(1).max(64) }).strict(),
    z.object({ cancelled: z.boolean() }),
    'Cancels a running doctor run; the remaining checks are reported as skipped.',
  ),
  'kb:list-articles': channel(z.object({}).strict(), z.array(ArticleSummarySchema), 'Lists the offline knowledge-base articles.'),
  'kb:get-article': channel(z.object({ id: ArticleIdSchema }).strict(), ArticleSchema, 'One knowledge-base article with its markdown text.'),
} as const;

/** Doctor pushed events. */
export const doctorEvents = {
  'doctor:check-finished': CheckFinishedSchema,
} as const;
