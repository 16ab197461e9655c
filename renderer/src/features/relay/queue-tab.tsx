import { Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { QueueItem } from '../../../../shared/domain/relay';
import type { Advice } from '../../../../shared/domain/relay-diagnosis';
import { api } from '../../api';
import { shortTime } from './format';
import { AdviceAlert } from './sessions-tab';

/** The forwarding queue: SMTP upstream and push targets alike, with the last error explained and retry/delete. */
export function QueueTab({ items, onChange }: { items: QueueItem[]; onChange: (q: QueueItem[]) => void }) {
  const [advice, setAdvice] = useState<Map<string, Advice>>(new Map());
  useEffect(() => {
    void api.relayGetQueueAdvice({}).then((r) => r.ok && setAdvice(new Map(r.value.map((a) => [a.id, a.advice]))));
  }, [items]);
  if (items.length === 0) return <Text c="dimmed" data-testid="queue-empty">Nothing waiting to be forwarded: every forward and push was delivered.</Text>;
  return (
    <Stack gap="xs">
      <Table data-testid="queue-table" fz="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Target</Table.Th>
            <Table.Th>Queued</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Attempts</Table.Th>
            <Table.Th>Next try</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.map((q) => (
            <Table.Tr key={q.id}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {q.target?.label ?? 'upstream mail server'}
                </Text>
                <Text size="xs" c="dimmed">
                  {q.target?.kind ?? 'smtp'}
                  {q.target && !q.target.isConfigured ? ' · target removed: waits until it is set up again' : ''} · to {q.to.join(', ')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{shortTime(q.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Badge color={q.state === 'expired' ? 'red' : q.state === 'sending' ? 'blue' : 'gray'} variant="light">
                  {q.state}
                </Badge>
              </Table.Td>
              <Table.Td>{q.attempts}</Table.Td>
              <Table.Td>
                <Text size="xs">{q.nextAttemptAt ? shortTime(q.nextAttemptAt) : '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Group gap={4} wrap="nowrap">
                  <Button size="compact-xs" onClick={async () => void (await api.relayRetryQueued({ id: q.id }).then((r) => r.ok && onChange(r.value)))}>
                    Retry now
                  </Button>
                  <Button size="compact-xs" color="red" variant="light" onClick={async () => void (await api.relayDeleteQueued({ id: q.id }).then((r) => r.ok && onChange(r.value)))}>
                    Delete
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
