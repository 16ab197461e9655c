import { Alert, Badge, Button, Card, Checkbox, Group, NumberInput, Progress, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Device, ScanMethod, ScanProblem } from '../../../../shared/domain/discovery';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { localMessage } from '../../i18n/localized';
import { CameraTable } from './camera-table';
import { PracticeCamerasCard } from './practice-cameras';

type Problem = Pick<ScanProblem, 'code' | 'method' | 'interface' | 'message' | 'key' | 'params'>;
type Progress = { operationId: string; done: number; total: number; found: number; phase: string };

// Catalog keys of the discovery methods.
const METHOD_LABELS: Record<ScanMethod, string> = {
  ssdp: 'discovery.method.ssdp',
  wsd: 'discovery.method.wsd',
  mdns: 'discovery.method.mdns',
  sweep: 'discovery.method.sweep',
  defaults: 'discovery.method.defaults',
};

function upsert(list: Device[], d: Device): Device[] {
  const i = list.findIndex((x) => x.id === d.id);
  if (i < 0) return [...list, d];
  const next = [...list];
  next[i] = d;
  return next;
}

/**
 * Finds cameras: runs the chosen methods together, lists results live (sortable, filterable, selectable in bulk,
 * exportable to CSV), separates other devices; the selected cameras go to the Site page as one batch.
 */
export function CamerasPage({ onCommission, onCommissionMany }: { onCommission?: (d: Device) => void; onCommissionMany?: (d: Device[]) => void }) {
  const { t } = useTranslation();
  const [cameras, setCameras] = useState<Device[]>([]);
  const [others, setOthers] = useState<Device[]>([]);
  const [methods, setMethods] = useState<ScanMethod[]>(['ssdp', 'wsd', 'mdns']);
  const [sweep, setSweep] = useState('');
  const [hosts, setHosts] = useState('');
  const [httpPort, setHttpPort] = useState<number | string>(80);
  const [opId, setOpId] = useState<string | null>(null);
  const [progress, setProgress] = useState<Progress | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [summary, setSummary] = useState<string | null>(null);

  const place = useCallback((d: Device) => {
    if (d.isSarix) setCameras((l) => upsert(l, d));
    else setOthers((l) => upsert(l, d));
  }, []);

  useEffect(() => {
    void api.discoveryGetState({}).then((r) => {
      if (r.ok) {
        setCameras(r.value.cameras);
        setOthers(r.value.otherDevices);
      }
    });
    const offs = [
      api.onDiscoveryCameraFound(({ device }) => place(device)),
      api.onDiscoveryCameraUpdated(({ device }) => place(device)),
      api.onDiscoveryProgress((p) => setProgress(p)),
      api.onDiscoveryFinished((f) => {
        setOpId((cur) => (cur === f.operationId ? null : cur));
        setProblems([...f.warnings, ...f.errors]);
        setSummary(t('discovery.summary', { status: f.status, cameras: f.cameraCount, others: f.otherCount, seconds: f.durationMs / 1000 }));
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [place, t]);

  const start = async () => {
    setError(null);
    setSummary(null);
    setProblems([]);
    const hostList = hosts
      .split(/[\s,]+/)
      .map((h) => h.trim())
      .filter(Boolean);
    const chosen = [...methods];
    if (sweep.trim() && !chosen.includes('sweep')) chosen.push('sweep');
    if (chosen.length === 0 && hostList.length === 0) {
      setError({ code: 'VALIDATION', message: t('discovery.noMethod') });
      return;
    }
    const r = await api.discoveryStart({
      methods: chosen.length ? chosen : undefined,
      sweep: sweep.trim() || undefined,
      hosts: hostList.length ? hostList : undefined,
      httpPort: typeof httpPort === 'number' ? httpPort : undefined,
    });
    if (r.ok) setOpId(r.value.operationId);
    else setError(r.error);
  };

  const cancel = async () => {
    if (opId) await api.discoveryCancel({ operationId: opId });
  };

  const pct = progress && progress.total > 0 ? Math.min(100, (progress.done / progress.total) * 100) : 0;

  return (
    <Stack>
      <Title order={1}>{t('discovery.title')}</Title>
      <Card withBorder>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {t('discovery.intro')}
          </Text>
          <Group role="group" aria-label={t('discovery.methods')}>
            {(Object.keys(METHOD_LABELS) as ScanMethod[])
              .filter((m) => m !== 'sweep')
              .map((m) => (
                <Checkbox key={m} label={t(METHOD_LABELS[m])} checked={methods.includes(m)} onChange={(e) => {
                    // Read the event now: React clears currentTarget before a deferred state updater runs.
                    const isChecked = e.currentTarget.checked;
                    setMethods((cur) => (isChecked ? [...cur, m] : cur.filter((x) => x !== m)));
                  }} />
              ))}
          </Group>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <TextInput label={t('discovery.sweep')} placeholder="192.168.0.0/24" value={sweep} onChange={(e) => setSweep(e.currentTarget.value)} />
            <TextInput label={t('discovery.hosts')} placeholder="10.1.2.30, 10.1.2.31" value={hosts} onChange={(e) => setHosts(e.currentTarget.value)} />
            <NumberInput label={t('discovery.port')} min={1} max={65535} value={httpPort} onChange={setHttpPort} />
          </SimpleGrid>
          <Group>
            <Button onClick={start} loading={!!opId} disabled={!!opId}>
              {t('discovery.scan')}
            </Button>
            {opId && (
              <Button variant="default" onClick={cancel}>
                {t('discovery.cancel')}
              </Button>
            )}
            {summary && (
              <Text size="sm" role="status">
                {summary}
              </Text>
            )}
          </Group>
          {opId && progress && (
            <div>
              <Progress value={pct} animated aria-label={t('discovery.progressLabel')} />
              <Text size="xs" c="dimmed" mt={4}>
                {t('discovery.progress', { phase: progress.phase, done: progress.done, total: progress.total, found: progress.found })}
              </Text>
            </div>
          )}
          {error && <ErrorAlert error={error} title={t('discovery.startFailed')} />}
          {problems.map((p, i) => (
            <Alert key={i} color={p.code === 'TIMEOUT' ? 'yellow' : 'orange'} title={p.interface ? t('discovery.problemOn', { method: p.method, iface: p.interface }) : p.method}>
              {localMessage(t, p)}
            </Alert>
          ))}
        </Stack>
      </Card>

      <PracticeCamerasCard />

      <Title order={2}>{t('discovery.sarixCameras', { count: cameras.length })}</Title>
      <CameraTable devices={cameras} onCommission={onCommission} onCommissionMany={onCommissionMany} />
      <Title order={2}>{t('discovery.otherDevices', { count: others.length })}</Title>
      <DeviceTable devices={others} empty={t('discovery.noOther')} testId="other-table" />
    </Stack>
  );
}

/** Devices that are not Sarix cameras (listed so the technician sees what else answered). */
function DeviceTable({ devices, empty, testId }: { devices: Device[]; empty: string; testId: string }) {
  const { t } = useTranslation();
  if (devices.length === 0)
    return (
      <Text size="sm" c="dimmed" data-testid={testId}>
        {empty}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table striped highlightOnHover data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('discovery.table.address')}</Table.Th>
            <Table.Th>{t('discovery.table.model')}</Table.Th>
            <Table.Th>{t('discovery.table.name')}</Table.Th>
            <Table.Th>{t('discovery.table.mac')}</Table.Th>
            <Table.Th>{t('discovery.table.firmware')}</Table.Th>
            <Table.Th>{t('discovery.table.methods')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {devices.map((d) => (
            <Table.Tr key={d.id}>
              <Table.Td>
                {d.webUrl ? (
                  <Text ff="monospace" size="sm">
                    {d.webUrl.replace(/^https?:\/\//, '').replace(/\/$/, '')}
                  </Text>
                ) : (
                  d.ip
                )}
                {!d.isOnline && (
                  <Badge color="gray" ml="xs" size="xs">
                    {t('discovery.table.offline')}
                  </Badge>
                )}
              </Table.Td>
              <Table.Td>{d.model ?? '—'}</Table.Td>
              <Table.Td>{d.name ?? '—'}</Table.Td>
              <Table.Td ff="monospace">{d.mac ?? '—'}</Table.Td>
              <Table.Td>{d.firmware ?? '—'}</Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {d.methods.map((m) => (
                    <Badge key={m} variant="light" size="xs">
                      {m}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
