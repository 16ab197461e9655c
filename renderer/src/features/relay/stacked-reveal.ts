import { useCallback, useRef, type RefObject } from 'react';

/**
 * A list beside a reader (`.split-pane` in shell.css) folds into one column on a narrow window: the reader is then
 * below the list, out of sight, and opening an item seemed to do nothing. This hook scrolls the reader into view
 * when an item is opened in that layout (and gives it the focus, so a screen reader follows), and brings the page
 * back to where the list was for the reader's Back button. Side by side, it does nothing.
 */
export function useStackedReveal(list: RefObject<HTMLElement | null>) {
  const reader = useRef<HTMLDivElement>(null);
  /** The page's scroll position when the item was opened (the list as the technician left it). */
  const returnTo = useRef<number | null>(null);

  /** Whether the reader sits below the list (one column) rather than beside it. */
  const isStacked = useCallback(() => {
    const l = list.current?.getBoundingClientRect();
    const r = reader.current?.getBoundingClientRect();
    return !!l && !!r && r.top >= l.bottom - 1;
  }, [list]);

  /** Call when an item is opened from the list: in one column, shows the reader. */
  const reveal = useCallback(() => {
    const el = reader.current;
    if (!el || !isStacked()) return;
    returnTo.current = window.scrollY;
    // After React has put the opened item in (the reader keeps its height at least a screen, see shell.css).
    requestAnimationFrame(() => {
      el.scrollIntoView({ block: 'start' });
      el.focus({ preventScroll: true });
    });
  }, [isStacked]);

  /** The reader's Back: the page returns to the list where it was, and `focus` (the opened row) gets the focus. */
  const back = useCallback(
    (focus?: HTMLElement | null) => {
      if (returnTo.current !== null) window.scrollTo({ top: returnTo.current });
      else list.current?.scrollIntoView({ block: 'nearest' });
      returnTo.current = null;
      (focus ?? list.current)?.focus({ preventScroll: true });
    },
    [list],
  );

  return { reader, reveal, back };
}
