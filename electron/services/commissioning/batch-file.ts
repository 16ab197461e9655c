/**
 * The batch camera list: CSV with `url,username,password[,name]` per line, an optional header row,
 * `#` comments and blank lines. Parsed with csv-parse (quoting and escaping as RFC 4180); every bad line is
 * reported with its number so the technician can fix the file.
 */
import { parse } from 'csv-parse/sync';
import type { CameraTarget } from '../../../shared/domain/commissioning';
import { failure, sub } from '../../../shared/i18n/messages';

/** Parses the batch file text into targets, or throws VALIDATION listing every bad line. */
export function parseCameraCsv(text: string, fileName?: string): CameraTarget[] {
  // Named by the caller, else "the camera list" in the technician's language.
  const file = fileName ?? sub('commissioning.batch.theList');
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, comment: '#', bom: true }) as string[][];
  } catch (e) {
    throw failure('VALIDATION', 'errors.VALIDATION.batchNotCsv', { file, reason: (e as Error).message });
  }
  if (rows.length > 0 && /^url$/i.test(rows[0][0] ?? '')) rows = rows.slice(1);
  const problems: string[] = [];
  const out: CameraTarget[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const line = `line ${i + 1}`;
    const [url = '', username = '', password = '', name] = r;
    if (r.length < 3 || r.length > 4) return problems.push(`${line}: expected url,username,password[,name] (got ${r.length} fields)`);
    let u: URL;
    try {
      u = new URL(/^[a-z]+:\/\//i.test(url) ? url : `http://${url}`);
    } catch {
      return problems.push(`${line}: "${url}" is not a camera URL (use http://ADDRESS or ADDRESS)`);
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return problems.push(`${line}: "${url}" must use http or https`);
    if (!username) return problems.push(`${line}: the username is empty`);
    if (seen.has(u.origin)) return problems.push(`${line}: ${u.origin} is listed twice`);
    seen.add(u.origin);
    out.push({ url: u.origin, username, password, ...(name ? { name } : {}) });
  });
  if (problems.length) throw failure('VALIDATION', 'errors.VALIDATION.batchBadLines', { file, count: problems.length, lines: `${problems.slice(0, 10).join('; ')}${problems.length > 10 ? '; …' : ''}` }, { problems });
  if (out.length === 0) throw failure('VALIDATION', 'errors.VALIDATION.batchEmpty', { file });
  return out;
}
