/** The fuse sentinel string. */
export const FUSE_SENTINEL: string;
/** Fuse names in wire order. */
export const FUSE_ORDER: string[];
/** Dev packages that must not be packed. */
export const FORBIDDEN_PACKAGES: string[];
/** Writes a stand-in electronDist; returns the path of its `electron` executable. */
export function writeStandInElectronDist(dir: string, version: string): string;
/** Reads the fuse wire of a binary. */
export function readFuseWire(binary: Buffer): Record<string, '0' | '1' | 'r' | 'inherit'>;
/** Compares a fuse wire with the wanted booleans. */
export function checkFuses(wire: Record<string, string>, wanted: Record<string, boolean> | undefined): string[];
/** Checks an asar listing; returns problems. */
export function checkAsarEntries(entries: string[], o?: { dependencies?: string[]; devDependencies?: string[]; requiredFiles?: string[] }): string[];
/** Knowledge-base articles per shipped language, and each English article a shipped language lacks. */
export function kbLanguageCoverage(kbFiles: string[], languages: string[]): { counts: Record<string, number>; problems: string[] };
/** Names of the packages the app needs at run time, from package-lock.json (installed and not dev-only). */
export function runtimePackages(root: string): Set<string>;
/** Bare specifiers imported by built code. */
export function externalImports(code: string): string[];
/** Imports each specifier from `<extracted>/out/main` in plain node; returns one message per failure. */
export function probeImports(extracted: string, specs: string[]): string[];
/** Reads electron-builder.yml from a project folder. */
export function loadBuilderConfig(root: string): { executableName?: string; electronFuses?: Record<string, boolean>; files?: string[] } & Record<string, unknown>;
/** Modules a sandboxed preload may require. */
export const SANDBOX_PRELOAD_MODULES: string[];
/** Runs a built preload with a sandbox-like require; returns what it exposed and what it invoked. */
export function runPreloadInSandbox(code: string): Promise<{ exposed: Array<{ name: string; value: Record<string, unknown> }>; invoked: unknown[][] }>;
