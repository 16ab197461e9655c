/** Page object of the Report page. */
import type { Download, Locator, Page } from 'playwright-core';

/** The Report page. */
export class ReportPageObject {
  constructor(readonly page: Page) {}
  /** The preview (cover, summary, cameras). */
  preview(): Locator {
    return this.page.getByTestId('report-preview');
  }
  /** One camera's row in the preview. */
  cameraRow(name: string): Locator {
    return this.page.getByTestId('report-cameras').getByRole('row').filter({ hasText: name });
  }
  /** Clicks a save button and returns the browser download it starts. */
  async save(label: string): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByRole('button', { name: label, exact: true }).click();
    return download;
  }
}
