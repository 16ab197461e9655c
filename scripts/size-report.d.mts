/** Lines a file may have before the report lists it. */
export const FILE_LIMIT: number;
/** Lines a function may have before the report lists it. */
export const FUNCTION_LIMIT: number;
/** The marker a file uses to say why it stays long. */
export const REASON_MARKER: string;
/** One function over the limit. */
export interface LongFunction {
  name: string;
  line: number;
  lines: number;
}
/** The size facts of one file. */
export interface Measured {
  lines: number;
  functions: LongFunction[];
  reason?: string;
}
/** Every .ts/.tsx file under `dir`. */
export function sourceFiles(dir: string, withTests?: boolean): string[];
/** The size facts of one file's text. */
export function measure(path: string, text: string, functionLimit?: number): Measured;
/** The report rows for `dirs`. */
export function sizeReport(dirs: string[], o?: { root?: string; withTests?: boolean; fileLimit?: number; functionLimit?: number }): Array<Measured & { path: string; isLong: boolean }>;
