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

  it('runs every step, reports PASS, restores the sensitivity, and the relay inbox shows the mail with its snapshot', async () => {
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
    expect(await wizard.verdict().textContent()).toContain('sensitivity set back to 5');
    for (const id of ['credentials', 'smtp-ntp', 'source', 'handler', 'sabotage', 'test-run', 'restore-sensitivity']) expect(await wizard.step(id).textContent()).toMatch(/done|unchanged/);
    await page.screenshot({ path: join(ARTIFACTS, 'practice-commission.png'), fullPage: true });

    await app.navigate('Relay inbox');
    await page.getByTestId('message-table').getByText('Sarix camera alert: Camera Sabotage').first().click();
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
});
