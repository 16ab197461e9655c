/** The report area's failures are keyed: English as the message, German from the key and parameters. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localizeError } from '../../../shared/i18n/messages';
import { isAppFailure } from '../../../shared/ipc/result';
import { parseFormats } from './report-service';
import { SiteJournal } from './site-journal';

describe('report failures in German', () => {
  it('an unknown report format', () => {
    let e: unknown;
    try {
      parseFormats('pdf,docx');
    } catch (x) {
      e = x;
    }
    expect(isAppFailure(e)).toBe(true);
    if (!isAppFailure(e)) return;
    expect(e.message).toBe('Unknown report format "docx": use any of pdf, html, csv, json (comma-separated).');
    expect(localizeError('de', e)).toBe('Unbekanntes Berichtsformat „docx“: Verwenden Sie pdf, html, csv oder json (durch Kommas getrennt).');
  });

  it('a site journal that cannot be read names the file in German', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'journal-de-'));
    try {
      // The journal's file is a folder here: reading it fails with EISDIR.
      const j = new SiteJournal(dir);
      await mkdir(j.file);
      const e = await readFailure(j);
      expect(e.message).toMatch(/^Cannot read the site journal /);
      expect(localizeError('de', e)).toMatch(/^Das Standort-Journal .* kann nicht gelesen werden: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

async function readFailure(j: SiteJournal) {
  const e = await j.read().then(
    () => undefined,
    (x: unknown) => x,
  );
  if (!isAppFailure(e)) throw new Error(`expected a failure, got ${String(e)}`);
  return e;
}
