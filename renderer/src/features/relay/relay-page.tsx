import { Badge, Button, Card, Code, Collapse, Group, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { QueueItem, RelayState } from '../../../../shared/domain/relay';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { CamerasTab } from './cameras-tab';
import { InboxTab } from './inbox-tab';
import { PushTargets } from './push-targets';
import { QueueTab } from './queue-tab';
import { RelaySetup } from './relay-setup';
import { SessionsTab } from './sessions-tab';
import { RelayStorageCard } from './storage-card';
import { useRelayCounts } from './use-relay-counts';
import { WebNotificationToggle } from './web-notifications';

function TabBadge({ n, color = 'teal', label }: { n: number; color?: string; label: string }) {
  if (!n) return null;
  return (
    <Badge size="xs" color={color} ml={6} aria-label={label}>
      {n > 9999 ? '9999+' : n}
    </Badge>
  );
}

/**
 * The embedded relay: where it listens and who may send; the inbox of camera mail, every SMTP session with its
 * diagnosis, the cameras and whether their mail arrives, the forwarding queue, push targets and storage.
 */
export function RelayPage() {
  const [state, setState] = useState<RelayState | null>(null);
  const [queue, setQueue] = useState<QueueItem[]>([]);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [allowEntry, setAllowEntry] = useState('');
  const [allowFailure, setAllowFailure] = useState<TitledError | null>(null);
  const [tab, setTab] = useState<string | null>('inbox');
  const [q, setQ] = useState('');
  const [isSetupOpen, setSetupOpen] = useState<boolean | null>(null);
  const counts = useRelayCounts();

  useEffect(() => {
    void api.relayGetState({}).then((r) => {
      if (!r.ok) return setFailure({ title: 'Could not read the relay state', error: r.error });
      setState(r.value);
      // Open the setup when the relay does not run yet; a running relay keeps it folded away.
      setSetupOpen((o) => o ?? r.value.status !== 'listening');
    });
    void api.relayGetQueue({}).then((r) => r.ok && setQueue(r.value));
    const offs = [api.onRelayStateChanged(({ state: s }) => setState(s)), api.onRelayQueueChanged(({ items }) => setQueue(items))];
    return () => offs.forEach((o) => o());
  }, []);

  const showMailFrom = useCallback((ip: string) => {
    setQ(`camera:${ip}`);
    setTab('inbox');
  }, []);

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
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1}>Relay inbox</Title>
        <WebNotificationToggle />
      </Group>
      <Card withBorder data-testid="relay-status" p="sm">
        {state ? (
          <Stack gap={6}>
            <Group justify="space-between">
              <Group gap="xs">
                <Badge color={state.status === 'listening' ? 'green' : 'gray'} size="lg">
                  {state.status}
                </Badge>
                {state.status === 'listening' && (
                  <Text size="sm">
                    Cameras send to <Code>{state.listenAddress}</Code> port <Code>{state.port}</Code>
                    {state.port !== 25 && ' (practice port; real cameras always use 25)'}
                  </Text>
                )}
                {counts && (
                  <Text size="sm" c="dimmed" data-testid="relay-counts">
                    · {counts.total} messages · {counts.unread} unread · {counts.queued} queued
                  </Text>
                )}
              </Group>
              <Button size="xs" variant="default" onClick={() => setSetupOpen((o) => !o)}>
                {isSetupOpen ? 'Hide setup' : 'Setup'}
              </Button>
            </Group>
            <Group gap="xs" align="flex-end">
              <Text size="sm">
                Allowed senders:{' '}
                {state.allow.length ? (
                  state.allow.map((a) => (
                    <Code key={a} mr={4}>
                      {a}
                    </Code>
                  ))
                ) : (
                  <Text span c="orange">
                    none yet: every camera will be refused
                  </Text>
                )}
              </Text>
              <TextInput size="xs" aria-label="Allow a camera (IP or CIDR)" placeholder="Allow 192.168.0.20 or a CIDR" maxLength={100} value={allowEntry} onChange={(e) => setAllowEntry(e.currentTarget.value)} w={220} />
              <Button size="xs" onClick={() => void addAllow()} disabled={!allowEntry.trim() || state.status !== 'listening'}>
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
      {state && (
        <Collapse expanded={!!isSetupOpen}>
          <RelaySetup state={state} />
        </Collapse>
      )}
      {failure && <ErrorAlert error={failure.error} title={failure.title} />}
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="inbox">
            Inbox
            <TabBadge n={counts?.unread ?? 0} label="unread" />
          </Tabs.Tab>
          <Tabs.Tab value="sessions">
            Sessions
            <TabBadge n={counts?.refusedSessions ?? 0} color="red" label="refused sessions" />
          </Tabs.Tab>
          <Tabs.Tab value="cameras">
            Cameras
            <TabBadge n={counts?.silentCameras ?? 0} color="orange" label="commissioned cameras without mail" />
          </Tabs.Tab>
          <Tabs.Tab value="queue">
            Queue
            <TabBadge n={queue.length} color="gray" label="queued forwards" />
          </Tabs.Tab>
          <Tabs.Tab value="push">Push to phone</Tabs.Tab>
          <Tabs.Tab value="storage">Storage</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="inbox" pt="sm" className="split-pane-box">
          <InboxTab q={q} setQ={setQ} />
        </Tabs.Panel>
        <Tabs.Panel value="sessions" pt="sm" className="split-pane-box">
          <SessionsTab showMailFrom={showMailFrom} />
        </Tabs.Panel>
        <Tabs.Panel value="cameras" pt="sm">
          <CamerasTab showMailFrom={showMailFrom} />
        </Tabs.Panel>
        <Tabs.Panel value="queue" pt="sm">
          <QueueTab items={queue} onChange={setQueue} />
        </Tabs.Panel>
        <Tabs.Panel value="push" pt="sm">
          <PushTargets />
        </Tabs.Panel>
        <Tabs.Panel value="storage" pt="sm">
          <RelayStorageCard />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
