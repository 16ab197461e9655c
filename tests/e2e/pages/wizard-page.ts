/** Page object of the commissioning wizard. */
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { ARTIFACTS } from '../support/web-app';

/** The wizard as a technician uses it. */
export class WizardPageObject {
  constructor(readonly page: Page) {}
  /** The heading of the current step ("3. Event source"). */
  stepTitle(): Locator {
    return this.page.getByTestId('wizard-step-title');
  }
  /** Waits until the wizard shows a step; on a timeout saves what the page showed (failed-<step>.png) for the report. */
  async waitForStep(label: string): Promise<void> {
    try {
      await this.stepTitle().filter({ hasText: label }).waitFor({ timeout: 20_000 });
    } catch (e) {
      await this.page.screenshot({ path: join(ARTIFACTS, `failed-${label.replace(/\W+/g, '-')}.png`), fullPage: true }).catch(() => undefined);
      throw e;
    }
  }
  /** Presses a button by its visible name. */
  async press(name: string | RegExp): Promise<void> {
    await this.page.getByRole('button', { name, exact: typeof name === 'string' }).click();
  }
  /** Applies the current configuration step and waits for the next one. */
  async applyAndWait(next: string): Promise<void> {
    await this.press('Apply this step and continue');
    await this.waitForStep(next);
  }
  /** A pre-flight check row. */
  check(id: string): Locator {
    return this.page.getByTestId(`preflight-${id}`);
  }
  /** Waits until no action runs (the status line is gone). */
  async idle(): Promise<void> {
    await this.page.waitForFunction(() => !document.querySelector('[role="status"]')?.textContent?.endsWith('…'));
  }
}
