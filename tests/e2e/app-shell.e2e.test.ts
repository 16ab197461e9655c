import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';

describe('app shell in Chromium through the web host', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: false });
  });
  afterAll(async () => web?.close());

  it('loads with no console errors and shows the app info from app:get-info', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await app.navigate('About');
    await app.appInfo().waitFor();
    await expect.poll(() => page.getByTestId('host-kind').textContent()).toContain('web host');
    expect(await page.getByTestId('app-version').textContent()).toMatch(/^v\d+\.\d+\.\d+/);
    expect(await page.getByTestId('platform').textContent()).toContain(process.platform);
    const shot = join(ARTIFACTS, 'about.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(5000);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('persists a setting through app:set-settings and reads it back after a reload', async () => {
    const page = await web.browser.newPage();
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await app.navigate('Settings');
    await page.getByLabel('Technician name').fill('Dana Field');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    await page.reload();
    await app.navigate('Settings');
    await expect.poll(() => page.getByLabel('Technician name').inputValue()).toBe('Dana Field');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('without the token the page says what to do and the WebSocket is refused', async () => {
    const page = await web.browser.newPage();
    const bare = web.url.replace(/\?token=.*/, '');
    await page.goto(bare);
    await page.getByRole('alert').filter({ hasText: 'one-run access token' }).waitFor();
    await page.close();
  });
});
