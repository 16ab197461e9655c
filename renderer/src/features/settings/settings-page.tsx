import { Button, Card, Group, Loader, SegmentedControl, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { Settings } from '../../../../shared/domain/settings';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { useCall } from '../../app/use-call';
import { RelayStorageCard } from '../relay/storage-card';
import { SupportCard } from './support-card';
import { UpdatesCard } from './updates-card';

/** Edits the persisted settings through `app:get-settings` / `app:set-settings`. */
export function SettingsPage({ onSaved }: { onSaved?: (s: Settings) => void }) {
  const current = useCall(() => api.appGetSettings({}));
  const [draft, setDraft] = useState<Settings | null>(null);
  const [saveError, setSaveError] = useState<AppError | null>(null);
  const [savedAt, setSavedAt] = useState<Date | null>(null);
  useEffect(() => {
    if (current.data) setDraft(current.data);
  }, [current.data]);

  if (current.error) return <ErrorAlert error={current.error} title="Could not read the settings" />;
  if (!draft) return <Loader size="sm" />;

  const save = async () => {
    const r = await api.appSetSettings({
      patch: {
        theme: draft.theme,
        technicianName: draft.technicianName,
        siteName: draft.siteName,
        siteAddress: draft.siteAddress,
        customer: draft.customer,
        integrator: draft.integrator,
        practiceMode: draft.practiceMode,
        updateServerUrl: draft.updateServerUrl.trim(),
      },
    });
    if (r.ok) {
      setSaveError(null);
      setSavedAt(new Date());
      onSaved?.(r.value);
    } else setSaveError(r.error);
  };

  return (
    <Stack maw={560}>
      <Title order={2}>Settings</Title>
      <Card withBorder>
        <Stack>
          <TextInput label="Technician name" description="Printed on hand-over reports." value={draft.technicianName} onChange={(e) => setDraft({ ...draft, technicianName: e.currentTarget.value })} maxLength={80} />
          <TextInput label="Site name" description="Everything done on a site is kept in its journal, under this name." value={draft.siteName} onChange={(e) => setDraft({ ...draft, siteName: e.currentTarget.value })} maxLength={80} />
          <TextInput label="Site address" value={draft.siteAddress} onChange={(e) => setDraft({ ...draft, siteAddress: e.currentTarget.value })} maxLength={200} />
          <TextInput label="Customer" description="Signs the hand-over report." value={draft.customer} onChange={(e) => setDraft({ ...draft, customer: e.currentTarget.value })} maxLength={120} />
          <TextInput label="Integrator" value={draft.integrator} onChange={(e) => setDraft({ ...draft, integrator: e.currentTarget.value })} maxLength={120} />
          <div>
            <Text size="sm" fw={500} mb={4}>
              Theme
            </Text>
            <SegmentedControl
              value={draft.theme}
              onChange={(v) => setDraft({ ...draft, theme: v as Settings['theme'] })}
              data={[
                { label: 'Follow system', value: 'auto' },
                { label: 'Light', value: 'light' },
                { label: 'Dark (night work)', value: 'dark' },
              ]}
            />
          </div>
          <Switch label="Practice mode: a simulated camera and the embedded relay on this laptop" checked={draft.practiceMode} onChange={(e) => setDraft({ ...draft, practiceMode: e.currentTarget.checked })} />
          <Group>
            <Button onClick={save}>Save settings</Button>
            {savedAt && (
              <Text size="sm" c="green" role="status">
                Saved at {savedAt.toLocaleTimeString()}
              </Text>
            )}
          </Group>
          {saveError && <ErrorAlert error={saveError} title="The settings were not saved" />}
        </Stack>
      </Card>
      <RelayStorageCard isEditable={false} />
      <UpdatesCard serverUrl={draft.updateServerUrl} onServerUrlChange={(v) => setDraft({ ...draft, updateServerUrl: v })} />
      <SupportCard />
    </Stack>
  );
}
