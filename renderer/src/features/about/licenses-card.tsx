import { Accordion, Badge, Card, Group, Loader, ScrollArea, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';

/** One third-party package as the build wrote it (scripts/lib/licenses.mjs). */
interface LicenseEntry {
  name: string;
  version: string;
  license: string;
  repository?: string;
  text: string;
}

/** Where the build puts the list: beside index.html, in every renderer build. */
const LICENSES_URL = './third-party-licenses.json';

/** The licences of the third-party packages this build ships, generated at build time; searchable. */
export function LicensesCard({ isDesktop }: { isDesktop: boolean }) {
  const { t } = useTranslation();
  const [entries, setEntries] = useState<LicenseEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  useEffect(() => {
    let alive = true;
    fetch(LICENSES_URL)
      .then(async (r) => {
        if (!r.ok) throw new Error(`HTTP ${r.status}`);
        const body = (await r.json()) as { packages: LicenseEntry[] };
        if (alive) setEntries(body.packages);
      })
      .catch((e: unknown) => alive && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      alive = false;
    };
  }, []);
  const shown = useMemo(() => {
    const q = filter.trim().toLowerCase();
    return (entries ?? []).filter((e) => !q || e.name.toLowerCase().includes(q) || e.license.toLowerCase().includes(q));
  }, [entries, filter]);

  return (
    <Card withBorder data-testid="licenses">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h3">{t('about.licenses.title')}</Title>
          {entries && <Badge color="gray">{t('about.licenses.count', { n: entries.length })}</Badge>}
        </Group>
        <Text size="sm" c="dimmed">
          {t('about.licenses.intro')}
          {isDesktop ? ` ${t('about.licenses.chromium')}` : ''}
        </Text>
        {error && (
          <Text size="sm" c="red" role="alert">
            {t('about.licenses.missing', { error })}
          </Text>
        )}
        {!entries && !error && <Loader size="sm" aria-label={t('about.licenses.loading')} />}
        {entries && (
          <>
            <TextInput label={t('about.licenses.find')} placeholder={t('about.licenses.findPlaceholder')} value={filter} onChange={(e) => setFilter(e.currentTarget.value)} maw={360} />
            <ScrollArea.Autosize mah={480} type="auto">
              <Accordion variant="contained" chevronPosition="left">
                {shown.map((e) => (
                  <Accordion.Item key={`${e.name}@${e.version}`} value={`${e.name}@${e.version}`}>
                    <Accordion.Control>
                      <Group justify="space-between" wrap="nowrap" pr="sm">
                        <Text size="sm" ff="monospace">
                          {e.name} <Text span c="dimmed" size="sm">{e.version}</Text>
                        </Text>
                        <Badge variant="light" size="sm">
                          {e.license}
                        </Badge>
                      </Group>
                    </Accordion.Control>
                    <Accordion.Panel>
                      {e.repository && (
                        <Text size="xs" c="dimmed" mb={4}>
                          {e.repository}
                        </Text>
                      )}
                      <Text size="xs" ff="monospace" style={{ whiteSpace: 'pre-wrap' }}>
                        {e.text || t('about.licenses.noFile', { license: e.license })}
                      </Text>
                    </Accordion.Panel>
                  </Accordion.Item>
                ))}
              </Accordion>
            </ScrollArea.Autosize>
            {shown.length === 0 && <Text size="sm">{t('about.licenses.noMatch', { filter })}</Text>}
          </>
        )}
      </Stack>
    </Card>
  );
}
