/**
 * A stand-in for the `electron` module in main-process and preload tests (no Electron binary can run here). It
 * records what the code under test asks of Electron so tests can read it back: window options, registered
 * IPC handlers, session handlers, the object given to contextBridge. Test-only; never bundled.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

let nextId = 1;

/** A recorded webContents. */
export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | null = null;
  readonly send = vi.fn();
  setWindowOpenHandler(h: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = h;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Simulates the window closing. */
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

/** A recorded BrowserWindow. */
export class FakeBrowserWindow extends EventEmitter {
  static instances: FakeBrowserWindow[] = [];
  /** Told about every new window (the fake app emits 'browser-window-created' with it, like Electron). */
  static onCreated: ((w: FakeBrowserWindow) => void) | null = null;
  isHidden = false;
  readonly hide = vi.fn(() => {
    this.isHidden = true;
  });
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.webContents.destroyed);
  }
  readonly webContents = new FakeWebContents();
  readonly show = vi.fn(() => {
    this.isHidden = false;
  });
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  isMinimized(): boolean {
    return false;
  }
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
    FakeBrowserWindow.onCreated?.(this);
  }
  isVisible(): boolean {
    return !this.isHidden && !this.webContents.destroyed;
  }
  /** Simulates the user closing the window: 'close' listeners may prevent it; otherwise the window is destroyed. */
  close(): boolean {
    let isPrevented = false;
    this.emit('close', { preventDefault: () => (isPrevented = true) });
    if (!isPrevented) {
      this.webContents.destroy();
      this.emit('closed');
    }
    return !isPrevented;
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.url = url;
  }
}

/** A recorded desktop notification (Electron's main-process Notification). */
export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = [];
  static isSupported = vi.fn(() => true);
  readonly show = vi.fn();
  constructor(readonly options: { title?: string; body?: string }) {
    super();
    FakeNotification.instances.push(this);
  }
}

/** A recorded tray icon. */
export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = [];
  tooltip = '';
  title = '';
  menu: { items: Array<{ label?: string; type?: string; enabled?: boolean; click?: () => void }> } | null = null;
  image: unknown = null;
  isDestroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    FakeTray.instances.push(this);
  }
  setToolTip(t: string): void {
    this.tooltip = t;
  }
  setTitle(t: string): void {
    this.title = t;
  }
  setImage(i: unknown): void {
    this.image = i;
  }
  setContextMenu(m: FakeTray['menu']): void {
    this.menu = m;
  }
  destroy(): void {
    this.isDestroyed = true;
  }
}

/** A recorded session. */
export function fakeSession() {
  return {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setDevicePermissionHandler: vi.fn(),
    protocol: { handle: vi.fn() },
  };
}

/** A builder of the whole fake module (call inside vi.mock's factory). */
export function createFakeElectron() {
  const ipcHandlers = new Map<string, (event: unknown, arg: unknown) => unknown>();
  const ipcRenderer = Object.assign(new EventEmitter(), { invoke: vi.fn() });
  FakeBrowserWindow.onCreated = (w) => app.emit('browser-window-created', { preventDefault() {} }, w);
  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(async () => {}),
    getPath: vi.fn(() => '/nonexistent/user-data'),
  });
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    protocol: { registerSchemesAsPrivileged: vi.fn() },
    session: { defaultSession: fakeSession() },
    shell: { openExternal: vi.fn(async () => {}) },
    ipcMain: Object.assign(new EventEmitter(), {
      handlers: ipcHandlers,
      handle: vi.fn((channel: string, fn: (event: unknown, arg: unknown) => unknown) => {
        if (ipcHandlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
        ipcHandlers.set(channel, fn);
      }),
      removeHandler: vi.fn((channel: string) => ipcHandlers.delete(channel)),
    }),
    contextBridge: { exposeInMainWorld: vi.fn() },
    Notification: FakeNotification,
    Tray: FakeTray,
    Menu: { buildFromTemplate: vi.fn((items: NonNullable<FakeTray['menu']>['items']) => ({ items })), setApplicationMenu: vi.fn() },
    nativeImage: { createFromBuffer: vi.fn((buffer: Buffer) => ({ buffer, isEmpty: () => buffer.length === 0 })) },
    ipcRenderer,
    safeStorage: {
      isEncryptionAvailable: vi.fn(() => true),
      getSelectedStorageBackend: vi.fn(() => 'gnome_libsecret'),
      encryptString: vi.fn((s: string) => Buffer.from(s, 'utf8')),
      decryptString: vi.fn((b: Buffer) => b.toString('utf8')),
    },
  };
}

/** The type of the fake module, for casting `import * as electron from 'electron'` in tests. */
export type FakeElectron = ReturnType<typeof createFakeElectron>;
