import { Alert, Badge, Button, Card, Code, Group, Image, ScrollArea, SimpleGrid, Stack, Table, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { MessageSummary, QueueItem, RelayState } from '../../../../shared/domain/relay';
import type { MessageDetail } from '../../../../shared/domain/relay-views';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { saveBase64 } from '../../lib/download';
import { RelaySetup } from './relay-setup';

/** The embedded relay: where it listens, who may send, the inbox of camera mail, the forwarding queue. */
export function RelayPage() {
  const [state, setState] = useState<RelayState | null>(null);
  const [messages, setMessages] = useState<MessageSummary[]>([]);
  const [total, setTotal] = useState(0);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [queue, setQueue] = useState<QueueItem[]>([]);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [allowEntry, setAllowEntry] = useState('');
  const [allowFailure, setAllowFailure] = useState<TitledError | null>(null);

  const load = useCallback(async () => {
    const q = search.trim();
    // One search box: an address with @ searches senders, a dotted number searches cameras, anything else subjects.
    const filter = !q ? {} : q.includes('@') ? { sender: q } : /^[\d.]+$/.test(q) ? { camera: q } : { subject: q };
    const r = await api.relayListMessages({ query: { ...filter, limit: 200 } });
    if (r.ok) {
      setMessages(r.value.items);
      setTotal(r.value.total);
    } else setFailure({ title: 'Could not list the relay messages', error: r.error });
  }, [search]);

  useEffect(() => {
    void api.relayGetState({}).then((r) => (r.ok ? setState(r.value) : setFailure({ title: 'Could not read the relay state', error: r.error })));
    void api.relayGetQueue({}).then((r) => r.ok && setQueue(r.value));
    const offs = [
      api.onRelayStateChanged(({ state: s }) => setState(s)),
      api.onRelayQueueChanged(({ items }) => setQueue(items)),
      api.onRelayMessageReceived(() => void load()),
    ];
    return () => offs.forEach((o) => o());
  }, [load]);
  useEffect(() => {
    void load();
  }, [load]);

  const addAllow = async () => {
    const entry = allowEntry.trim();
    const r = await api.relayAllowClient({ entry });
    if (r.ok) {
      setState(r.value);
      setAllowEntry('');
      setAllowFailure(null);
    } else setAllowFailure({ title: `"${entry.length > 40 ? `${entry.slice(0, 40)}…` : entry}" was not added to the allowed senders`, error: r.error });
  };

  return (
    <Stack>
      <Title order={1}>Relay inbox</Title>
      <Card withBorder data-testid="relay-status">
        {state ? (
          <Stack gap={6}>
            <Group>
              <Badge color={state.status === 'listening' ? 'green' : 'gray'} size="lg">
                {state.status}
              </Badge>
              {state.status === 'listening' && (
                <Text>
                  Cameras send to <Code>{state.listenAddress}</Code> port <Code>{state.port}</Code>
                  {state.port !== 25 && ' (practice port; real cameras always use 25)'}
                </Text>
              )}
            </Group>
            <Text size="sm">
              Allowed senders: {state.allow.length ? state.allow.map((a) => <Code key={a} mr={4}>{a}</Code>) : <Text span c="orange">none yet: every camera will be refused</Text>}
            </Text>
            <Group align="flex-end">
              <TextInput size="xs" label="Allow a camera (IP or CIDR)" placeholder="192.168.0.20" maxLength={100} value={allowEntry} onChange={(e) => setAllowEntry(e.currentTarget.value)} />
              <Button size="xs" onClick={addAllow} disabled={!allowEntry.trim() || state.status !== 'listening'}>
                Allow
              </Button>
            </Group>
            {/* Next to the field it is about, not below the setup card. */}
            {allowFailure && <ErrorAlert error={allowFailure.error} title={allowFailure.title} />}
            {state.forward && (
              <Text size="sm">
                Forwarding to {state.forward.host}:{state.forward.port} ({state.forward.security}), queue {state.queueLength}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm">Reading relay state…</Text>
        )}
      </Card>
      {state && <RelaySetup state={state} />}
      {failure && <ErrorAlert error={failure.error} title={failure.title} />}
      <Tabs defaultValue="inbox">
        <Tabs.List>
          <Tabs.Tab value="inbox">Messages ({total})</Tabs.Tab>
          <Tabs.Tab value="queue">Forwarding queue ({queue.length})</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="inbox" pt="sm">
          <SimpleGrid cols={{ base: 1, lg: 2 }}>
            <Stack gap="xs">
              <TextInput placeholder="Search subject, sender (with @) or camera IP" value={search} onChange={(e) => setSearch(e.currentTarget.value)} aria-label="Search messages" />
              <ScrollArea h={520}>
                <Table highlightOnHover data-testid="message-table">
                  <Table.Tbody>
                    {messages.map((m) => (
                      <Table.Tr key={m.id} onClick={() => setSelected(m.id)} bg={m.id === selected ? 'var(--mantine-color-teal-light)' : undefined} style={{ cursor: 'pointer' }}>
                        <Table.Td>
                          <Text size="sm" fw={600}>
                            {m.subject || '(no subject)'}
                          </Text>
                          <Text size="xs" c="dimmed">
                            {m.camera ?? m.clientIp} · {m.from} · {new Date(m.receivedAt).toLocaleString()}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          {m.attachments.length > 0 && (
                            <Badge size="xs" style={{ whiteSpace: 'nowrap' }}>
                              {m.attachments.some((a) => a.contentType === 'image/jpeg') ? 'snapshot' : `${m.attachments.length} file${m.attachments.length > 1 ? 's' : ''}`}
                            </Badge>
                          )}
                          {m.pinned && (
                            <Badge size="xs" color="grape" ml={4}>
                              evidence
                            </Badge>
                          )}
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
                {messages.length === 0 && (
                  <Text size="sm" c="dimmed" p="sm">
                    No camera mail yet. Trigger an event on a camera whose SMTP server is this laptop.
                  </Text>
                )}
              </ScrollArea>
            </Stack>
            {selected ? <MessageView id={selected} /> : <Text c="dimmed">Select a message to read it.</Text>}
          </SimpleGrid>
        </Tabs.Panel>
        <Tabs.Panel value="queue" pt="sm">
          <QueueTable items={queue} onChange={setQueue} />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function MessageView({ id }: { id: string }) {
  const [m, setM] = useState<MessageDetail | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [downloadError, setDownloadError] = useState<AppError | null>(null);
  useEffect(() => {
    setM(null);
    setDownloadError(null);
    void api.relayGetMessage({ id }).then((r) => (r.ok ? (setM(r.value), setError(null)) : setError(r.error)));
  }, [id]);
  if (error) return <ErrorAlert error={error} title="Could not read this message" />;
  if (!m) return <Text size="sm">Opening…</Text>;
  const downloadRaw = async () => {
    const r = await api.relayGetRaw({ id });
    if (r.ok) saveBase64(r.value.filename, r.value.contentType, r.value.base64);
    setDownloadError(r.ok ? null : r.error);
  };
  const downloadAtt = async (index: number) => {
    const r = await api.relayGetAttachment({ id, index });
    if (r.ok) saveBase64(r.value.filename, r.value.contentType, r.value.base64);
    setDownloadError(r.ok ? null : r.error);
  };
  return (
    <Card withBorder data-testid="message-view">
      <Stack gap="xs">
        <Title order={4}>{m.summary.subject || '(no subject)'}</Title>
        <Text size="sm">
          From <Code>{m.summary.headerFrom || m.summary.from}</Code> to <Code>{m.summary.to.join(', ')}</Code>
        </Text>
        <Text size="xs" c="dimmed">
          Sent by {m.summary.clientIp} (HELO {m.summary.heloName || 'empty'}) at {new Date(m.summary.receivedAt).toLocaleString()}, {m.summary.size} bytes
        </Text>
        {m.quirks.map((q) => (
          <Alert key={q.code} color="yellow" title={q.title}>
            {q.fix}
          </Alert>
        ))}
        <Code block style={{ whiteSpace: 'pre-wrap' }}>
          {m.text || '(empty body)'}
        </Code>
        <Group>
          {m.attachments.map((a) => (
            <Card key={a.index} withBorder p="xs">
              {a.thumbnail && <Image src={a.thumbnail} alt={`Snapshot ${a.filename}`} w={200} radius="sm" />}
              <Text size="xs">
                {a.filename} · {a.contentType} · {Math.round(a.size / 1024)} KB
              </Text>
              <Button size="compact-xs" variant="light" onClick={() => downloadAtt(a.index)}>
                Download
              </Button>
            </Card>
          ))}
        </Group>
        <Group>
          <Button size="xs" variant="default" onClick={downloadRaw}>
            Download raw (.eml)
          </Button>
          <Button size="xs" variant="default" onClick={async () => void (await api.relayPinMessage({ id, pinned: !m.summary.pinned }).then((r) => r.ok && setM({ ...m, summary: r.value })))}>
            {m.summary.pinned ? 'Unpin evidence' : 'Keep as evidence'}
          </Button>
        </Group>
        {downloadError && <ErrorAlert error={downloadError} title="The download did not start" />}
      </Stack>
    </Card>
  );
}

function QueueTable({ items, onChange }: { items: QueueItem[]; onChange: (q: QueueItem[]) => void }) {
  if (items.length === 0) return <Text c="dimmed">Nothing waiting to be forwarded.</Text>;
  return (
    <Table>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>To</Table.Th>
          <Table.Th>State</Table.Th>
          <Table.Th>Attempts</Table.Th>
          <Table.Th>Last upstream error</Table.Th>
          <Table.Th />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {items.map((q) => (
          <Table.Tr key={q.id}>
            <Table.Td>{q.to.join(', ')}</Table.Td>
            <Table.Td>{q.state}</Table.Td>
            <Table.Td>{q.attempts}</Table.Td>
            <Table.Td>
              <Text size="xs">{q.lastError ?? '—'}</Text>
            </Table.Td>
            <Table.Td>
              <Group gap={4}>
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
  );
}
