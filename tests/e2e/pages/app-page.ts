/** Page object of the app shell. */
import type { Locator, Page } from 'playwright-core';

/** The app as a technician sees it. */
export class AppPage {
  constructor(readonly page: Page) {}
  /** Opens the app at a URL (with its token) and waits for the shell. */
  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.getByRole('heading', { name: 'Sarix Commissioner' }).waitFor();
  }
  /** Clicks a navigation entry by its label. */
  async navigate(label: string): Promise<void> {
    await this.page.getByRole('navigation', { name: 'Main navigation' }).getByText(label, { exact: true }).click();
  }
  /** The app info card of the About page. */
  appInfo(): Locator {
    return this.page.getByTestId('app-info');
  }
}
