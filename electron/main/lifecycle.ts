/**
 * App lifecycle: one instance at a time, hardening of every webContents ever created, clean shutdown of the
 * services before quitting (the relay must release port 25 and flush its spool).
 */
import { app } from 'electron';
import type { Logger } from '../services/common/logger';
import { hardenWebContents } from './security';

/** What the lifecycle needs from the composition root. */
export interface LifecycleOptions {
  log: Logger;
  /** Focuses the existing window, or opens one when none is open. */
  showWindow(): Promise<void>;
  /** Stops every service; called once before the app quits. */
  dispose(): Promise<void>;
}

/**
 * Takes the single-instance lock; returns false (and quits) when another instance already runs, because two
 * instances would fight over the relay port and the settings file.
 */
export function claimSingleInstance(): boolean {
  if (app.requestSingleInstanceLock()) return true;
  app.quit();
  return false;
}

/** Hardens every webContents at creation, including ones not made by our factory (defence in depth). */
export function hardenAllWebContents(log: Logger): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, log));
}

/** Wires window and quit events. */
export function wireLifecycle(o: LifecycleOptions): void {
  const show = () => {
    o.showWindow().catch((e: unknown) => o.log.error('could not open the window', e instanceof Error ? e.message : e));
  };
  app.on('second-instance', show);
  app.on('activate', show);
  app.on('window-all-closed', () => {
    // macOS apps stay alive without windows until Cmd+Q (platform convention).
    if (process.platform !== 'darwin') app.quit();
  });
  let state: 'running' | 'disposing' | 'done' = 'running';
  app.on('before-quit', (event) => {
    if (state === 'done') return;
    event.preventDefault();
    if (state === 'disposing') return;
    state = 'disposing';
    o.dispose()
      .catch((e: unknown) => o.log.error('services did not stop cleanly', e instanceof Error ? e.message : e))
      .finally(() => {
        state = 'done';
        app.quit();
      });
  });
}
