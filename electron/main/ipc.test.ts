import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as electronModule from 'electron';
import { requestChannels } from '../../shared/ipc/contract';
import type { Result } from '../../shared/ipc/result';
import type { Handlers } from '../composition/dispatch';
import { EventHub } from '../composition/event-hub';
import { AppService } from '../services/app/app-service';
import { silentLogger } from '../services/common/logger';
import { MemorySettingsStore } from '../services/common/settings-store';
import { APP_ENTRY_URL } from './app-protocol';
import { FakeWebContents, type FakeElectron } from './fake-electron';
import { ELECTRON_LOG_CHANNEL, isAppUrl, registerIpc } from './ipc';
import { TrustedWindows } from './trusted-windows';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = electronModule as unknown as FakeElectron;

function setup() {
  const hub = new EventHub();
  const app = new AppService({ hostKind: 'electron', version: '9.9.9', userDataPath: '/tmp/ud', settings: new MemorySettingsStore(), versions: { electron: '45.4.1' } });
  app.events.on('settings-changed', (settings) => hub.emit('app:settings-changed', { settings }));
  // Only the app:* channels are mapped here; the others answer UNAVAILABLE: the wrapper itself is contract-generic.
  const handlers = {
    'app:get-info': () => app.getInfo(),
    'app:get-settings': () => app.getSettings(),
    'app:set-settings': ({ patch }) => app.updateSettings(patch),
  } as Partial<Handlers> as Handlers;
  const trusted = new TrustedWindows();
  const ours = new FakeWebContents();
  ours.url = APP_ENTRY_URL;
  trusted.add(ours as never);
  const dispose = registerIpc({ handlers, hub, trusted, log: silentLogger });
  const call = (channel: string, arg: unknown, sender: FakeWebContents = ours, frame: { url: string; parent: unknown } | null = { url: APP_ENTRY_URL, parent: null }) =>
    electron.ipcMain.handlers.get(channel)!({ sender, senderFrame: frame }, arg) as Promise<Result<unknown>>;
  return { hub, trusted, ours, call, dispose };
}

describe('registerIpc', () => {
  beforeEach(() => electron.ipcMain.handlers.clear());

  it('registers exactly the contract channels and removes them on dispose', () => {
    const { dispose } = setup();
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...requestChannels].sort());
    dispose();
    expect(electron.ipcMain.handlers.size).toBe(0);
  });

  it('closes IPC outside the contract: electron-log\'s channel and any ipcMain.on listener', async () => {
    electron.ipcMain.removeAllListeners();
    electron.ipcMain.on(ELECTRON_LOG_CHANNEL, () => {});
    electron.ipcMain.on('some-raw-channel', () => {});
    electron.ipcMain.handle(ELECTRON_LOG_CHANNEL, () => ({}));
    setup();
    expect(electron.ipcMain.eventNames()).toEqual([]);
    expect(electron.ipcMain.handlers.has(ELECTRON_LOG_CHANNEL)).toBe(false);
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([...requestChannels].sort());
  });

  it('answers a good call from our window', async () => {
    const { call } = setup();
    const r = await call('app:get-info', {});
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toMatchObject({ hostKind: 'electron', version: '9.9.9', versions: { electron: '45.4.1' } });
  });

  it('returns BAD_REQUEST for arguments that do not match the schema', async () => {
    const { call } = setup();
    const r = await call('app:set-settings', { patch: { theme: 'purple' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    const extra = await call('app:get-info', { sneaky: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('refuses a webContents it did not create', async () => {
    const { call } = setup();
    const stranger = new FakeWebContents();
    stranger.url = APP_ENTRY_URL;
    const r = await call('app:get-info', {}, stranger);
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('refuses our window when the frame is foreign, a subframe or missing', async () => {
    const { call, ours } = setup();
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'app://sarix.evil/index.html', parent: null },
      { url: 'file:///tmp/index.html', parent: null },
      { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } },
      null,
    ]) {
      const r = await call('app:get-settings', {}, ours, frame);
      expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
    }
  });

  it('refuses a window after it was destroyed', async () => {
    const { call, ours } = setup();
    ours.destroy();
    expect(await call('app:get-info', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } });
  });

  it('pushes hub events to our windows that show the app, not to others', async () => {
    const { call, ours, trusted } = setup();
    const elsewhere = new FakeWebContents();
    elsewhere.url = 'https://evil.example/';
    trusted.add(elsewhere as never);
    const r = await call('app:set-settings', { patch: { siteName: 'North gate' } });
    expect(r.ok).toBe(true);
    expect(ours.send).toHaveBeenCalledWith('app:settings-changed', expect.objectContaining({ settings: expect.objectContaining({ siteName: 'North gate' }) }));
    expect(elsewhere.send).not.toHaveBeenCalled();
  });

  it('stops pushing events after dispose', () => {
    const { hub, ours, dispose } = setup();
    dispose();
    hub.emit('app:settings-changed', { settings: new MemorySettingsStore().get() });
    expect(ours.send).not.toHaveBeenCalled();
  });
});

describe('isAppUrl', () => {
  it.each([
    [APP_ENTRY_URL, true],
    ['app://sarix/', true],
    ['app://sarix.evil/', false],
    ['app://sarixx/', false],
    ['https://sarix/', false],
    ['', false],
  ])('%s → %s', (url, expected) => expect(isAppUrl(url)).toBe(expected));
});
