import { z } from 'zod';
import { channel } from '../define';
import { HandOverReportSchema, ReportSaveFormatSchema } from '../../domain/report';

export { ReportSaveFormatSchema, type ReportSaveFormat } from '../../domain/report';
import { ItemOwnerSchema, SiteDetailsSchema } from '../../domain/site-journal';


const siteArg = z.string().trim().min(1).max(80).optional();

/** What saving produced: the desktop app wrote `savedTo` (Save dialog); the web host sends the bytes back to download. */
export const SavedFileSchema = z.object({
  isCancelled: z.boolean(),
  fileName: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  savedTo: z.string().optional(),
  base64: z.string().optional(),
});
/** What saving produced. */
export type SavedFile = z.infer<typeof SavedFileSchema>;

/** A site with a journal on this computer. */
export const SiteSummarySchema = z.object({ slug: z.string(), name: z.string(), entries: z.number().int(), lastAt: z.string().optional(), isCurrent: z.boolean() });

/** Report and site-journal channels. */
export const reportRequests = {
  'report:list-sites': channel(z.object({}).strict(), z.array(SiteSummarySchema), 'Sites with a journal on this computer; the one named in Settings is marked current.'),
  'report:get-preview': channel(
    z.object({ site: siteArg }).strict(),
    z.object({ report: HandOverReportSchema, jsonSha256: z.string(), pictures: z.record(z.string(), z.string()) }),
    "The hand-over report of a site (default: the current one) as data, with each camera's test snapshot as a data URL.",
  ),
  'report:save': channel(
    z.object({ site: siteArg, format: ReportSaveFormatSchema }).strict(),
    SavedFileSchema.extend({ reportId: z.string(), jsonSha256: z.string() }),
    'Renders the hand-over report in one format and saves it (desktop: Save dialog; web: the browser downloads it).',
  ),
  'report:export-site': channel(z.object({ site: siteArg }).strict(), SavedFileSchema.extend({ entries: z.number().int() }), "Saves one file with a site's journal and evidence pictures, for a colleague."),
  'report:import-site': channel(
    z.object({ base64: z.string().max(200 * 1024 * 1024), asName: siteArg, merge: z.boolean().default(false) }).strict(),
    z.object({ site: SiteDetailsSchema, added: z.number().int(), alreadyThere: z.number().int(), pictures: z.number().int() }),
    'Imports a site export; an existing site is refused (CONFLICT) unless merged or imported under another name.',
  ),
  'report:add-note': channel(
    z.object({ text: z.string().trim().min(1).max(1000), owner: ItemOwnerSchema, cameraMac: z.string().max(40).optional() }).strict(),
    z.object({ id: z.string() }),
    'Adds an open item with its owner to the current site journal (printed under "Deviations and open items").',
  ),
} as const;

/** Report events. */
export const reportEvents = {
  /** Entries were added to a site's journal: a preview of that site is out of date. */
  'report:journal-changed': z.object({ site: z.string(), kinds: z.array(z.string()) }),
} as const;
