import { Alert, Button, Card, Code, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PracticeState } from '../../../../shared/domain/practice';
import { api } from '../../api';
import { useCall } from '../../app/use-call';
import type { PageProps } from '../../app/pages';

const steps = ['home.steps.find', 'home.steps.servers', 'home.steps.source', 'home.steps.handler', 'home.steps.test', 'home.steps.handOver'] as const;

function PracticeCard({ state, onStart }: { state: PracticeState; onStart: () => void }) {
  const { t } = useTranslation();
  if (state.status === 'failed') return <Alert color="orange" title={t('home.practice.notRunning')}>{state.error}</Alert>;
  if (state.status !== 'running' || !state.camera || !state.relay) return null;
  return (
    <Card withBorder data-testid="practice-card">
      <Stack gap={6}>
        <Text fw={600}>{t('home.practice.on')}</Text>
        <Text size="sm">
          {t('home.practice.bodyStart', { model: state.camera.model })} <Code>{state.camera.url}</Code> {t('home.practice.bodyLogin')}{' '}
          <Code>
            {state.relay.address}:{state.relay.port}
          </Code>
          {t('home.practice.bodyEnd')}
        </Text>
        <Group>
          <Button onClick={onStart}>{t('home.practice.commission')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Start page: the commissioning job in order, so a technician on a ladder knows where they are. */
export function HomePage({ go }: PageProps) {
  const { t } = useTranslation();
  const practice = useCall(() => api.practiceGetState({}));
  return (
    <Stack maw={760}>
      <Title order={1}>{t('home.title')}</Title>
      <Text c="dimmed">{t('home.intro')}</Text>
      {practice.data && <PracticeCard state={practice.data} onStart={() => go('commission')} />}
      <Card withBorder>
        <List spacing="sm" type="ordered">
          {steps.map((s, i) => (
            <List.Item
              key={s}
              icon={
                <ThemeIcon size={24} radius="xl">
                  {i + 1}
                </ThemeIcon>
              }
            >
              {t(s)}
            </List.Item>
          ))}
        </List>
      </Card>
      <Group>
        <Button variant="light" onClick={() => go('cameras')}>
          {t('home.findCameras')}
        </Button>
        <Button variant="light" onClick={() => go('troubleshoot')}>
          {t('home.noMail')}
        </Button>
      </Group>
    </Stack>
  );
}
