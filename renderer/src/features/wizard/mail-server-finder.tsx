/**
 * "Find the site's mail server" in the SMTP step: the mail-server finder (the site domain's MX/SRV records, and on
 * request a bounded probe of the camera's subnet) with its verdict per server; "Use" puts one in the SMTP field.
 */
import { Badge, Button, Card, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MailServerReport } from '../../../../shared/domain/mail-servers';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { localText } from '../../i18n/localized';
import { ErrorAlert } from '../../app/error-alert';
import { KbLink } from './kb-link';

/** A verdict level in plain words, as catalog keys (a public server is never usable by the camera, whatever it answers). */
const LEVEL = {
  good: { color: 'green', text: 'wizard.finder.good' },
  warn: { color: 'yellow', text: 'wizard.finder.warn' },
  bad: { color: 'red', text: 'wizard.finder.bad' },
  info: { color: 'gray', text: 'wizard.finder.info' },
} as const;

/** The camera's /24, which the opt-in probe walks (IPv4 only; loopback cameras have no site subnet). */
function subnetOf(ip: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  return m && m[1] !== '127' ? `${m[1]}.${m[2]}.${m[3]}.0/24` : undefined;
}

/** The finder button, its live progress line and its findings. */
export function MailServerFinder({ cameraIp, onChoose, isDisabled }: { cameraIp: string; onChoose: (host: string) => void; isDisabled: boolean }) {
  const { t } = useTranslation();
  const [isProbing, setProbing] = useState(false);
  const [opId, setOpId] = useState<string | null>(null);
  const [line, setLine] = useState('');
  const [report, setReport] = useState<MailServerReport | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const opRef = useRef<string | null>(null);
  const subnet = subnetOf(cameraIp);
  useEffect(
    () =>
      api.onMailserversSearchProgressed(({ operationId, progress }) => {
        if (operationId !== opRef.current) return;
        if (progress.kind === 'step') setLine(progress.message);
        else if (progress.kind === 'scan') setLine(t('wizard.finder.probing', { tried: progress.tried, planned: progress.planned, answered: progress.answered }));
        else setLine(t('wizard.finder.found', { host: progress.finding.host, headline: localText(t, progress.finding.verdict.headline, progress.finding.verdict.headlineText) }));
      }),
    [t],
  );
  const find = async () => {
    const operationId = `wizard-${Date.now()}`;
    opRef.current = operationId;
    setOpId(operationId);
    setReport(null);
    setError(null);
    setLine(t('wizard.finder.lookingUp'));
    const r = await api.mailserversFindServers({ operationId, cameraIp: /^\d+\.\d+\.\d+\.\d+$/.test(cameraIp) ? cameraIp : undefined, subnets: isProbing && subnet ? [subnet] : [] });
    setOpId(null);
    if (r.ok) setReport(r.value);
    else setError(r.error);
  };
  return (
    <Stack gap={6}>
      <Group gap="sm">
        <Button variant="light" size="xs" onClick={find} loading={!!opId} disabled={isDisabled} data-testid="find-mail-server">
          {t('wizard.finder.find')}
        </Button>
        {opId && (
          <Button variant="subtle" size="xs" onClick={() => void api.mailserversCancelSearch({ operationId: opId })}>
            {t('wizard.finder.cancel')}
          </Button>
        )}
        {subnet && <Checkbox size="xs" label={t('wizard.finder.probe', { subnet })} checked={isProbing} onChange={(e) => setProbing(e.currentTarget.checked)} disabled={!!opId || isDisabled} />}
      </Group>
      {opId && line && (
        <Text size="xs" role="status">
          {line}
        </Text>
      )}
      {error && <ErrorAlert error={error} title={t('wizard.finder.failed')} />}
      {report && (
        <Card withBorder p="xs" data-testid="mail-servers">
          <Stack gap="xs">
            <Text size="sm">{localText(t, report.summary, report.summaryText)}</Text>
            {report.servers.map((s) => {
              const isUsable = s.isLocal && (s.verdict.level === 'good' || s.verdict.level === 'warn');
              return (
                <Group key={`${s.host}:${s.port}`} gap="xs" align="flex-start" wrap="nowrap" data-testid={`mail-server-${s.address ?? s.host}`}>
                  <Badge color={s.isLocal ? LEVEL[s.verdict.level].color : 'red'} miw={96} style={{ flexShrink: 0 }}>
                    {s.isLocal ? t(LEVEL[s.verdict.level].text) : t('wizard.finder.bad')}
                  </Badge>
                  <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                    <Text size="sm" fw={600}>
                      {s.host}
                      {s.address && s.address !== s.host ? ` (${s.address})` : ''}
                      {s.software ? `: ${s.software.label}` : ''}
                    </Text>
                    <Text size="sm">{localText(t, s.verdict.headline, s.verdict.headlineText)}</Text>
                    {s.verdict.fix && <Text size="sm">{t('wizard.finder.fix', { fix: localText(t, s.verdict.fix, s.verdict.fixText) })}</Text>}
                    {s.verdict.caveat && (
                      <Text size="xs" c="dimmed">
                        {localText(t, s.verdict.caveat, s.verdict.caveatText)}
                      </Text>
                    )}
                    {isUsable && s.name.status !== 'name-resolves' && (
                      <Text size="xs" c="dimmed">
                        {localText(t, s.name.message, s.name.messageText)}
                      </Text>
                    )}
                    <Group gap="sm">
                      {isUsable && (
                        <Button size="xs" variant="light" onClick={() => onChoose(s.name.host)}>
                          {t('wizard.finder.use', { host: s.name.host })}
                        </Button>
                      )}
                      {!isUsable && <KbLink id={s.verdict.article} />}
                    </Group>
                  </Stack>
                </Group>
              );
            })}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
