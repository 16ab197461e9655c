import { Button, Card, Group, Loader, NumberInput, Progress, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { DiskUsage } from '../../../../shared/domain/relay-inbox';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { bytes } from '../../i18n/format';
import { useTranslation } from 'react-i18next';

/**
 * How much disk the relay uses (measured on the machine side), what is left on the volume, and the retention that
 * bounds it: by count, age and size; pinned evidence is always kept. Shown in Settings and on the relay page.
 */
export function RelayStorageCard({ isEditable = true }: { isEditable?: boolean }) {
  const { t } = useTranslation();
  const [usage, setUsage] = useState<DiskUsage | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [draft, setDraft] = useState<{ maxCount: number | string; maxAgeDays: number | string; maxTotalMb: number | string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await api.relayGetDiskUsage({});
    if (!r.ok) return setFailure({ title: t('relay.storage.readFailed'), error: r.error });
    setUsage(r.value);
    setDraft((d) => d ?? { ...r.value.retention });
  }, [t]);
  useEffect(() => {
    void load();
  }, [load]);
  if (failure && !usage) return <ErrorAlert error={failure.error} title={failure.title} />;
  if (!usage || !draft) return <Loader size="xs" />;
  const limit = usage.retention.maxTotalMb * 1024 * 1024;
  const save = async () => {
    const n = (v: number | string) => (typeof v === 'number' ? v : Number(v));
    const r = await api.relaySetRetention({ retention: { maxCount: n(draft.maxCount), maxAgeDays: n(draft.maxAgeDays), maxTotalMb: n(draft.maxTotalMb) } });
    if (!r.ok) return setFailure({ title: t('relay.storage.retentionFailed'), error: r.error });
    setSaved(r.value.removed ? t('relay.storage.savedRemoved', { n: r.value.removed }) : t('relay.storage.saved'));
    setFailure(null);
    await load();
  };
  return (
    <Card withBorder data-testid="relay-storage">
      <Stack gap="xs">
        <Title order={5}>{t('relay.storage.title')}</Title>
        <Text size="sm" data-testid="relay-disk-use">
          {t('relay.storage.usesStart')} <b>{bytes(usage.totalBytes)}</b> {t('relay.storage.usesIn')} <code>{usage.dataDir}</code>
          {t('relay.storage.usesDetail', { count: usage.messageCount, messages: bytes(usage.messagesBytes), thumbnails: bytes(usage.thumbnailsBytes), spool: bytes(usage.spoolBytes) })}
          {usage.freeBytes !== null && t('relay.storage.free', { free: bytes(usage.freeBytes) })}
        </Text>
        <Progress value={Math.min(100, (usage.messagesBytes / limit) * 100)} size="sm" aria-label={t('relay.storage.progress')} />
        <Text size="xs" c="dimmed">
          {t('relay.storage.retention', { count: usage.retention.maxCount, days: usage.retention.maxAgeDays, size: bytes(limit) })}
          {!isEditable && t('relay.storage.changeOnRelay')}
        </Text>
        {isEditable && (
          <Group align="flex-end" gap="xs">
            <NumberInput size="xs" label={t('relay.storage.maxCount')} min={1} max={1_000_000} value={draft.maxCount} onChange={(v) => setDraft({ ...draft, maxCount: v })} w={170} />
            <NumberInput size="xs" label={t('relay.storage.maxAge')} min={1} max={3650} value={draft.maxAgeDays} onChange={(v) => setDraft({ ...draft, maxAgeDays: v })} w={120} />
            <NumberInput size="xs" label={t('relay.storage.maxSize')} min={1} max={10_000_000} value={draft.maxTotalMb} onChange={(v) => setDraft({ ...draft, maxTotalMb: v })} w={130} />
            <Button size="xs" onClick={() => void save()}>
              {t('relay.storage.apply')}
            </Button>
            {failure && <ErrorAlert error={failure.error} title={failure.title} />}
            {saved && (
              <Text size="xs" c="green" role="status">
                {saved}
              </Text>
            )}
          </Group>
        )}
      </Stack>
    </Card>
  );
}
