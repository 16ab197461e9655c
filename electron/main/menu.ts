/**
 * The application menu: the platform's standard roles (Edit for copy/paste in forms, View for zoom, Window),
 * plus the field tool's own entries where desktop apps put them: File > Install Update from File…, Help > Save
 * Support Bundle…, and About (the app menu on macOS, Help elsewhere).
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import { translate } from '../../shared/i18n/i18n';
import type { Language } from '../../shared/i18n/languages';

/** What the menu entries do (the composition root wires them). */
export interface MenuActions {
  installUpdateFromFile(): void;
  saveSupportBundle(): void;
  showAbout(): void;
}

/**
 * The menu template for a platform (pure, so each platform's layout is testable here), in the UI language; the
 * standard roles (Edit, Window, Quit...) are labelled by Electron in the system's language.
 */
export function appMenuTemplate(a: MenuActions, platform: NodeJS.Platform, isDevToolsAllowed: boolean, language: Language = 'en'): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const t = (key: string) => translate(language, key);
  const about: MenuItemConstructorOptions = { label: t('menu.about'), click: () => a.showAbout() };
  const update: MenuItemConstructorOptions = { label: t('menu.installUpdate'), click: () => a.installUpdateFromFile() };
  const bundle: MenuItemConstructorOptions = { label: t('menu.supportBundle'), click: () => a.saveSupportBundle() };
  const view: MenuItemConstructorOptions[] = [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }];
  if (isDevToolsAllowed) view.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });
  return [
    ...(isMac
      ? [{ label: 'Sarix Commissioner', submenu: [about, update, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions]
      : []),
    { label: t('menu.file'), submenu: isMac ? [{ role: 'close' }] : [update, { type: 'separator' }, { role: 'quit' }] },
    { role: 'editMenu' },
    { label: t('menu.view'), submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: isMac ? [bundle] : [bundle, { type: 'separator' }, about] },
  ];
}

/** Installs the application menu (again when the language changes). */
export function installAppMenu(a: MenuActions, isDevToolsAllowed: boolean, language: Language = 'en'): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate(a, process.platform, isDevToolsAllowed, language)));
}
