import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapWeb } from '../../electron/server/bootstrap';
import { collectErrors, launchBrowser } from './support/browser';
import { AppPage } from './pages/app-page';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');

describe('relay setup from the UI', () => {
  let browser: Browser;
  let stop: () => Promise<void>;
  let url: string;
  let dataDir: string;
  let busy: Server;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'sarix-e2e-relay-'));
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { host, core } = await bootstrapWeb({ port: 0, userDataPath: dataDir, rendererDir: 'dist-web', practice: false });
    url = host.url;
    stop = async () => {
      await host.close();
      await core.dispose();
    };
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await stop?.();
    busy?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('explains a port already in use, then starts on a free port', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(url);
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
