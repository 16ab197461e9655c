import { Alert, Badge, Box, Button, Card, Code, Group, Loader, ScrollArea, Stack, Switch, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Advice } from '../../../../shared/domain/relay-diagnosis';
import type { SessionDetail, SessionRow } from '../../../../shared/domain/relay-inbox';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { dateTime, timeOfDay } from '../../i18n/format';
import { shortTime } from './format';
import { KbLink } from './kb-article';
import { useStackedReveal } from './stacked-reveal';
import { useTranslation } from 'react-i18next';

const SEVERITY_COLOR: Record<Advice['severity'], string> = { error: 'red', warning: 'orange', info: 'blue', ok: 'green' };
const SEVERITY_KEY = {
  error: 'relay.sessions.severity.error',
  warning: 'relay.sessions.severity.warning',
  info: 'relay.sessions.severity.info',
  ok: 'relay.sessions.severity.ok',
} as const satisfies Record<Advice['severity'], string>;

/** One piece of advice, with its action button ("Allow it", "Retry now") and its guide. */
export function AdviceAlert({ advice, onDone }: { advice: Advice; onDone?: (message: string) => void }) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const act = async () => {
    const a = advice.action;
    if (!a) return;
    setBusy(true);
    const r = a.kind === 'allow-client' ? await api.relayAllowClient({ entry: a.entry }) : await api.relayRetryQueued({ id: a.id });
    setBusy(false);
    if (!r.ok) return setError(r.error);
    const message = a.kind === 'allow-client' ? t('relay.sessions.allowed', { entry: a.entry }) : t('relay.sessions.retrying');
    setDone(message);
    onDone?.(message);
  };
  return (
    <Alert color={SEVERITY_COLOR[advice.severity]} title={advice.headline} data-testid={`advice-${advice.code}`} p="sm">
      <Stack gap={6}>
        <Text size="sm">{advice.detail}</Text>
        <Group gap="xs">
          {advice.action && !done && (
            <Button size="xs" color={SEVERITY_COLOR[advice.severity]} onClick={() => void act()} loading={busy}>
              {advice.action.label}
            </Button>
          )}
          {advice.article && <KbLink id={advice.article} />}
        </Group>
        {done && (
          <Text size="sm" fw={600} role="status">
            {done}
          </Text>
        )}
        {error && <ErrorAlert error={error} title={advice.action?.kind === 'allow-client' ? t('relay.sessions.allowFailed', { entry: advice.action.entry }) : t('relay.sessions.retryFailed')} />}
      </Stack>
    </Alert>
  );
}

/** Every SMTP session, refused ones included, with the diagnosis in plain words and the readable transcript. */
export function SessionsTab({ showMailFrom }: { showMailFrom: (ip: string) => void }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<SessionRow[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [isProblemsOnly, setProblemsOnly] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  const load = useCallback(async () => {
    const r = await api.relayListSessions({ limit: 300 });
    if (r.ok) setRows(r.value);
    else setError(r.error);
  }, []);
  useEffect(() => {
    void load();
    const offs = [api.onRelaySessionClosed(() => void load()), api.onRelaySessionRefused(() => void load())];
    return () => offs.forEach((o) => o());
  }, [load]);

  const listColumn = useRef<HTMLDivElement>(null);
  const stacked = useStackedReveal(listColumn);
  const shown = (rows ?? []).filter((s) => !isProblemsOnly || s.headline.severity === 'error' || s.headline.severity === 'warning');
  return (
    <div className="split-pane">
      <Stack gap="xs" style={{ minWidth: 0 }} ref={listColumn}>
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('relay.sessions.intro')}
          </Text>
          <Switch size="xs" label={t('relay.sessions.problemsOnly')} checked={isProblemsOnly} onChange={(e) => setProblemsOnly(e.currentTarget.checked)} />
        </Group>
        {error && <ErrorAlert error={error} title={t('relay.sessions.listFailed')} />}
        {rows === null ? (
          <Loader size="sm" />
        ) : shown.length === 0 ? (
          <Text c="dimmed" p="md" data-testid="sessions-empty">
            {rows.length ? t('relay.sessions.noProblem') : t('relay.sessions.empty')}
          </Text>
        ) : (
          <ScrollArea h="calc(100vh - 300px)" mih={360} type="auto">
            <Table highlightOnHover data-testid="session-table" fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('relay.sessions.when')}</Table.Th>
                  <Table.Th>{t('relay.sessions.who')}</Table.Th>
                  <Table.Th>{t('relay.sessions.what')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {shown.map((s) => (
                  <Table.Tr
                    key={s.id}
                    onClick={() => {
                      setSelected(s.id);
                      stacked.reveal();
                    }}
                    style={{ cursor: 'pointer' }}
                    bg={s.id === selected ? 'var(--mantine-color-teal-light)' : undefined}
                    data-testid="session-row"
                    data-refused={s.refused ? 'true' : 'false'}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      <Text size="xs">{shortTime(s.startedAt)}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {s.identity?.displayName ?? s.clientIp}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {s.identity ? `${s.clientIp} · ` : ''}
                        {s.heloName ? `HELO ${s.heloName}` : t('relay.sessions.noHelo')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={SEVERITY_COLOR[s.headline.severity]} variant={s.headline.severity === 'ok' ? 'light' : 'filled'} size="sm" style={{ textTransform: 'none', maxWidth: '100%' }}>
                        {s.refused ? t('relay.sessions.refused') : s.headline.severity === 'ok' ? t('relay.sessions.received', { n: s.accepted }) : t(SEVERITY_KEY[s.headline.severity])}
                      </Badge>
                      <Text size="xs" mt={2}>
                        {s.headline.headline}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </Stack>
      <div ref={stacked.reader} className="split-pane-reader" data-open={selected ? 'true' : 'false'} tabIndex={-1} style={{ minWidth: 0 }}>
        {selected ? (
          <>
            <Box className="split-pane-back" mb="xs">
              <Button variant="default" size="compact-sm" onClick={() => stacked.back()} data-testid="reader-back">
                {t('relay.backToList')}
              </Button>
            </Box>
            <SessionView id={selected} onChanged={() => void load()} showMailFrom={showMailFrom} />
          </>
        ) : (
          <Text c="dimmed">{t('relay.sessions.select')}</Text>
        )}
      </div>
    </div>
  );
}

const DIR_LABEL = { C: 'relay.sessions.dir.C', S: 'relay.sessions.dir.S', I: 'relay.sessions.dir.I' } as const;
const DIR_COLOR: Record<'C' | 'S' | 'I', string> = { C: 'var(--mantine-color-blue-7)', S: 'var(--mantine-color-teal-8)', I: 'var(--mantine-color-dimmed)' };

function SessionView({ id, onChanged, showMailFrom }: { id: string; onChanged: () => void; showMailFrom: (ip: string) => void }) {
  const { t } = useTranslation();
  const [d, setD] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  useEffect(() => {
    setD(null);
    void api.relayGetSession({ id }).then((r) => (r.ok ? (setD(r.value), setError(null)) : setError(r.error)));
  }, [id]);
  if (error) return <ErrorAlert error={error} title={t('relay.sessions.unavailable')} />;
  if (!d) return <Loader size="sm" />;
  const s = d.session;
  return (
    <Card withBorder data-testid="session-view">
      <Stack gap="xs">
        <Title order={4}>
          {s.identity?.displayName ?? s.clientIp}
          {s.identity?.model && (
            <Text span size="sm" c="dimmed">
              {' '}
              {s.identity.model}
            </Text>
          )}
        </Title>
        <Text size="xs" c="dimmed">
          {s.clientIp}
          {s.identity?.mac ? ` · ${s.identity.mac}` : ''} · HELO {s.heloName || t('relay.sessions.heloNone')} · {dateTime(s.startedAt)}
          {s.endedAt ? ` → ${timeOfDay(s.endedAt)}` : t('relay.sessions.stillOpen')}
        </Text>
        {d.advice.map((a, i) => (
          <AdviceAlert key={`${a.code}-${i}`} advice={a} onDone={onChanged} />
        ))}
        {d.messageIds.length > 0 && (
          <Group gap="xs">
            <Text size="sm">
              {t('relay.sessions.stored', { n: d.messageIds.length })}
            </Text>
            <Button size="compact-xs" variant="light" onClick={() => showMailFrom(s.clientIp)}>
              {t('relay.sessions.showMail', { ip: s.clientIp })}
            </Button>
          </Group>
        )}
        <Text size="sm" fw={600} mt={4}>
          {t('relay.sessions.transcript')}
        </Text>
        <Box
          data-testid="transcript"
          style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', fontSize: 12, maxHeight: 420, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 6, padding: 8 }}
        >
          {d.lines.length === 0 && <Text size="xs">{t('relay.sessions.nothingSaid')}</Text>}
          {d.lines.map((l, i) => (
            <div key={i} style={{ display: 'grid', gridTemplateColumns: '64px 56px 1fr', gap: 8, color: DIR_COLOR[l.dir] }}>
              <span style={{ color: 'var(--mantine-color-dimmed)' }}>{timeOfDay(l.at)}</span>
              <span>{t(DIR_LABEL[l.dir])}</span>
              <span style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{l.line}</span>
            </div>
          ))}
        </Box>
        <Text size="xs" c="dimmed">
          {t('relay.sessions.legendStart')} <Code>5xx</Code> {t('relay.sessions.legend5xx')} <Code>4xx</Code> {t('relay.sessions.legend4xx')}
        </Text>
      </Stack>
    </Card>
  );
}
