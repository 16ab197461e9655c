/** Page object of the relay page (inbox, sessions, cameras). */
import type { Locator, Page } from 'playwright-core';

/** The relay page as a technician sees it. */
export class RelayPageObject {
  constructor(readonly page: Page) {}
  /** The virtualised message list. */
  list(): Locator {
    return this.page.getByTestId('message-list');
  }
  /** The message rows currently rendered (a window of the whole list). */
  rows(): Locator {
    return this.page.getByTestId('message-row');
  }
  /** The "N messages" / "N matching" line. */
  async total(): Promise<string | null> {
    return this.page.getByTestId('inbox-total').textContent();
  }
  /** Types a search (the list follows after a short debounce). */
  async search(text: string): Promise<void> {
    await this.page.getByTestId('inbox-search').fill(text);
  }
}
