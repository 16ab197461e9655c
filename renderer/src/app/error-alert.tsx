import { Alert, Code, Text } from '@mantine/core';
import type { AppError } from '../../../shared/ipc/result';

/** Shows a contract error: its one-line message (what to do) and its code for support. */
export function ErrorAlert({ error, title }: { error: AppError; title?: string }) {
  return (
    <Alert color="red" title={title ?? 'Something went wrong'} role="alert">
      <Text size="sm">{error.message}</Text>
      <Text size="xs" c="dimmed" mt={4}>
        Code <Code>{error.code}</Code>
      </Text>
    </Alert>
  );
}
