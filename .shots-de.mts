// Temporary screenshot walk (not committed): the site page and wizard steps in German at 1366 and 360 px.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import de from './shared/i18n/de.json' with { type: 'json' };
import { startWebApp } from './tests/e2e/support/web-app';

const OUT = '/work/brief/shots/i18n';
const web = await startWebApp({ practice: true });
const problems: string[] = [];
async function overflow(page: Page, tag: string) {
  const p = await page.evaluate(() => {
    const out: string[] = [];
    const vw = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth > vw + 1) out.push(`page scrolls sideways (${document.documentElement.scrollWidth} > ${vw})`);
    for (const el of document.querySelectorAll<HTMLElement>('button, label, th, td, h1, h2, h3, h4, .mantine-Badge-root, .mantine-Tabs-tab')) {
      if (el.scrollWidth > el.clientWidth + 2 && getComputedStyle(el).overflow !== 'visible' && el.offsetParent !== null) out.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 60)}" is cut (${el.scrollWidth} > ${el.clientWidth})`);
      const r = el.getBoundingClientRect();
      if (r.right > vw + 1 && el.offsetParent !== null) out.push(`${el.tagName.toLowerCase()} "${el.textContent?.trim().slice(0, 40)}" sticks out (${Math.round(r.right)} > ${vw})`);
    }
    return out;
  });
  problems.push(...p.map((x) => `${tag}: ${x}`));
}
async function shot(page: Page, name: string) {
  for (const width of [1366, 360]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.waitForTimeout(300);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
    await overflow(page, `${name}@${width}`);
  }
  await page.setViewportSize({ width: 1366, height: 900 });
}
try {
  web.services.app.updateSettings({ language: 'de' });
  const page = await web.browser.newPage({ viewport: { width: 1366, height: 900 } });
  page.on('pageerror', (e) => problems.push(`pageerror ${e.message}`));
  await page.goto(`${web.url}#/cameras`);
  await page.getByRole('heading', { level: 1, name: de.discovery.title }).waitFor();
  await page.getByTestId('practice-cameras').getByRole('button', { name: de.discovery.practice.add }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="camera-table"] tbody tr').length >= 3, undefined, { timeout: 30_000 });
  await shot(page, 'de-cameras');
  await page.getByLabel(de.discovery.table.selectAll).check();
  await page.getByTestId('commission-selected').click();
  await page.getByRole('heading', { level: 1, name: de.site.title }).waitFor();
  await page.getByTestId('batch-row').first().waitFor();
  await shot(page, 'de-site-before');
  await page.getByLabel(de.site.form.sensitivity).fill('4');
  await page.getByTestId('start-batch').click();
  await page.getByTestId('batch-summary').filter({ hasText: 'Läuft' }).waitFor();
  await page.waitForTimeout(1500);
  await shot(page, 'de-site-running');
  await page.getByTestId('batch-summary').filter({ hasText: 'Fertig' }).waitFor({ timeout: 180_000 });
  await shot(page, 'de-site-finished');

  // The wizard on the first practice camera: camera step, then the servers step with its change table and plan.
  await page.goto(`${web.url}#/home`);
  await page.getByTestId('practice-card').waitFor();
  await page.getByTestId('practice-card').getByRole('button').first().click();
  await page.getByTestId('wizard-step-title').filter({ hasText: de.wizard.label.camera }).waitFor();
  await page.getByRole('button', { name: de.wizard.connect }).click();
  await page.getByTestId('wizard-step-title').filter({ hasText: de.wizard.label.servers }).waitFor({ timeout: 30_000 });
  await page.getByTestId('plan-card').waitFor();
  await page.waitForFunction(() => !document.querySelector('[role="status"]')?.textContent?.endsWith('…'));
  await page.waitForTimeout(1500);
  await shot(page, 'de-wizard-servers');
  await page.getByRole('button', { name: de.wizard.applyAndContinue }).click();
  await page.getByTestId('wizard-step-title').filter({ hasText: de.wizard.label.source }).waitFor({ timeout: 30_000 });
  await page.waitForTimeout(1000);
  await shot(page, 'de-wizard-source');
  await page.close();
} catch (e) {
  problems.push(`walk failed: ${(e as Error).message}`);
} finally {
  await web.close();
}
console.log(problems.length ? problems.join('\n') : 'no overflow');
