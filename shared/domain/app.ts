import { z } from 'zod';

/** Which host runs the services. */
export const HostKindSchema = z.enum(['electron', 'web', 'cli']);
/** Which host runs the services. */
export type HostKind = z.infer<typeof HostKindSchema>;

/** Version, host and platform of the running app (`app:get-info`). */
export const AppInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  hostKind: HostKindSchema,
  platform: z.string(),
  arch: z.string(),
  versions: z.object({ node: z.string(), electron: z.string().optional(), chrome: z.string().optional() }),
  userDataPath: z.string(),
});
/** Version, host and platform of the running app. */
export type AppInfo = z.infer<typeof AppInfoSchema>;
