import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors, sidewaysOverflow } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';
import { CameraListObject, SitePageObject } from './pages/site-page';
import type { Page } from 'playwright-core';

/** A full-page screenshot from the top (the header and the navigation are fixed: a scrolled page would show them mid-page). */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}

// A whole site on practice cameras, as a technician does it in the UI: more practice cameras, the list sorted,
// filtered and selected in bulk, exported to CSV, then one batch with the test order changed before the run.
describe('whole site: a batch of 3 practice cameras from the UI', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: true });
  });
  afterAll(async () => web?.close());

  it('adds practice cameras, selects them in bulk, changes the test order, and the live table reaches PASS for all three in that order', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await app.navigate('Find cameras');
    const list = new CameraListObject(page);
    await list.addPracticeCameras(2);
    await expect.poll(() => list.rows().count(), { timeout: 30_000 }).toBe(3);
    expect(await list.table().textContent()).toMatch(/PracticeCam1[\s\S]*PracticeCam2[\s\S]*PracticeCam3|PracticeCam/);

    // Sort by name, descending, then filter down to one camera and back.
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    await page.getByRole('button', { name: 'Sort by Name' }).click();
    expect(await page.getByRole('columnheader', { name: /Name/ }).getAttribute('aria-sort')).toBe('descending');
    expect(await list.rows().locator('td:nth-child(4)').allTextContents()).toEqual(['PracticeCam3', 'PracticeCam2', 'PracticeCam1']);
    await page.getByLabel('Filter cameras').fill('practicecam2');
    await expect.poll(() => list.rows().count()).toBe(1);
    await page.getByLabel('Filter cameras').fill('');
    await expect.poll(() => list.rows().count()).toBe(3);

    // Select all shown, export the CSV (no password in it), then commission the selection.
    await page.getByLabel('Select all shown cameras').check();
    expect(await page.getByTestId('commission-selected').textContent()).toBe('Commission selected (3)');
    const download = page.waitForEvent('download');
    await page.getByTestId('export-csv').click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    const lines = csv.trim().split(/\r\n/);
    expect(lines[0]).toBe('address,url,model,mac,name,firmware,methods');
    expect(lines).toHaveLength(4);
    expect(csv).toMatch(/00:0b:ab/i);
    expect(csv).not.toMatch(/admin/);
    await shot(page, 'site-list.png');
    await page.getByTestId('commission-selected').click();

    // The Site page lists them in the list's order (name, descending); the technician walks 1, 3, 2.
    const site = new SitePageObject(page);
    await page.getByRole('heading', { level: 1, name: 'Commission the site' }).waitFor();
    await expect.poll(() => site.labels()).toEqual(['PracticeCam3', 'PracticeCam2', 'PracticeCam1']);
    await page.getByRole('button', { name: 'Move PracticeCam1 up (test earlier)' }).click();
    await page.getByRole('button', { name: 'Move PracticeCam1 up (test earlier)' }).click();
    await expect.poll(() => site.labels()).toEqual(['PracticeCam1', 'PracticeCam3', 'PracticeCam2']);
    // By keyboard with the drag handle: Space lifts, ArrowDown moves, Space drops (PracticeCam3 goes below PracticeCam2).
    await page.getByRole('button', { name: 'Drag PracticeCam3 to another place in the test order' }).focus();
    // Each key waits for the screen-reader announcement of the one before (the sensor listens from the next tick).
    await page.keyboard.press('Space');
    await page.getByText('Picked up PracticeCam3.', { exact: false }).waitFor({ state: 'attached' });
    await page.keyboard.press('ArrowDown');
    await page.getByText('PracticeCam3 is now at place 3 of 3.').waitFor({ state: 'attached' });
    await page.keyboard.press('Space');
    await expect.poll(() => site.labels()).toEqual(['PracticeCam1', 'PracticeCam2', 'PracticeCam3']);
    await page.getByRole('button', { name: 'Move PracticeCam3 up (test earlier)' }).click();
    const chosen = ['PracticeCam1', 'PracticeCam3', 'PracticeCam2'];
    await expect.poll(() => site.labels()).toEqual(chosen);

    // The site profile comes prefilled in practice mode; the scene sensitivity refuses 11 and takes 4.
    await expect.poll(() => page.getByLabel('SMTP server (local relay)').inputValue()).toBe('127.0.0.1');
    await page.getByLabel('Scene sensitivity after the test').fill('11');
    await page.getByText(/Scene sensitivity is a whole number from 1 to 10; "11" is refused/).first().waitFor();
    expect(await page.getByTestId('start-batch').isDisabled()).toBe(true);
    await page.getByLabel('Scene sensitivity after the test').fill('4');
    await site.start();

    await site.summary().filter({ hasText: 'Running' }).waitFor();
    await page.getByTestId('turn').first().waitFor();
    await shot(page, 'site-batch-running.png');

    await site.summary().filter({ hasText: 'Finished: 3 of 3 passed, 0 failed.' }).waitFor({ timeout: 120_000 });
    expect(await site.labels()).toEqual(chosen);
    expect(await site.rows().getByTestId('verdict').allTextContents()).toEqual(['PASS', 'PASS', 'PASS']);
    // Tested in the chosen order: the first row first.
    expect(await site.rows().getByTestId('turn').allTextContents()).toEqual(['tested #1', 'tested #2', 'tested #3']);
    expect(await site.rows().getByTestId('progress').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/sensitivity 4\.$/)]));
    await shot(page, 'site-batch-done.png');
    // On a phone the live table scrolls sideways inside its box; the page itself does not.
    await page.setViewportSize({ width: 360, height: 780 });
    // Polled: the layout settles after the resize; a failure names what sticks out.
    await expect
      .poll(async () => {
        const o = await sidewaysOverflow(page);
        return o.scrollWidth <= 360 ? 'fits' : `${o.scrollWidth} px wide: ${o.culprits.join('; ')}`;
      }, { timeout: 5_000 })
      .toBe('fits');
    await shot(page, 'site-batch-360.png');
    await page.setViewportSize({ width: 1366, height: 900 });

    // The live table outlives a look at another page; the site profile is kept for the next batch.
    await app.navigate('Relay inbox');
    await app.navigate('Site (batch)');
    expect(await site.rows().getByTestId('verdict').allTextContents()).toEqual(['PASS', 'PASS', 'PASS']);
    await page.reload();
    await app.navigate('Site (batch)');
    await expect.poll(() => page.getByLabel('Scene sensitivity after the test').inputValue()).toBe('4');
    expect(errors).toEqual([]);
    await page.close();
  });
});
