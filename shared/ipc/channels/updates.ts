import { z } from 'zod';
import { channel } from '../define';

/** Where an update stands (Electron host; the web host answers canInstallFromFile: false). */
export const UpdateStateSchema = z.object({
  status: z.enum(['idle', 'checking', 'available', 'verifying', 'downloading', 'ready', 'failed']),
  currentVersion: z.string(),
  /** False where the app cannot replace itself (the web host, the CLI). */
  canInstallFromFile: z.boolean(),
  /** Why not, in one line, when canInstallFromFile is false. */
  notApplicableReason: z.string().optional(),
  /** Catalog key of notApplicableReason (shared/i18n), so the UI can show it in its language. */
  notApplicableKey: z.string().optional(),
  /** The update server the site configured in Settings (never contacted unless the technician asks). */
  feedUrl: z.string().optional(),
  source: z.enum(['file', 'online']).optional(),
  /** The version found, verified or ready. */
  version: z.string().optional(),
  /** One line for the technician. */
  message: z.string().optional(),
  /** Catalog key of `message` (shared/i18n: `updates.*` or `errors.*`), so the UI can show it in its language. */
  messageKey: z.string().optional(),
  /** The values `messageKey` interpolates. */
  messageParams: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
/** Where an update stands. */
export type UpdateState = z.infer<typeof UpdateStateSchema>;

/** Update channels. */
export const updatesRequests = {
  'updates:get-state': channel(z.object({}).strict(), UpdateStateSchema, 'Where an update stands, and whether this host can install one.'),
  'updates:install-from-file': channel(
    z.object({}).strict(),
    z.object({ isCancelled: z.boolean(), state: UpdateStateSchema }),
    'Asks for a .sarix-update file, checks its signature and payload, and stages it; a tampered file is refused.',
  ),
  'updates:check-online': channel(z.object({}).strict(), z.object({ isUpdateAvailable: z.boolean(), state: UpdateStateSchema }), "Asks the site's update server (Settings) for a newer signed version."),
  'updates:download-online': channel(z.object({}).strict(), UpdateStateSchema, 'Downloads the version found online and checks it against its signed manifest.'),
  'updates:restart-and-install': channel(z.object({}).strict(), z.object({ isRestarting: z.boolean() }), 'Quits and installs the verified update.'),
} as const;

/** Update events. */
export const updatesEvents = {
  'updates:state-changed': UpdateStateSchema,
} as const;
