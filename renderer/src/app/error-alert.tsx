import { Alert, Code, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { localizeError } from '../../../shared/i18n/messages';
import type { AppError } from '../../../shared/ipc/result';
import { uiLanguage } from '../i18n';

/** A contract error with the title that says which action failed (one state per screen keeps both together). */
export interface TitledError {
  title: string;
  error: AppError;
}

/**
 * Shows a contract error: a title that names what did not happen, its one-line message (what to do; in the UI
 * language when the machine side keyed it) and its code for support. The title is required: a generic "Something
 * went wrong" tells the technician nothing.
 */
export function ErrorAlert({ error, title }: { error: AppError; title: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={title} role="alert">
      <Text size="sm">{localizeError(uiLanguage(), error)}</Text>
      <Text size="xs" c="dimmed" mt={4}>
        {t('common.errorCodeLabel')} <Code>{error.code}</Code>
      </Text>
    </Alert>
  );
}
