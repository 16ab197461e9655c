import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { spawnSarix } from '../../testing/cli';

function entries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true }, (e, zip) => {
      if (e) return reject(e);
      const names: string[] = [];
      zip.on('entry', (en: yauzl.Entry) => {
        names.push(en.fileName);
        zip.readEntry();
      });
      zip.once('end', () => resolve(names));
      zip.readEntry();
    }),
  );
}

describe('sarix support-bundle', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sarix-cli-bundle-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the same support zip as the app, from the data folder', async () => {
    const out = join(dir, 'bundle.zip');
    const r = await spawnSarix('support-bundle', '--data', dir, '--out', out);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/bundle\.zip \(\d+ KiB, \d+ files; passwords and tokens removed\)/);
    expect(await entries(out)).toEqual(expect.arrayContaining(['README.txt', 'versions/versions.json', 'settings/settings.json', 'relay/sessions.json', 'crash-dumps/none.txt']));
  });
});
