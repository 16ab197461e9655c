import { Alert, Code, Text } from '@mantine/core';
import type { AppError } from '../../../shared/ipc/result';

/** A contract error with the title that says which action failed (one state per screen keeps both together). */
export interface TitledError {
  title: string;
  error: AppError;
}

/**
 * Shows a contract error: a title that names what did not happen, its one-line message (what to do) and its code
 * for support. The title is required: a generic "Something went wrong" tells the technician nothing.
 */
export function ErrorAlert({ error, title }: { error: AppError; title: string }) {
  return (
    <Alert color="red" title={title} role="alert">
      <Text size="sm">{error.message}</Text>
      <Text size="xs" c="dimmed" mt={4}>
        Code <Code>{error.code}</Code>
      </Text>
    </Alert>
  );
}
