/** Starts the app the way `sarix serve` does (web host on 127.0.0.1) in a fresh data folder, plus a browser. */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import type { Services } from '../../../electron/composition/index';
import { bootstrapWeb } from '../../../electron/server/bootstrap';
import { launchBrowser } from './browser';

/** Where E2E screenshots go. */
export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');

/** A running web host with its browser. */
export interface WebApp {
  url: string;
  browser: Browser;
  dataDir: string;
  /** The host's services, for arranging a scene (start the relay, send mail) that the test then checks in the UI. */
  services: Services;
  close(): Promise<void>;
}

/** Starts the web host (practice mode on or off) over the built renderer in dist-web, and Chromium. */
export async function startWebApp(o: { practice: boolean }): Promise<WebApp> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'sarix-e2e-'));
  const web = await bootstrapWeb({ port: 0, userDataPath: dataDir, rendererDir: 'dist-web', practice: o.practice });
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await web.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    browser = await launchBrowser();
  } catch (e) {
    await close();
    throw e;
  }
  return { url: web.host.url, browser, dataDir, services: web.services, close };
}
