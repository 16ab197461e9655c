import { Button, Card, Group, Loader, NumberInput, SegmentedControl, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { MAX_PRACTICE_CAMERAS, type Settings } from '../../../../shared/domain/settings';
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

  // The page keeps its one h1 while it loads or fails.
  if (current.error || !draft)
    return (
      <Stack maw={560}>
        <Title order={1}>Settings</Title>
        {current.error ? <ErrorAlert error={current.error} title="Could not read the settings" /> : <Loader size="sm" aria-label="Loading the settings" />}
      </Stack>
    );

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
        practiceCameraCount: draft.practiceCameraCount,
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
      <Title order={1}>Settings</Title>
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
          <NumberInput
            label="Practice cameras"
            description="How many practice cameras start with the app (for trying a whole-site batch); Find cameras can add more at once."
            min={1}
            max={MAX_PRACTICE_CAMERAS}
            allowDecimal={false}
            value={draft.practiceCameraCount}
            onChange={(v) => typeof v === 'number' && setDraft({ ...draft, practiceCameraCount: Math.min(MAX_PRACTICE_CAMERAS, Math.max(1, v)) })}
            disabled={!draft.practiceMode}
            maw={220}
          />
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
