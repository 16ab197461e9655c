import { Alert, Badge, Button, Card, Checkbox, FileButton, Group, Image, Loader, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { HandOverReport, ReportCamera } from '../../../../shared/domain/report';
import type { ItemOwner } from '../../../../shared/domain/site-journal';
import type { ReportSaveFormat } from '../../../../shared/ipc/channels/report';
import type { AppError } from '../../../../shared/ipc/result';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { useCall } from '../../app/use-call';
import { saveBase64 } from '../../lib/download';
import { ReportRelay } from './report-relay';

const VERDICT = {
  pass: { label: 'report.verdict.pass', color: 'green' },
  fail: { label: 'report.verdict.fail', color: 'red' },
  skipped: { label: 'report.verdict.skipped', color: 'yellow' },
} as const satisfies Record<ReportCamera['verdict'], { label: string; color: string }>;

const SAVES = [
  { format: 'pdf', label: 'report.save.pdf' },
  { format: 'html', label: 'report.save.html' },
  { format: 'csv', label: 'report.save.csv' },
  { format: 'vms-csv', label: 'report.save.vms-csv' },
  { format: 'json', label: 'report.save.json' },
] as const satisfies ReadonlyArray<{ format: ReportSaveFormat; label: string }>;

function fileToBase64(f: File): Promise<string> {
  return f.arrayBuffer().then((b) => {
    const bytes = new Uint8Array(b);
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
}

function Summary({ r }: { r: HandOverReport }) {
  const { t } = useTranslation();
  const s = r.summary;
  const cards: Array<[string, number, string?]> = [
    [t('report.summary.found'), s.found],
    [t('report.summary.commissioned'), s.commissioned],
    [t('report.summary.passed'), s.passed, 'green'],
    [t('report.summary.failed'), s.failed, s.failed ? 'red' : undefined],
    [t('report.summary.notDone'), s.skipped, s.skipped ? 'yellow' : undefined],
    [t('report.summary.openItems'), s.openItems, s.openItems ? 'yellow' : undefined],
  ];
  return (
    <SimpleGrid cols={{ base: 3, md: 6 }} data-testid="report-summary">
      {cards.map(([label, n, color]) => (
        <Card key={label} withBorder padding="xs">
          <Text fw={700} size="xl" ta="center" c={color}>
            {n}
          </Text>
          <Text size="xs" c="dimmed" ta="center">
            {label}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/**
 * The hand-over report: a preview drawn from the same data as the files, and buttons that save the PDF, HTML,
 * CSV, VMS import CSV or JSON (the desktop app asks where; the browser downloads). The site journal can be
 * exported for a colleague and imported back; an open item with its owner can be added.
 */
export function ReportPage() {
  const { t } = useTranslation();
  const sites = useCall(() => api.reportListSites({}));
  const [site, setSite] = useState<string | null>(null);
  const preview = useCall(() => api.reportGetPreview(site ? { site } : {}), [site]);
  const [error, setError] = useState<AppError | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [owner, setOwner] = useState<ItemOwner>('technician');
  const [pendingImport, setPendingImport] = useState<{ base64: string; name: string } | null>(null);
  const [importAs, setImportAs] = useState('');
  const [merge, setMerge] = useState(false);
  const { reload: reloadPreview } = preview;
  const { reload: reloadSites } = sites;
  // The journal is written as the work finishes (a test e-mail's evidence a moment after the verdict): follow it.
  useEffect(
    () =>
      api.onReportJournalChanged(() => {
        reloadPreview();
        reloadSites();
      }),
    [reloadPreview, reloadSites],
  );

  const save = async (format: ReportSaveFormat) => {
    setBusy(format);
    setError(null);
    const r = await api.reportSave({ format, ...(site ? { site } : {}) });
    setBusy(null);
    if (!r.ok) return setError(r.error);
    if (r.value.isCancelled) return setStatus(t('report.notSaved'));
    if (r.value.base64) saveBase64(r.value.fileName, r.value.contentType, r.value.base64);
    setStatus(t('report.saved', { file: r.value.fileName, hasPath: !!r.value.savedTo, path: r.value.savedTo ?? '', kb: Math.ceil(r.value.sizeBytes / 1024), id: r.value.reportId }));
  };

  const exportSite = async () => {
    setError(null);
    const r = await api.reportExportSite(site ? { site } : {});
    if (!r.ok) return setError(r.error);
    if (r.value.isCancelled) return setStatus(t('report.notExported'));
    if (r.value.base64) saveBase64(r.value.fileName, r.value.contentType, r.value.base64);
    setStatus(t('report.exported', { n: r.value.entries, target: r.value.savedTo ?? r.value.fileName }));
  };

  const runImport = async () => {
    if (!pendingImport) return;
    setError(null);
    const r = await api.reportImportSite({ base64: pendingImport.base64, merge, ...(importAs.trim() ? { asName: importAs.trim() } : {}) });
    if (!r.ok) return setError(r.error);
    setPendingImport(null);
    setImportAs('');
    setMerge(false);
    setStatus(t('report.imported', { name: r.value.site.name, added: r.value.added, already: r.value.alreadyThere }));
    sites.reload();
    setSite(r.value.site.name);
  };

  const addNote = async () => {
    const r = await api.reportAddNote({ text: note.trim(), owner });
    if (!r.ok) return setError(r.error);
    setNote('');
    preview.reload();
  };

  const rep = preview.data?.report;
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('report.title')}</Title>
        <Group>
          <Select
            aria-label={t('report.site')}
            placeholder={t('report.currentSite')}
            data={(sites.data ?? []).map((s) => ({ value: s.name, label: t('report.siteOption', { name: s.name, isCurrent: s.isCurrent, entries: s.entries }) }))}
            value={site}
            onChange={setSite}
            clearable
            w={300}
          />
          <Button variant="default" onClick={() => preview.reload()}>
            {t('common.refresh')}
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {t('report.intro')}
      </Text>
      {error && <ErrorAlert error={error} title={t('report.failed')} />}
      {status && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setStatus(null)}>
          {status}
        </Alert>
      )}
      <Card withBorder>
        <Group>
          {SAVES.map((s) => (
            <Button key={s.format} onClick={() => void save(s.format)} loading={busy === s.format} variant={s.format === 'pdf' ? 'filled' : 'light'}>
              {t(s.label)}
            </Button>
          ))}
        </Group>
      </Card>
      {preview.error && <ErrorAlert error={preview.error} title={t('report.buildFailed')} />}
      {preview.isLoading && !rep && <Loader size="sm" />}
      {rep && (
        <Stack data-testid="report-preview">
          <Card withBorder>
            <Table variant="vertical" layout="fixed">
              <Table.Tbody>
                {(
                  [
                    [t('report.cover.site'), rep.site.name],
                    [t('report.cover.address'), rep.site.address || '-'],
                    [t('report.cover.customer'), rep.site.customer || '-'],
                    [t('report.cover.integrator'), rep.site.integrator || '-'],
                    [t('report.cover.technician'), rep.site.technician || '-'],
                    [t('report.cover.dateTime'), rep.generatedAtLocal],
                    [t('report.cover.reportId'), t('report.cover.previewId', { id: rep.reportId })],
                  ] as const
                ).map(([k, v]) => (
                  <Table.Tr key={k}>
                    <Table.Th w={160}>{k}</Table.Th>
                    <Table.Td>{v}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Summary r={rep} />
          {rep.cameras.length === 0 ? (
            <Text c="dimmed">{t('report.noCameras')}</Text>
          ) : (
            // A phone shows the wide table scrolled sideways inside its box, never the whole page.
            <Table.ScrollContainer minWidth={640}>
            <Table striped withTableBorder data-testid="report-cameras">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('report.col.camera')}</Table.Th>
                  <Table.Th>{t('report.col.identity')}</Table.Th>
                  <Table.Th>{t('report.col.firmware')}</Table.Th>
                  <Table.Th>{t('report.col.testMail')}</Table.Th>
                  <Table.Th>{t('report.col.snapshot')}</Table.Th>
                  <Table.Th>{t('report.col.verdict')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rep.cameras.map((c) => (
                  <Table.Tr key={c.key}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {c.location || c.name || c.ip}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {c.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.model || '-'}</Text>
                      <Text size="xs" c="dimmed">
                        {c.mac || '-'} · {c.ip}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.firmware || '-'}</Text>
                      {c.firmwareWarning && (
                        <Text size="xs" c="yellow.8">
                          {t('report.knownVulnerabilities')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {c.test ? (
                        <Text size="sm">{t('report.latency', { seconds: c.test.latencyMs / 1000 })}</Text>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('common.none')}
                        </Text>
                      )}
                      {c.sensitivityWarning && (
                        <Text size="xs" c="yellow.8">
                          {t('report.sensitivityLeft')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{preview.data?.pictures[c.key] ? <Image src={preview.data.pictures[c.key]} alt={t('report.snapshotAlt', { camera: c.location || c.name || c.ip })} w={120} radius="sm" /> : '-'}</Table.Td>
                    <Table.Td>
                      <Badge color={VERDICT[c.verdict].color}>{t(VERDICT[c.verdict].label)}</Badge>
                      <Text size="xs" c="dimmed" maw={260}>
                        {c.verdictText}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            </Table.ScrollContainer>
          )}
          <ReportRelay r={rep} />
          <Card withBorder>
            <Title order={4} mb="xs">
              {t('report.items.title')}
            </Title>
            {rep.items.length === 0 ? (
              <Text size="sm">{t('report.items.none')}</Text>
            ) : (
              <Stack gap={4}>
                {rep.items.map((i, n) => (
                  <Text key={n} size="sm">
                    <Badge size="xs" variant="light" color={i.kind === 'deviation' ? 'orange' : 'blue'} mr={6}>
                      {i.kind === 'deviation' ? t('report.items.deviation') : t('report.items.openItem')}
                    </Badge>
                    {i.camera ? `${i.camera}: ` : ''}
                    {i.text} <Text span c="dimmed">({i.ownerName})</Text>
                  </Text>
                ))}
              </Stack>
            )}
            <Group mt="sm" align="end">
              <TextInput label={t('report.items.add')} miw={220} placeholder={t('report.items.addPlaceholder')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={1000} style={{ flex: 1 }} />
              <Select
                label={t('report.items.owner')}
                data={[
                  { value: 'technician', label: t('report.items.technician') },
                  { value: 'integrator', label: t('report.items.integrator') },
                  { value: 'customer', label: t('report.items.customer') },
                ]}
                value={owner}
                onChange={(v) => v && setOwner(v as ItemOwner)}
                w={160}
                allowDeselect={false}
              />
              <Button variant="light" onClick={() => void addNote()} disabled={!note.trim()}>
                {t('common.add')}
              </Button>
            </Group>
          </Card>
        </Stack>
      )}
      <Card withBorder>
        <Title order={4} mb="xs">
          {t('report.share.title')}
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          {t('report.share.intro')}
        </Text>
        <Group>
          <Button variant="default" onClick={() => void exportSite()}>
            {t('report.share.export')}
          </Button>
          <FileButton onChange={(f) => f && void fileToBase64(f).then((base64) => setPendingImport({ base64, name: f.name }))} accept=".json,application/json">
            {(props) => (
              <Button variant="default" {...props}>
                {t('report.share.import')}
              </Button>
            )}
          </FileButton>
        </Group>
        {pendingImport && (
          <Group mt="sm" align="end">
            <Text size="sm">{pendingImport.name}</Text>
            <TextInput label={t('report.share.importAs')} placeholder={t('report.share.importAsPlaceholder')} value={importAs} onChange={(e) => setImportAs(e.currentTarget.value)} maxLength={80} />
            <Checkbox label={t('report.share.merge')} checked={merge} onChange={(e) => setMerge(e.currentTarget.checked)} />
            <Button onClick={() => void runImport()}>{t('report.share.importButton')}</Button>
          </Group>
        )}
      </Card>
    </Stack>
  );
}
