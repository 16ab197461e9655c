/**
 * Dark mode follows the operating system (nativeTheme) unless the technician picked Light or Dark in Settings:
 * the choice goes to nativeTheme.themeSource, so native menus, dialogs and the page's prefers-color-scheme
 * agree, and every OS change is pushed to the renderer as `appearance:state-changed` (Mantine's colour scheme).
 */
import { BrowserWindow, nativeTheme } from 'electron';
import type { Settings } from '../../shared/domain/settings';
import type { Appearance } from '../../shared/ipc/channels/appearance';
import type { Handlers } from '../composition/dispatch';
import type { EventSink } from '../composition/event-hub';
import { WINDOW_BACKGROUND } from './window';

/** The appearance as the renderer sees it. */
export function currentAppearance(): Appearance {
  return { source: 'system', isDark: nativeTheme.shouldUseDarkColors };
}

/** Applies the Settings theme to nativeTheme (auto → system). */
export function applyThemeSetting(theme: Settings['theme']): void {
  nativeTheme.themeSource = theme === 'auto' ? 'system' : theme;
}

/** Pushes OS theme changes to the windows; returns the handler of `appearance:get-state` and a stop function. */
export function wireAppearance(events: EventSink): { handlers: Pick<Handlers, 'appearance:get-state'>; stop: () => void } {
  const onUpdated = () => {
    const a = currentAppearance();
    for (const w of BrowserWindow.getAllWindows()) w.setBackgroundColor(a.isDark ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light);
    events.emit('appearance:state-changed', a);
  };
  nativeTheme.on('updated', onUpdated);
  return { handlers: { 'appearance:get-state': () => currentAppearance() }, stop: () => nativeTheme.removeListener('updated', onUpdated) };
}
