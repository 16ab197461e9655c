import { NavLink, ScrollArea } from '@mantine/core';
import type { KeyboardEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageEntry, PageId } from './pages';

/** The id of the navigation list (the menu button controls it). */
export const NAV_ID = 'main-navigation';

/**
 * The main navigation: one link per page (real links, so Tab, Enter and a middle-click work), the current page
 * marked with aria-current. Arrow keys, Home and End move between the links as in a menu bar; Escape asks the shell
 * to close the menu (below 768 px it covers the page while open).
 */
export function Navigation({ pages, current, onGo, onEscape, badge }: { pages: readonly PageEntry[]; current: PageId; onGo: (id: PageId) => void; onEscape?: () => void; badge?: (id: PageId) => ReactNode }) {
  const { t } = useTranslation();
  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape') {
      onEscape?.();
      return;
    }
    const links = [...e.currentTarget.querySelectorAll<HTMLAnchorElement>('a[data-nav-link]')];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: links.length - 1 }[e.key];
    if (to === undefined || links.length === 0) return;
    e.preventDefault();
    links[(to + links.length) % links.length].focus();
  };
  return (
    <ScrollArea type="auto" h="100%">
      <nav id={NAV_ID} aria-label={t('app.mainNavigation')} onKeyDown={onKeyDown}>
        {pages.map((p) => (
          <NavLink
            key={p.id}
            data-nav-link
            label={t(p.labelKey)}
            description={p.hintKey ? t(p.hintKey) : undefined}
            active={p.id === current}
            aria-current={p.id === current ? 'page' : undefined}
            href={`#/${p.id}`}
            rightSection={badge?.(p.id)}
            onClick={(e) => {
              // Plain clicks stay in the app; a middle-click or Ctrl-click may open the page in a new tab.
              if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey) return;
              e.preventDefault();
              onGo(p.id);
            }}
          />
        ))}
      </nav>
    </ScrollArea>
  );
}
