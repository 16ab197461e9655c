import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';

const PAGES = ['Start', 'Find cameras', 'Site (batch)', 'Commission', 'Relay inbox', 'Troubleshoot', 'Report', 'Settings', 'About'];

/** True when the centre of the page's h1 shows the h1 itself (nothing such as the navigation covers it). */
async function isTitleUncovered(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const h1 = document.querySelector('main h1');
    if (!h1) return false;
    const r = h1.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + Math.min(40, r.width / 2), r.top + r.height / 2);
    return !!hit && h1.contains(hit);
  });
}

/** Controls in the main region or the navigation that have no accessible name (what a screen reader would say). */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('main input, main select, main textarea, main button, main a[href], nav a[href], header button')) {
      // Not rendered (display: none, such as a file button's input) is not in the accessibility tree either.
      if (el.closest('[aria-hidden="true"]') || (el instanceof HTMLInputElement && el.type === 'hidden') || !el.checkVisibility()) continue;
      const labelled = el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || (el as HTMLInputElement).labels?.length || el.getAttribute('title');
      const text = el instanceof HTMLInputElement || el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement ? '' : (el.textContent ?? '').trim();
      if (!labelled && !text) out.push(el.outerHTML.slice(0, 160));
    }
    return out;
  });
}

describe('layout and access, from 360 px to 2560 px', () => {
  let web: WebApp;
  beforeAll(async () => {
    web = await startWebApp({ practice: true });
  });
  afterAll(async () => web?.close());

  it('700 px wide: the menu button opens and closes the navigation, and the page content is never covered', async () => {
    const page = await web.browser.newPage({ viewport: { width: 700, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    const button = app.menuButton();
    expect(await button.isVisible()).toBe(true);
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    // Closed: the navigation is out of sight and the page title shows.
    expect(await app.nav().isVisible()).toBe(false);
    expect(await isTitleUncovered(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'layout-700.png'), fullPage: true });

    await button.click();
    expect(await button.getAttribute('aria-expanded')).toBe('true');
    await app.nav().getByText('Troubleshoot', { exact: true }).waitFor({ state: 'visible' });
    await page.screenshot({ path: join(ARTIFACTS, 'layout-700-menu.png') });
    // Choosing a page closes the menu; the new page's title takes the focus and is not covered.
    await app.nav().getByText('Troubleshoot', { exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Troubleshoot' }).waitFor();
    await expect.poll(() => app.nav().isVisible()).toBe(false);
    expect(await button.getAttribute('aria-expanded')).toBe('false');
    expect(await isTitleUncovered(page)).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    // Folded away means out of the tab order too: Tab from the menu button goes to the page, not into hidden links.
    await button.focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);

    // The button closes it again, and Escape closes it and gives the focus back to the button.
    await button.click();
    await app.nav().getByText('Settings', { exact: true }).waitFor({ state: 'visible' });
    await button.click();
    await expect.poll(() => app.nav().isVisible()).toBe(false);
    await button.click();
    await app.nav().getByRole('link', { name: /^Settings/ }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => app.nav().isVisible()).toBe(false);
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Open navigation');
    // No sideways scrolling of the whole page.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(700);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('360 px and 2560 px: every page fits without sideways scrolling of the page', async () => {
    for (const [width, height, shot] of [
      [360, 780, 'layout-360.png'],
      [2560, 1440, 'layout-2560.png'],
    ] as const) {
      const page = await web.browser.newPage({ viewport: { width, height } });
      const errors = collectErrors(page);
      const app = new AppPage(page);
      await app.open(web.url);
      for (const label of PAGES) {
        await app.navigate(label);
        await page.locator('main h1').first().waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), `${label} at ${width} px`).toBeLessThanOrEqual(width);
        expect(await isTitleUncovered(page), `${label} at ${width} px`).toBe(true);
      }
      // The camera list with a camera in it: a wide table scrolls inside its own box, never the page.
      await app.navigate('Find cameras');
      await page.getByRole('heading', { level: 1, name: 'Find cameras' }).waitFor();
      await page.getByRole('button', { name: 'List the practice cameras here' }).click();
      await page.getByTestId('camera-table').locator('tbody tr').first().waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(ARTIFACTS, shot), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('keyboard: the skip link comes first and lands on the page; arrows move through the navigation; one h1 per page; every control labelled', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    await expect.poll(() => skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'layout-skip-link.png'), clip: { x: 0, y: 0, width: 640, height: 120 } });
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => !!document.activeElement?.closest('main'))).toBe(true);
    expect(await page.evaluate(() => location.hash)).not.toBe('#main-content');

    // In the navigation: Tab reaches the links, arrows move between them, Enter opens the page.
    await app.nav().getByRole('link', { name: /Start/ }).focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Site \(batch\)/);
    await page.keyboard.press('End');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toMatch(/^About/);
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Start/);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'About this app' }).waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await app.nav().getByRole('link', { name: /About/ }).getAttribute('aria-current')).toBe('page');

    for (const label of PAGES) {
      await app.navigate(label);
      await page.locator('main h1').first().waitFor();
      expect(await page.locator('h1').count(), label).toBe(1);
      expect(await unlabelledControls(page), label).toEqual([]);
    }
    expect(errors).toEqual([]);
    await page.close();
  });
});
