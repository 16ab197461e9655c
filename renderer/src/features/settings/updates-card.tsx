import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { UpdateState } from '../../../../shared/ipc/channels/updates';
import type { AppError, Result } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';

const STATUS_COLOR: Record<UpdateState['status'], string> = { idle: 'gray', checking: 'blue', available: 'blue', verifying: 'blue', downloading: 'blue', ready: 'green', failed: 'red' };

/**
 * Updates: install from a file (a USB stick; the signature is checked before anything installs) and, for sites
 * with an update server, a check that runs only when pressed. The browser version says it cannot update itself.
 */
export function UpdatesCard({ serverUrl, onServerUrlChange }: { serverUrl: string; onServerUrlChange: (v: string) => void }) {
  const [state, setState] = useState<UpdateState | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  useEffect(() => {
    void api.updatesGetState({}).then((r) => r.ok && setState(r.value));
    return api.onUpdatesStateChanged(setState);
  }, []);

  const run = async <T,>(label: string, call: () => Promise<Result<T>>, take: (v: T) => UpdateState | undefined) => {
    setBusy(label);
    setError(null);
    const r = await call();
    setBusy(null);
    if (r.ok) {
      const s = take(r.value);
      if (s) setState(s);
    } else setError(r.error);
  };

  if (!state) return null;
  const canInstall = state.canInstallFromFile;
  return (
    <Card withBorder data-testid="updates-card">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h3">Updates</Title>
          <Badge color="gray" variant="light">
            Installed: v{state.currentVersion}
          </Badge>
        </Group>
        {!canInstall && (
          <Alert color="gray" title="Not available in the browser version" data-testid="updates-not-applicable">
            {state.notApplicableReason}
          </Alert>
        )}
        <div>
          <Text size="sm" fw={500}>
            Install update from file
          </Text>
          <Text size="sm" c="dimmed" mb="xs">
            For sites without internet: pick the .sarix-update file from a USB stick. Its signature is checked first; a changed or foreign file is refused and nothing is installed.
          </Text>
          <Button variant="default" disabled={!canInstall || !!busy} loading={busy === 'file'} onClick={() => run('file', () => api.updatesInstallFromFile({}), (v) => v.state)}>
            Install update from file…
          </Button>
        </div>
        <div>
          <TextInput
            label="Update server (optional)"
            description="Only if your company runs one. The app contacts it only when you press Check for updates; save the settings to keep it."
            placeholder="https://updates.example.com/sarix/"
            value={serverUrl}
            onChange={(e) => onServerUrlChange(e.currentTarget.value)}
            disabled={!canInstall}
            maxLength={500}
          />
          <Button mt="xs" variant="default" disabled={!canInstall || !state.feedUrl || !!busy} loading={busy === 'check'} onClick={() => run('check', () => api.updatesCheckOnline({}), (v) => v.state)}>
            Check for updates
          </Button>
          {state.status === 'available' && (
            <Button mt="xs" ml="xs" disabled={!!busy} loading={busy === 'download'} onClick={() => run('download', () => api.updatesDownloadOnline({}), (v) => v)}>
              Download and verify {state.version}
            </Button>
          )}
        </div>
        {state.message && (
          <Group gap="xs" role="status">
            <Badge color={STATUS_COLOR[state.status]}>{state.status}</Badge>
            <Text size="sm">{state.message}</Text>
          </Group>
        )}
        {state.status === 'ready' && (
          <Button color="green" onClick={() => run('restart', () => api.updatesRestartAndInstall({}), () => undefined)}>
            Restart and install {state.version}
          </Button>
        )}
        {error && <ErrorAlert error={error} title={error.code === 'UPDATE_REJECTED' ? 'The update was refused' : 'The update did not work'} />}
      </Stack>
    </Card>
  );
}
