import { Badge, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { useCall } from '../../app/use-call';
import { LicensesCard } from './licenses-card';

/** Shows what `app:get-info` reports (version, host kind, platform, runtime versions, data folder) and the licenses. */
export function AboutPage() {
  const { t } = useTranslation();
  const info = useCall(() => api.appGetInfo({}));
  return (
    <Stack>
      <Title order={1}>{t('about.title')}</Title>
      {info.isLoading && <Loader size="sm" aria-label={t('about.loading')} />}
      {info.error && <ErrorAlert error={info.error} title={t('about.loadFailed')} />}
      {info.data && (
        <Card withBorder data-testid="app-info">
          <Group mb="sm">
            <Text fw={600}>{info.data.name}</Text>
            <Badge data-testid="app-version">v{info.data.version}</Badge>
            <Badge color="gray" data-testid="host-kind">
              {t('about.host', { kind: info.data.hostKind })}
            </Badge>
          </Group>
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>{t('about.platform')}</Table.Th>
                <Table.Td data-testid="platform">
                  {info.data.platform} / {info.data.arch}
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>Node</Table.Th>
                <Table.Td>{info.data.versions.node}</Table.Td>
              </Table.Tr>
              {info.data.versions.electron && (
                <Table.Tr>
                  <Table.Th>Electron</Table.Th>
                  <Table.Td>{info.data.versions.electron}</Table.Td>
                </Table.Tr>
              )}
              {info.data.versions.chrome && (
                <Table.Tr>
                  <Table.Th>Chromium</Table.Th>
                  <Table.Td>{info.data.versions.chrome}</Table.Td>
                </Table.Tr>
              )}
              <Table.Tr>
                <Table.Th>{t('about.dataFolder')}</Table.Th>
                <Table.Td>
                  <Text ff="monospace" size="sm">
                    {info.data.userDataPath}
                  </Text>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Card>
      )}
      <LicensesCard isDesktop={info.data?.hostKind === 'electron'} />
    </Stack>
  );
}
