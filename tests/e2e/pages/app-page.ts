/** Page object of the app shell. */
import type { Locator, Page } from 'playwright-core';

/** The app as a technician sees it. */
export class AppPage {
  constructor(readonly page: Page) {}
  /** Opens the app at a URL (with its token) and waits for the shell. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByTestId('app-name').waitFor();
    await this.page.locator('main h1').first().waitFor();
  }
  /** The menu button (shown below 768 px, where the navigation is folded away). */
  menuButton(): Locator {
    return this.page.getByRole('button', { name: /(Open|Close) navigation/ });
  }
  /** The main navigation landmark. */
  nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Main navigation' });
  }
  /** Clicks a navigation entry by its label (opening the menu first on a narrow window). */
  async navigate(label: string): Promise<void> {
    if (await this.menuButton().isVisible()) {
      if ((await this.menuButton().getAttribute('aria-expanded')) !== 'true') await this.menuButton().click();
    }
    await this.nav().getByText(label, { exact: true }).click();
  }
  /** The app info card of the About page. */
  appInfo(): Locator {
    return this.page.getByTestId('app-info');
  }
}
