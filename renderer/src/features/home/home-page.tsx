import { Card, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import type { PageProps } from '../../app/pages';

const steps = [
  'Find the camera on the site network.',
  'Set the SMTP server (this laptop or the site relay) and the NTP server: System > General.',
  'Create an event source first: Events > Sources.',
  'Create a Send Email handler linked to that source (at most 20 handlers per camera).',
  'Turn on Camera Sabotage with sensitivity 10 for the test, trigger it, and see the e-mail arrive here.',
  'Set the sensitivity back to what the scene needs, and hand over the report.',
];

/** Start page: the commissioning job in order, so a technician on a ladder knows where they are. */
export function HomePage(_props: PageProps) {
  return (
    <Stack maw={760}>
      <Title order={2}>Commission a Sarix camera</Title>
      <Text c="dimmed">Legacy Sarix cameras only send e-mail through a local SMTP server: plain SMTP on port 25, no login, no TLS. This app is that local server, and it walks you through the camera settings.</Text>
      <Card withBorder>
        <List spacing="sm" type="ordered" icon={undefined}>
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
    </Stack>
  );
}
