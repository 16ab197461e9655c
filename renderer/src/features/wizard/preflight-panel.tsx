/**
 * The pre-flight before any change: each check with its verdict, and its fix as a button ("Start the relay on
 * 10.0.0.5:25", "Allow 10.0.0.23"). A fix runs only when the technician presses it; nothing starts or replaces a
 * relay by itself.
 */
import { Alert, Badge, Button, Card, Group, List, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { PreflightFix, PreflightReport } from '../../../../shared/domain/commissioning-session';
import type { AppError, Result } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { KbLink } from './kb-link';
import { localText } from '../../i18n/localized';

// `text` is a catalog key.
const VERDICT: Record<PreflightReport['checks'][number]['verdict'], { color: string; text: string }> = {
  pass: { color: 'green', text: 'wizard.preflight.pass' },
  warn: { color: 'yellow', text: 'wizard.preflight.warn' },
  fail: { color: 'red', text: 'wizard.preflight.fail' },
  skipped: { color: 'gray', text: 'wizard.preflight.skipped' },
};

/** Runs one fix through the relay's own channels (the same ones the Relay page uses). */
export async function applyFix(fix: PreflightFix): Promise<Result<unknown>> {
  if (fix.kind === 'allow-client') return api.relayAllowClient({ entry: fix.entry });
  if (fix.kind === 'restart-relay') {
    const stopped = await api.relayStop({});
    if (!stopped.ok) return stopped;
  }
  return api.relayStart({ options: { listenAddress: fix.listenAddress, port: fix.port, allow: fix.allow } });
}

/** The checks and their fixes. */
export function PreflightPanel({
  report,
  isChecking,
  onCheck,
  onFix,
  fixError,
}: {
  report: PreflightReport | undefined;
  isChecking: boolean;
  onCheck: () => void;
  onFix: (fix: PreflightFix) => void;
  fixError: AppError | null;
}) {
  const { t } = useTranslation();
  return (
    <Card withBorder data-testid="preflight">
      <Stack gap="xs">
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('wizard.preflight.title')}
          </Title>
          <Button variant="light" onClick={onCheck} loading={isChecking}>
            {report ? t('wizard.preflight.again') : t('wizard.preflight.run')}
          </Button>
        </Group>
        {!report && <Text size="sm">{t('wizard.preflight.intro')}</Text>}
        {report && (
          <List spacing="xs" listStyleType="none" withPadding={false}>
            {report.checks.map((c) => (
              <List.Item key={c.id} data-testid={`preflight-${c.id}`}>
                <Group gap="xs" align="flex-start" wrap="nowrap">
                  <Badge color={VERDICT[c.verdict].color} miw={86} style={{ flexShrink: 0 }}>
                    {t(VERDICT[c.verdict].text)}
                  </Badge>
                  <Stack gap={2}>
                    <Text size="sm" fw={600}>
                      {localText(t, c.title, c.titleI18n)}
                    </Text>
                    <Text size="sm">{localText(t, c.message, c.messageI18n)}</Text>
                    <Group gap="sm">
                      {c.fix && (
                        <Button size="xs" color={c.verdict === 'fail' ? 'red' : undefined} onClick={() => onFix(c.fix!)} disabled={isChecking}>
                          {localText(t, c.fix.label, c.fix.labelI18n)}
                        </Button>
                      )}
                      {c.verdict !== 'pass' && <KbLink id={c.article} />}
                    </Group>
                  </Stack>
                </Group>
              </List.Item>
            ))}
          </List>
        )}
        {fixError && <ErrorAlert error={fixError} title={t('wizard.preflight.fixFailed')} />}
        {report && !report.isReady && (
          <Alert color="red" title={t('wizard.preflight.notReadyTitle')} role="status">
            {t('wizard.preflight.notReady')}
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
