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
  static getAllWindows(): FakeBrowserWindow[] {
    return FakeBrowserWindow.instances.filter((w) => !w.webContents.destroyed);
  }
  readonly webContents = new FakeWebContents();
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  isMinimized(): boolean {
    return false;
  }
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.url = url;
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
