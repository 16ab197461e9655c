/**
 * The knowledge base follows the UI language in Chromium through the web host: after Settings switches to German,
 * the Troubleshoot page lists the German article titles and opens the German article (screenshot for review).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';

/** Where the screenshot goes for review (SARIX_SHOTS overrides; the artifacts folder otherwise). */
const SHOTS = process.env.SARIX_SHOTS ?? ARTIFACTS;

describe('knowledge-base articles in the UI language', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: true });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => web?.close());

  it('lists and opens the German article on the Troubleshoot page after switching to German', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const errors = collectErrors(page);
    await new AppPage(page).open(web.url);
    await page.goto(`${web.url}#/troubleshoot`);
    await page.getByRole('button', { name: 'Port 25 on Windows, macOS and Linux' }).waitFor();

    await page.goto(`${web.url}#/settings`);
    await page.getByTestId('language-select').click();
    await page.getByRole('option', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();

    await page.goto(`${web.url}#/troubleshoot`);
    await page.getByRole('heading', { name: 'Fehlersuche', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Port 25 unter Windows, macOS und Linux' }).waitFor();
    expect(await page.getByRole('button', { name: 'Port 25 on Windows, macOS and Linux' }).count()).toBe(0);
    await page.getByRole('button', { name: /^Warum ältere Sarix-Kameras ein lokales Relay brauchen/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('heading', { name: 'Warum die Kamera ein lokales Relay braucht' }).waitFor();
    expect(await dialog.textContent()).toMatch(/Diese App hat ein solches Relay eingebaut\..*550 5\.7\.1 Relaying denied/s);
    await page.screenshot({ path: join(SHOTS, 'kb-de.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
