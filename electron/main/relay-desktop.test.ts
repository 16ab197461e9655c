import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as electronModule from 'electron';
import { silentLogger } from '../services/common/logger';
import { RelayService } from '../services/relay/index';
import { FakeBrowserWindow, FakeNotification, FakeTray, type FakeElectron } from './fake-electron';
import { TRAY_HINT, trayTooltip, wireRelayDesktop } from './relay-desktop';
import { trayIconPng } from './tray-icon';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());
const electron = electronModule as unknown as FakeElectron;

let dir: string;
let relay: RelayService;
let undo: () => void;
const showWindow = vi.fn(async () => {});
const quit = vi.fn();

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'relay-desktop-'));
  relay = new RelayService({ dataDir: join(dir, 'relay'), logger: silentLogger });
  FakeNotification.instances.length = 0;
  FakeTray.instances.length = 0;
  FakeBrowserWindow.instances.length = 0;
  showWindow.mockClear();
  quit.mockClear();
});
afterEach(async () => {
  undo?.();
  await relay.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function send(port: number, localAddress: string, subject: string): Promise<void> {
  const t = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, localAddress, name: 'GateCam', logger: false });
  try {
    await t.sendMail({ from: 'cam@site.local', to: 'alarms@site.local', subject, text: 'x' });
  } finally {
    t.close();
  }
}

const titles = () => FakeNotification.instances.map((n) => `${n.options.title} | ${n.options.body}`);

describe('relay desktop glue (mocked electron)', () => {
  it('the tray says "relay running · N new · M queued", updates live, and its menu opens or quits', async () => {
    undo = wireRelayDesktop({ relay, showWindow, quit, hintFile: join(dir, 'hint'), log: silentLogger });
    const tray = FakeTray.instances[0];
    expect(tray.tooltip).toBe('Sarix Commissioner · relay stopped');
    const { port } = await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'] });
    await vi.waitFor(() => expect(tray.tooltip).toBe('Sarix Commissioner · relay running · 0 new · 0 queued'));
    await send(port, '127.0.0.31', 'Camera Sabotage');
    await vi.waitFor(() => expect(tray.tooltip).toBe('Sarix Commissioner · relay running · 1 new · 0 queued'));
    // The icon shows that something is new.
    expect((tray.image as { buffer: Buffer }).buffer.equals(trayIconPng('news'))).toBe(true);
    const items = tray.menu!.items;
    expect(items[0]).toMatchObject({ label: 'relay running · 1 new · 0 queued', enabled: false });
    items.find((i) => i.label === 'Open Sarix Commissioner')!.click!();
    expect(showWindow).toHaveBeenCalledOnce();
    items.find((i) => i.label === 'Quit (stops the relay)')!.click!();
    expect(quit).toHaveBeenCalledOnce();
    tray.emit('click');
    expect(showWindow).toHaveBeenCalledTimes(2);
    undo();
    expect(tray.isDestroyed).toBe(true);
  });

  it('notifies each new camera mail (named camera, subject) and each refusal; a click opens the window', async () => {
    undo = wireRelayDesktop({ relay, showWindow, quit, hintFile: join(dir, 'hint'), log: silentLogger });
    const { port } = await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.31'] });
    relay.cameras.setLabel('127.0.0.31', 'Gate North');
    await send(port, '127.0.0.31', 'Camera Sabotage');
    await vi.waitFor(() => expect(titles()).toContain('Camera mail from Gate North | Camera Sabotage'));
    await expect(send(port, '127.0.0.9', 'nope')).rejects.toThrow(/554/);
    await vi.waitFor(() => expect(titles()).toContain('Relay refused 127.0.0.9 | 127.0.0.9 is not on the allow-list. Open the relay (Sessions) to allow it.'));
    // The same address knocking again within a minute is one finding.
    await expect(send(port, '127.0.0.9', 'nope')).rejects.toThrow(/554/);
    expect(titles().filter((t) => t.startsWith('Relay refused 127.0.0.9'))).toHaveLength(1);
    expect(FakeNotification.instances.every((n) => n.show.mock.calls.length === 1)).toBe(true);
    FakeNotification.instances[0].emit('click');
    expect(showWindow).toHaveBeenCalledOnce();
  });

  it('a burst gives a few notifications and one summary', async () => {
    undo = wireRelayDesktop({ relay, showWindow, quit, hintFile: join(dir, 'hint'), log: silentLogger, burst: { max: 2, windowMs: 1500 } });
    const { port } = await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'] });
    for (let i = 0; i < 5; i++) await send(port, '127.0.0.31', `Motion ${i}`);
    await vi.waitFor(() => expect(titles()).toContain('3 more camera mails | Open the relay inbox to read them.'), { timeout: 10_000 });
    expect(titles().filter((t) => t.startsWith('Camera mail from'))).toHaveLength(2);
  });

  it('closing the window while the relay listens hides it to the tray and says so once; stopped, it closes', async () => {
    const hint = join(dir, 'hint');
    undo = wireRelayDesktop({ relay, showWindow, quit, hintFile: hint, log: silentLogger });
    await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.1'] });
    const win = new electron.BrowserWindow({});
    expect(win.close()).toBe(false);
    expect(win.hide).toHaveBeenCalledOnce();
    expect(titles()).toEqual([`Still running in the tray | ${TRAY_HINT}`]);
    expect(existsSync(hint)).toBe(true);
    expect(win.close()).toBe(false);
    expect(titles()).toHaveLength(1);
    // Quitting (tray menu, app menu, Cmd+Q) closes for real.
    electron.app.emit('before-quit', { preventDefault() {} });
    expect(win.close()).toBe(true);
    undo();
    // Without a running relay there is nothing to keep alive: the window closes.
    const quitHost = wireRelayDesktop({ relay, showWindow, quit, hintFile: hint, log: silentLogger });
    await relay.stop();
    const other = new electron.BrowserWindow({});
    expect(other.close()).toBe(true);
    quitHost();
  });

  it('in German (the app menu\'s language), the tray and the notifications read German', async () => {
    undo = wireRelayDesktop({ relay, showWindow, quit, hintFile: join(dir, 'hint'), log: silentLogger, language: () => 'de', burst: { max: 1, windowMs: 1500 } });
    const tray = FakeTray.instances[0];
    expect(tray.tooltip).toBe('Sarix Commissioner · Relay gestoppt');
    const { port } = await relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.31'] });
    relay.cameras.setLabel('127.0.0.31', 'Tor Nord');
    await send(port, '127.0.0.31', 'Kamerasabotage');
    await send(port, '127.0.0.31', 'Kamerasabotage 2');
    await vi.waitFor(() => expect(tray.tooltip).toBe('Sarix Commissioner · Relay läuft · 2 neu · 0 wartend'));
    expect(tray.menu!.items.map((i) => i.label).filter(Boolean)).toEqual(['Relay läuft · 2 neu · 0 wartend', 'Sarix Commissioner öffnen', 'Beenden (stoppt das Relay)']);
    await expect(send(port, '127.0.0.9', 'nope')).rejects.toThrow(/554/);
    await vi.waitFor(() => expect(titles()).toContain('1 weitere Kamera-E-Mail | Öffnen Sie den Posteingang des Relays, um sie zu lesen.'), { timeout: 10_000 });
    expect(titles()).toContain('Kamera-E-Mail von Tor Nord | Kamerasabotage');
    expect(titles()).toContain('Relay hat 127.0.0.9 abgewiesen | 127.0.0.9 steht nicht auf der Erlaubnisliste. Öffnen Sie das Relay (Sitzungen), um die Adresse zu erlauben.');
  });

  it('tooltip wording', () => {
    expect(trayTooltip({ status: 'listening' }, { unread: 3, queued: 2, refusedSessions: 1 })).toBe('Sarix Commissioner · relay running · 3 new · 2 queued · 1 refused');
    expect(trayTooltip({ status: 'stopped' }, { unread: 3, queued: 2, refusedSessions: 0 })).toBe('Sarix Commissioner · relay stopped');
    expect(trayIconPng('listening').subarray(1, 4).toString()).toBe('PNG');
  });
});
