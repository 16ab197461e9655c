import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCamera, type SimCamera } from '../../electron/simulator/index';
import { snapshotJpeg } from '../../electron/simulator/jpeg';
import { FRAME_CSP } from '../../renderer/src/features/relay/safe-html';
import { AppPage } from './pages/app-page';
import { RelayPageObject } from './pages/relay-page';
import { collectErrors } from './support/browser';
import { ARTIFACTS, startWebApp, type WebApp } from './support/web-app';

/** Screenshots of the narrow layout, for the people who look at them (the artifacts folder is git-ignored too). */
const SHOTS = process.env.SARIX_SHOTS ?? ARTIFACTS;

/** Plain SMTP from a loopback source address, as a camera sends it (docs/camera.md §6). */
async function sendFrom(port: number, o: { from: string; ehlo: string; subject: string; text?: string; html?: string; snapshot?: boolean; count?: number }): Promise<void> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, localAddress: o.from, name: o.ehlo, pool: true, maxConnections: 1, logger: false });
  try {
    for (let i = 0; i < (o.count ?? 1); i++) {
      await t.sendMail({
        from: `${o.ehlo.toLowerCase()}@site.example`,
        to: 'alarms@site.example',
        subject: o.count ? `${o.subject} ${i + 1}` : o.subject,
        text: o.text ?? `Event from ${o.ehlo}`,
        html: o.html,
        attachments: o.snapshot ? [{ filename: 'snapshot.jpg', content: snapshotJpeg(), contentType: 'image/jpeg' }] : undefined,
      });
    }
  } finally {
    t.close();
  }
}

const general = (deviceName: string) => ({ deviceName, smtpServer: '127.0.0.1', ntpServer: '', timeZone: 'UTC', nameOverlay: false, dateOverlay: false, overlayPosition: 'top-left' as const });

describe('relay inbox, sessions and cameras in Chromium', () => {
  let web: WebApp;
  let port: number;
  let gate: SimCamera;
  let lobby: SimCamera;
  let hits: string[];
  let hitServer: Server;
  let hitPort: number;

  beforeAll(async () => {
    web = await startWebApp({ practice: false });
    hits = [];
    hitServer = createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'Content-Type': 'image/png' }).end();
    });
    await new Promise<void>((r) => hitServer.listen(0, '127.0.0.1', r));
    hitPort = (hitServer.address() as AddressInfo).port;
    const relay = web.services.relay;
    port = (await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.21', '127.0.0.22', '127.0.0.24', '127.0.0.40'] })).port;
    // Two simulated cameras, each sending from its own address; discovery finds the gate camera.
    gate = await startCamera({ address: '127.0.0.21', smtpPort: port, deviceName: 'GateCam', model: 'IXE20DN', mac: '00:0B:AB:00:00:21', initialState: { general: general('GateCam') }, prefillHandlers: 1 });
    lobby = await startCamera({ address: '127.0.0.22', smtpPort: port, deviceName: 'LobbyCam', mac: '00:0B:AB:00:00:22', initialState: { general: general('LobbyCam') }, prefillHandlers: 1 });
    await web.services.discovery.addManual('127.0.0.21', gate.httpPort);
    // A camera commissioned earlier that has sent nothing since: it must stand out.
    relay.cameras.noteCommissioning({ ip: '127.0.0.30', mac: '00:0b:ab:00:00:30', model: 'IME229', name: 'YardCam' }, { at: new Date().toISOString(), verdict: 'pass', isTestPassed: null });
    // Mail: many from the gate camera (paging), a snapshot mail, the lobby camera, an unknown sender.
    await sendFrom(port, { from: '127.0.0.21', ehlo: 'GateCam', subject: 'Sarix camera alert: Motion', count: 120 });
    await sendFrom(port, { from: '127.0.0.21', ehlo: 'GateCam', subject: 'Sarix camera alert: Camera Sabotage', snapshot: true, text: 'Camera Sabotage detected\r\n\r\n--- Raw Event Data ---\r\nSource: Sabotage' });
    await lobby.trigger('Alarm1');
    await sendFrom(port, { from: '127.0.0.24', ehlo: 'mystery', subject: 'Unknown device test' });
    // A camera that is not on the allow-list.
    await sendFrom(port, { from: '127.0.0.9', ehlo: 'NewCam', subject: 'refused' }).catch(() => undefined);
  });
  afterAll(async () => {
    await gate?.stop();
    await lobby?.stop();
    await web?.close();
    hitServer?.close();
  });

  async function openRelay(page: Page): Promise<RelayPageObject> {
    const app = new AppPage(page);
    await app.open(web.url);
    await app.navigate('Relay inbox');
    const relay = new RelayPageObject(page);
    await relay.list().waitFor();
    return relay;
  }

  it('lists camera mail with the camera named, pages through 123 messages, reads tabs, zooms the snapshot, downloads with a readable name', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    const relay = await openRelay(page);
    await expect.poll(() => relay.total()).toBe('123 messages');
    // Virtualised: far fewer rows in the page than messages.
    expect(await relay.rows().count()).toBeLessThan(40);
    // Live badge in the navigation: unread camera mail.
    await expect.poll(() => page.getByTestId('relay-nav-badge').textContent()).toContain('123');

    await relay.rows().filter({ hasText: 'Camera Sabotage' }).first().click();
    const view = page.getByTestId('message-view');
    await view.waitFor();
    expect(await view.getByTestId('message-camera').textContent()).toMatch(/GateCam.*IXE20DN.*00:0b:ab:00:00:21.*127\.0\.0\.21/);
    expect(await view.getByTestId('message-text').textContent()).toContain('Raw Event Data');
    await expect.poll(() => page.getByTestId('relay-nav-badge').textContent()).toContain('122');
    await view.getByRole('tab', { name: /Headers/ }).click();
    expect(await view.getByTestId('message-headers').textContent()).toContain('Received');
    await view.getByRole('tab', { name: 'Raw' }).click();
    await expect.poll(() => view.getByTestId('message-raw').textContent()).toMatch(/^Return-Path: <gatecam@site\.example>/);
    await view.getByRole('tab', { name: 'Text' }).click();
    await page.screenshot({ path: join(ARTIFACTS, 'relay-inbox.png') });

    const download = page.waitForEvent('download');
    await view.getByRole('button', { name: 'Download .eml' }).click();
    expect((await download).suggestedFilename()).toMatch(/^\d{4}-\d{2}-\d{2}_\d{4}_Camera-Sabotage_127\.0\.0\.21\.eml$/);

    await view.getByRole('button', { name: 'Full size', exact: true }).click();
    const viewer = page.getByRole('dialog');
    const img = viewer.getByRole('img', { name: /at full size/ });
    await img.waitFor();
    expect(await img.evaluate((el) => (el as HTMLImageElement).naturalWidth)).toBe(640);
    await viewer.locator('label').filter({ hasText: /^100 %$/ }).click();
    await viewer.getByRole('button', { name: 'Zoom in' }).click();
    await expect.poll(() => viewer.getByTestId('snapshot-zoom').textContent()).toBe('150 %');
    expect(await img.evaluate((el) => (el as HTMLImageElement).width)).toBe(960);
    await page.screenshot({ path: join(ARTIFACTS, 'relay-snapshot-zoom.png') });
    await page.keyboard.press('Escape');

    // Scroll to the end of the list: the oldest message arrives through paging.
    await relay.list().evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await relay.list().getByText('Sarix camera alert: Motion 1', { exact: true }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('searches with operators, says when nothing matches, and updates live when mail arrives', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    const relay = await openRelay(page);
    await relay.search('camera:gatecam has:attachment');
    await expect.poll(() => relay.total()).toBe('1 matching');
    await relay.search('camera:"lobbycam"');
    await expect.poll(() => relay.total()).toBe('1 matching');
    await relay.search('subject:"no such event" after:yesterday');
    await page.getByTestId('inbox-empty').getByText('No messages match “subject:"no such event" after:yesterday”.').waitFor();
    await relay.search('before:soon motion');
    await page.getByTestId('search-problem').getByText(/before:soon is not a date/).waitFor();
    await relay.search('');
    await expect.poll(() => relay.total()).toBe('123 messages');
    // A new mail appears without a reload: list, total and the badge.
    await sendFrom(port, { from: '127.0.0.22', ehlo: 'LobbyCam', subject: 'Sarix camera alert: Door forced' });
    await relay.rows().filter({ hasText: 'Door forced' }).waitFor();
    await expect.poll(() => relay.total()).toBe('124 messages');
    expect(await relay.rows().first().getAttribute('data-unread')).toBe('true');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows every session, the refused one with its diagnosis in plain words, and "Allow it" lets the camera in', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    await openRelay(page);
    await page.getByRole('tab', { name: /Sessions/ }).click();
    const refused = page.getByTestId('session-row').and(page.locator('[data-refused="true"]'));
    await refused.first().waitFor();
    expect(await refused.first().textContent()).toContain('127.0.0.9');
    expect(await page.getByTestId('session-row').count()).toBeGreaterThanOrEqual(5);
    await page.getByTestId('relay-nav-badge').getByLabel('1 refused').waitFor();
    await refused.first().click();
    const advice = page.getByTestId('advice-not-allowed');
    await advice.getByText('127.0.0.9 is not on the allow-list').waitFor();
    expect(await page.getByTestId('transcript').textContent()).toMatch(/554/);
    await page.screenshot({ path: join(ARTIFACTS, 'relay-refused-session.png') });
    await advice.getByRole('button', { name: 'Allow it' }).click();
    await advice.getByRole('status').getByText('127.0.0.9 is allowed now').waitFor();
    await page.getByTestId('relay-status').getByText('127.0.0.9', { exact: true }).waitFor();
    // Allowed now: the refusal badges go away (nav and tab), the history stays in the list.
    await page.getByTestId('relay-nav-badge').getByLabel('1 refused').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByRole('tab', { name: /Sessions/ }).textContent()).toBe('Sessions');
    await sendFrom(port, { from: '127.0.0.9', ehlo: 'NewCam', subject: 'let in' });
    // The accepted session of the same sender shows up live.
    await page.getByTestId('session-row').filter({ hasText: '1 received' }).filter({ hasText: '127.0.0.9' }).waitFor();
    // A session that greeted and stopped is explained too.
    await new Promise<void>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, localAddress: '127.0.0.40' });
      s.once('error', reject);
      s.once('data', () => s.write('EHLO QuietCam\r\n'));
      setTimeout(() => s.end('QUIT\r\n', () => resolve()), 400);
    });
    await page.getByTestId('session-row').filter({ hasText: 'The camera sent nothing after EHLO' }).waitFor();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('lists the cameras: the commissioned one without mail stands out, unknown senders can be named', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    await openRelay(page);
    await page.getByRole('tab', { name: /Cameras/ }).click();
    const rows = page.getByTestId('camera-row');
    await rows.first().waitFor();
    expect(await rows.first().getAttribute('data-status')).toBe('silent');
    expect(await rows.first().textContent()).toMatch(/YardCam.*127\.0\.0\.30.*no mail yet.*never/);
    await page.getByTestId('silent-cameras').waitFor();
    const gateRow = rows.filter({ hasText: 'GateCam' });
    expect(await gateRow.textContent()).toMatch(/IXE20DN.*00:0b:ab:00:00:21.*mail arriving.*121/);
    const unknown = rows.filter({ hasText: '127.0.0.24' });
    expect(await unknown.textContent()).toContain('unknown sender');
    await unknown.getByRole('button', { name: 'Name it' }).click();
    await page.getByLabel('Name for 127.0.0.24').fill('Storage room');
    await page.getByRole('button', { name: 'Save' }).click();
    await rows.filter({ hasText: 'Storage room' }).waitFor();
    await page.getByLabel('Name for 127.0.0.24').waitFor({ state: 'hidden' });
    await page.screenshot({ path: join(ARTIFACTS, 'relay-cameras.png') });
    // "Show mail" filters the inbox by that camera.
    await gateRow.getByRole('button', { name: 'Show mail' }).click();
    await expect.poll(() => page.getByTestId('inbox-search').inputValue()).toBe('camera:127.0.0.21');
    await expect.poll(() => page.getByTestId('inbox-total').textContent()).toBe('121 matching');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows hostile HTML in the sandbox: nothing runs, nothing is fetched, remote images are counted', async () => {
    const base = `http://127.0.0.1:${hitPort}`;
    const hostile = [
      `<html><head><meta http-equiv="refresh" content="0;url=${base}/refresh"><link rel="stylesheet" href="${base}/link.css"><link rel="prefetch" href="${base}/prefetch">`,
      `<style>@import url("${base}/import.css"); body { background: url('${base}/bg.png') }</style>`,
      `<script>fetch('${base}/script'); parent.document.title = 'pwned'; top.location = '${base}/top';</script></head>`,
      `<body onload="fetch('${base}/onload')"><h1>Alarm at the gate</h1>`,
      `<img src="${base}/img.png" onerror="fetch('${base}/onerror')" alt="remote"><img srcset="${base}/srcset.png 2x">`,
      `<div style="background-image:url(${base}/inline.png)">styled</div>`,
      `<iframe src="${base}/frame"></iframe><object data="${base}/object"></object><embed src="${base}/embed">`,
      `<svg width="10" height="10"><image href="${base}/svg.png"/></svg>`,
      `<a href="javascript:fetch('${base}/js-link')">click me</a> <a href="${base}/plain-link" target="_blank">plain link</a>`,
      `<form action="${base}/form" method="post"><button type="submit">send form</button></form>`,
      `<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==" alt="inline ok">`,
      '</body></html>',
    ].join('\n');
    await sendFrom(port, { from: '127.0.0.21', ehlo: 'GateCam', subject: 'Hostile HTML', html: hostile });
    const page = await web.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const relay = await openRelay(page);
    await relay.search('subject:hostile');
    await relay.rows().first().click();
    const view = page.getByTestId('message-view');
    await view.getByRole('tab', { name: 'HTML' }).click();
    const frame = view.getByTestId('html-frame');
    await frame.waitFor();
    expect(await frame.getAttribute('sandbox')).toBe('');
    expect(await frame.getAttribute('srcdoc')).toContain(FRAME_CSP);
    const inner = page.frameLocator('[data-testid="html-frame"]');
    await inner.getByText('Alarm at the gate').waitFor();
    // Every subresource of the frame has been tried (or refused) once its load event has fired.
    await (await (await frame.elementHandle())!.contentFrame())!.waitForLoadState('load');
    expect(await view.getByTestId('remote-blocked').textContent()).toMatch(/^(\d+) remote resources blocked$/);
    expect(Number(/^(\d+)/.exec((await view.getByTestId('remote-blocked').textContent()) ?? '')![1])).toBeGreaterThanOrEqual(11);
    await view.getByTestId('active-removed').waitFor();
    await inner.getByText('click me').click();
    await inner.getByText('plain link').click();
    await inner.getByRole('button', { name: 'send form' }).click();
    await page.screenshot({ path: join(ARTIFACTS, 'relay-html-sandbox.png') });
    expect(await page.title()).not.toBe('pwned');

    // Layers 1 and 2 on their own: the same markup, not cleaned, in a frame with the same sandbox and policy, in a
    // blank page that has no CSP of its own (the app's page CSP would block the loads anyway).
    const bare = await web.browser.newPage();
    await bare.setContent('<!doctype html><title>bare</title><body></body>');
    await bare.evaluate(
      ([html, csp]) => {
        const f = document.createElement('iframe');
        f.setAttribute('sandbox', '');
        f.id = 'raw-hostile';
        f.srcdoc = `<meta http-equiv="Content-Security-Policy" content="${csp}">${html}`;
        document.body.appendChild(f);
      },
      [hostile, FRAME_CSP],
    );
    await bare.frameLocator('#raw-hostile').getByText('Alarm at the gate').waitFor();
    await (await (await bare.$('#raw-hostile'))!.contentFrame())!.waitForLoadState('load');
    await bare.frameLocator('#raw-hostile').getByText('click me').click();
    await bare.frameLocator('#raw-hostile').getByText('plain link').click();
    await bare.frameLocator('#raw-hostile').getByRole('button', { name: 'send form' }).click();
    // The control: a frame allowed to load reaches the recorder, so the recorder works and everything started
    // before it has had its chance; waiting for it is waiting on an event, not on a clock.
    await bare.evaluate((url) => {
      const f = document.createElement('iframe');
      f.setAttribute('sandbox', 'allow-scripts');
      f.srcdoc = `<img src="${url}">`;
      document.body.appendChild(f);
    }, `${base}/control`);
    await expect.poll(() => hits.includes('GET /control')).toBe(true);
    expect(await bare.title()).toBe('bare');
    expect(hits).toEqual(['GET /control']);
    await bare.close();
    await page.close();
  });

  it('web host notifications: asked on a click, then one per new camera mail and per refusal', async () => {
    const context = await web.browser.newContext({ viewport: { width: 1280, height: 800 }, permissions: ['notifications'] });
    await context.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __notes: string[] }).__notes = seen;
      const Real = window.Notification;
      class Recording extends Real {
        constructor(title: string, options?: NotificationOptions) {
          seen.push(`${title} | ${options?.body ?? ''}`);
          super(title, options);
        }
      }
      Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
      Recording.requestPermission = (cb?: NotificationPermissionCallback) => Real.requestPermission(cb);
      window.Notification = Recording as unknown as typeof Notification;
    });
    const page = await context.newPage();
    const errors = collectErrors(page);
    await openRelay(page);
    await page.getByTestId('web-notify-toggle').click();
    await page.getByRole('button', { name: 'Desktop notifications on' }).waitFor();
    await sendFrom(port, { from: '127.0.0.22', ehlo: 'LobbyCam', subject: 'Sarix camera alert: Tamper' });
    await sendFrom(port, { from: '127.0.0.77', ehlo: 'OtherCam', subject: 'refused' }).catch(() => undefined);
    await expect.poll(() => page.evaluate(() => (window as unknown as { __notes: string[] }).__notes.join('\n'))).toContain('Camera mail from 127.0.0.22 | Sarix camera alert: Tamper');
    await expect.poll(() => page.evaluate(() => (window as unknown as { __notes: string[] }).__notes.join('\n'))).toContain('Relay refused 127.0.0.77');
    expect(errors).toEqual([]);
    await context.close();
  });

  it('deletes all but pinned evidence after asking', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    const relay = await openRelay(page);
    await relay.rows().filter({ hasText: 'Camera Sabotage' }).first().click();
    await page.getByTestId('message-view').getByRole('button', { name: 'Keep as evidence' }).click();
    await page.getByTestId('message-view').getByText('evidence', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Delete all' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByText('Also delete the 1 pinned evidence message').waitFor();
    await dialog.getByTestId('confirm-bulk-delete').click();
    await expect.poll(() => relay.total()).toBe('1 message');
    expect(await relay.rows().first().textContent()).toContain('Camera Sabotage');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('a burst of mail refreshes the open list once, not once per mail', async () => {
    const page = await web.browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = collectErrors(page);
    // The page's timers are held still during the burst, so what the list does per mail is seen, not guessed.
    const received: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framereceived', (f) => {
        const text = typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8');
        if (text.includes('relay:message-received')) received.push(text);
      }),
    );
    await page.clock.install();
    const relay = await openRelay(page);
    await expect.poll(() => relay.total()).toMatch(/^\d+ messages?$/);
    const before = Number(/^\d+/.exec((await relay.total()) ?? '')![0]);
    const svc = web.services.relay;
    const search = svc.searchMessages;
    let searches = 0;
    svc.searchMessages = (q) => {
      searches++;
      return search.call(svc, q);
    };
    try {
      await page.clock.pauseAt(Date.now() + 1000);
      await sendFrom(port, { from: '127.0.0.21', ehlo: 'GateCam', subject: 'Burst', count: 20 });
      await expect.poll(() => received.length).toBeGreaterThanOrEqual(20);
      // Every notice of the burst has reached the page; none has started a search of its own.
      expect(searches).toBe(0);
      await page.clock.runFor(1000);
      await expect.poll(() => relay.total()).toBe(`${before + 20} messages`);
      // One refresh: the pages on screen (the first, and the next when the list shows its end), once.
      expect(searches).toBeGreaterThanOrEqual(1);
      expect(searches).toBeLessThanOrEqual(2);
    } finally {
      svc.searchMessages = search;
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('on a narrow window, opening a message shows it; Back returns to the list where it was', async () => {
    const inView = (l: Locator) => l.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return r.top >= 56 && r.top < window.innerHeight && r.height > 0;
    });
    // 900 px: the navigation stays, the list and the reader fold into one column (docs/architecture.md, layout).
    for (const viewport of [{ width: 900, height: 800 }, { width: 390, height: 800 }]) {
      const page = await web.browser.newPage({ viewport });
      const errors = collectErrors(page);
      const relay = await openRelay(page);
      await expect.poll(() => relay.rows().count()).toBeGreaterThan(3);
      // The technician has scrolled the page and the list a little before opening a message.
      await relay.list().evaluate((el) => el.scrollTo({ top: 4 * 62 }));
      await page.evaluate(() => window.scrollTo({ top: 120 }));
      const scrolled = await page.evaluate(() => window.scrollY);
      const row = relay.rows().filter({ hasText: 'Burst 14' });
      await row.click();
      const view = page.getByTestId('message-view');
      await view.getByRole('heading', { name: 'Burst 14' }).waitFor();
      await expect.poll(() => inView(view)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `relay-narrow-${viewport.width}-opened.png`) });
      await page.getByTestId('reader-back').click();
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(scrolled);
      expect(await relay.list().evaluate((el) => el.scrollTop)).toBe(4 * 62);
      expect(await inView(row)).toBe(true);
      expect(await row.evaluate((el) => el === document.activeElement)).toBe(true);
      await page.screenshot({ path: join(SHOTS, `relay-narrow-${viewport.width}-back.png`) });
      // The Sessions tab folds the same way: a session opened below the list is shown, and Back returns.
      await page.getByRole('tab', { name: /Sessions/ }).click();
      await page.getByTestId('session-row').first().waitFor();
      await page.evaluate(() => window.scrollTo({ top: 0 }));
      await page.getByTestId('session-row').first().click();
      await expect.poll(() => inView(page.getByTestId('session-view'))).toBe(true);
      await page.getByTestId('session-view').locator('..').getByTestId('reader-back').click();
      await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0);
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});
