import { Alert, Badge, Button, Card, Group, NumberInput, PasswordInput, SegmentedControl, Stack, Switch, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PushTargetInput, PushTargetView } from '../../../../shared/domain/relay-push';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';

interface Draft {
  kind: 'ntfy' | 'webhook';
  id: string;
  label: string;
  url: string;
  token: string;
  cameras: string[];
  includeSnapshot: boolean;
  priority: number | string;
  isEnabled: boolean;
}

const empty: Draft = { kind: 'ntfy', id: '', label: '', url: '', token: '', cameras: [], includeSnapshot: true, priority: 4, isEnabled: true };

function idFor(label: string, taken: readonly string[]): string {
  const base = label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 30) || 'target';
  let id = base === 'smtp' ? 'smtp-push' : base;
  for (let i = 2; taken.includes(id); i++) id = `${base}-${i}`;
  return id;
}

/** Turns a view (no token) back into an input; the saved token stays on the machine side. */
function toInput(v: PushTargetView): PushTargetInput {
  const { hasToken: _hasToken, ...rest } = v;
  return rest;
}

/**
 * Push to a phone at hand-over: ntfy topics (ntfy.sh or a self-hosted server; the snapshot comes along) and JSON
 * webhooks, for every camera of the site or for chosen ones. Deliveries go through the relay's queue, with retries.
 */
export function PushTargets() {
  const [targets, setTargets] = useState<PushTargetView[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    void api.relayGetPushTargets({}).then((r) => (r.ok ? setTargets(r.value) : setFailure({ title: 'Could not read the push targets', error: r.error })));
  }, []);

  const saveAll = async (list: PushTargetInput[]) => {
    const r = await api.relaySetPushTargets({ targets: list });
    if (!r.ok) {
      setFailure({ title: 'The push targets were not saved', error: r.error });
      return false;
    }
    setTargets(r.value);
    setFailure(null);
    return true;
  };
  const saveDraft = async () => {
    if (!draft) return;
    const id = draft.id || idFor(draft.label, targets.map((t) => t.id));
    const common = { id, label: draft.label.trim(), url: draft.url.trim(), token: draft.token || undefined, cameras: draft.cameras, includeSnapshot: draft.includeSnapshot, isEnabled: draft.isEnabled };
    const next: PushTargetInput = draft.kind === 'ntfy' ? { kind: 'ntfy', ...common, priority: typeof draft.priority === 'number' ? draft.priority : 4 } : { kind: 'webhook', ...common };
    const list = [...targets.filter((t) => t.id !== id).map(toInput), next];
    if (await saveAll(list)) {
      setDraft(null);
      setNote(`${next.label} saved. Use "Send test" to check it reaches the phone.`);
    }
  };
  const test = async (t: PushTargetView) => {
    setNote(null);
    const r = await api.relayTestPushTarget({ id: t.id });
    if (r.ok) setNote(`${r.value.target} accepted the test notification.`);
    else setFailure({ title: `The test push to ${t.label} did not get through`, error: r.error });
  };

  return (
    <Stack gap="xs" data-testid="push-targets">
      <Text size="sm" c="dimmed">
        Besides forwarding by e-mail, the relay can push each camera mail to a phone: an <b>ntfy</b> topic (the ntfy app; ntfy.sh or your own server) with the snapshot attached, or a <b>webhook</b> that receives JSON
        (from, to, subject, camera, snapshot in base64). Deliveries wait in the same queue as forwards and are retried until they get through.
      </Text>
      {failure && <ErrorAlert error={failure.error} title={failure.title} />}
      {note && (
        <Alert color="green" p="xs" withCloseButton onClose={() => setNote(null)} role="status">
          {note}
        </Alert>
      )}
      {targets.length > 0 && (
        <Table fz="sm" data-testid="push-target-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Target</Table.Th>
              <Table.Th>URL</Table.Th>
              <Table.Th>Cameras</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {targets.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      {t.label}
                    </Text>
                    <Badge size="xs" variant="light">
                      {t.kind}
                    </Badge>
                    {!t.isEnabled && (
                      <Badge size="xs" color="gray">
                        off
                      </Badge>
                    )}
                    {t.hasToken && (
                      <Badge size="xs" color="gray" variant="outline">
                        token saved
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {t.url}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{t.cameras.length ? t.cameras.join(', ') : 'every camera of the site'}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="light" onClick={() => void test(t)}>
                      Send test
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="default"
                      onClick={() => setDraft({ kind: t.kind, id: t.id, label: t.label, url: t.url, token: '', cameras: t.cameras, includeSnapshot: t.includeSnapshot, priority: t.kind === 'ntfy' ? t.priority : 4, isEnabled: t.isEnabled })}
                    >
                      Edit
                    </Button>
                    <Button size="compact-xs" color="red" variant="subtle" onClick={() => void saveAll(targets.filter((x) => x.id !== t.id).map(toInput))}>
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {draft ? (
        <Card withBorder>
          <Stack gap="xs">
            <SegmentedControl
              size="xs"
              value={draft.kind}
              onChange={(v) => setDraft({ ...draft, kind: v as Draft['kind'] })}
              data={[
                { label: 'ntfy topic', value: 'ntfy' },
                { label: 'Webhook (JSON)', value: 'webhook' },
              ]}
              w={260}
            />
            <Group align="flex-end" gap="xs">
              <TextInput size="xs" label="Name" placeholder="Technician's phone" value={draft.label} onChange={(e) => setDraft({ ...draft, label: e.currentTarget.value })} w={200} />
              <TextInput
                size="xs"
                label={draft.kind === 'ntfy' ? 'Topic URL' : 'Webhook URL'}
                placeholder={draft.kind === 'ntfy' ? 'https://ntfy.example.com/site-alarms-x7k2' : 'http://192.168.0.5:8080/camera-mail'}
                value={draft.url}
                onChange={(e) => setDraft({ ...draft, url: e.currentTarget.value })}
                style={{ flex: 1, minWidth: 260 }}
              />
              <PasswordInput size="xs" label="Access token (optional)" placeholder={draft.id && targets.find((t) => t.id === draft.id)?.hasToken ? 'saved on this computer' : 'tk_…'} value={draft.token} onChange={(e) => setDraft({ ...draft, token: e.currentTarget.value })} w={200} autoComplete="off" />
            </Group>
            <Group align="flex-end" gap="xs">
              <TagsInput size="xs" label="Only these cameras (address, MAC or name; empty = every camera)" value={draft.cameras} onChange={(v) => setDraft({ ...draft, cameras: v })} style={{ flex: 1, minWidth: 300 }} clearable />
              {draft.kind === 'ntfy' && <NumberInput size="xs" label="Priority (1–5)" min={1} max={5} value={draft.priority} onChange={(v) => setDraft({ ...draft, priority: v })} w={110} />}
            </Group>
            <Group gap="md">
              <Switch size="xs" label={draft.kind === 'ntfy' ? 'Attach the snapshot' : 'Include the snapshot (base64)'} checked={draft.includeSnapshot} onChange={(e) => setDraft({ ...draft, includeSnapshot: e.currentTarget.checked })} />
              <Switch size="xs" label="On" checked={draft.isEnabled} onChange={(e) => setDraft({ ...draft, isEnabled: e.currentTarget.checked })} />
            </Group>
            {draft.kind === 'ntfy' && (
              <Text size="xs" c="dimmed">
                On a public ntfy server anyone who knows the topic name can read it: pick a long, unguessable topic, or use a server of your own with an access token.
              </Text>
            )}
            <Group gap="xs">
              <Button size="xs" onClick={() => void saveDraft()} disabled={!draft.label.trim() || !draft.url.trim()}>
                Save target
              </Button>
              <Button size="xs" variant="default" onClick={() => setDraft(null)}>
                Cancel
              </Button>
            </Group>
          </Stack>
        </Card>
      ) : (
        <Group>
          <Button size="xs" variant="light" onClick={() => setDraft({ ...empty })}>
            Add a push target
          </Button>
        </Group>
      )}
    </Stack>
  );
}
