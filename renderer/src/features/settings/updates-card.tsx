import { Alert, Badge, Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { UpdateState } from '../../../../shared/ipc/channels/updates';
import type { AppError, Result } from '../../../../shared/ipc/result';
import { localizeError } from '../../../../shared/i18n/messages';
import { api } from '../../api';
import { uiLanguage } from '../../i18n';
import { ErrorAlert } from '../../app/error-alert';
import { localText } from '../../i18n/localized';

// Literal keys, so the catalog test finds every one of them in the source.
const STATUS_KEY = {
  idle: 'settings.updates.status.idle',
  checking: 'settings.updates.status.checking',
  available: 'settings.updates.status.available',
  verifying: 'settings.updates.status.verifying',
  downloading: 'settings.updates.status.downloading',
  ready: 'settings.updates.status.ready',
  failed: 'settings.updates.status.failed',
} as const satisfies Record<UpdateState['status'], string>;

const STATUS_COLOR: Record<UpdateState['status'], string> = { idle: 'gray', checking: 'blue', available: 'blue', verifying: 'blue', downloading: 'blue', ready: 'green', failed: 'red' };

/**
 * Updates: install from a file (a USB stick; the signature is checked before anything installs) and, for sites
 * with an update server, a check that runs only when pressed. The browser version says it cannot update itself.
 */
export function UpdatesCard({ serverUrl, onServerUrlChange }: { serverUrl: string; onServerUrlChange: (v: string) => void }) {
  const { t } = useTranslation();
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
          <Title order={2} size="h3">{t('settings.updates.title')}</Title>
          <Badge color="gray" variant="light">
            {t('settings.updates.installed', { version: state.currentVersion })}
          </Badge>
        </Group>
        {!canInstall && (
          <Alert color="gray" title={t('settings.updates.browserOnly')} data-testid="updates-not-applicable">
            {localizeError(uiLanguage(), { message: state.notApplicableReason ?? '', key: state.notApplicableKey })}
          </Alert>
        )}
        <div>
          <Text size="sm" fw={500}>
            {t('settings.updates.fromFile')}
          </Text>
          <Text size="sm" c="dimmed" mb="xs">
            {t('settings.updates.fromFileHint')}
          </Text>
          <Button variant="default" disabled={!canInstall || !!busy} loading={busy === 'file'} onClick={() => run('file', () => api.updatesInstallFromFile({}), (v) => v.state)}>
            {t('settings.updates.fromFileButton')}
          </Button>
        </div>
        <div>
          <TextInput
            label={t('settings.updates.server')}
            description={t('settings.updates.serverHint')}
            placeholder="https://updates.example.com/sarix/"
            value={serverUrl}
            onChange={(e) => onServerUrlChange(e.currentTarget.value)}
            disabled={!canInstall}
            maxLength={500}
          />
          <Button mt="xs" variant="default" disabled={!canInstall || !state.feedUrl || !!busy} loading={busy === 'check'} onClick={() => run('check', () => api.updatesCheckOnline({}), (v) => v.state)}>
            {t('settings.updates.check')}
          </Button>
          {state.status === 'available' && (
            <Button mt="xs" ml="xs" disabled={!!busy} loading={busy === 'download'} onClick={() => run('download', () => api.updatesDownloadOnline({}), (v) => v)}>
              {t('settings.updates.download', { version: state.version })}
            </Button>
          )}
        </div>
        {state.message && (
          <Group gap="xs" role="status">
            <Badge color={STATUS_COLOR[state.status]}>{t(STATUS_KEY[state.status])}</Badge>
            <Text size="sm">{localText(t, state.message, state.messageKey ? { key: state.messageKey, params: state.messageParams } : undefined)}</Text>
          </Group>
        )}
        {state.status === 'ready' && (
          <Button color="green" onClick={() => run('restart', () => api.updatesRestartAndInstall({}), () => undefined)}>
            {t('settings.updates.restart', { version: state.version })}
          </Button>
        )}
        {error && <ErrorAlert error={error} title={error.code === 'UPDATE_REJECTED' ? t('settings.updates.refused') : t('settings.updates.failed')} />}
      </Stack>
    </Card>
  );
}
