import { Button, Card, Group, Loader, NumberInput, Progress, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import type { DiskUsage } from '../../../../shared/domain/relay-inbox';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { bytes } from './format';

/**
 * How much disk the relay uses (measured on the machine side), what is left on the volume, and the retention that
 * bounds it: by count, age and size; pinned evidence is always kept. Shown in Settings and on the relay page.
 */
export function RelayStorageCard({ isEditable = true }: { isEditable?: boolean }) {
  const [usage, setUsage] = useState<DiskUsage | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [draft, setDraft] = useState<{ maxCount: number | string; maxAgeDays: number | string; maxTotalMb: number | string } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const load = useCallback(async () => {
    const r = await api.relayGetDiskUsage({});
    if (!r.ok) return setFailure({ title: "Could not read the relay's disk use", error: r.error });
    setUsage(r.value);
    setDraft((d) => d ?? { ...r.value.retention });
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  if (failure && !usage) return <ErrorAlert error={failure.error} title={failure.title} />;
  if (!usage || !draft) return <Loader size="xs" />;
  const limit = usage.retention.maxTotalMb * 1024 * 1024;
  const save = async () => {
    const n = (v: number | string) => (typeof v === 'number' ? v : Number(v));
    const r = await api.relaySetRetention({ retention: { maxCount: n(draft.maxCount), maxAgeDays: n(draft.maxAgeDays), maxTotalMb: n(draft.maxTotalMb) } });
    if (!r.ok) return setFailure({ title: 'Retention was not changed', error: r.error });
    setSaved(r.value.removed ? `Saved; ${r.value.removed} old message${r.value.removed === 1 ? '' : 's'} removed.` : 'Saved.');
    setFailure(null);
    await load();
  };
  return (
    <Card withBorder data-testid="relay-storage">
      <Stack gap="xs">
        <Title order={5}>Relay storage</Title>
        <Text size="sm" data-testid="relay-disk-use">
          The relay uses <b>{bytes(usage.totalBytes)}</b> in <code>{usage.dataDir}</code>: {usage.messageCount} messages ({bytes(usage.messagesBytes)}), thumbnails {bytes(usage.thumbnailsBytes)}, forwarding queue{' '}
          {bytes(usage.spoolBytes)}.{usage.freeBytes !== null && ` ${bytes(usage.freeBytes)} free on this disk.`}
        </Text>
        <Progress value={Math.min(100, (usage.messagesBytes / limit) * 100)} size="sm" aria-label="Stored mail against the size limit" />
        <Text size="xs" c="dimmed">
          Retention keeps at most {usage.retention.maxCount.toLocaleString()} messages, none older than {usage.retention.maxAgeDays} days, at most {bytes(limit)}; pinned evidence is always kept.
          {!isEditable && ' Change it on the Relay page (Storage tab).'}
        </Text>
        {isEditable && (
          <Group align="flex-end" gap="xs">
            <NumberInput size="xs" label="Keep at most (messages)" min={1} max={1_000_000} value={draft.maxCount} onChange={(v) => setDraft({ ...draft, maxCount: v })} w={170} />
            <NumberInput size="xs" label="Keep for (days)" min={1} max={3650} value={draft.maxAgeDays} onChange={(v) => setDraft({ ...draft, maxAgeDays: v })} w={120} />
            <NumberInput size="xs" label="Size limit (MB)" min={1} max={10_000_000} value={draft.maxTotalMb} onChange={(v) => setDraft({ ...draft, maxTotalMb: v })} w={130} />
            <Button size="xs" onClick={() => void save()}>
              Apply retention
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
