import { Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { SupportBundleResult } from '../../../../shared/ipc/channels/support';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { saveBase64 } from '../../lib/download';

/** Save support bundle: the desktop app asks where to save it; the browser version downloads it. */
export function SupportCard() {
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
        <Title order={2} size="h3">Support bundle</Title>
        <Text size="sm" c="dimmed">
          One zip file for your support contact, with what they need to understand a problem. Passwords and tokens are removed before anything is written.
        </Text>
        <List size="sm" spacing={2}>
          <List.Item>the app log and the relay’s SMTP transcripts (login data removed)</List.Item>
          <List.Item>the settings, without passwords</List.Item>
          <List.Item>the last camera search and commissioning results</List.Item>
          <List.Item>crash reports kept on this computer, and the app and system versions</List.Item>
        </List>
        <Group>
          <Button onClick={save} loading={busy}>
            Save support bundle
          </Button>
        </Group>
        {done && (
          <Text size="sm" c="green" role="status" data-testid="support-bundle-saved">
            {done.savedTo ? `Saved to ${done.savedTo}` : `Downloaded ${done.fileName}`} ({Math.max(1, Math.round(done.sizeBytes / 1024))} KiB, {done.entries.length} files).
          </Text>
        )}
        {error && <ErrorAlert error={error} title="The support bundle was not saved" />}
      </Stack>
    </Card>
  );
}
