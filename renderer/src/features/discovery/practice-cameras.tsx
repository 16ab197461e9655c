import { Button, Card, Group, NumberInput, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PracticeState } from '../../../../shared/domain/practice';
import { MAX_ADDED_PRACTICE_CAMERAS } from '../../../../shared/ipc/channels/site';
import { api } from '../../api';
import { ErrorAlert, type TitledError } from '../../app/error-alert';

/**
 * Practice mode on the camera list: how many practice cameras run, "Add practice cameras" (to try a whole-site
 * batch without hardware), and "List them here" (each is probed by address like a camera typed in by hand).
 */
export function PracticeCamerasCard() {
  const { t } = useTranslation();
  const [state, setState] = useState<PracticeState | null>(null);
  const [toAdd, setToAdd] = useState<number | string>(2);
  const [busy, setBusy] = useState<'add' | 'list' | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  useEffect(() => {
    void api.practiceGetState({}).then((r) => r.ok && setState(r.value));
  }, []);
  if (state?.status !== 'running' || !state.cameras) return null;

  const list = async (s: PracticeState) => {
    for (const c of s.cameras ?? []) {
      const r = await api.discoveryAddManual({ host: c.ip, httpPort: c.httpPort });
      if (!r.ok) {
        setFailure({ title: t('discovery.practice.listFailed', { name: c.name }), error: r.error });
        return;
      }
    }
  };
  const add = async () => {
    setFailure(null);
    setBusy('add');
    const r = await api.practiceAddCameras({ count: typeof toAdd === 'number' ? toAdd : 1 });
    if (r.ok) {
      setState(r.value);
      await list(r.value);
    } else setFailure({ title: t('discovery.practice.addFailed'), error: r.error });
    setBusy(null);
  };
  const listAll = async () => {
    setFailure(null);
    setBusy('list');
    await list(state);
    setBusy(null);
  };
  const count = state.cameras.length;
  return (
    <Card withBorder data-testid="practice-cameras">
      <Stack gap="xs">
        <Text fw={600}>{t('discovery.practice.title')}</Text>
        <Text size="sm">
          {t('discovery.practice.running', { count, names: state.cameras.map((c) => c.name).join(', ') })}
        </Text>
        <Group align="flex-end" gap="sm">
          <NumberInput label={t('discovery.practice.toAdd')} min={1} max={MAX_ADDED_PRACTICE_CAMERAS} allowDecimal={false} value={toAdd} onChange={setToAdd} w={200} />
          <Button onClick={add} loading={busy === 'add'} disabled={!!busy || typeof toAdd !== 'number' || toAdd < 1 || toAdd > MAX_ADDED_PRACTICE_CAMERAS}>
            {t('discovery.practice.add')}
          </Button>
          <Button variant="default" onClick={listAll} loading={busy === 'list'} disabled={!!busy}>
            {t('discovery.practice.list')}
          </Button>
        </Group>
        {failure && <ErrorAlert error={failure.error} title={failure.title} />}
      </Stack>
    </Card>
  );
}
