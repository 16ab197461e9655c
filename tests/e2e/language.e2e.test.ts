/**
 * Languages in Chromium through the web host: Settings switches the UI to German at once, the choice is kept in the
 * settings (a fresh browser profile with no local hint still opens in German), and the main pages render in German
 * without long words breaking their layout (screenshots).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';

/** Where the German screenshots go for review (SARIX_SHOTS overrides; the artifacts folder always gets a copy). */
const SHOTS = process.env.SARIX_SHOTS ?? ARTIFACTS;

async function openPage(page: Page, url: string, id: string): Promise<void> {
  await page.goto(`${url}#/${id}`);
}

/** Elements wider than the viewport or text overflowing its box: what a too-long German word does to a layout. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) out.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
    for (const el of document.querySelectorAll<HTMLElement>('button, label, th, h1, h2, h3, h4, .mantine-Badge-root, .mantine-Tabs-tab, .mantine-SegmentedControl-label')) {
      if (el.scrollWidth > el.clientWidth + 2 && getComputedStyle(el).overflow !== 'visible' && el.offsetParent !== null) out.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 60)}" is cut (${el.scrollWidth} > ${el.clientWidth})`);
    }
    return out;
  });
}

describe('language switch in Chromium through the web host', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: true });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => web?.close());

  it('Settings switches to German at once, and the choice survives a reload and a fresh browser profile', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await openPage(page, web.url, 'settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await page.getByTestId('language-select').click();
    await page.getByRole('option', { name: 'Deutsch' }).click();
    // At once: no reload, no Save button.
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Einstellungen speichern' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');
    await expect.poll(async () => web.services.app.getSettings().language).toBe('de');

    await page.reload();
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();

    // A new browser profile (no local hint) with an English system locale: the persisted setting decides.
    const fresh = await web.browser.newContext({ locale: 'en-US' });
    const other = await fresh.newPage();
    await other.goto(`${web.url}#/settings`);
    await other.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
    await fresh.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the relay, troubleshooting, report and settings pages in German without cut-off words', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    await page.goto(`${web.url}#/settings`);
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
    const pages: Array<[string, string, string]> = [
      ['relay', 'Relay-Posteingang', 'relay'],
      ['troubleshoot', 'Fehlersuche', 'troubleshoot'],
      ['report', 'Übergabeprotokoll', 'report'],
      ['settings', 'Einstellungen', 'settings'],
    ];
    const problems: string[] = [];
    for (const [id, heading, file] of pages) {
      await openPage(page, web.url, id);
      await page.getByRole('heading', { name: heading, level: 1 }).waitFor();
      if (id === 'relay') await page.getByRole('tab', { name: /Posteingang/ }).waitFor();
      if (id === 'report') await page.getByTestId('report-preview').waitFor();
      await page.screenshot({ path: join(SHOTS, `de-${file}.png`), fullPage: true });
      problems.push(...(await overflowing(page)).map((p) => `${id}: ${p}`));
    }
    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the site batch table and a wizard step in German, at desktop and phone width, without cut-off words', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    const problems: string[] = [];
    const check = async (id: string) => {
      for (const width of [1366, 360]) {
        await page.setViewportSize({ width, height: 900 });
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
        await page.screenshot({ path: join(SHOTS, `de-${id}-${width}.png`), fullPage: true });
        problems.push(...(await overflowing(page)).map((p) => `${id}@${width}: ${p}`));
      }
      await page.setViewportSize({ width: 1366, height: 900 });
    };

    // Practice cameras, chosen on Find cameras, on the Site page: the live table's words are German.
    await openPage(page, web.url, 'cameras');
    await page.getByRole('heading', { name: 'Kameras finden', level: 1 }).waitFor();
    await page.getByTestId('practice-cameras').getByRole('button', { name: 'Übungskameras hinzufügen' }).click();
    await expect.poll(() => page.getByTestId('camera-table').locator('tbody tr').count(), { timeout: 30_000 }).toBe(3);
    await page.getByLabel('Alle angezeigten Kameras auswählen').check();
    await page.getByTestId('commission-selected').click();
    await page.getByRole('heading', { name: 'Den Standort in Betrieb nehmen', level: 1 }).waitFor();
    expect(await page.getByTestId('batch-table').getByRole('columnheader').allTextContents()).toEqual(['Testreihenfolge', 'Kamera', 'Fortschritt', 'Test', 'Ergebnis']);
    expect(await page.getByTestId('progress').first().textContent()).toBe('Noch nicht gestartet.');
    expect(await page.getByRole('button', { name: /aus der Serie entfernen$/ }).count()).toBe(3);
    expect(await page.getByTestId('start-batch').textContent()).toBe('3 Kameras in Betrieb nehmen und testen');
    await check('site');

    // The wizard on the practice camera: step 2 reads the camera and shows the planned change and the plan in German.
    await openPage(page, web.url, 'home');
    await page.getByRole('button', { name: 'Die Übungskamera in Betrieb nehmen' }).click();
    await page.getByTestId('wizard-step-title').filter({ hasText: 'Kamera und Anmeldung' }).waitFor();
    await page.getByRole('button', { name: 'Verbinden und Kamera auslesen' }).click();
    await page.getByTestId('wizard-step-title').filter({ hasText: 'SMTP- und NTP-Server' }).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('step-smtp-ntp').textContent()).toMatch(/Jetzt an der Kamera.*Geplante Änderung/s);
    expect(await page.getByTestId('plan-card').textContent()).toContain('SMTP- und NTP-Server einstellen');
    await page.getByRole('button', { name: 'Diesen Schritt anwenden und weiter' }).waitFor();
    await check('wizard-servers');

    expect(problems).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('switches back to English the same way', async () => {
    const page = await web.browser.newPage();
    await page.goto(`${web.url}#/settings`);
    await page.getByTestId('language-select').click();
    await page.getByRole('option', { name: 'English', exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    await expect.poll(async () => web.services.app.getSettings().language).toBe('en');
    await page.close();
  });
});
