import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';

/** Screenshots for the people who look at them (the artifacts folder is git-ignored too). */
const SHOTS = process.env.SARIX_SHOTS ?? ARTIFACTS;
import { AppPage } from './pages/app-page';
import { CommissionPageObject } from './pages/commission-page';
import { ReportPageObject } from './pages/report-page';

// The hand-over as a technician does it: name the site, commission the practice camera, save the report.
describe('hand-over report from the Report page', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: true });
  });
  afterAll(async () => web?.close());

  it('names the site in Settings, commissions the practice camera, previews and saves the PDF and the CSV', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);

    await app.navigate('Settings');
    await page.getByLabel('Technician name').fill('Jürgen Muñoz');
    await page.getByLabel('Site name').fill('Lagerhalle Köln-Süd');
    await page.getByLabel('Site address').fill('Industriestraße 12, Köln');
    await page.getByLabel('Customer').fill('Müller & Peña GmbH');
    await page.getByLabel('Integrator').fill('Sicherheitstechnik Łódź');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved at' }).waitFor();

    await app.navigate('Start');
    await page.getByTestId('practice-card').waitFor();
    await page.getByRole('button', { name: 'Commission the practice camera' }).click();
    const wizard = new CommissionPageObject(page);
    await wizard.commissionAndTest();
    await wizard.verdict().waitFor({ timeout: 60_000 });
    expect(await wizard.verdict().textContent()).toContain('PASS');

    await app.navigate('Report');
    const report = new ReportPageObject(page);
    await report.preview().waitFor();
    const row = report.cameraRow('PracticeCam');
    await row.waitFor();
    expect(await row.textContent()).toMatch(/PASS/);
    const snap = row.getByRole('img', { name: /Test snapshot/ });
    await snap.waitFor();
    expect(await snap.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(100);
    expect(await report.preview().textContent()).toContain('Müller & Peña GmbH');
    // The relay section, as the saved files have it: where it listens, who may send, no forwarding, the queue.
    const relay = page.getByTestId('report-relay');
    const listen = (await web.services.relay.getState()).port;
    await relay.getByText(`127.0.0.1:${listen}`, { exact: true }).waitFor();
    expect(await relay.textContent()).toMatch(/StatuslisteningListen address127\.0\.0\.1:\d+Allow-list.*127\.0\.0\.1.*UpstreamNo forwarding \(mail stays on this relay\)TLS mode-Queue at hand-over0 messages/);
    await relay.getByText('No mail-server search on record for this site', { exact: false }).waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'report-page.png'), fullPage: true });
    await relay.screenshot({ path: join(SHOTS, 'report-relay-section.png') });

    const pdf = await report.save('Save PDF');
    expect(pdf.suggestedFilename()).toMatch(/^handover-lagerhalle-koln-sud-SRX-\d{8}-[0-9A-F]{8}\.pdf$/);
    const pdfPath = join(ARTIFACTS, 'report-e2e.pdf');
    await pdf.saveAs(pdfPath);
    expect(readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    execFileSync('qpdf', ['--check', pdfPath], { stdio: 'pipe' });
    const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
    for (const s of ['Lagerhalle Köln-Süd', 'Müller & Peña GmbH', 'Jürgen Muñoz', 'PracticeCam', 'PASS', 'Signature', `127.0.0.1:${listen}`]) expect(text).toContain(s);
    // The wizard's test run is in the journal on its own too (the activity appendix lists it).
    expect(text).toMatch(/Test e-mail \(wizard, run 1\)/);
    execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', pdfPath, join(ARTIFACTS, 'report-e2e-page')]);
    await page.getByRole('status').filter({ hasText: /Saved handover-.*\.pdf/ }).waitFor();

    const csv = await report.save('Save VMS import CSV');
    const csvPath = join(ARTIFACTS, 'report-e2e-vms.csv');
    await csv.saveAs(csvPath);
    const lines = readFileSync(csvPath, 'utf8').replace(/^\ufeff/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('HardwareAddress,HardwarePort,HardwareName,HardwareModel,HardwareMacAddress,HardwareUsername,HardwarePassword');
    expect(lines[1]).toMatch(/^127\.0\.0\.1,\d+,PracticeCam\d*,[^,]+,00:0B:AB(:[0-9A-F]{2}){3},,$/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
