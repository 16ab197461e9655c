import { Alert, AppShell, Group, MantineProvider, NavLink, Text, Title, createTheme } from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import type { Settings } from '../../../shared/domain/settings';
import type { Appearance } from '../../../shared/ipc/channels/appearance';
import { api, isMissingToken } from '../api';
import { RelayNavBadge } from '../features/relay/relay-nav-badge';
import { RelayWebNotifier } from '../features/relay/web-notifications';
import type { CommissionPrefill } from '../features/wizard/commission-page';
import { pages, type PageId } from './pages';

const theme = createTheme({ primaryColor: 'teal', defaultRadius: 'md', fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif' });

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

/** The app shell: navigation on the left, one page at a time, theme from the settings. */
export function App() {
  const [page, setPage] = useState<PageId>(pageFromHash);
  const [colorScheme, setColorScheme] = useState<Settings['theme']>('auto');
  // The desktop app reports the OS theme (nativeTheme); the browser version follows prefers-color-scheme itself.
  const [appearance, setAppearance] = useState<Appearance>({ source: 'browser' });
  const [prefill, setPrefill] = useState<CommissionPrefill>({});
  useEffect(() => {
    const onHash = () => setPage(pageFromHash());
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
  const go = (id: PageId) => {
    location.hash = `#/${id}`;
    setPage(id);
  };
  let body: ReactNode = current.render({
    go,
    prefill,
    commission: (d) => {
      setPrefill((p) => ({ ...p, url: d.webUrl ?? `http://${d.ip}` }));
      go('commission');
    },
  });
  if (isMissingToken) {
    body = (
      <Alert color="red" title="This page needs the link printed by the app" role="alert">
        Open the exact URL that "npm run start:web" or "sarix serve" printed in the terminal: it carries a one-run access token.
      </Alert>
    );
  }
  return (
    <MantineProvider theme={theme} forceColorScheme={forcedScheme(colorScheme, appearance)} defaultColorScheme="auto">
      <AppShell header={{ height: 56 }} navbar={{ width: 230, breakpoint: 'sm' }} padding="lg">
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Title order={3}>Sarix Commissioner</Title>
            <Text size="sm" c="dimmed">
              Camera e-mail notifications, set up and proven
            </Text>
          </Group>
        </AppShell.Header>
        <AppShell.Navbar p="xs" aria-label="Main navigation">
          {pages.map((p) => (
            <NavLink key={p.id} label={p.label} description={p.hint} active={p.id === page} onClick={() => go(p.id)} href={`#/${p.id}`} rightSection={p.id === 'relay' ? <RelayNavBadge /> : undefined} />
          ))}
        </AppShell.Navbar>
        <AppShell.Main>{body}</AppShell.Main>
        {!isMissingToken && <RelayWebNotifier />}
      </AppShell>
    </MantineProvider>
  );
}
