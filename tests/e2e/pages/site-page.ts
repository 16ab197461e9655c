/** Page objects of the camera list (Find cameras) and the Site (batch) page. */
import type { Locator, Page } from 'playwright-core';

/** The camera list on Find cameras. */
export class CameraListObject {
  constructor(readonly page: Page) {}
  /** The Sarix camera table. */
  table(): Locator {
    return this.page.getByTestId('camera-table');
  }
  /** The body rows of the camera table. */
  rows(): Locator {
    return this.table().locator('tbody tr');
  }
  /** Adds practice cameras through the practice card (they are listed at once). */
  async addPracticeCameras(n: number): Promise<void> {
    const card = this.page.getByTestId('practice-cameras');
    await card.getByLabel('Practice cameras to add').fill(String(n));
    await card.getByRole('button', { name: 'Add practice cameras' }).click();
  }
}

/** The Site page: cameras in test order, the site profile, the live table. */
export class SitePageObject {
  constructor(readonly page: Page) {}
  /** The batch rows in test order. */
  rows(): Locator {
    return this.page.getByTestId('batch-row');
  }
  /** The camera names in the order of the table. */
  async labels(): Promise<string[]> {
    return this.rows().evaluateAll((trs) => trs.map((tr) => tr.querySelector('td:nth-child(2) p')?.textContent ?? ''));
  }
  /** The summary line (status). */
  summary(): Locator {
    return this.page.getByTestId('batch-summary');
  }
  /** Starts the job. */
  async start(): Promise<void> {
    await this.page.getByTestId('start-batch').click();
  }
}
