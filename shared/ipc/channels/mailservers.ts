import { z } from 'zod';
import { channel } from '../define';
import { FindMailServersRequestSchema, MailServerReportSchema, MailServerSearchProgressedSchema } from '../../domain/mail-servers';

/**
 * The mail-server finder: one long operation (start → progress events → the report, or cancel), keyed by an
 * operation id the caller may choose so it can match progress events before the call returns.
 */
export const mailserverRequests = {
  'mailservers:find-servers': channel(
    FindMailServersRequestSchema,
    MailServerReportSchema,
    "Finds the site's mail servers (the mail domain's MX/SRV records, and with subnets an opt-in bounded probe) and says whether the camera may use each; pushes mailservers:search-progressed while it runs.",
  ),
  'mailservers:cancel-search': channel(
    z.object({ operationId: z.string().min(1).max(64) }).strict(),
    z.object({ isCancelled: z.boolean() }),
    'Cancels a running mail-server search; the search returns what it found so far (isCancelled).',
  ),
} as const;

/** Mail-server finder pushed events. */
export const mailserverEvents = {
  'mailservers:search-progressed': MailServerSearchProgressedSchema,
} as const;
