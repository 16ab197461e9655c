/**
 * The one IPC wrapper (docs/architecture.md §2.6): registers every contract channel with ipcMain.handle, checks the
 * sender, then runs the shared dispatch() (schema parse → handler → Result). It is generic over the contract, so
 * a new channel needs no change here. Raw ipcMain is lint-banned everywhere else.
 */
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { requestChannels } from '../../shared/ipc/contract';
import { keyedErr } from '../../shared/i18n/messages';
import type { Result } from '../../shared/ipc/result';
import { dispatch, type Handlers } from '../composition/dispatch';
import type { EventHub } from '../composition/event-hub';
import type { Logger } from '../services/common/logger';
import { APP_ORIGIN } from './app-protocol';
import type { TrustedWindows } from './trusted-windows';

/** What the IPC wrapper needs. */
export interface IpcOptions {
  handlers: Handlers;
  hub: EventHub;
  trusted: TrustedWindows;
  log: Logger;
}

/**
 * Whether an invoke comes from our own renderer: the top frame of a webContents we created, showing a page of
 * our app:// origin. Anything else (a foreign page, a subframe, a window we did not create) is refused.
 */
export function isTrustedSender(event: IpcMainInvokeEvent, trusted: TrustedWindows): boolean {
  if (!trusted.has(event.sender)) return false;
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  return isAppUrl(frame.url);
}

/** Whether a URL belongs to our app:// origin (compared by scheme and host, so look-alike prefixes fail). */
export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** The channel electron-log/main opens on import (ipcMain.on + ipcMain.handle) for renderer-side logging. */
export const ELECTRON_LOG_CHANNEL = '__ELECTRON_LOG__';

/**
 * Makes the contract the only IPC surface: drops every ipcMain.on listener (this app uses invoke only) and the
 * handler electron-log/main installs when imported, which would otherwise accept messages without a sender check.
 */
export function closeForeignIpc(): string[] {
  const dropped = ipcMain.eventNames().map(String);
  for (const name of dropped) ipcMain.removeAllListeners(name);
  ipcMain.removeHandler(ELECTRON_LOG_CHANNEL);
  return dropped;
}

/** Registers every contract channel and forwards hub events to the trusted windows; returns the undo function. */
export function registerIpc(o: IpcOptions): () => void {
  const dropped = closeForeignIpc();
  if (dropped.length) o.log.info('closed IPC listeners outside the contract', dropped);
  for (const channel of requestChannels) {
    ipcMain.handle(channel, async (event, arg: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event, o.trusted)) {
        o.log.warn('refused an IPC call from an unknown sender', { channel, url: event.senderFrame?.url?.slice(0, 200) });
        return keyedErr('FORBIDDEN_SENDER', 'errors.FORBIDDEN_SENDER.window');
      }
      return dispatch(o.handlers, channel, arg, { caller: `wc-${event.sender.id}` }, o.log);
    });
  }
  const unsubscribe = o.hub.subscribe((name, payload) => {
    for (const contents of o.trusted.all()) {
      // A window that somehow shows another page must not receive app data.
      if (!isAppUrl(contents.getURL())) continue;
      try {
        contents.send(name, payload);
      } catch (e) {
        o.log.warn(`could not push ${name} to a window`, e instanceof Error ? e.message : e);
      }
    }
  });
  return () => {
    unsubscribe();
    for (const channel of requestChannels) ipcMain.removeHandler(channel);
  };
}
