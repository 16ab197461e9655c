import { Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SupportBundleResult } from '../../../../shared/ipc/channels/support';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { saveBase64 } from '../../lib/download';

/** Save support bundle: the desktop app asks where to save it; the browser version downloads it. */
export function SupportCard() {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<SupportBundleResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const save = async () => {
    setBusy(true);
    setError(null);
    const r = await api.supportSaveBundle({});
    setBusy(false);
    if (!r.ok) {
      setError(r.error);
      return;
    }
    if (r.value.base64) saveBase64(r.value.fileName, 'application/zip', r.value.base64);
    setDone(r.value.isCancelled ? null : r.value);
  };
  return (
    <Card withBorder data-testid="support-card">
      <Stack>
        <Title order={2} size="h3">{t('settings.support.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('settings.support.intro')}
        </Text>
        <List size="sm" spacing={2}>
          <List.Item>{t('settings.support.itemLogs')}</List.Item>
          <List.Item>{t('settings.support.itemSettings')}</List.Item>
          <List.Item>{t('settings.support.itemResults')}</List.Item>
          <List.Item>{t('settings.support.itemCrashes')}</List.Item>
        </List>
        <Group>
          <Button onClick={save} loading={busy}>
            {t('settings.support.save')}
          </Button>
        </Group>
        {done && (
          <Text size="sm" c="green" role="status" data-testid="support-bundle-saved">
            {done.savedTo
              ? t('settings.support.savedTo', { path: done.savedTo, kib: Math.max(1, Math.round(done.sizeBytes / 1024)), files: done.entries.length })
              : t('settings.support.downloaded', { file: done.fileName, kib: Math.max(1, Math.round(done.sizeBytes / 1024)), files: done.entries.length })}
          </Text>
        )}
        {error && <ErrorAlert error={error} title={t('settings.support.failed')} />}
      </Stack>
    </Card>
  );
}
