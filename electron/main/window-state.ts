/**
 * Remembers the main window's size, position and maximised state between runs (`<userData>/window-state.json`),
 * and keeps the window reachable when monitors change: a laptop that was docked to a second screen yesterday
 * must not open the app off-screen today. The placement rule is a pure function with table tests; the glue
 * listens to the window and to `screen`.
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../services/common/logger';

/** A rectangle in screen coordinates (DIP). */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is stored. */
export const WindowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(1),
  height: z.number().int().min(1),
  isMaximized: z.boolean().default(false),
  isFullScreen: z.boolean().default(false),
});
/** What is stored. */
export type WindowState = z.infer<typeof WindowStateSchema>;

/** Size limits of the window. */
export interface WindowLimits {
  defaultWidth: number;
  defaultHeight: number;
  minWidth: number;
  minHeight: number;
}

/** How much of the title bar must be on a display for the window to count as reachable. */
const GRAB_WIDTH = 120;
const GRAB_HEIGHT = 40;

function overlap(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const r = Math.min(a.x + a.width, b.x + b.width);
  const btm = Math.min(a.y + a.height, b.y + b.height);
  return r > x && btm > y ? { x, y, width: r - x, height: btm - y } : null;
}

function centred(width: number, height: number, area: Rect): Rect {
  return { x: Math.round(area.x + (area.width - width) / 2), y: Math.round(area.y + (area.height - height) / 2), width, height };
}

/**
 * Where to put the window: the saved bounds when the top strip of the window (where the title bar is) is
 * visible on some display's work area, shrunk to fit that display; otherwise the default size centred on the
 * primary display. `workAreas[0]` is the primary display.
 */
export function placeWindow(saved: Rect | undefined, workAreas: Rect[], limits: WindowLimits): Rect {
  const primary = workAreas[0] ?? { x: 0, y: 0, width: limits.defaultWidth, height: limits.defaultHeight };
  const fallback = () => centred(Math.min(limits.defaultWidth, primary.width), Math.min(limits.defaultHeight, primary.height), primary);
  if (!saved) return fallback();
  const titleStrip: Rect = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(GRAB_HEIGHT, saved.height) };
  let best: { area: Rect; size: number } | null = null;
  for (const area of workAreas) {
    const o = overlap(titleStrip, area);
    if (o && o.width >= Math.min(GRAB_WIDTH, saved.width) && o.height >= Math.min(GRAB_HEIGHT / 2, titleStrip.height)) {
      const full = overlap(saved, area);
      const size = full ? full.width * full.height : 0;
      if (!best || size > best.size) best = { area, size };
    }
  }
  if (!best) return fallback();
  const a = best.area;
  const width = Math.max(Math.min(saved.width, a.width), Math.min(limits.minWidth, a.width));
  const height = Math.max(Math.min(saved.height, a.height), Math.min(limits.minHeight, a.height));
  // Pull it fully inside the chosen display when it sticks out.
  const x = Math.min(Math.max(saved.x, a.x), a.x + a.width - width);
  const y = Math.min(Math.max(saved.y, a.y), a.y + a.height - height);
  return { x, y, width, height };
}

/** Reads the saved state; undefined when there is none or it is unreadable. */
export function loadWindowState(userDataPath: string): WindowState | undefined {
  try {
    const parsed = WindowStateSchema.safeParse(JSON.parse(readFileSync(join(userDataPath, 'window-state.json'), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the state atomically (a crash mid-write must not leave a half file). */
export function saveWindowState(userDataPath: string, state: WindowState, log?: Logger): void {
  const file = join(userDataPath, 'window-state.json');
  try {
    writeFileSync(`${file}.tmp`, JSON.stringify(state) + '\n', { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  } catch (e) {
    log?.warn('could not remember the window position', e instanceof Error ? e.message : e);
  }
}

/** The part of a BrowserWindow the keeper uses. */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  getBounds(): Rect;
  setBounds(r: Rect): void;
  isMaximized(): boolean;
  isFullScreen(): boolean;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'close' | 'maximize' | 'unmaximize', fn: () => void): unknown;
}

/** The part of Electron's `screen` the keeper uses. */
export interface ScreenLike {
  getAllDisplays(): Array<{ workArea: Rect }>;
  getPrimaryDisplay(): { workArea: Rect };
  on(event: 'display-added' | 'display-removed' | 'display-metrics-changed', fn: () => void): unknown;
  removeListener(event: 'display-added' | 'display-removed' | 'display-metrics-changed', fn: () => void): unknown;
}

/** Work areas with the primary display first. */
export function workAreasOf(screen: ScreenLike): Rect[] {
  const primary = screen.getPrimaryDisplay().workArea;
  const others = screen.getAllDisplays().map((d) => d.workArea).filter((a) => !(a.x === primary.x && a.y === primary.y && a.width === primary.width && a.height === primary.height));
  return [primary, ...others];
}

/**
 * Saves the window's normal bounds when it moves, resizes or closes (debounced), and moves it back on-screen
 * when a display is removed or rearranged. Returns a stop function.
 */
export function keepWindowState(win: TrackedWindow, screen: ScreenLike, o: { userDataPath: string; limits: WindowLimits; log?: Logger; debounceMs?: number }): () => void {
  let timer: NodeJS.Timeout | undefined;
  const save = () => {
    if (win.isDestroyed() || win.isMinimized()) return;
    const b = win.getNormalBounds();
    saveWindowState(o.userDataPath, { ...b, isMaximized: win.isMaximized(), isFullScreen: win.isFullScreen() }, o.log);
  };
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(save, o.debounceMs ?? 500);
  };
  for (const ev of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(ev, later);
  win.on('close', () => {
    clearTimeout(timer);
    save();
  });
  const refit = () => {
    if (win.isDestroyed() || win.isMaximized() || win.isFullScreen()) return;
    const now = win.getBounds();
    const next = placeWindow(now, workAreasOf(screen), o.limits);
    if (next.x !== now.x || next.y !== now.y || next.width !== now.width || next.height !== now.height) {
      o.log?.info('moved the window back onto a screen after a display change', { from: now, to: next });
      win.setBounds(next);
    }
  };
  for (const ev of ['display-added', 'display-removed', 'display-metrics-changed'] as const) screen.on(ev, refit);
  return () => {
    clearTimeout(timer);
    for (const ev of ['display-added', 'display-removed', 'display-metrics-changed'] as const) screen.removeListener(ev, refit);
  };
}
