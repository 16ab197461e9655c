import { z } from 'zod';
import { channel } from '../define';

/** The colour scheme the operating system asks for. */
export const AppearanceSchema = z.object({
  /** `system`: the desktop app reads the OS setting (nativeTheme); `browser`: the page follows prefers-color-scheme. */
  source: z.enum(['system', 'browser']),
  /** Whether the OS is in dark mode (system source only). */
  isDark: z.boolean().optional(),
});
/** The colour scheme the operating system asks for. */
export type Appearance = z.infer<typeof AppearanceSchema>;

/** Appearance channels. */
export const appearanceRequests = {
  'appearance:get-state': channel(z.object({}).strict(), AppearanceSchema, 'Whether the operating system is in dark mode.'),
} as const;

/** Appearance events. */
export const appearanceEvents = {
  'appearance:state-changed': AppearanceSchema,
} as const;
