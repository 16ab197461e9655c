import { createServer, type AddressInfo, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';

/** A port nothing listens on right now (the relay will take it). */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

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

    const free = await freePort();
    await portField.fill(String(free));
    await page.getByRole('button', { name: 'Start relay' }).click();
    await page.getByTestId('relay-status').getByText('listening', { exact: true }).waitFor();
    expect(await page.getByTestId('relay-status').textContent()).toContain('127.0.0.1');
    await page.getByRole('button', { name: 'Stop relay' }).click();
    await page.getByRole('button', { name: 'Start relay' }).waitFor();
    // The form comes back as last used (the saved relay setup), after a reload.
    await page.reload();
    await app.navigate('Relay inbox');
    await expect.poll(() => page.getByTestId('relay-setup').getByLabel('Port', { exact: true }).first().inputValue()).toBe(String(free));
    // The "did not start" alert is only shown for failures that actually happened (first one kept until the next start).
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a bad allow-list entry gets a real title and a message that says what to type', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await app.navigate('Relay inbox');
    await page.getByRole('textbox', { name: 'Listen on' }).or(page.getByRole('combobox', { name: 'Listen on' })).first().click();
    await page.getByRole('option', { name: /127\.0\.0\.1/ }).click();
    await page.getByTestId('relay-setup').getByLabel('Port', { exact: true }).first().fill(String(await freePort()));
    await page.getByRole('button', { name: 'Start relay' }).click();
    await page.getByTestId('relay-status').getByText('listening', { exact: true }).waitFor();

    await page.getByLabel('Allow a camera (IP or CIDR)').fill('cam-lobby');
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'VALIDATION' });
    await alert.waitFor();
    const text = (await alert.textContent()) ?? '';
    expect(text).toContain('"cam-lobby" was not added to the allowed senders');
    expect(text).toMatch(/write e\.g\. 192\.168\.0\.20 or 192\.168\.0\.0\/24/);
    expect(await page.getByText('Something went wrong').count()).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'relay-allow-list-error.png'), fullPage: true });

    // A good entry clears the alert and shows up in the list.
    await page.getByLabel('Allow a camera (IP or CIDR)').fill('192.168.0.20');
    await page.getByRole('button', { name: 'Allow', exact: true }).click();
    await page.getByTestId('relay-status').getByText('192.168.0.20').waitFor();
    await alert.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Stop relay' }).click();
    await page.getByRole('button', { name: 'Start relay' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });
});
