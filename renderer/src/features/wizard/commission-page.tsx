import { Alert, Badge, Button, Card, Checkbox, Code, Group, Loader, NumberInput, PasswordInput, SimpleGrid, Stack, Stepper, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { STEP_IDS, STEP_TITLES, type CameraResult, type StepId, type StepResult } from '../../../../shared/domain/commissioning';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';

/** Prefill for the wizard (from a discovered camera or the practice camera). */
export interface CommissionPrefill {
  url?: string;
  smtpServer?: string;
  ntpServer?: string;
  to?: string;
  from?: string;
}

const STATUS_COLOR: Record<StepResult['status'], string> = { pending: 'gray', running: 'blue', done: 'green', unchanged: 'teal', planned: 'indigo', skipped: 'gray', failed: 'red', 'rolled-back': 'orange' };

/** The guided commissioning: one camera, a site profile, live step progress, the test e-mail verdict. */
export function CommissionPage({ prefill }: { prefill?: CommissionPrefill }) {
  const [url, setUrl] = useState(prefill?.url ?? '');
  // The legacy Sarix factory login (docs/camera.md §2); the technician changes it when the site has its own.
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('admin');
  const [smtpServer, setSmtpServer] = useState(prefill?.smtpServer ?? '');
  const [ntpServer, setNtpServer] = useState(prefill?.ntpServer ?? '');
  const [to, setTo] = useState(prefill?.to ?? '');
  const [from, setFrom] = useState(prefill?.from ?? '');
  const [subject, setSubject] = useState('Sarix camera alert: Camera Sabotage');
  const [sceneSensitivity, setSceneSensitivity] = useState<number | string>('');
  const [dryRun, setDryRun] = useState(false);
  const [opId, setOpId] = useState<string | null>(null);
  const [steps, setSteps] = useState<Partial<Record<StepId, StepResult>>>({});
  const [result, setResult] = useState<CameraResult | null>(null);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (prefill?.url) setUrl(prefill.url);
    if (prefill?.smtpServer) setSmtpServer(prefill.smtpServer);
    if (prefill?.ntpServer) setNtpServer((v) => v || prefill.ntpServer!);
    if (prefill?.to) setTo((v) => v || prefill.to!);
    if (prefill?.from) setFrom((v) => v || prefill.from!);
  }, [prefill?.url, prefill?.smtpServer, prefill?.ntpServer, prefill?.to, prefill?.from]);

  useEffect(() => {
    const offs = [
      api.onCommissioningStepChanged((e) => {
        setOpId((cur) => {
          if (cur === e.operationId) setSteps((s) => ({ ...s, [e.step.id]: e.step }));
          return cur;
        });
      }),
      api.onCommissioningCameraFinished((e) => {
        setOpId((cur) => {
          if (cur === e.operationId) setResult(e.result);
          return cur;
        });
      }),
      api.onCommissioningFinished((e) => setOpId((cur) => (cur === e.operationId ? null : cur))),
    ];
    return () => offs.forEach((o) => o());
  }, []);

  const start = async () => {
    setError(null);
    setResult(null);
    setSteps({});
    const r = await api.commissioningStart({
      targets: [{ url: url.trim(), username, password }],
      profile: { smtpServer: smtpServer.trim(), ntpServer: ntpServer.trim(), to: to.trim(), from: from.trim(), subject, sceneSensitivity: typeof sceneSensitivity === 'number' ? sceneSensitivity : undefined },
      options: { dryRun },
    });
    if (r.ok) setOpId(r.value.operationId);
    else setError(r.error);
  };
  const cancel = async () => {
    if (opId) await api.commissioningCancel({ operationId: opId });
  };
  // A camera page the driver cannot read is reported, not guessed: save what it sees for support.
  const [capture, setCapture] = useState<{ busy: boolean; text?: string; error?: AppError }>({ busy: false });
  const saveCapture = async () => {
    setCapture({ busy: true });
    const r = await api.cameraCapturePages({ target: { url: url.trim(), username, password } });
    if (r.ok) setCapture({ busy: false, text: `Saved ${r.value.pages} pages to ${r.value.file}${r.value.problems.length ? ` (${r.value.problems.length} could not be read: send the file to support)` : ''}.` });
    else setCapture({ busy: false, error: r.error });
  };

  const active = STEP_IDS.findIndex((id) => !steps[id] || steps[id]?.status === 'running');
  const canStart = url.trim() && smtpServer.trim() && ntpServer.trim() && to.trim() && from.trim() && !opId;

  return (
    <Stack>
      <Title order={1}>Commission a camera</Title>
      <Card withBorder>
        <Stack gap="sm">
          <SimpleGrid cols={{ base: 1, md: 3 }}>
            <TextInput label="Camera address" placeholder="http://192.168.0.20" value={url} onChange={(e) => setUrl(e.currentTarget.value)} required />
            <TextInput label="Camera user" value={username} onChange={(e) => setUsername(e.currentTarget.value)} required />
            <PasswordInput label="Camera password" value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <TextInput label="SMTP server (local relay)" description="This laptop or the site's relay; never Gmail directly" value={smtpServer} onChange={(e) => setSmtpServer(e.currentTarget.value)} required />
            <TextInput label="NTP server" value={ntpServer} onChange={(e) => setNtpServer(e.currentTarget.value)} required />
            <NumberInput label="Scene sensitivity after the test" description="Empty: keep the value found before the test" min={1} max={10} value={sceneSensitivity} onChange={setSceneSensitivity} />
            <TextInput label="Send alerts to" placeholder="security@site.example" value={to} onChange={(e) => setTo(e.currentTarget.value)} required />
            <TextInput label="From address" placeholder="camera1@site.example" value={from} onChange={(e) => setFrom(e.currentTarget.value)} required />
            <TextInput label="Subject" value={subject} onChange={(e) => setSubject(e.currentTarget.value)} />
          </SimpleGrid>
          <Group>
            <Checkbox label="Dry run: show the exact changes, change nothing" checked={dryRun} onChange={(e) => setDryRun(e.currentTarget.checked)} />
            <Button onClick={start} disabled={!canStart} loading={!!opId}>
              {dryRun ? 'Show the changes' : 'Commission and test'}
            </Button>
            {opId && (
              <Button variant="default" onClick={cancel}>
                Cancel (roll back)
              </Button>
            )}
            <Button variant="subtle" onClick={saveCapture} disabled={!url.trim() || !!opId} loading={capture.busy} data-testid="capture-pages">
              Save camera pages for support
            </Button>
          </Group>
          {capture.text && (
            <Text size="sm" data-testid="capture-result">
              {capture.text}
            </Text>
          )}
          {capture.error && <ErrorAlert error={capture.error} title="Could not save the camera pages" />}
          {error && <ErrorAlert error={error} title="Commissioning did not start" />}
        </Stack>
      </Card>

      {(opId || result) && (
        <Card withBorder data-testid="commission-progress">
          <Stepper active={active < 0 ? STEP_IDS.length : active} orientation="vertical" size="sm">
            {STEP_IDS.map((id) => {
              const s = steps[id];
              return (
                <Stepper.Step
                  key={id}
                  label={
                    <Group gap="xs">
                      <Text size="sm">{STEP_TITLES[id]}</Text>
                      {s && (
                        <Badge size="xs" color={STATUS_COLOR[s.status]} data-testid={`step-${id}`}>
                          {s.status}
                        </Badge>
                      )}
                      {s?.status === 'running' && <Loader size="xs" />}
                    </Group>
                  }
                  description={
                    s && (
                      <>
                        {s.detail && <Text size="xs">{s.detail}</Text>}
                        {s.changes.map((c) => (
                          <Text size="xs" key={c.field}>
                            <Code>{c.field}</Code>: {JSON.stringify(c.from)} → {JSON.stringify(c.to)}
                          </Text>
                        ))}
                      </>
                    )
                  }
                  color={s?.status === 'failed' ? 'red' : undefined}
                />
              );
            })}
          </Stepper>
        </Card>
      )}

      {result && <ResultCard result={result} />}
    </Stack>
  );
}

function ResultCard({ result }: { result: CameraResult }) {
  if (result.verdict === 'pass')
    return (
      <Alert color="green" title="PASS: the test e-mail arrived" data-testid="commission-verdict">
        <Stack gap={4}>
          <Text size="sm">
            {result.camera?.model} {result.camera?.ip} sent “{result.message?.subject}” from {result.message?.from} in {((result.latencyMs ?? 0) / 1000).toFixed(1)} s.
          </Text>
          {result.message?.attachments.map((a) => (
            <Text size="xs" key={a.filename}>
              Attachment {a.filename} ({a.contentType}, {Math.round(a.size / 1024)} KB)
            </Text>
          ))}
          {result.sensitivityRestoredTo !== undefined && <Text size="sm">Camera Sabotage sensitivity set back to {result.sensitivityRestoredTo}.</Text>}
        </Stack>
      </Alert>
    );
  if (result.verdict === 'planned')
    return (
      <Alert color="indigo" title="Dry run: nothing was changed" data-testid="commission-verdict">
        The steps above list every change the commissioning would make.
      </Alert>
    );
  return (
    <Alert color="red" title="FAIL" data-testid="commission-verdict">
      <Stack gap={4}>
        <Text size="sm">{result.error?.message}</Text>
        <Text size="sm">{outcomeLine(result)}</Text>
        {result.warnings.map((w) => (
          <Text size="xs" key={w}>
            {w}
          </Text>
        ))}
        {result.backupFile && (
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th>Backup</Table.Th>
                <Table.Td>
                  <Code>{result.backupFile}</Code>
                </Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Alert>
  );
}

/** How the camera was left, as the machine side read it back (never guessed from the error). */
function outcomeLine(result: CameraResult): string {
  if (result.endState === 'unchanged') return 'Nothing was changed on the camera.';
  if (result.rolledBack || result.endState === 'restored') return 'Every change was rolled back: the camera reads back as it was before.';
  if (result.endState === 'differs') return 'The camera still differs from its backup (see below): use Roll back, or restore it with "sarix rollback".';
  return 'The camera could not be read back after undoing: check it, or restore it with "sarix rollback".';
}
