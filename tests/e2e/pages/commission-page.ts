/** Page object of the commissioning wizard. */
import type { Locator, Page } from 'playwright-core';

/** The Commission page. */
export class CommissionPageObject {
  constructor(readonly page: Page) {}
  /** Starts the commissioning with what the form holds. */
  async commissionAndTest(): Promise<void> {
    await this.page.getByRole('button', { name: 'Commission and test' }).click();
  }
  /** The verdict banner (PASS / FAIL / dry run). */
  verdict(): Locator {
    return this.page.getByTestId('commission-verdict');
  }
  /** The status badge of one step. */
  step(id: string): Locator {
    return this.page.getByTestId(`step-${id}`);
  }
}
