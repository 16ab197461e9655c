import { Alert, AppShell, Box, Burger, Group, MantineProvider, Text, createTheme } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useEffect, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../shared/domain/discovery';
import type { Settings } from '../../../shared/domain/settings';
import type { Appearance } from '../../../shared/ipc/channels/appearance';
import { api, isMissingToken } from '../api';
import { RelayNavBadge } from '../features/relay/relay-nav-badge';
import { RelayWebNotifier } from '../features/relay/web-notifications';
import type { CommissionPrefill } from '../features/wizard/commission-page';
import { NAV_ID, Navigation } from './navigation';
import { pages, type PageId } from './pages';
import './shell.css';

// Page titles are h1 (one per page); a smaller h1 than Mantine's default keeps the layout calm on a phone.
const theme = createTheme({
  primaryColor: 'teal',
  defaultRadius: 'md',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  headings: { sizes: { h1: { fontSize: '1.75rem', lineHeight: '1.3' }, h2: { fontSize: '1.35rem', lineHeight: '1.35' }, h3: { fontSize: '1.15rem', lineHeight: '1.4' } } },
});

/** The id of the main region (the skip link's target). */
export const MAIN_ID = 'main-content';

function pageFromHash(): PageId {
  const id = location.hash.replace(/^#\/?/, '') as PageId;
  return pages.some((p) => p.id === id) ? id : pages[0].id;
}

/** The colour scheme to force: the Settings choice, else the OS theme the desktop app reports, else none (auto). */
function forcedScheme(choice: Settings['theme'], a: Appearance): 'light' | 'dark' | undefined {
  if (choice !== 'auto') return choice;
  if (a.source === 'system' && a.isDark !== undefined) return a.isDark ? 'dark' : 'light';
  return undefined;
}

/** Moves the focus to the page's h1 (or the main region), so a screen reader announces the new page. */
function focusPageTitle(main: HTMLElement | null): void {
  if (!main) return;
  const h1 = main.querySelector<HTMLElement>('h1');
  const target = h1 ?? main;
  if (h1 && !h1.hasAttribute('tabindex')) h1.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: false });
}

/**
 * The app shell: a skip link, the header, the navigation (a menu button opens it below 768 px, where it would
 * otherwise cover the page) and one page at a time in the main region; theme from the settings.
 */
export function App() {
  const { t, i18n } = useTranslation();
  const [page, setPage] = useState<PageId>(pageFromHash);
  const [colorScheme, setColorScheme] = useState<Settings['theme']>('auto');
  // The desktop app reports the OS theme (nativeTheme); the browser version follows prefers-color-scheme itself.
  const [appearance, setAppearance] = useState<Appearance>({ source: 'browser' });
  const [prefill, setPrefill] = useState<CommissionPrefill>({});
  const [selection, setSelection] = useState<Device[]>([]);
  const [isNavOpen, nav] = useDisclosure(false);
  // Below Mantine's `sm` breakpoint (48em = 768 px) the navigation folds away behind the menu button.
  const isNarrow = useMediaQuery('(max-width: 47.99em)') ?? false;
  const isNavHidden = isNarrow && !isNavOpen;
  const mainRef = useRef<HTMLElement>(null);
  const burgerRef = useRef<HTMLButtonElement>(null);
  const hasNavigated = useRef(false);
  useEffect(() => {
    const onHash = () => {
      hasNavigated.current = true;
      setPage(pageFromHash());
    };
    window.addEventListener('hashchange', onHash);
    void api.appGetSettings({}).then((r) => r.ok && setColorScheme(r.value.theme));
    void api.appearanceGetState({}).then((r) => r.ok && setAppearance(r.value));
    const offAppearance = api.onAppearanceStateChanged(setAppearance);
    // Practice mode: offer the simulated camera and the relay as the wizard's defaults.
    void api.practiceGetState({}).then((r) => {
      if (r.ok && r.value.status === 'running' && r.value.camera) {
        const cam = r.value.camera;
        setPrefill((p) => ({ url: cam.url, smtpServer: r.value.smtpServer, ntpServer: '127.0.0.1', to: 'technician@site.example', from: 'practicecam@site.example', ...p }));
      }
    });
    const off = api.onAppSettingsChanged(({ settings }) => setColorScheme(settings.theme));
    return () => {
      window.removeEventListener('hashchange', onHash);
      off();
      offAppearance();
    };
  }, []);
  const current = pages.find((p) => p.id === page) ?? pages[0];
  useEffect(() => {
    document.title = t('app.windowTitle', { page: t(current.labelKey) });
    // Not on the first load (the focus stays at the top of the document, where the skip link is).
    if (hasNavigated.current) requestAnimationFrame(() => focusPageTitle(mainRef.current));
  }, [current, t, i18n.language]);
  const go = (id: PageId) => {
    hasNavigated.current = true;
    nav.close();
    if (location.hash !== `#/${id}`) location.hash = `#/${id}`;
    setPage(id);
  };
  // Escape closes the open menu wherever the focus is (the menu covers the page below 768 px).
  useEffect(() => {
    if (!isNavOpen || !isNarrow) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      nav.close();
      burgerRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [isNavOpen, isNarrow, nav]);
  const skipToMain = (e: MouseEvent<HTMLAnchorElement>) => {
    // The hash is the router here: the skip link moves the focus without changing it.
    e.preventDefault();
    nav.close();
    focusPageTitle(mainRef.current);
  };
  let body: ReactNode = current.render({
    go,
    prefill,
    commission: (d) => {
      setPrefill((p) => ({ ...p, url: d.webUrl ?? `http://${d.ip}` }));
      go('commission');
    },
    commissionUrl: (url) => {
      setPrefill((p) => ({ ...p, url }));
      go('commission');
    },
    selection,
    commissionMany: (devices) => {
      setSelection(devices);
      go('site');
    },
  });
  if (isMissingToken) {
    body = (
      <Alert color="red" title={t('common.missingToken.title')} role="alert">
        {t('common.missingToken.body')}
      </Alert>
    );
  }
  return (
    <MantineProvider theme={theme} forceColorScheme={forcedScheme(colorScheme, appearance)} defaultColorScheme="auto">
      <a className="skip-link" href={`#${MAIN_ID}`} onClick={skipToMain}>
        {t('app.skipToMain')}
      </a>
      <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !isNavOpen } }} padding={{ base: 'sm', sm: 'lg' }}>
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between" wrap="nowrap">
            <Group gap="sm" wrap="nowrap">
              <Burger ref={burgerRef} opened={isNavOpen} onClick={nav.toggle} hiddenFrom="sm" size="sm" aria-label={isNavOpen ? t('app.closeNavigation') : t('app.openNavigation')} aria-expanded={isNavOpen} aria-controls={NAV_ID} />
              <Text fw={700} size="lg" data-testid="app-name">
                Sarix Commissioner
              </Text>
            </Group>
            <Text size="sm" c="dimmed" visibleFrom="md" ta="right">
              {t('app.tagline')}
            </Text>
          </Group>
        </AppShell.Header>
        {/* A folded-away navigation is out of the tab order and of the accessibility tree, not only out of sight. */}
        <AppShell.Navbar p="xs" inert={isNavHidden} style={isNavHidden ? { visibility: 'hidden' } : undefined}>
          <Navigation pages={pages} current={page} onGo={go} badge={(id) => (id === 'relay' ? <RelayNavBadge /> : undefined)} />
        </AppShell.Navbar>
        <AppShell.Main id={MAIN_ID} ref={mainRef} tabIndex={-1}>
          <Box maw={1600}>
            {body}
          </Box>
        </AppShell.Main>
        {!isMissingToken && <RelayWebNotifier />}
      </AppShell>
    </MantineProvider>
  );
}
