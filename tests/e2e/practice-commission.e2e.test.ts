import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';
import { CommissionPageObject } from './pages/commission-page';

// The main job as a technician does it in the UI, on the embedded default: practice camera + embedded relay.
describe('practice mode: commission the practice camera from the UI and see the test e-mail', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: true });
  });
  afterAll(async () => web?.close());

  it('runs every step (the wizard express path), reports PASS, restores the sensitivity, and the relay inbox shows the mail with its snapshot', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await page.getByTestId('practice-card').waitFor();
    await page.getByRole('button', { name: 'Commission the practice camera' }).click();
    const wizard = new CommissionPageObject(page);
    await wizard.commissionAndTest();
    await wizard.verdict().waitFor({ timeout: 60_000 });
    expect(await wizard.verdict().textContent()).toContain('PASS');
    expect(await wizard.verdict().textContent()).toContain('Camera Sabotage is at sensitivity 5');
    const cam = web.services.practice.cameras()[0];
    expect(cam.state().analytics.behaviours['camera-sabotage'].sensitivity).toBe(5);
    expect(cam.state().handlers.map((h) => h.name)).toContain('SabotageMail');
    await page.screenshot({ path: join(ARTIFACTS, 'practice-commission.png'), fullPage: true });

    await app.navigate('Relay inbox');
    await page.getByTestId('message-list').getByText('Sarix camera alert: Camera Sabotage').first().click();
    const view = page.getByTestId('message-view');
    await view.waitFor();
    const img = view.getByRole('img', { name: /Snapshot/ });
    await img.waitFor();
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(50);
    expect(await view.textContent()).toContain('Raw Event Data');
    await page.screenshot({ path: join(ARTIFACTS, 'practice-relay-inbox.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('finds the practice camera by address (no multicast) and opens the wizard for it', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    const camUrl = new URL((await page.getByTestId('practice-card').locator('code').first().textContent()) ?? '');
    await app.navigate('Find cameras');
    for (const method of ['SSDP (Pelco)', 'ONVIF WS-Discovery', 'mDNS / Bonjour']) {
      await page.getByLabel(method).uncheck();
      expect(await page.getByLabel(method).isChecked()).toBe(false);
    }
    await page.getByLabel('Camera addresses').fill(camUrl.hostname);
    await page.getByLabel('Camera web port').fill(camUrl.port);
    await page.getByRole('button', { name: 'Scan' }).click();
    await page.getByRole('status').filter({ hasText: '1 Sarix camera' }).waitFor();
    const row = page.getByTestId('camera-table').getByRole('row').filter({ hasText: 'PracticeCam' });
    expect(await row.textContent()).toContain('00:0b:ab');
    await page.screenshot({ path: join(ARTIFACTS, 'find-cameras.png'), fullPage: true });
    await row.getByRole('button', { name: 'Commission' }).click();
    await expect.poll(() => page.getByLabel('Camera address').inputValue()).toContain(`${camUrl.hostname}:${camUrl.port}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('troubleshoots the practice relay offline: doctor checks with verdicts and a knowledge-base article', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    const relay = (await page.getByTestId('practice-card').locator('code').nth(1).textContent()) ?? '';
    const [host, port] = relay.split(':');
    await app.navigate('Troubleshoot');
    await page.getByLabel('SMTP server the camera uses').fill(host);
    await page.getByLabel('Port', { exact: true }).fill(port);
    await page.getByLabel('Recipient to test').fill('technician@site.example');
    await page.getByRole('button', { name: 'Run checks' }).click();
    const results = page.getByTestId('doctor-results');
    await results.getByRole('row').filter({ hasText: 'RCPT TO' }).waitFor();
    expect(await results.getByRole('row').filter({ hasText: 'SMTP server is local' }).textContent()).toContain('pass');
    expect(await results.getByRole('row').filter({ hasText: 'RCPT TO' }).textContent()).toContain('pass');
    // Skipped checks tell a UI user which field to fill in, not only a command-line flag.
    await results.getByRole('row').filter({ hasText: 'Port 25 privilege' }).waitFor();
    const cameraRow = (await results.getByRole('row').filter({ hasText: 'Camera reachable' }).textContent()) ?? '';
    expect(cameraRow).toMatch(/Fill in the camera address/);
    expect(await results.textContent()).not.toMatch(/\bPass --|\bAdd --/);
    await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-results.png'), fullPage: true });
    await page.getByRole('button', { name: 'Port 25 on Windows, macOS and Linux', exact: true }).click();
    await page.getByRole('dialog').getByText(/port 25/i).first().waitFor();
    // Wait for the modal's fade-in to end so the screenshot shows the article, not a half-transparent overlay.
    await page.waitForFunction(() => {
      const d = document.querySelector('[role="dialog"]');
      return !!d && getComputedStyle(d).opacity === '1';
    });
    await page.screenshot({ path: join(ARTIFACTS, 'troubleshoot-article.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
