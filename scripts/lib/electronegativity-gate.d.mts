/** One electronegativity finding, with a repo-relative file ("N/A" for global checks). */
export interface Finding {
  check: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  column: number;
  sample: string;
  description: string;
  manualReview: boolean;
}
/** One justified finding in the allow-list. */
export interface AllowListEntry {
  check: string;
  file: string;
  reason: string;
}
/** A file the scanner could not parse. */
export interface ParseError {
  file: string;
  message: string;
}
/** The gate's decision. */
export interface Evaluation {
  ok: boolean;
  blocking: Finding[];
  justified: Array<Finding & { reason: string }>;
  informational: Finding[];
  unused: AllowListEntry[];
  parseErrors: ParseError[];
}
/** Severities that fail the gate unless allow-listed. */
export const BLOCKING_SEVERITIES: string[];
/** Makes electronegativity's HTTP client refuse at once (no internet from tests and CI). */
export function keepElectronegativityOffline(): void;
/** The installed electron package's version (the one the checks must assume). */
export function installedElectronVersion(cwd?: string): string;
/** Scans a folder with electronegativity's programmatic entry (default version: the installed electron). */
export function scan(input: string, o?: { electronVersion?: string; cwd?: string }): Promise<{ checks: number; findings: Finding[]; parseErrors: ParseError[]; log: string[] }>;
/** Validates the allow-list JSON. */
export function parseAllowList(json: string | unknown, source?: string): AllowListEntry[];
/** Decides pass/fail. */
export function evaluate(findings: Finding[], entries: AllowListEntry[], parseErrors?: ParseError[]): Evaluation;
/** CSV rendering of findings. */
export function toCsv(findings: Finding[]): string;
/** Human summary. */
export function summarize(r: Evaluation, checks?: number): string;
/** The default allow-list path. */
export function defaultAllowListPath(cwd?: string): string;
