import { Alert, Badge, Button, Code, Group, Loader, Popover, Stack, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { CameraOverview } from '../../../../shared/domain/relay-cameras';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { ago } from './format';

const STATUS: Record<CameraOverview['status'], { color: string; label: string; hint: string }> = {
  silent: { color: 'orange', label: 'no mail yet', hint: 'Commissioned, but no mail from it is stored here. Trigger its event; if nothing comes, read its session in the Sessions tab.' },
  refused: { color: 'red', label: 'refused', hint: 'Its last connection was refused: its address is not on the allow-list.' },
  failed: { color: 'red', label: 'commissioning failed', hint: 'The last commissioning of this camera failed (and was rolled back).' },
  ok: { color: 'green', label: 'mail arriving', hint: 'Mail from this camera arrives.' },
  'not-commissioned': { color: 'gray', label: 'not commissioned', hint: 'Found on the network, but not commissioned from this laptop.' },
};

function testLabel(c: CameraOverview): { text: string; color: string } {
  const k = c.commissioning;
  if (!k) return { text: '—', color: 'dimmed' };
  if (k.isTestPassed === true) return { text: 'passed', color: 'green' };
  if (k.isTestPassed === false) return { text: 'failed', color: 'red' };
  return { text: k.verdict === 'unknown' ? 'not recorded (backup only)' : 'not run', color: 'orange' };
}

function NameButton({ c, onSaved }: { c: CameraOverview; onSaved: (rows: CameraOverview[]) => void }) {
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
          {c.label ? 'Rename' : 'Name it'}
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
            <TextInput label={`Name for ${c.ip}`} placeholder="Gate North" value={value} onChange={(e) => setValue(e.currentTarget.value)} maxLength={40} error={error} data-autofocus />
            <Group gap={6}>
              <Button size="xs" type="submit">
                Save
              </Button>
              {c.label && (
                <Button size="xs" variant="subtle" onClick={() => void save(null)}>
                  Remove name
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
  const [rows, setRows] = useState<CameraOverview[] | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await api.relayGetCameras({});
    if (r.ok) setRows(r.value);
    else setFailure({ title: 'Could not list the cameras', error: r.error });
  }, []);
  useEffect(() => {
    void load();
    const off = api.onRelayCountsChanged(() => void load());
    return () => off();
  }, [load]);
  const allow = async (ip: string) => {
    const r = await api.relayAllowClient({ entry: ip });
    if (!r.ok) return setFailure({ title: `${ip} was not added to the allowed senders`, error: r.error });
    setNote(`${ip} is allowed now. Trigger the camera's event again: a refused camera does not retry.`);
  };

  if (failure && !rows) return <ErrorAlert error={failure.error} title={failure.title} />;
  if (!rows) return <Loader size="sm" />;
  const silent = rows.filter((r) => r.isSilent).length;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        Cameras come from discovery, from commissioning (also earlier runs' backups) and from the names you give; mail is tied to a camera by its address, with the HELO name as a hint.
      </Text>
      {silent > 0 && (
        <Alert color="orange" data-testid="silent-cameras" p="xs">
          <Text size="sm">
            {silent} commissioned camera{silent === 1 ? ' has' : 's have'} sent no mail yet. Trigger the event on {silent === 1 ? 'it' : 'them'}; if nothing arrives, the Sessions tab shows why.
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
          No camera known yet. Find cameras (Find cameras page) or commission one; senders also appear here when their mail or a refusal arrives.
        </Text>
      ) : (
        <Table data-testid="camera-overview" highlightOnHover fz="sm" verticalSpacing={6}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Camera</Table.Th>
              <Table.Th>Address · MAC</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Mail</Table.Th>
              <Table.Th>Last mail</Table.Th>
              <Table.Th>Last refusal</Table.Th>
              <Table.Th>Test</Table.Th>
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
                      {[c.model, c.isKnown ? c.sources.join(', ') : 'unknown sender'].filter(Boolean).join(' · ')}
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
                    <Tooltip label={st.hint} multiline w={260}>
                      <Badge color={st.color} variant={c.status === 'ok' ? 'light' : 'filled'} style={{ textTransform: 'none' }}>
                        {st.label}
                      </Badge>
                    </Tooltip>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.mailCount}</Text>
                    {c.unreadCount > 0 && (
                      <Text size="xs" c="teal">
                        {c.unreadCount} unread
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
                        never
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
                      {test.text}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {c.mailCount > 0 && (
                        <Button size="compact-xs" variant="light" onClick={() => showMailFrom(c.ip)}>
                          Show mail
                        </Button>
                      )}
                      {c.status === 'refused' && (
                        <Button size="compact-xs" color="red" onClick={() => void allow(c.ip)}>
                          Allow it
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
