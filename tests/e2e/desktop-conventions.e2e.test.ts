import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import yauzl from 'yauzl';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';

/** Names of the entries of a zip file (central directory). */
function zipEntries(file: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (e, zip) => {
      if (e) return reject(e);
      const names: string[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        zip.readEntry();
      });
      zip.once('end', () => resolve(names));
      zip.once('error', reject);
      zip.readEntry();
    });
  });
}

describe('desktop conventions in the web host (About licenses, dark mode, updates, support bundle)', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: false });
  });
  afterAll(async () => web?.close());

  it('About lists the third-party licenses generated at build time, searchable, with their texts', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await app.navigate('About');
    const card = page.getByTestId('licenses');
    await card.getByText(/\d+ packages/).waitFor();
    const count = Number((await card.getByText(/\d+ packages/).textContent())!.match(/\d+/)![0]);
    expect(count).toBeGreaterThan(50);
    await card.getByLabel('Find a package or license').fill('react-dom');
    await card.getByRole('button', { name: /^react-dom \d/ }).click();
    await card.getByText(/Permission is hereby granted/).filter({ visible: true }).first().waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'about-licenses.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows the system dark mode when the theme is "Follow system"', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 }, colorScheme: 'dark' });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await expect.poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe('dark');
    await app.navigate('Settings');
    await page.getByTestId('support-card').waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'settings-dark.png'), fullPage: true });
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => document.documentElement.getAttribute('data-mantine-color-scheme'))).toBe('light');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says update-from-file is not applicable here, and downloads the support bundle', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 1000 }, acceptDownloads: true });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await app.navigate('Settings');
    await page.getByTestId('updates-not-applicable').getByText(/browser version of the app/).waitFor();
    expect(await page.getByRole('button', { name: 'Install update from file…' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Check for updates' }).isDisabled()).toBe(true);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save support bundle' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^sarix-support-.*\.zip$/);
    const file = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(file);
    await page.getByTestId('support-bundle-saved').waitFor();
    const names = await zipEntries(file);
    expect(names).toEqual(expect.arrayContaining(['README.txt', 'versions/versions.json', 'settings/settings.json', 'relay/sessions.json', 'discovery/last-discovery.json', 'commissioning/last-commissioning.json']));
    // The web host's one-run token is a credential: it must not be in the bundle.
    const token = new URL(web.url).searchParams.get('token')!;
    expect(readFileSync(file).includes(Buffer.from(token))).toBe(false);
    // The header is fixed: scroll back up so the full-page shot shows it once, at the top.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(ARTIFACTS, 'settings-updates-support.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
