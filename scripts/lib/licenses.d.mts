/** One third-party package and its licence. */
export interface LicenseEntry {
  name: string;
  version: string;
  license: string;
  repository?: string;
  text: string;
}
/** The package folder (relative to root) a module id lives in, or null. */
export function packageDirOf(moduleId: string): string | null;
/** Collects the licences of production dependencies, bundled packages and Electron. */
export function collectLicenses(o: { root: string; bundled?: string[]; always?: string[] }): LicenseEntry[];
/** File name of the generated asset. */
export const LICENSES_ASSET: string;
/** A Vite/Rollup plugin that emits the licence list. */
export function thirdPartyLicenses(o: { root: string }): { name: string; generateBundle(this: { getModuleIds(): IterableIterator<string>; emitFile(f: { type: 'asset'; fileName: string; source: string }): string }): void };
