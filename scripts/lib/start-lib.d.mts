/** The hint every "cannot run" line ends with. */
export const WEB_HINT: string;
/** Where the Electron binary is, or that it is missing. */
export function electronBinary(electronDir: string): { isPresent: boolean; exe?: string };
/** Why Electron cannot start on this machine (null when it can). */
export function cannotRunReason(o: { platform: NodeJS.Platform; env: Record<string, string | undefined>; uid: number | undefined; args?: string[] }): string | null;
/** The line for a missing binary. */
export function missingBinaryReason(env: Record<string, string | undefined>, downloadError?: string): string;
