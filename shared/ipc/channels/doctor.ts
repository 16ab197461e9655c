import { z } from 'zod';
import { channel } from '../define';
import {
  ArticleIdSchema,
  ArticleSchema,
  ArticleSummarySchema,
  DoctorRunRequestSchema,
} from '../../domain/diagnostics';
import { CheckFinishedSchema, DoctorFinishedSchema } from '../../domain/doctor-run';
import { LANGUAGES } from '../../i18n/languages';

/** The language an article is wanted in: the UI's (or the CLI's); English when left out or not translated. */
const ArticleLanguageSchema = z.enum(LANGUAGES).default('en');

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
  'kb:list-articles': channel(
    z.object({ language: ArticleLanguageSchema }).strict(),
    z.array(ArticleSummarySchema),
    'Lists the offline knowledge-base articles (titles in the given language, English where untranslated).',
  ),
  'kb:get-article': channel(
    z.object({ id: ArticleIdSchema, language: ArticleLanguageSchema }).strict(),
    ArticleSchema,
    'One knowledge-base article with its markdown text, in the given language (English where untranslated).',
  ),
} as const;

/** Doctor pushed events. */
export const doctorEvents = {
  'doctor:check-finished': CheckFinishedSchema,
  'doctor:finished': DoctorFinishedSchema,
} as const;
