import { Button, Card, Group, Loader, NumberInput, Select, SegmentedControl, Stack, Switch, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_PRACTICE_CAMERAS, type Settings } from '../../../../shared/domain/settings';
import { LANGUAGE_NAMES, LANGUAGES, pickLanguage, type LanguageChoice } from '../../../../shared/i18n/languages';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { useCall } from '../../app/use-call';
import { applyLanguageChoice, systemLocales } from '../../i18n';
import { RelayStorageCard } from '../relay/storage-card';
import { SupportCard } from './support-card';
import { UpdatesCard } from './updates-card';

/**
 * The language picker: applies at once and is saved on its own (a technician who cannot read the current language
 * should not have to find the Save button), each language named in itself.
 */
function LanguageSelect({ value, onChange }: { value: LanguageChoice; onChange: (v: LanguageChoice) => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<AppError | null>(null);
  const choose = async (v: string | null) => {
    if (!v) return;
    const choice = v as LanguageChoice;
    applyLanguageChoice(choice);
    onChange(choice);
    const r = await api.appSetSettings({ patch: { language: choice } });
    setError(r.ok ? null : r.error);
  };
  return (
    <div>
      <Select
        label={t('settings.language')}
        description={t('settings.languageHint')}
        data-testid="language-select"
        value={value}
        onChange={(v) => void choose(v)}
        allowDeselect={false}
        data={[{ value: 'system', label: t('settings.languageSystem', { name: LANGUAGE_NAMES[pickLanguage(systemLocales())] }) }, ...LANGUAGES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))]}
        maw={320}
      />
      {error && <ErrorAlert error={error} title={t('settings.languageSaveFailed')} />}
    </div>
  );
}

/** Edits the persisted settings through `app:get-settings` / `app:set-settings`. */
export function SettingsPage({ onSaved }: { onSaved?: (s: Settings) => void }) {
  const { t } = useTranslation();
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
        <Title order={1}>{t('settings.title')}</Title>
        {current.error ? <ErrorAlert error={current.error} title={t('settings.loadFailed')} /> : <Loader size="sm" aria-label={t('settings.loading')} />}
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
      <Title order={1}>{t('settings.title')}</Title>
      <Card withBorder>
        <Stack>
          <LanguageSelect value={draft.language} onChange={(language) => setDraft({ ...draft, language })} />
          <TextInput label={t('settings.technicianName')} description={t('settings.technicianNameHint')} value={draft.technicianName} onChange={(e) => setDraft({ ...draft, technicianName: e.currentTarget.value })} maxLength={80} />
          <TextInput label={t('settings.siteName')} description={t('settings.siteNameHint')} value={draft.siteName} onChange={(e) => setDraft({ ...draft, siteName: e.currentTarget.value })} maxLength={80} />
          <TextInput label={t('settings.siteAddress')} value={draft.siteAddress} onChange={(e) => setDraft({ ...draft, siteAddress: e.currentTarget.value })} maxLength={200} />
          <TextInput label={t('settings.customer')} description={t('settings.customerHint')} value={draft.customer} onChange={(e) => setDraft({ ...draft, customer: e.currentTarget.value })} maxLength={120} />
          <TextInput label={t('settings.integrator')} value={draft.integrator} onChange={(e) => setDraft({ ...draft, integrator: e.currentTarget.value })} maxLength={120} />
          <div>
            <Text size="sm" fw={500} mb={4}>
              {t('settings.theme')}
            </Text>
            <SegmentedControl
              value={draft.theme}
              onChange={(v) => setDraft({ ...draft, theme: v as Settings['theme'] })}
              data={[
                { label: t('settings.themeAuto'), value: 'auto' },
                { label: t('settings.themeLight'), value: 'light' },
                { label: t('settings.themeDark'), value: 'dark' },
              ]}
            />
          </div>
          <Switch label={t('settings.practiceMode')} checked={draft.practiceMode} onChange={(e) => setDraft({ ...draft, practiceMode: e.currentTarget.checked })} />
          <NumberInput
            label={t('settings.practiceCameras')}
            description={t('settings.practiceCamerasHint')}
            min={1}
            max={MAX_PRACTICE_CAMERAS}
            allowDecimal={false}
            value={draft.practiceCameraCount}
            onChange={(v) => typeof v === 'number' && setDraft({ ...draft, practiceCameraCount: Math.min(MAX_PRACTICE_CAMERAS, Math.max(1, v)) })}
            disabled={!draft.practiceMode}
            maw={220}
          />
          <Group>
            <Button onClick={save}>{t('settings.save')}</Button>
            {savedAt && (
              <Text size="sm" c="green" role="status">
                {t('settings.savedAt', { time: savedAt })}
              </Text>
            )}
          </Group>
          {saveError && <ErrorAlert error={saveError} title={t('settings.saveFailed')} />}
        </Stack>
      </Card>
      <RelayStorageCard isEditable={false} />
      <UpdatesCard serverUrl={draft.updateServerUrl} onServerUrlChange={(v) => setDraft({ ...draft, updateServerUrl: v })} />
      <SupportCard />
    </Stack>
  );
}
