/** Page object of the Commission page (the wizard) for specs that need a commissioned camera, not the wizard's steps. */
import type { Locator, Page } from 'playwright-core';

/** The Commission page, driven along the wizard's express path. */
export class CommissionPageObject {
  constructor(readonly page: Page) {}

  private step(label: string): Locator {
    return this.page.getByTestId('wizard-step-title').filter({ hasText: label });
  }

  /**
   * Commissions the camera the form holds: connect, wait for the checks, "Express: apply all and test", wait for the
   * test e-mail, then end at the sensitivity found before the test (the step's default).
   */
  async commissionAndTest(): Promise<void> {
    const p = this.page;
    await p.getByRole('button', { name: 'Connect and read the camera', exact: true }).click();
    await this.step('SMTP and NTP servers').waitFor({ timeout: 30_000 });
    const express = p.getByTestId('express');
    await p.waitForFunction(() => {
      const b = document.querySelector('[data-testid="express"]') as HTMLButtonElement | null;
      return !!b && !b.disabled;
    });
    await express.click();
    await p.getByRole('dialog').getByRole('button', { name: 'Apply all and start the test' }).click();
    await p.getByTestId('test-mail').waitFor({ timeout: 60_000 });
    await p.getByRole('button', { name: 'Next', exact: true }).click();
    await this.step('Scene sensitivity').waitFor();
    await p.waitForFunction(() => (document.querySelector('[data-testid="scene-sensitivity"]') as HTMLInputElement | null)?.value !== '');
    await p.getByRole('button', { name: 'Set it and finish', exact: true }).click();
    await this.step('Done').waitFor({ timeout: 30_000 });
  }

  /** The outcome banner of the last step (PASS / Rolled back / Not commissioned). */
  verdict(): Locator {
    return this.page.getByTestId('wizard-outcome');
  }
}
