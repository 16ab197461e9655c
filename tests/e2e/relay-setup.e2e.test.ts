import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';

describe('relay setup from the UI', () => {
  let web: WebApp;
  let busy: Server;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    web = await startWebApp({ practice: false });
  });
  afterAll(async () => {
    await web?.close();
    busy?.close();
  });

  it('explains a port already in use, then starts on a free port', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await app.navigate('Relay inbox');
    await page.getByRole('textbox', { name: 'Listen on' }).or(page.getByRole('combobox', { name: 'Listen on' })).first().click();
    await page.getByRole('option', { name: /127\.0\.0\.1/ }).click();
    const portField = page.getByTestId('relay-setup').getByLabel('Port', { exact: true }).first();
    await portField.fill(String((busy.address() as AddressInfo).port));
    await page.getByRole('button', { name: 'Start relay' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'PORT_IN_USE' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/already|in use/i);
    await page.screenshot({ path: join(ARTIFACTS, 'relay-port-in-use.png'), fullPage: true });

    await portField.fill('0');
    await page.getByRole('button', { name: 'Start relay' }).click();
    await page.getByTestId('relay-status').getByText('listening', { exact: true }).waitFor();
    expect(await page.getByTestId('relay-status').textContent()).toContain('127.0.0.1');
    await page.getByRole('button', { name: 'Stop relay' }).waitFor();
    // The "did not start" alert is only shown for failures that actually happened (first one kept until the next start).
    expect(errors).toEqual([]);
    await page.close();
  });
});
