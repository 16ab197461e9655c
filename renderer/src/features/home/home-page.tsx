import { Alert, Button, Card, Code, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { PracticeState } from '../../../../shared/domain/practice';
import { api } from '../../api';
import { useCall } from '../../app/use-call';
import type { PageProps } from '../../app/pages';

const steps = [
  'Find the camera on the site network.',
  'Set the SMTP server (this laptop or the site relay) and the NTP server: System > General.',
  'Create an event source first: Events > Sources.',
  'Create a Send Email handler linked to that source (at most 20 handlers per camera).',
  'Turn on Camera Sabotage with sensitivity 10 for the test, trigger it, and see the e-mail arrive here.',
  'Set the sensitivity back to what the scene needs, and hand over the report.',
];

function PracticeCard({ state, onStart }: { state: PracticeState; onStart: () => void }) {
  if (state.status === 'failed') return <Alert color="orange" title="Practice mode is not running">{state.error}</Alert>;
  if (state.status !== 'running' || !state.camera || !state.relay) return null;
  return (
    <Card withBorder data-testid="practice-card">
      <Stack gap={6}>
        <Text fw={600}>Practice mode is on</Text>
        <Text size="sm">
          A simulated {state.camera.model} answers at <Code>{state.camera.url}</Code> (login admin / admin), and this laptop's relay receives its mail on{' '}
          <Code>
            {state.relay.address}:{state.relay.port}
          </Code>
          . Try the whole job without touching a real camera.
        </Text>
        <Group>
          <Button onClick={onStart}>Commission the practice camera</Button>
        </Group>
      </Stack>
    </Card>
  );
}

/** Start page: the commissioning job in order, so a technician on a ladder knows where they are. */
export function HomePage({ go }: PageProps) {
  const practice = useCall(() => api.practiceGetState({}));
  return (
    <Stack maw={760}>
      <Title order={1}>Commission a Sarix camera</Title>
      <Text c="dimmed">Legacy Sarix cameras only send e-mail through a local SMTP server: plain SMTP on port 25, no login, no TLS. This app is that local server, and it walks you through the camera settings.</Text>
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
              {s}
            </List.Item>
          ))}
        </List>
      </Card>
      <Group>
        <Button variant="light" onClick={() => go('cameras')}>
          Find cameras
        </Button>
        <Button variant="light" onClick={() => go('troubleshoot')}>
          Mail does not arrive?
        </Button>
      </Group>
    </Stack>
  );
}
