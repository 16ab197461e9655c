import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpPeer, type SmtpPeer } from '../../electron/services/diagnostics/test-peers';
import { startDnsFixture, type DnsFixture } from '../../electron/services/mailservers/test-dns-server';
import { startCamera, type SimCamera } from '../../electron/simulator/index';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';
import { AppPage } from './pages/app-page';
import { WizardPageObject } from './pages/wizard-page';

// The single-camera wizard on the practice camera, walked as a technician does, through the web host in Chromium.
// The site's mail servers for the finder: SMTP peers and a DNS fixture on 127.0.47.x only (never a real subnet or
// a public name); the web host's finder asks the fixture through its test switches (SARIX_SITE_DNS / _DOMAIN).
const SITE = '127.0.47';
// Shots of every step go to the artifacts and, with SHOTS_DIR set, to that folder too (the brief's copy).
const SHOTS_DIR = process.env.SHOTS_DIR;

describe('the commissioning wizard', () => {
  let web: WebApp;
  let dns: DnsFixture;
  const peers: SmtpPeer[] = [];
  const savedEnv = { dns: process.env.SARIX_SITE_DNS, domain: process.env.SARIX_SITE_DOMAIN };
  beforeAll(async () => {
    // A camera always sends to port 25 (docs/camera.md §1), so the finder tests port 25: on loopback addresses only.
    peers.push(await startSmtpPeer('accept', { host: `${SITE}.17`, port: 25, name: 'mail.site.test', banner: 'ESMTP Postfix (Debian/GNU)' }));
    peers.push(
      await startSmtpPeer('require-auth', { host: `${SITE}.18`, port: 25, name: 'ex01.site.test', banner: 'Microsoft ESMTP MAIL Service ready', authReply: { code: 530, message: '5.7.1 Client was not authenticated' } }),
    );
    dns = await startDnsFixture(
      {
        mx: { 'site.test': [{ exchange: 'mail.site.test', priority: 10 }, { exchange: 'ex01.site.test', priority: 20 }, { exchange: 'mx.isp.test', priority: 30 }] },
        // The ISP's MX is on a documentation address (RFC 5737): listed as not usable, never contacted.
        addresses: { 'mail.site.test': [`${SITE}.17`], 'ex01.site.test': [`${SITE}.18`], 'mx.isp.test': ['203.0.113.25'] },
      },
      { address: `${SITE}.53` },
    );
    process.env.SARIX_SITE_DNS = `${dns.address}:${dns.port}`;
    process.env.SARIX_SITE_DOMAIN = 'site.test';
    web = await startWebApp({ practice: true });
  });
  afterAll(async () => {
    await web?.close();
    for (const p of peers) await p.close();
    await dns?.close();
    for (const [k, v] of [['SARIX_SITE_DNS', savedEnv.dns], ['SARIX_SITE_DOMAIN', savedEnv.domain]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  const practiceCam = (): SimCamera => web.services.practice.cameras()[0] as SimCamera;
  // Each shot at 1280 px and at 600 px wide (the page goes back to 1280 after). From the top: the shell's header and
  // menu are fixed, so a scrolled page would show them half-way down the shot. Below 768 px the shell's menu still
  // covers every page (its menu button is the app shell's own work), so the narrow shot hides it to show the wizard.
  const shot = async (page: Page, name: string) => {
    for (const width of [600, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.evaluate((isNarrow) => {
        document.getElementById('shot-style')?.remove();
        if (!isNarrow) return;
        const style = document.createElement('style');
        style.id = 'shot-style';
        style.textContent = '.mantine-AppShell-navbar { display: none !important; }';
        document.head.append(style);
      }, width < 768);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      await page.evaluate(() => window.scrollTo(0, 0));
      const file = `${name.replace(/\.png$/, '')}-${width}.png`;
      await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
      if (SHOTS_DIR) {
        mkdirSync(SHOTS_DIR, { recursive: true });
        copyFileSync(join(ARTIFACTS, file), join(SHOTS_DIR, file));
      }
    }
  };

  async function openWizard(width = 1280): Promise<{ page: Page; wizard: WizardPageObject; errors: string[] }> {
    const page = await web.browser.newPage({ viewport: { width, height: 900 } });
    const errors = collectErrors(page);
    const app = new AppPage(page);
    await app.open(web.url);
    await page.getByTestId('practice-card').waitFor();
    await page.getByRole('button', { name: 'Commission the practice camera' }).click();
    const wizard = new WizardPageObject(page);
    await wizard.waitForStep('Camera and login');
    await expect.poll(() => page.getByLabel('Camera address').inputValue()).toContain('http://127.0.0.1:');
    return { page, wizard, errors };
  }

  async function connect(wizard: WizardPageObject): Promise<void> {
    await wizard.press('Connect and read the camera');
    await wizard.waitForStep('SMTP and NTP servers');
    await wizard.check('relay-running').waitFor();
  }

  it('walks every step on the practice camera: current and planned values, the test e-mail with its snapshot, sensitivity 11 refused, a safe end', async () => {
    const { page, wizard, errors } = await openWizard();
    const cam = practiceCam();
    expect(cam.state().analytics.behaviours['camera-sabotage'].sensitivity).toBe(5);

    await connect(wizard);
    await page.getByTestId('camera-identity').count();
    expect(await wizard.check('relay-running').textContent()).toContain('OK');
    expect(await wizard.check('relay-allows').textContent()).toContain('OK');
    // Each step reads first: the camera's current SMTP server beside the planned one; the whole plan before any change.
    const servers = page.getByTestId('step-smtp-ntp');
    expect(await servers.textContent()).toMatch(/On the camera now.*SMTP server.*Planned change/s);
    await page.getByTestId('plan-card').waitFor();
    await page.getByTestId('kb-local-relay').first().waitFor();
    await wizard.idle();
    await shot(page, 'wizard-2-servers.png');

    await wizard.press('Back');
    await wizard.waitForStep('Camera and login');
    await page.getByTestId('camera-identity').waitFor();
    await shot(page, 'wizard-1-camera.png');
    await wizard.press('Next');
    await wizard.waitForStep('SMTP and NTP servers');

    await wizard.applyAndWait('Event source');
    // Names are checked as you type (2–23 letters and digits).
    const name = page.getByLabel('Source name');
    await name.fill('Lens 1');
    await page.getByText(/may only contain letters and digits/).waitFor();
    expect(await page.getByRole('button', { name: 'Apply this step and continue' }).isDisabled()).toBe(true);
    await name.fill('Lens1');
    await expect.poll(() => page.getByTestId('step-source').textContent()).toContain('Lens1');
    await shot(page, 'wizard-3-source.png');
    await wizard.applyAndWait('Send Email handler');

    // The session survives a reload: the wizard comes back on the step it was on.
    await page.reload();
    await wizard.waitForStep('Send Email handler');
    await page.getByRole('textbox', { name: /^To\b/ }).fill('technician@site.example');
    await expect.poll(() => page.getByTestId('step-handler').textContent()).toContain('technician@site.example');
    await shot(page, 'wizard-4-handler.png');
    await wizard.applyAndWait('Analytics behaviour');
    expect(await page.getByLabel('Behaviour for the test').inputValue()).toBe('Camera Sabotage');
    await shot(page, 'wizard-5-behaviour.png');
    await wizard.applyAndWait('Test');
    expect(cam.state().analytics.behaviours['camera-sabotage'].sensitivity).toBe(10);

    await wizard.press('Start the test');
    await page.getByTestId('test-mail').waitFor({ timeout: 30_000 });
    const log = await page.getByTestId('test-log').textContent();
    expect(log).toMatch(/connected.*127\.0\.0\.1 connected to the relay/s);
    const img = page.getByTestId('test-snapshot');
    await img.waitFor();
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBeGreaterThan(300);
    await shot(page, 'wizard-6-test.png');

    await wizard.press('Next');
    await wizard.waitForStep('Scene sensitivity');
    const scene = page.getByTestId('scene-sensitivity');
    expect(await scene.inputValue()).toBe('5');
    // 11 is refused while typing: a message, no clamp to 10, no way to finish, no PASS.
    await scene.fill('11');
    await page.getByText(/got 11.*nothing is rounded or clamped/).waitFor();
    expect(await scene.inputValue()).toBe('11');
    expect(await page.getByRole('button', { name: 'Set it and finish' }).isDisabled()).toBe(true);
    await shot(page, 'wizard-7-scene-refused.png');
    // Leaving 10 needs an explicit confirmation.
    await scene.fill('10');
    expect(await page.getByRole('button', { name: 'Set it and finish' }).isDisabled()).toBe(true);
    await page.getByLabel(/Yes, leave it at 10/).check();
    expect(await page.getByRole('button', { name: 'Set it and finish' }).isDisabled()).toBe(false);
    await scene.fill('4');
    await shot(page, 'wizard-7-scene.png');
    expect(await page.getByTestId('wizard-outcome').count()).toBe(0);
    expect(cam.state().analytics.behaviours['camera-sabotage'].sensitivity).toBe(10);
    await wizard.press('Set it and finish');
    await wizard.waitForStep('Done');
    expect(await page.getByTestId('wizard-outcome').textContent()).toMatch(/PASS.*sensitivity 4/s);
    expect(cam.state().analytics.behaviours['camera-sabotage'].sensitivity).toBe(4);
    expect(cam.state().sources.map((s) => s.name)).toContain('Lens1');
    await page.getByRole('button', { name: 'Roll back' }).waitFor();
    await page.getByRole('button', { name: 'Open the hand-over report' }).waitFor();
    await shot(page, 'wizard-8-done.png');

    // Next camera keeps the site profile and clears the camera.
    await wizard.press('Next camera');
    await wizard.waitForStep('Camera and login');
    expect(await page.getByLabel('Camera address').inputValue()).toBe('');
    expect(await page.getByLabel('Camera user').inputValue()).toBe('admin');
    expect(errors).toEqual([]);
    await page.close();
    // A long walk through eight steps; the time limit is for a loaded machine, not a measure.
  }, 180_000);

  it('a failed test, then Roll back: the camera reads back exactly as before (simulator state compared)', async () => {
    const { page, wizard, errors } = await openWizard();
    const cam = practiceCam();
    const before = structuredClone(cam.state());
    await connect(wizard);
    await wizard.applyAndWait('Event source');
    await page.getByLabel('Source name').fill('Tamper1');
    await expect.poll(() => page.getByTestId('step-source').textContent()).toContain('Tamper1');
    await wizard.applyAndWait('Send Email handler');
    await wizard.applyAndWait('Analytics behaviour');
    await wizard.applyAndWait('Test');
    expect(cam.state()).not.toEqual(before);
    // The relay stops accepting the camera: its one e-mail is refused, and the wizard names that cause first.
    const allow = web.services.relay.getState().allow;
    web.services.relay.setAllowList(['10.0.0.0/8']);
    try {
      await wizard.press('Start the test');
      const failure = page.getByTestId('test-failure');
      await failure.waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('first-cause').textContent()).toMatch(/refused 127\.0\.0\.1.*allow 127\.0\.0\.1/);
      expect(await page.getByTestId('test-log').textContent()).toMatch(/refused/);
      await shot(page, 'wizard-test-refused.png');
      await failure.getByRole('button', { name: 'Roll back' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
      await wizard.waitForStep('Done');
      expect(await page.getByTestId('wizard-outcome').textContent()).toMatch(/Rolled back.*reads back exactly as in the backup/s);
      expect(cam.state()).toEqual(before);
      await shot(page, 'wizard-rolled-back.png');
    } finally {
      web.services.relay.setAllowList(allow);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('with the relay stopped the checks offer the fix and never start a relay by themselves', async () => {
    const { page, wizard, errors } = await openWizard();
    const relay = web.services.relay;
    const was = relay.getState();
    await relay.stopSetup();
    try {
      await connect(wizard);
      const running = wizard.check('relay-running');
      await running.getByText('must fix').waitFor();
      const fix = running.getByRole('button', { name: `Start the relay on 127.0.0.1:${was.port}` });
      await fix.waitFor();
      expect(await page.getByRole('button', { name: 'Apply this step and continue' }).isDisabled()).toBe(true);
      expect(await page.getByTestId('express').isDisabled()).toBe(true);
      await wizard.press('Check again');
      await wizard.idle();
      expect(relay.getState().status).toBe('stopped');
      await shot(page, 'wizard-preflight-relay-stopped.png');
      await fix.click();
      await expect.poll(() => relay.getState().status).toBe('listening');
      await running.getByText('OK').waitFor();
      await expect.poll(() => page.getByRole('button', { name: 'Apply this step and continue' }).isDisabled()).toBe(false);
      await wizard.press('Cancel (nothing was changed)');
      await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
      await wizard.waitForStep('Done');
      expect(await page.getByTestId('wizard-outcome').textContent()).toContain('Nothing was changed on the camera.');
    } finally {
      if (relay.getState().status !== 'listening') await relay.start({ listenAddress: was.listenAddress!, port: was.port!, allow: was.allow });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it("finds the site's mail server: verdicts in plain words, a public MX not usable, and Use puts the name in the SMTP field", async () => {
    const { page, wizard, errors } = await openWizard();
    await connect(wizard);
    await wizard.idle();
    await wizard.press("Find the site's mail server");
    const found = page.getByTestId('mail-servers');
    await found.waitFor({ timeout: 30_000 });
    const postfix = found.getByTestId(`mail-server-${SITE}.17`);
    const exchange = found.getByTestId(`mail-server-${SITE}.18`);
    const isp = found.getByTestId('mail-server-203.0.113.25');
    // The badge first, then the server, its software, the verdict and the fix.
    expect(await postfix.innerText()).toMatch(/^usable\b.*mail\.site\.test.*Postfix.*accepts mail without a login or TLS.*use mail\.site\.test/is);
    expect(await exchange.innerText()).toMatch(/^not usable.*ex01\.site\.test.*Exchange.*Fix: .*ask IT/is);
    expect(await isp.innerText()).toMatch(/^not usable.*mx\.isp\.test.*public/is);
    // Only a usable local server can be picked.
    expect(await exchange.getByRole('button', { name: /^Use / }).count()).toBe(0);
    expect(await isp.getByRole('button', { name: /^Use / }).count()).toBe(0);
    await shot(page, 'wizard-2-servers-finder.png');
    await postfix.getByRole('button', { name: 'Use mail.site.test' }).click();
    expect(await page.getByLabel(/SMTP server the camera keeps/).inputValue()).toBe('mail.site.test');
    // A name is a valid choice (no "does not resolve" while typing); the step could be applied now.
    expect(await page.getByRole('button', { name: 'Apply this step and continue' }).isDisabled()).toBe(false);
    // The planned change follows: the final SMTP server in the plan.
    await expect.poll(() => page.getByTestId('plan-card').textContent()).toContain('SMTP server the camera keeps: mail.site.test');
    await wizard.press('Cancel (nothing was changed)');
    await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
    await wizard.waitForStep('Done');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a wrong password says that nothing was changed', async () => {
    const { page, wizard, errors } = await openWizard();
    const before = structuredClone(practiceCam().state());
    await page.getByLabel('Camera password').fill('wrong');
    await wizard.press('Connect and read the camera');
    const alert = page.getByRole('alert').filter({ hasText: 'Could not open the camera' });
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/refused the user name or password.*Nothing was changed on the camera\./);
    expect(await alert.textContent()).not.toMatch(/rolled back|could not be verified/i);
    expect(practiceCam().state()).toEqual(before);
    await shot(page, 'wizard-wrong-password.png');
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
    await page.close();
  });

  it('a real camera: "Cover the lens with your hand now" in large type with a countdown; the express path; keyboard only', async () => {
    const relay = web.services.relay.getState();
    // A camera that is not a practice camera: the app cannot fire it, so the technician's hand is asked for.
    const cam = await startCamera({ address: '127.0.0.1', smtpPort: relay.port!, resolver: async () => '127.0.0.1', deviceName: 'LobbyCam' });
    const page = await web.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = collectErrors(page);
    try {
      const app = new AppPage(page);
      await app.open(web.url);
      await app.navigate('Commission');
      const wizard = new WizardPageObject(page);
      await wizard.waitForStep('Camera and login');
      // Keyboard only: type the address, tab to the connect button, press Enter.
      const address = page.getByLabel('Camera address');
      await address.fill('');
      await address.focus();
      await page.keyboard.type(cam.url);
      let reached = false;
      for (let i = 0; i < 8 && !reached; i++) {
        await page.keyboard.press('Tab');
        reached = await page.evaluate(() => document.activeElement?.textContent === 'Connect and read the camera');
      }
      expect(reached).toBe(true);
      await page.keyboard.press('Enter');
      await wizard.waitForStep('SMTP and NTP servers');
      await wizard.check('relay-running').waitFor();
      await wizard.idle();
      // Every control on the step has a name a screen reader can say.
      const unnamed = await page.evaluate(() =>
        [...document.querySelectorAll('main input, main textarea, main select, main button')]
          .filter((el) => (el as HTMLInputElement).type !== 'hidden')
          .filter((el) => {
            const labelled = (el as HTMLInputElement).labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby');
            return !labelled && !(el.textContent ?? '').trim();
          })
          .map((el) => el.outerHTML.slice(0, 120)),
      );
      expect(unnamed).toEqual([]);
      await page.getByTestId('express').click();
      await page.getByRole('dialog').getByRole('button', { name: 'Apply all and start the test' }).click();
      const instruction = page.getByTestId('test-instruction');
      await instruction.waitFor({ timeout: 30_000 });
      const heading = instruction.getByRole('alert');
      expect(await heading.textContent()).toBe('Cover the lens with your hand now, and keep it covered until the e-mail arrives.');
      expect(await heading.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(28);
      const countdown = page.getByTestId('countdown');
      const first = Number((await countdown.textContent())?.replace(/\D/g, ''));
      expect(first).toBeGreaterThan(100);
      await expect.poll(async () => Number((await countdown.textContent())?.replace(/\D/g, '')), { timeout: 10_000 }).toBeLessThan(first);
      await wizard.press('Wait 60 s longer');
      await expect.poll(async () => Number((await countdown.textContent())?.replace(/\D/g, ''))).toBeGreaterThan(first);
      await shot(page, 'wizard-6-test-cover-the-lens.png');
      // The technician's hand over the lens.
      await cam.trigger('camera-sabotage', { strength: 'full' });
      await page.getByTestId('test-mail').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('test-log').textContent()).toMatch(/connected to the relay/);
      await page.getByRole('button', { name: 'Abort and roll back' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Roll back' }).click();
      await wizard.waitForStep('Done');
      expect(await page.getByTestId('wizard-outcome').textContent()).toMatch(/Rolled back/);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
      await cam.stop();
    }
  });
});
