import type { WebContents } from 'electron';

/**
 * The webContents the app created itself. The IPC wrapper answers only these (plus an app:// origin check), and
 * events are pushed only to them; an entry leaves the set when its webContents is destroyed.
 */
export class TrustedWindows {
  private readonly byId = new Map<number, WebContents>();

  /** Trusts a webContents until it is destroyed. */
  add(contents: WebContents): void {
    this.byId.set(contents.id, contents);
    contents.once('destroyed', () => this.byId.delete(contents.id));
  }

  /** Whether this exact webContents is one of ours (same id and same object, so a reused id cannot pass). */
  has(contents: WebContents | null | undefined): boolean {
    return !!contents && this.byId.get(contents.id) === contents;
  }

  /** The live trusted webContents. */
  all(): WebContents[] {
    return [...this.byId.values()].filter((c) => !c.isDestroyed());
  }
}
