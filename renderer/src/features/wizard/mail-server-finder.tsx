/**
 * "Find the site's mail server" in the SMTP step: the mail-server finder (the site domain's MX/SRV records, and on
 * request a bounded probe of the camera's subnet) with its verdict per server; "Use" puts one in the SMTP field.
 */
import { Badge, Button, Card, Checkbox, Group, Stack, Text } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { MailServerReport } from '../../../../shared/domain/mail-servers';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { KbLink } from './kb-link';

const LEVEL_COLOR = { good: 'green', warn: 'yellow', bad: 'red', info: 'gray' } as const;

/** The camera's /24, which the opt-in probe walks (IPv4 only; loopback cameras have no site subnet). */
function subnetOf(ip: string): string | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  return m && m[1] !== '127' ? `${m[1]}.${m[2]}.${m[3]}.0/24` : undefined;
}

/** The finder button, its live progress line and its findings. */
export function MailServerFinder({ cameraIp, onChoose, isDisabled }: { cameraIp: string; onChoose: (host: string) => void; isDisabled: boolean }) {
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
        else if (progress.kind === 'scan') setLine(`Probing the subnet: ${progress.tried} of ${progress.planned} addresses, ${progress.answered} answered`);
        else setLine(`Found ${progress.finding.host}: ${progress.finding.verdict.headline}`);
      }),
    [],
  );
  const find = async () => {
    const operationId = `wizard-${Date.now()}`;
    opRef.current = operationId;
    setOpId(operationId);
    setReport(null);
    setError(null);
    setLine('Looking up the site mail domain…');
    const r = await api.mailserversFindServers({ operationId, cameraIp: /^\d+\.\d+\.\d+\.\d+$/.test(cameraIp) ? cameraIp : undefined, subnets: isProbing && subnet ? [subnet] : [] });
    setOpId(null);
    if (r.ok) setReport(r.value);
    else setError(r.error);
  };
  return (
    <Stack gap={6}>
      <Group gap="sm">
        <Button variant="light" size="xs" onClick={find} loading={!!opId} disabled={isDisabled} data-testid="find-mail-server">
          Find the site's mail server
        </Button>
        {opId && (
          <Button variant="subtle" size="xs" onClick={() => void api.mailserversCancelSearch({ operationId: opId })}>
            Cancel the search
          </Button>
        )}
        {subnet && <Checkbox size="xs" label={`Also probe ${subnet} on port 25`} checked={isProbing} onChange={(e) => setProbing(e.currentTarget.checked)} disabled={!!opId || isDisabled} />}
      </Group>
      {opId && line && (
        <Text size="xs" role="status">
          {line}
        </Text>
      )}
      {error && <ErrorAlert error={error} title="The mail-server search did not run" />}
      {report && (
        <Card withBorder p="xs" data-testid="mail-servers">
          <Stack gap={4}>
            <Text size="sm">{report.summary}</Text>
            {report.servers.map((s) => (
              <Group key={`${s.host}:${s.port}`} gap="xs" wrap="nowrap" align="flex-start">
                <Badge color={LEVEL_COLOR[s.verdict.level]} miw={60}>
                  {s.verdict.level}
                </Badge>
                <Stack gap={0} style={{ flex: 1 }}>
                  <Text size="sm" fw={600}>
                    {s.host}
                    {s.software ? ` (${s.software.label})` : ''}
                  </Text>
                  <Text size="xs">
                    {s.verdict.headline}
                    {s.verdict.fix ? ` ${s.verdict.fix}` : ''}
                  </Text>
                  <KbLink id={s.verdict.article} />
                </Stack>
                {s.isLocal && s.verdict.level !== 'bad' && (
                  <Button size="xs" variant="light" onClick={() => onChoose(s.name.host)}>
                    Use {s.name.host}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
