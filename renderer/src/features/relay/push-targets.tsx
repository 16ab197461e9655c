import { Alert, Badge, Button, Card, Group, NumberInput, PasswordInput, SegmentedControl, Stack, Switch, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { PushTargetInput, PushTargetView } from '../../../../shared/domain/relay-push';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { useTranslation } from 'react-i18next';

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
  const { t } = useTranslation();
  const [targets, setTargets] = useState<PushTargetView[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [note, setNote] = useState<string | null>(null);
  useEffect(() => {
    void api.relayGetPushTargets({}).then((r) => (r.ok ? setTargets(r.value) : setFailure({ title: t('relay.push.readFailed'), error: r.error })));
  }, [t]);

  const saveAll = async (list: PushTargetInput[]) => {
    const r = await api.relaySetPushTargets({ targets: list });
    if (!r.ok) {
      setFailure({ title: t('relay.push.saveFailed'), error: r.error });
      return false;
    }
    setTargets(r.value);
    setFailure(null);
    return true;
  };
  const saveDraft = async () => {
    if (!draft) return;
    const id = draft.id || idFor(draft.label, targets.map((x) => x.id));
    const common = { id, label: draft.label.trim(), url: draft.url.trim(), token: draft.token || undefined, cameras: draft.cameras, includeSnapshot: draft.includeSnapshot, isEnabled: draft.isEnabled };
    const next: PushTargetInput = draft.kind === 'ntfy' ? { kind: 'ntfy', ...common, priority: typeof draft.priority === 'number' ? draft.priority : 4 } : { kind: 'webhook', ...common };
    const list = [...targets.filter((x) => x.id !== id).map(toInput), next];
    if (await saveAll(list)) {
      setDraft(null);
      setNote(t('relay.push.saved', { label: next.label }));
    }
  };
  const test = async (target: PushTargetView) => {
    setNote(null);
    const r = await api.relayTestPushTarget({ id: target.id });
    if (r.ok) setNote(t('relay.push.testOk', { target: r.value.target }));
    else setFailure({ title: t('relay.push.testFailed', { label: target.label }), error: r.error });
  };

  return (
    <Stack gap="xs" data-testid="push-targets">
      <Text size="sm" c="dimmed">
        {t('relay.push.intro')}
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
              <Table.Th>{t('relay.push.target')}</Table.Th>
              <Table.Th>URL</Table.Th>
              <Table.Th>{t('relay.push.cameras')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {targets.map((pt) => (
              <Table.Tr key={pt.id}>
                <Table.Td>
                  <Group gap={6}>
                    <Text size="sm" fw={600}>
                      {pt.label}
                    </Text>
                    <Badge size="xs" variant="light">
                      {pt.kind}
                    </Badge>
                    {!pt.isEnabled && (
                      <Badge size="xs" color="gray">
                        {t('relay.push.off')}
                      </Badge>
                    )}
                    {pt.hasToken && (
                      <Badge size="xs" color="gray" variant="outline">
                        {t('relay.push.tokenSaved')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td>
                  <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                    {pt.url}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">{pt.cameras.length ? pt.cameras.join(', ') : t('relay.push.everyCamera')}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Button size="compact-xs" variant="light" onClick={() => void test(pt)}>
                      {t('relay.push.sendTest')}
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="default"
                      onClick={() => setDraft({ kind: pt.kind, id: pt.id, label: pt.label, url: pt.url, token: '', cameras: pt.cameras, includeSnapshot: pt.includeSnapshot, priority: pt.kind === 'ntfy' ? pt.priority : 4, isEnabled: pt.isEnabled })}
                    >
                      {t('relay.push.edit')}
                    </Button>
                    <Button size="compact-xs" color="red" variant="subtle" onClick={() => void saveAll(targets.filter((x) => x.id !== pt.id).map(toInput))}>
                      {t('relay.push.remove')}
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
                { label: t('relay.push.ntfyTopic'), value: 'ntfy' },
                { label: t('relay.push.webhook'), value: 'webhook' },
              ]}
              w={260}
            />
            <Group align="flex-end" gap="xs">
              <TextInput size="xs" label={t('relay.push.name')} placeholder={t('relay.push.namePlaceholder')} value={draft.label} onChange={(e) => setDraft({ ...draft, label: e.currentTarget.value })} w={200} />
              <TextInput
                size="xs"
                label={draft.kind === 'ntfy' ? t('relay.push.topicUrl') : t('relay.push.webhookUrl')}
                placeholder={draft.kind === 'ntfy' ? 'https://ntfy.example.com/site-alarms-x7k2' : 'http://192.168.0.5:8080/camera-mail'}
                value={draft.url}
                onChange={(e) => setDraft({ ...draft, url: e.currentTarget.value })}
                style={{ flex: 1, minWidth: 260 }}
              />
              <PasswordInput size="xs" label={t('relay.push.token')} placeholder={draft.id && targets.find((x) => x.id === draft.id)?.hasToken ? t('relay.setupCard.savedHere') : 'tk_…'} value={draft.token} onChange={(e) => setDraft({ ...draft, token: e.currentTarget.value })} w={200} autoComplete="off" />
            </Group>
            <Group align="flex-end" gap="xs">
              <TagsInput size="xs" label={t('relay.push.onlyCameras')} value={draft.cameras} onChange={(v) => setDraft({ ...draft, cameras: v })} style={{ flex: 1, minWidth: 300 }} clearable />
              {draft.kind === 'ntfy' && <NumberInput size="xs" label={t('relay.push.priority')} min={1} max={5} value={draft.priority} onChange={(v) => setDraft({ ...draft, priority: v })} w={110} />}
            </Group>
            <Group gap="md">
              <Switch size="xs" label={draft.kind === 'ntfy' ? t('relay.push.attachSnapshot') : t('relay.push.includeSnapshot')} checked={draft.includeSnapshot} onChange={(e) => setDraft({ ...draft, includeSnapshot: e.currentTarget.checked })} />
              <Switch size="xs" label={t('relay.push.on')} checked={draft.isEnabled} onChange={(e) => setDraft({ ...draft, isEnabled: e.currentTarget.checked })} />
            </Group>
            {draft.kind === 'ntfy' && (
              <Text size="xs" c="dimmed">
                {t('relay.push.publicWarning')}
              </Text>
            )}
            <Group gap="xs">
              <Button size="xs" onClick={() => void saveDraft()} disabled={!draft.label.trim() || !draft.url.trim()}>
                {t('relay.push.save')}
              </Button>
              <Button size="xs" variant="default" onClick={() => setDraft(null)}>
                {t('common.cancel')}
              </Button>
            </Group>
          </Stack>
        </Card>
      ) : (
        <Group>
          <Button size="xs" variant="light" onClick={() => setDraft({ ...empty })}>
            {t('relay.push.add')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
