import { Badge, Button, Card, Code, Collapse, Group, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { Fragment, useCallback, useEffect, useState } from 'react';
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
import { useTranslation } from 'react-i18next';

const STATUS_KEY = {
  listening: 'relay.status.listening',
  stopped: 'relay.status.stopped',
  starting: 'relay.status.starting',
  stopping: 'relay.status.stopping',
} as const satisfies Record<RelayState['status'], string>;

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
  const { t } = useTranslation();
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
      if (!r.ok) return setFailure({ title: t('relay.stateFailed'), error: r.error });
      setState(r.value);
      // Open the setup when the relay does not run yet; a running relay keeps it folded away.
      setSetupOpen((o) => o ?? r.value.status !== 'listening');
    });
    void api.relayGetQueue({}).then((r) => r.ok && setQueue(r.value));
    const offs = [api.onRelayStateChanged(({ state: s }) => setState(s)), api.onRelayQueueChanged(({ items }) => setQueue(items))];
    return () => offs.forEach((o) => o());
  }, [t]);

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
    } else setAllowFailure({ title: t('relay.allowFailed', { entry: entry.length > 40 ? `${entry.slice(0, 40)}…` : entry }), error: r.error });
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={1}>{t('relay.title')}</Title>
        <WebNotificationToggle />
      </Group>
      <Card withBorder data-testid="relay-status" p="sm">
        {state ? (
          <Stack gap={6}>
            <Group justify="space-between">
              <Group gap="xs">
                <Badge color={state.status === 'listening' ? 'green' : 'gray'} size="lg">
                  {t(STATUS_KEY[state.status])}
                </Badge>
                {state.status === 'listening' && (
                  <Text size="sm">
                    {t('relay.sendTo')} <Code>{state.listenAddress}</Code> {t('relay.portWord')} <Code>{state.port}</Code>
                    {state.port !== 25 && t('relay.practicePort')}
                  </Text>
                )}
                {counts && (
                  <Text size="sm" c="dimmed" data-testid="relay-counts">
                    {t('relay.counts', { total: counts.total, unread: counts.unread, queued: counts.queued })}
                  </Text>
                )}
              </Group>
              <Button size="xs" variant="default" onClick={() => setSetupOpen((o) => !o)}>
                {isSetupOpen ? t('relay.hideSetup') : t('relay.setup')}
              </Button>
            </Group>
            <Group gap="xs" align="flex-end">
              {/* The entries are separate words, so a narrow window wraps them instead of running off the card. */}
              <Text size="sm" miw={0} style={{ overflowWrap: 'anywhere' }} data-testid="allowed-senders">
                {t('relay.allowedSenders')}{' '}
                {state.allow.length ? (
                  state.allow.map((a, i) => (
                    <Fragment key={a}>
                      {i > 0 && ' '}
                      <Code>{a}</Code>
                    </Fragment>
                  ))
                ) : (
                  <Text span c="orange">
                    {t('relay.noneAllowed')}
                  </Text>
                )}
              </Text>
              <TextInput size="xs" aria-label={t('relay.allowLabel')} placeholder={t('relay.allowPlaceholder')} maxLength={100} value={allowEntry} onChange={(e) => setAllowEntry(e.currentTarget.value)} w={220} />
              <Button size="xs" onClick={() => void addAllow()} disabled={!allowEntry.trim() || state.status !== 'listening'}>
                {t('relay.allow')}
              </Button>
            </Group>
            {/* Next to the field it is about, not below the setup card. */}
            {allowFailure && <ErrorAlert error={allowFailure.error} title={allowFailure.title} />}
            {state.forward && (
              <Text size="sm">
                {t('relay.forwarding', { host: state.forward.host, port: String(state.forward.port), security: state.forward.security, queue: state.queueLength })}
              </Text>
            )}
          </Stack>
        ) : (
          <Text size="sm">{t('relay.reading')}</Text>
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
            {t('relay.tabs.inbox')}
            <TabBadge n={counts?.unread ?? 0} label={t('relay.tabs.unread')} />
          </Tabs.Tab>
          <Tabs.Tab value="sessions">
            {t('relay.tabs.sessions')}
            <TabBadge n={counts?.refusedSessions ?? 0} color="red" label={t('relay.tabs.refusedSessions')} />
          </Tabs.Tab>
          <Tabs.Tab value="cameras">
            {t('relay.tabs.cameras')}
            <TabBadge n={counts?.silentCameras ?? 0} color="orange" label={t('relay.tabs.silentCameras')} />
          </Tabs.Tab>
          <Tabs.Tab value="queue">
            {t('relay.tabs.queue')}
            <TabBadge n={queue.length} color="gray" label={t('relay.tabs.queuedForwards')} />
          </Tabs.Tab>
          <Tabs.Tab value="push">{t('relay.tabs.push')}</Tabs.Tab>
          <Tabs.Tab value="storage">{t('relay.tabs.storage')}</Tabs.Tab>
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
