import { Alert, Badge, Button, Code, Group, Loader, Popover, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { CameraOverview } from '../../../../shared/domain/relay-cameras';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { ago } from './format';
import { useTranslation } from 'react-i18next';

const STATUS = {
  silent: { color: 'orange', label: 'relay.cameras.status.silent', hint: 'relay.cameras.status.silentHint' },
  refused: { color: 'red', label: 'relay.cameras.status.refused', hint: 'relay.cameras.status.refusedHint' },
  failed: { color: 'red', label: 'relay.cameras.status.failed', hint: 'relay.cameras.status.failedHint' },
  ok: { color: 'green', label: 'relay.cameras.status.ok', hint: 'relay.cameras.status.okHint' },
  'not-commissioned': { color: 'gray', label: 'relay.cameras.status.notCommissioned', hint: 'relay.cameras.status.notCommissionedHint' },
} as const satisfies Record<CameraOverview['status'], { color: string; label: string; hint: string }>;

/** The test column: a catalog key (or a dash) and its colour. */
function testLabel(c: CameraOverview): { key: string | null; color: string } {
  const k = c.commissioning;
  if (!k) return { key: null, color: 'dimmed' };
  if (k.isTestPassed === true) return { key: 'relay.cameras.test.passed', color: 'green' };
  if (k.isTestPassed === false) return { key: 'relay.cameras.test.failed', color: 'red' };
  return { key: k.verdict === 'unknown' ? 'relay.cameras.test.unknown' : 'relay.cameras.test.notRun', color: 'orange' };
}

function NameButton({ c, onSaved }: { c: CameraOverview; onSaved: (rows: CameraOverview[]) => void }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [value, setValue] = useState(c.label ?? '');
  const [error, setError] = useState<string | null>(null);
  const save = async (label: string | null) => {
    const r = await api.relayNameCamera({ ref: c.isKnown ? c.key : c.ip, label });
    if (!r.ok) return setError(r.error.message);
    setOpened(false);
    onSaved(r.value);
  };
  return (
    <Popover opened={opened} onChange={setOpened} width={260} withArrow trapFocus>
      <Popover.Target>
        <Button size="compact-xs" variant="default" onClick={() => setOpened((o) => !o)}>
          {c.label ? t('relay.cameras.rename') : t('relay.cameras.nameIt')}
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save(value);
          }}
        >
          <Stack gap={6}>
            <TextInput label={t('relay.cameras.nameFor', { ip: c.ip })} placeholder={t('relay.cameras.namePlaceholder')} value={value} onChange={(e) => setValue(e.currentTarget.value)} maxLength={40} error={error} data-autofocus />
            <Group gap={6}>
              <Button size="xs" type="submit">
                {t('common.save')}
              </Button>
              {c.label && (
                <Button size="xs" variant="subtle" onClick={() => void save(null)}>
                  {t('relay.cameras.removeName')}
                </Button>
              )}
            </Group>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}

/** The Cameras tab: each known camera with last mail, mail count, last refusal and test result; silent ones first. */
export function CamerasTab({ showMailFrom }: { showMailFrom: (ip: string) => void }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<CameraOverview[] | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await api.relayGetCameras({});
    if (r.ok) setRows(r.value);
    else setFailure({ title: t('relay.cameras.listFailed'), error: r.error });
  }, [t]);
  useEffect(() => {
    void load();
    const off = api.onRelayCountsChanged(() => void load());
    return () => off();
  }, [load]);
  const allow = async (ip: string) => {
    const r = await api.relayAllowClient({ entry: ip });
    if (!r.ok) return setFailure({ title: t('relay.cameras.allowFailed', { ip }), error: r.error });
    setNote(t('relay.cameras.allowed', { ip }));
  };

  if (failure && !rows) return <ErrorAlert error={failure.error} title={failure.title} />;
  if (!rows) return <Loader size="sm" />;
  const silent = rows.filter((r) => r.isSilent).length;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        {t('relay.cameras.intro')}
      </Text>
      {silent > 0 && (
        <Alert color="orange" data-testid="silent-cameras" p="xs">
          <Text size="sm">
            {t('relay.cameras.silent', { n: silent })}
          </Text>
        </Alert>
      )}
      {failure && <ErrorAlert error={failure.error} title={failure.title} />}
      {note && (
        <Alert color="green" p="xs" withCloseButton onClose={() => setNote(null)} role="status">
          {note}
        </Alert>
      )}
      {rows.length === 0 ? (
        <Text c="dimmed" p="md" data-testid="cameras-empty">
          {t('relay.cameras.empty')}
        </Text>
      ) : (
        <Table data-testid="camera-overview" highlightOnHover fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('relay.cameras.camera')}</Table.Th>
              <Table.Th>{t('relay.cameras.addressMac')}</Table.Th>
              <Table.Th>{t('relay.cameras.state')}</Table.Th>
              <Table.Th>{t('relay.cameras.mail')}</Table.Th>
              <Table.Th>{t('relay.cameras.lastMail')}</Table.Th>
              <Table.Th>{t('relay.cameras.lastRefusal')}</Table.Th>
              <Table.Th>{t('relay.cameras.testCol')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((c) => {
              const st = STATUS[c.status];
              const test = testLabel(c);
              return (
                <Table.Tr key={c.key} data-testid="camera-row" data-status={c.status} bg={c.isSilent ? 'var(--mantine-color-orange-light)' : c.status === 'refused' ? 'var(--mantine-color-red-light)' : undefined}>
                  <Table.Td>
                    <Text size="sm" fw={600}>
                      {c.displayName}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {[c.model, c.isKnown ? c.sources.join(', ') : t('relay.cameras.unknownSender')].filter(Boolean).join(' · ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{c.ip}</Code>
                    {c.mac && (
                      <Text size="xs" c="dimmed">
                        {c.mac}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Tooltip label={t(st.hint)} multiline w={260}>
                      <Badge color={st.color} variant={c.status === 'ok' ? 'light' : 'filled'} style={{ textTransform: 'none' }}>
                        {t(st.label)}
                      </Badge>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.mailCount}</Text>
                    {c.unreadCount > 0 && (
                      <Text size="xs" c="teal">
                        {t('relay.cameras.unread', { n: c.unreadCount })}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.lastMailAt ? (
                      <>
                        <Text size="xs">{ago(c.lastMailAt)}</Text>
                        <Text size="xs" c="dimmed" lineClamp={1} maw={200}>
                          {c.lastSubject}
                        </Text>
                      </>
                    ) : (
                      <Text size="xs" c={c.isSilent ? 'orange' : 'dimmed'} fw={c.isSilent ? 600 : undefined}>
                        {t('relay.cameras.never')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.lastRefusal ? (
                      <Tooltip label={c.lastRefusal.reason}>
                        <Text size="xs" c="red">
                          {ago(c.lastRefusal.at)}
                          {c.lastRefusal.count > 1 ? ` (${c.lastRefusal.count}×)` : ''}
                        </Text>
                      </Tooltip>
                    ) : (
                      <Text size="xs" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c={test.color}>
                      {test.key ? t(test.key) : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {c.mailCount > 0 && (
                        <Button size="compact-xs" variant="light" onClick={() => showMailFrom(c.ip)}>
                          {t('relay.cameras.showMail')}
                        </Button>
                      )}
                      {c.status === 'refused' && (
                        <Button size="compact-xs" color="red" onClick={() => void allow(c.ip)}>
                          {t('relay.cameras.allowIt')}
                        </Button>
                      )}
                      <NameButton c={c} onSaved={setRows} />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
