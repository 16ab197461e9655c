import { Badge, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { useCall } from '../../app/use-call';
import { LicensesCard } from './licenses-card';

/** Shows what `app:get-info` reports (version, host kind, platform, runtime versions, data folder) and the licenses. */
export function AboutPage() {
  const info = useCall(() => api.appGetInfo({}));
  return (
    <Stack>
      <Title order={1}>About this app</Title>
      {info.isLoading && <Loader size="sm" aria-label="Loading app info" />}
      {info.error && <ErrorAlert error={info.error} title="Could not read the app info" />}
      {info.data && (
        <Card withBorder data-testid="app-info">
          <Group mb="sm">
            <Text fw={600}>{info.data.name}</Text>
            <Badge data-testid="app-version">v{info.data.version}</Badge>
            <Badge color="gray" data-testid="host-kind">
              {info.data.hostKind} host
            </Badge>
          </Group>
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>Platform</Table.Th>
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
                <Table.Th>Data folder</Table.Th>
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
