/**
 * The doctor's findings and the relay's advice in German, in Chromium through the web host: the Troubleshoot table
 * shows each check's message and fix from its catalog key (not the English text the result also carries), and the
 * relay's Sessions tab explains the doctor's own probe session in German. Loopback only: the practice relay.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';

/** Where the German screenshots go for review (SARIX_SHOTS overrides; the artifacts folder always gets a copy). */
const SHOTS = process.env.SARIX_SHOTS ?? ARTIFACTS;

describe('doctor and relay advice in German', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: true });
    mkdirSync(SHOTS, { recursive: true });
  });
  afterAll(async () => web?.close());

  it('the Troubleshoot table and the Sessions tab read in German', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'en-US' });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    const relay = (await page.getByTestId('practice-card').locator('code').nth(1).textContent()) ?? '';
    const [host, port] = relay.split(':');
    await page.goto(`${web.url}#/settings`);
    await page.getByTestId('language-select').click();
    await page.getByRole('option', { name: 'Deutsch' }).click();
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();

    await page.goto(`${web.url}#/troubleshoot`);
    await page.getByRole('heading', { name: 'Fehlersuche', level: 1 }).waitFor();
    await page.getByLabel('SMTP-Server der Kamera').fill(host);
    await page.getByLabel('Port', { exact: true }).fill(port);
    await page.getByLabel('Zu prüfender Empfänger').fill('technician@site.example');
    await page.getByRole('button', { name: 'Prüfungen starten' }).click();
    const results = page.getByTestId('doctor-results');
    await results.getByRole('row').filter({ hasText: 'RCPT TO' }).waitFor();
    await results.getByRole('row').filter({ hasText: /Port 25/ }).last().waitFor();
    const text = (await results.textContent()) ?? '';
    // A skipped camera check: its reason and its fix, from the keys.
    expect(text).toContain('Keine Kamera angegeben.');
    expect(text).toContain('Geben Sie Adresse, Benutzer und Passwort der Kamera an');
    // The probe's own findings with their values.
    expect(text).toMatch(/RCPT TO:<technician@site\.example> für diesen Laptop \([\d.]+\) ohne Anmeldung angenommen/);
    expect(text).toContain('Keine Testnachricht gesendet');
    expect(text).not.toContain('No camera given.');
    await page.screenshot({ path: join(SHOTS, 'de-troubleshoot-results.png'), fullPage: true });

    // The doctor's probe ended with RSET: the relay explains that session in German.
    await page.goto(`${web.url}#/relay`);
    await page.getByRole('tab', { name: /Sitzungen/ }).click();
    await page.getByTestId('session-row').first().click();
    const advice = page.getByTestId('advice-no-data');
    await advice.waitFor();
    expect(await advice.textContent()).toContain('Die Kamera hat aufgehört, bevor sie die Nachricht gesendet hat');
    await page.screenshot({ path: join(SHOTS, 'de-relay-session-advice.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
