import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device } from '../../../../shared/domain/discovery';
import type { SiteProfileSettings } from '../../../../shared/domain/settings';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';
import { batchCounts, batchReducer } from './batch-state';
import { dispatchBatch as dispatch, useBatch } from './batch-store';
import { SiteProfileForm, sensitivityOf, siteFormProblems, type SiteForm } from './site-profile-form';
import { TestOrderTable } from './test-order-table';

/** The profile a practice run suggests where the stored one is empty (the practice relay, loopback NTP). */
function withPracticeDefaults(p: SiteProfileSettings, practice: { smtpServer?: string } | null): SiteProfileSettings {
  if (!practice?.smtpServer) return p;
  return {
    ...p,
    smtpServer: p.smtpServer || practice.smtpServer,
    ntpServer: p.ntpServer || '127.0.0.1',
    to: p.to || 'technician@site.example',
    from: p.from || 'practicecams@site.example',
  };
}

/**
 * The whole site at once: the cameras chosen on Find cameras, ONE site profile, configuration of several cameras
 * at a time, and the tests one camera at a time in the order the technician walks (changeable before and during
 * the run). The live table shows each camera's progress, test turn and verdict.
 */
export function SitePage({ selection, onFindCameras, onOpenWizard }: { selection: Device[]; onFindCameras: () => void; onOpenWizard?: (url: string) => void }) {
  const { t } = useTranslation();
  const batch = useBatch(selection);
  const [form, setForm] = useState<SiteForm | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [isStarting, setStarting] = useState(false);

  useEffect(() => {
    void Promise.all([api.appGetSettings({}), api.practiceGetState({})]).then(([s, p]) => {
      const practice = p.ok && p.value.status === 'running' ? p.value : null;
      const profile = s.ok ? s.value.siteProfile : null;
      if (!profile) {
        setFailure({ title: t('site.readFailed'), error: s.ok ? { code: 'INTERNAL', message: t('site.noProfile') } : s.error });
        return;
      }
      const merged = withPracticeDefaults(profile, practice);
      // The legacy Sarix factory login (docs/camera.md §2); the technician changes it when the site has its own.
      setForm({ profile: merged, username: 'admin', password: 'admin', concurrency: 4, sensitivity: merged.sceneSensitivity ?? '', isTenConfirmed: false });
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps -- read once; the title is in the language of that moment
  }, []);

  const rows = batch.order.map((u) => batch.rows[u]).filter(Boolean);
  const counts = batchCounts(batch);
  const problems = form ? siteFormProblems(form, t) : {};
  const canStart = !!form && rows.length > 0 && Object.keys(problems).length === 0 && !batch.isRunning && !isStarting;

  const setOrder = async (order: string[]) => {
    dispatch({ type: 'reorder', order });
    if (!batch.isRunning || !batch.operationId) return;
    const r = await api.commissioningSetTestOrder({ operationId: batch.operationId, urls: order });
    if (!r.ok) setFailure({ title: t('site.orderFailed'), error: r.error });
  };
  const move = (index: number, delta: -1 | 1) => {
    const before = batch.order;
    const after = batchReducer(batch, { type: 'move', index, delta }).order;
    if (after !== before) void setOrder(after);
  };
  const startTest = async (url: string) => {
    if (!batch.operationId) return;
    const r = await api.commissioningStartCameraTest({ operationId: batch.operationId, url });
    if (!r.ok) setFailure({ title: t('site.testFailed'), error: r.error });
  };

  const start = async () => {
    if (!form) return;
    setFailure(null);
    setStarting(true);
    const sensitivity = sensitivityOf(form);
    const profile: SiteProfileSettings = { ...form.profile, sceneSensitivity: typeof sensitivity === 'number' ? sensitivity : null };
    // The site profile is kept for the next camera and the next batch (Settings > site profile; the wizard reads it).
    const saved = await api.appSetSettings({ patch: { siteProfile: profile } });
    if (!saved.ok) setFailure({ title: t('site.saveFailed'), error: saved.error });
    const { sceneSensitivity, ...rest } = profile;
    const r = await api.commissioningStart({
      targets: rows.map((row) => ({ url: row.url, username: form.username.trim(), password: form.password, name: row.label })),
      profile: { ...rest, smtpServer: rest.smtpServer.trim(), ntpServer: rest.ntpServer.trim(), to: rest.to.trim(), from: rest.from.trim(), ...(sceneSensitivity !== null ? { sceneSensitivity } : {}) },
      // A real camera's test waits for "I'm at this camera"; practice cameras trigger themselves.
      options: { concurrency: form.concurrency, testStart: 'technician' },
    });
    setStarting(false);
    if (r.ok) {
      dispatch({ type: 'started', operationId: r.value.operationId });
    } else setFailure({ title: t('site.startFailed'), error: r.error as AppError });
  };
  const cancel = async () => {
    if (batch.operationId) await api.commissioningCancel({ operationId: batch.operationId });
  };

  return (
    <Stack>
      <Title order={1}>{t('site.title')}</Title>
      <Text c="dimmed" size="sm" maw={900}>
        {t('site.intro')}
      </Text>

      {rows.length === 0 ? (
        <Card withBorder>
          <Stack gap="xs" align="flex-start">
            <Text>{t('site.empty')}</Text>
            <Button onClick={onFindCameras}>{t('site.findCameras')}</Button>
          </Stack>
        </Card>
      ) : (
        <Card withBorder padding="sm">
          <Stack gap="xs">
            <Group justify="space-between" wrap="wrap">
              <Title order={2} size="h4">
                {t('site.inOrder', { count: rows.length })}
              </Title>
              <Text size="sm" role="status" data-testid="batch-summary">
                {batch.isRunning
                  ? t('site.running', { done: counts.done, total: counts.total, passed: counts.passed, failed: counts.failed })
                  : batch.finished
                    ? batch.finished.status === 'cancelled'
                      ? t('site.cancelled', { total: counts.total, passed: counts.passed, failed: counts.failed })
                      : t('site.finished', { total: counts.total, passed: counts.passed, failed: counts.failed })
                    : t('site.ready', { count: rows.length })}
              </Text>
            </Group>
            <TestOrderTable rows={rows} isRunning={batch.isRunning} onMove={move} onReorder={(o) => void setOrder(o)} onRemove={(url) => dispatch({ type: 'remove', url })} onStartTest={(u) => void startTest(u)} onOpenWizard={onOpenWizard} />
          </Stack>
        </Card>
      )}

      <Card withBorder>
        <Stack gap="sm">
          <Title order={2} size="h4">
            {t('site.profile')}
          </Title>
          {form ? <SiteProfileForm form={form} onChange={setForm} isDisabled={batch.isRunning} /> : <Loader size="sm" aria-label={t('site.loadingProfile')} />}
          <Group>
            {/* A long label (German) wraps on a phone instead of being cut. */}
            <Button onClick={start} disabled={!canStart} loading={isStarting} data-testid="start-batch" h="auto" mih={36} py={6} maw="100%" styles={{ label: { whiteSpace: 'normal', lineHeight: 1.35 } }}>
              {batch.isRunning ? t('site.runningButton') : t('site.startButton', { count: rows.length })}
            </Button>
            {batch.isRunning && (
              <Button variant="default" onClick={cancel}>
                {t('site.cancel')}
              </Button>
            )}
          </Group>
          {form && rows.length > 0 && Object.keys(problems).length > 0 && !batch.isRunning && (
            <Alert color="yellow" variant="light" title={t('site.beforeStart')}>
              {Object.values(problems).map((m) => (
                <Text size="sm" key={m}>
                  {m}
                </Text>
              ))}
            </Alert>
          )}
          {failure && <ErrorAlert error={failure.error} title={failure.title} />}
        </Stack>
      </Card>
    </Stack>
  );
}
