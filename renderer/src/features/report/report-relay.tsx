import { Badge, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { HandOverReport } from '../../../../shared/domain/report';

const STATUS_KEY = {
  listening: 'relay.status.listening',
  stopped: 'relay.status.stopped',
  starting: 'relay.status.starting',
  stopping: 'relay.status.stopping',
} as const;

/**
 * The report's relay section as the saved files have it (render-html.ts, render-pdf.ts): where the relay listens,
 * who may send, the upstream and its TLS mode, the queue at hand-over (never a secret: the report has none), and
 * the site's own mail servers as the latest search found them.
 */
export function ReportRelay({ r }: { r: HandOverReport }) {
  const { t } = useTranslation();
  const relay = r.relay;
  const f = relay?.forward;
  const ms = r.mailServers;
  const status = relay ? (relay.status in STATUS_KEY ? t(STATUS_KEY[relay.status as keyof typeof STATUS_KEY]) : relay.status) : '';
  const rows: Array<[string, React.ReactNode]> = relay
    ? [
        [t('report.relay.status'), status],
        [t('report.relay.listen'), relay.listenAddress ? <Code>{`${relay.listenAddress}:${relay.port ?? 25}`}</Code> : '-'],
        [
          t('report.relay.allow'),
          relay.allow.length ? (
            <Group gap={4}>
              {relay.allow.map((a) => (
                <Code key={a}>{a}</Code>
              ))}
            </Group>
          ) : (
            t('report.relay.nobody')
          ),
        ],
        [t('report.relay.upstream'), f ? <Code>{`${f.host}:${f.port}`}</Code> : t('report.relay.noForwarding')],
        [t('report.relay.tls'), f ? (f.verifyCertificate ? t('report.relay.tlsVerified', { security: f.security }) : t('report.relay.tlsNotVerified', { security: f.security })) : '-'],
        [t('report.relay.queue'), t('report.relay.queueN', { n: relay.queueLength })],
      ]
    : [];
  return (
    <Card withBorder data-testid="report-relay">
      <Title order={4} mb="xs">
        {t('report.relay.title')}
      </Title>
      {relay ? (
        <Table variant="vertical" layout="fixed">
          <Table.Tbody>
            {rows.map(([k, v]) => (
              <Table.Tr key={k}>
                <Table.Th w={180}>{k}</Table.Th>
                <Table.Td>{v}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : (
        <Text size="sm" c="dimmed">
          {t('report.relay.none')}
        </Text>
      )}
      <Text size="sm" fw={600} mt="sm">
        {t('report.relay.mailServers')}
      </Text>
      {ms ? (
        <Stack gap={4} data-testid="report-mail-servers">
          <Text size="sm">{ms.summary}</Text>
          {ms.servers.map((s) => (
            <Group key={`${s.host}:${s.port}`} gap={6} wrap="wrap">
              <Code>{s.address && s.address !== s.host ? `${s.host} (${s.address})` : s.host}</Code>
              {s.software && <Text size="xs">{s.software}</Text>}
              <Badge size="xs" variant="light" color={s.isUsableByCamera ? 'green' : 'gray'}>
                {s.isUsableByCamera ? t('report.relay.usable') : t('report.relay.notUsable')}
              </Badge>
              <Text size="xs" c="dimmed">
                {s.cameraUse}
              </Text>
            </Group>
          ))}
        </Stack>
      ) : (
        <Text size="sm" c="dimmed">
          {t('report.relay.noMailServers')}
        </Text>
      )}
    </Card>
  );
}
