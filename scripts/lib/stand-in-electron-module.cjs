// A stand-in for the `electron` module, used only by the packaging smoke test: it is copied into the extracted
// app.asar as node_modules/electron so the packed main process can boot in plain Node (no Electron binary can run
// here). It records what main asks of Electron on globalThis.__standInElectron for boot-packed-main.mjs to check.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: electron-log require()s electron, and
   Node can only see the named exports ESM main imports when they are plain `exports.x =` assignments. */
const { EventEmitter } = require('node:events');
const { join } = require('node:path');

let windowLoaded;
let quitted;
const rec = (globalThis.__standInElectron ??= {
  windows: [],
  handlers: new Map(),
  protocolHandlers: new Map(),
  privileged: [],
  permission: {},
  opened: [],
  sandbox: false,
  quit: false,
  exitCode: undefined,
  userData: process.env.STANDIN_USER_DATA,
  crashReporter: null,
  menu: null,
  trays: [],
  notifications: [],
  windowLoaded: new Promise((resolve) => (windowLoaded = resolve)),
  quitted: new Promise((resolve) => (quitted = resolve)),
});

let nextId = 1;
class WebContents extends EventEmitter {
  constructor() {
    super();
    this.id = nextId++;
    this.url = '';
    this.sent = [];
    this.windowOpenHandler = null;
  }
  send(channel, payload) {
    this.sent.push([channel, payload]);
  }
  setWindowOpenHandler(h) {
    this.windowOpenHandler = h;
  }
  getURL() {
    return this.url;
  }
  isDestroyed() {
    return false;
  }
}

const app = Object.assign(new EventEmitter(), {
  isPackaged: true,
  name: 'Sarix Commissioner',
  getName: () => 'Sarix Commissioner',
  getVersion: () => '0.0.0',
  enableSandbox: () => void (rec.sandbox = true),
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  getPath: (name) => join(rec.userData, name),
  // Electron 45 has these; the app menu's language follows the system's (electron/main).
  getLocale: () => 'en-US',
  getPreferredSystemLanguages: () => ['en-US'],
  getSystemLocale: () => 'en-US',
  quit: () => {
    rec.quit = true;
    quitted();
  },
  exit: (code) => void (rec.exitCode = code),
});

class BrowserWindow extends EventEmitter {
  static getAllWindows() {
    return rec.windows;
  }
  static getFocusedWindow() {
    return rec.windows[0] ?? null;
  }
  constructor(options) {
    super();
    this.options = options;
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.webContents = new WebContents();
    rec.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  async loadURL(url) {
    this.webContents.url = url;
    windowLoaded(this);
  }
  show() {}
  focus() {}
  restore() {}
  maximize() {}
  setBackgroundColor() {}
  isMinimized() {
    return false;
  }
  isMaximized() {
    return false;
  }
  isFullScreen() {
    return false;
  }
  isDestroyed() {
    return false;
  }
  getBounds() {
    return { ...this.bounds };
  }
  getNormalBounds() {
    return { ...this.bounds };
  }
  setBounds(b) {
    this.bounds = { ...b };
  }
}

const ipcMain = Object.assign(new EventEmitter(), {
  handle(channel, fn) {
    if (rec.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    rec.handlers.set(channel, fn);
  },
  removeHandler(channel) {
    rec.handlers.delete(channel);
  },
});

const defaultSession = {
  setPermissionRequestHandler: (h) => void (rec.permission.request = h),
  setPermissionCheckHandler: (h) => void (rec.permission.check = h),
  setDevicePermissionHandler: (h) => void (rec.permission.device = h),
  protocol: { handle: (scheme, h) => void rec.protocolHandlers.set(scheme, h) },
};

exports.app = app;
exports.BrowserWindow = BrowserWindow;
exports.ipcMain = ipcMain;
exports.session = { defaultSession };
exports.protocol = { registerSchemesAsPrivileged: (schemes) => void rec.privileged.push(...schemes) };
exports.shell = { openExternal: async (url) => void rec.opened.push(url) };
exports.safeStorage = {
  isEncryptionAvailable: () => false,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: () => {
    throw new Error('stand-in: no encryption');
  },
  decryptString: () => {
    throw new Error('stand-in: no encryption');
  },
};
exports.webContents = { getAllWebContents: () => rec.windows.map((w) => w.webContents) };
exports.dialog = { showErrorBox: () => {}, showOpenDialog: async () => ({ canceled: true, filePaths: [] }), showSaveDialog: async () => ({ canceled: true }), showMessageBox: async () => ({ response: 0 }) };
exports.crashReporter = { start: (o) => void (rec.crashReporter = o) };
exports.Menu = { buildFromTemplate: (t) => ({ template: t }), setApplicationMenu: (m) => void (rec.menu = m) };
/* The relay's desktop side (electron/main/relay-desktop.ts): a tray icon and notifications. */
exports.nativeImage = { createFromBuffer: (buffer) => ({ buffer, isEmpty: () => buffer.length === 0 }) };
class Notification extends EventEmitter {
  constructor(o) {
    super();
    this.options = o;
  }
  static isSupported() {
    return true;
  }
  show() {
    rec.notifications.push(this.options);
  }
}
exports.Notification = Notification;
class Tray extends EventEmitter {
  constructor(image) {
    super();
    this.image = image;
    rec.trays.push(this);
  }
  setImage(image) {
    this.image = image;
  }
  setToolTip(t) {
    this.toolTip = t;
  }
  setTitle(t) {
    this.title = t;
  }
  setContextMenu(m) {
    this.menu = m;
  }
  destroy() {
    this.isDestroyed = true;
  }
}
exports.Tray = Tray;
exports.nativeTheme = Object.assign(new EventEmitter(), { shouldUseDarkColors: false, themeSource: 'system' });
exports.screen = Object.assign(new EventEmitter(), {
  getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
});
