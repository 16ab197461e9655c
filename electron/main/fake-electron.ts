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
  readonly executeJavaScript = vi.fn(async () => undefined);
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
  static getFocusedWindow(): FakeBrowserWindow | null {
    return FakeBrowserWindow.getAllWindows()[0] ?? null;
  }
  readonly webContents = new FakeWebContents();
  readonly show = vi.fn(() => {
    this.isHidden = false;
  });
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  readonly setBackgroundColor = vi.fn();
  readonly maximize = vi.fn(() => {
    this.maximized = true;
  });
  bounds: { x: number; y: number; width: number; height: number };
  maximized = false;
  fullScreen = false;
  isMinimized(): boolean {
    return false;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  isDestroyed(): boolean {
    return this.webContents.destroyed;
  }
  getBounds() {
    return { ...this.bounds };
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  /** Moves or resizes the window and emits what Electron emits. */
  setBounds(b: { x: number; y: number; width: number; height: number }): void {
    const moved = b.x !== this.bounds.x || b.y !== this.bounds.y;
    this.bounds = { ...b };
    this.emit(moved ? 'move' : 'resize');
  }
  constructor(readonly options: { webPreferences?: Record<string, unknown> } & Record<string, unknown>) {
    super();
    const o = options as { x?: number; y?: number; width?: number; height?: number };
    this.bounds = { x: o.x ?? 0, y: o.y ?? 0, width: o.width ?? 800, height: o.height ?? 600 };
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

/** A fake `screen`: set `displays` (work areas; the first is primary) and emit display events. */
export function fakeScreen() {
  return Object.assign(new EventEmitter(), {
    displays: [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] as Array<{ workArea: { x: number; y: number; width: number; height: number } }>,
    getAllDisplays() {
      return this.displays;
    },
    getPrimaryDisplay() {
      return this.displays[0];
    },
  });
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
    getPath: vi.fn((_name?: string): string => '/nonexistent/user-data'),
    getVersion: vi.fn(() => '0.1.0'),
    getLocale: vi.fn(() => 'en-US'),
    getPreferredSystemLanguages: vi.fn((): string[] => ['en-US']),
    setAboutPanelOptions: vi.fn(),
  });
  return {
    app,
    BrowserWindow: FakeBrowserWindow,
    protocol: { registerSchemesAsPrivileged: vi.fn() },
    session: { defaultSession: fakeSession() },
    shell: { openExternal: vi.fn(async () => {}), showItemInFolder: vi.fn() },
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
    nativeImage: { createFromBuffer: vi.fn((buffer: Buffer) => ({ buffer, isEmpty: () => buffer.length === 0 })) },
    screen: fakeScreen(),
    nativeTheme: Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: 'system' as 'system' | 'light' | 'dark' }),
    dialog: {
      showOpenDialog: vi.fn(async (..._a: unknown[]) => ({ canceled: true, filePaths: [] as string[] })),
      showSaveDialog: vi.fn(async (..._a: unknown[]) => ({ canceled: true, filePath: '' })),
      showMessageBox: vi.fn(async (..._a: unknown[]) => ({ response: 0, checkboxChecked: false })),
    },
    crashReporter: { start: vi.fn() },
    // `template` for the app menu's tests, `items` for the tray's: the same array.
    Menu: { buildFromTemplate: vi.fn((template: NonNullable<FakeTray['menu']>['items']) => ({ template, items: template })), setApplicationMenu: vi.fn() },
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
