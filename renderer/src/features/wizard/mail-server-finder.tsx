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

/** A verdict level in plain words (a public server is never usable by the camera, whatever it answers). */
const LEVEL = {
  good: { color: 'green', text: 'usable' },
  warn: { color: 'yellow', text: 'usable, see note' },
  bad: { color: 'red', text: 'not usable' },
  info: { color: 'gray', text: 'not checked' },
} as const;

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
          <Stack gap="xs">
            <Text size="sm">{report.summary}</Text>
            {report.servers.map((s) => {
              const isUsable = s.isLocal && (s.verdict.level === 'good' || s.verdict.level === 'warn');
              return (
                <Group key={`${s.host}:${s.port}`} gap="xs" align="flex-start" wrap="nowrap" data-testid={`mail-server-${s.address ?? s.host}`}>
                  <Badge color={s.isLocal ? LEVEL[s.verdict.level].color : 'red'} miw={96} style={{ flexShrink: 0 }}>
                    {s.isLocal ? LEVEL[s.verdict.level].text : 'not usable'}
                  </Badge>
                  <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                    <Text size="sm" fw={600}>
                      {s.host}
                      {s.address && s.address !== s.host ? ` (${s.address})` : ''}
                      {s.software ? `: ${s.software.label}` : ''}
                    </Text>
                    <Text size="sm">{s.verdict.headline}</Text>
                    {s.verdict.fix && <Text size="sm">Fix: {s.verdict.fix}</Text>}
                    {s.verdict.caveat && (
                      <Text size="xs" c="dimmed">
                        {s.verdict.caveat}
                      </Text>
                    )}
                    {isUsable && s.name.status !== 'name-resolves' && (
                      <Text size="xs" c="dimmed">
                        {s.name.message}
                      </Text>
                    )}
                    <Group gap="sm">
                      {isUsable && (
                        <Button size="xs" variant="light" onClick={() => onChoose(s.name.host)}>
                          Use {s.name.host}
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
