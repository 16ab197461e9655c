import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { QueueItem } from '../../../../shared/domain/relay';
import type { Advice } from '../../../../shared/domain/relay-diagnosis';
import { api } from '../../api';
import { shortTime } from './format';
import { AdviceAlert } from './sessions-tab';
import { useTranslation } from 'react-i18next';

const QUEUE_STATE_KEY = { queued: 'relay.queue.states.queued', sending: 'relay.queue.states.sending', expired: 'relay.queue.states.expired' } as const satisfies Record<QueueItem['state'], string>;

/** The forwarding queue: SMTP upstream and push targets alike, with the last error explained and retry/delete. */
export function QueueTab({ items, onChange }: { items: QueueItem[]; onChange: (q: QueueItem[]) => void }) {
  const { t } = useTranslation();
  const [advice, setAdvice] = useState<Map<string, Advice>>(new Map());
  useEffect(() => {
    void api.relayGetQueueAdvice({}).then((r) => r.ok && setAdvice(new Map(r.value.map((a) => [a.id, a.advice]))));
  }, [items]);
  if (items.length === 0) return <Text c="dimmed" data-testid="queue-empty">{t('relay.queue.empty')}</Text>;
  return (
    <Stack gap="xs">
      <Table data-testid="queue-table" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('relay.queue.target')}</Table.Th>
            <Table.Th>{t('relay.queue.queued')}</Table.Th>
            <Table.Th>{t('relay.queue.state')}</Table.Th>
            <Table.Th>{t('relay.queue.attempts')}</Table.Th>
            <Table.Th>{t('relay.queue.nextTry')}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((q) => (
            <Table.Tr key={q.id}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {q.target?.label ?? t('relay.queue.upstream')}
                </Text>
                <Text size="xs" c="dimmed">
                  {q.target?.kind ?? 'smtp'}
                  {q.target && !q.target.isConfigured ? t('relay.queue.targetRemoved') : ''}
                  {t('relay.queue.to', { to: q.to.join(', ') })}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{shortTime(q.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Badge color={q.state === 'expired' ? 'red' : q.state === 'sending' ? 'blue' : 'gray'} variant="light">
                  {t(QUEUE_STATE_KEY[q.state])}
                </Badge>
              </Table.Td>
              <Table.Td>{q.attempts}</Table.Td>
              <Table.Td>
                <Text size="xs">{q.nextAttemptAt ? shortTime(q.nextAttemptAt) : '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" onClick={async () => void (await api.relayRetryQueued({ id: q.id }).then((r) => r.ok && onChange(r.value)))}>
                    {t('relay.queue.retry')}
                  </Button>
                  <Button size="compact-xs" color="red" variant="light" onClick={async () => void (await api.relayDeleteQueued({ id: q.id }).then((r) => r.ok && onChange(r.value)))}>
                    {t('common.delete')}
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {items
        .filter((q) => advice.has(q.id))
        .slice(0, 5)
        .map((q) => (
          <AdviceAlert key={q.id} advice={{ ...advice.get(q.id)!, action: undefined }} />
        ))}
    </Stack>
  );
}
