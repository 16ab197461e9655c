import { Alert, Badge, Button, Card, Checkbox, FileButton, Group, Image, Loader, Select, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { HandOverReport, ReportCamera } from '../../../../shared/domain/report';
import type { ItemOwner } from '../../../../shared/domain/site-journal';
import type { ReportSaveFormat } from '../../../../shared/ipc/channels/report';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { useCall } from '../../app/use-call';
import { saveBase64 } from '../../lib/download';

const VERDICT: Record<ReportCamera['verdict'], { label: string; color: string }> = {
  pass: { label: 'PASS', color: 'green' },
  fail: { label: 'FAIL', color: 'red' },
  skipped: { label: 'NOT DONE', color: 'yellow' },
};

const SAVES: Array<{ format: ReportSaveFormat; label: string }> = [
  { format: 'pdf', label: 'Save PDF' },
  { format: 'html', label: 'Save HTML' },
  { format: 'csv', label: 'Save CSV' },
  { format: 'vms-csv', label: 'Save VMS import CSV' },
  { format: 'json', label: 'Save JSON' },
];

function fileToBase64(f: File): Promise<string> {
  return f.arrayBuffer().then((b) => {
    const bytes = new Uint8Array(b);
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
}

function Summary({ r }: { r: HandOverReport }) {
  const s = r.summary;
  const cards: Array<[string, number, string?]> = [
    ['Found', s.found],
    ['Commissioned', s.commissioned],
    ['Passed', s.passed, 'green'],
    ['Failed', s.failed, s.failed ? 'red' : undefined],
    ['Not done', s.skipped, s.skipped ? 'yellow' : undefined],
    ['Open items', s.openItems, s.openItems ? 'yellow' : undefined],
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
    if (r.value.isCancelled) return setStatus('Not saved (cancelled).');
    if (r.value.base64) saveBase64(r.value.fileName, r.value.contentType, r.value.base64);
    setStatus(`Saved ${r.value.fileName}${r.value.savedTo ? ` to ${r.value.savedTo}` : ''} (${Math.ceil(r.value.sizeBytes / 1024)} KB, report ${r.value.reportId}).`);
  };

  const exportSite = async () => {
    setError(null);
    const r = await api.reportExportSite(site ? { site } : {});
    if (!r.ok) return setError(r.error);
    if (r.value.isCancelled) return setStatus('Not exported (cancelled).');
    if (r.value.base64) saveBase64(r.value.fileName, r.value.contentType, r.value.base64);
    setStatus(`Exported ${r.value.entries} journal entries to ${r.value.savedTo ?? r.value.fileName}.`);
  };

  const runImport = async () => {
    if (!pendingImport) return;
    setError(null);
    const r = await api.reportImportSite({ base64: pendingImport.base64, merge, ...(importAs.trim() ? { asName: importAs.trim() } : {}) });
    if (!r.ok) return setError(r.error);
    setPendingImport(null);
    setImportAs('');
    setMerge(false);
    setStatus(`Imported "${r.value.site.name}": ${r.value.added} new entries, ${r.value.alreadyThere} already there.`);
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
        <Title order={1}>Hand-over report</Title>
        <Group>
          <Select
            aria-label="Site"
            placeholder="Current site"
            data={(sites.data ?? []).map((s) => ({ value: s.name, label: `${s.name}${s.isCurrent ? ' (current)' : ''} · ${s.entries} entries` }))}
            value={site}
            onChange={setSite}
            clearable
            w={300}
          />
          <Button variant="default" onClick={() => preview.reload()}>
            Refresh
          </Button>
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        Everything the app did on the site (commissioning, tests, rollbacks, troubleshooting) is kept in its journal. The report is drawn from it: the customer and the technician sign its first page. Name the site and the customer in Settings.
      </Text>
      {error && <ErrorAlert error={error} title="That did not work" />}
      {status && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setStatus(null)}>
          {status}
        </Alert>
      )}
      <Card withBorder>
        <Group>
          {SAVES.map((s) => (
            <Button key={s.format} onClick={() => void save(s.format)} loading={busy === s.format} variant={s.format === 'pdf' ? 'filled' : 'light'}>
              {s.label}
            </Button>
          ))}
        </Group>
      </Card>
      {preview.error && <ErrorAlert error={preview.error} title="The report could not be built" />}
      {preview.isLoading && !rep && <Loader size="sm" />}
      {rep && (
        <Stack data-testid="report-preview">
          <Card withBorder>
            <Table variant="vertical" layout="fixed">
              <Table.Tbody>
                {(
                  [
                    ['Site', rep.site.name],
                    ['Address', rep.site.address || '-'],
                    ['Customer', rep.site.customer || '-'],
                    ['Integrator', rep.site.integrator || '-'],
                    ['Technician', rep.site.technician || '-'],
                    ['Date and time', rep.generatedAtLocal],
                    ['Report ID', `${rep.reportId} (preview; saving makes a new ID)`],
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
            <Text c="dimmed">No camera on record for this site yet: find and commission cameras first.</Text>
          ) : (
            // A phone shows the wide table scrolled sideways inside its box, never the whole page.
            <Table.ScrollContainer minWidth={640}>
              <Table striped withTableBorder data-testid="report-cameras">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Camera</Table.Th>
                    <Table.Th>Model / MAC / IP</Table.Th>
                    <Table.Th>Firmware</Table.Th>
                    <Table.Th>Test e-mail</Table.Th>
                    <Table.Th>Snapshot</Table.Th>
                    <Table.Th>Verdict</Table.Th>
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
                            Known vulnerabilities
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        {c.test ? (
                          <Text size="sm">{(c.test.latencyMs / 1000).toFixed(1)} s after the event</Text>
                        ) : (
                          <Text size="sm" c="dimmed">
                            none
                          </Text>
                        )}
                        {c.sensitivityWarning && (
                          <Text size="xs" c="yellow.8">
                            Sensitivity left at 10
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{preview.data?.pictures[c.key] ? <Image src={preview.data.pictures[c.key]} alt={`Test snapshot of ${c.location || c.name || c.ip}`} w={120} radius="sm" /> : '-'}</Table.Td>
                      <Table.Td>
                        <Badge color={VERDICT[c.verdict].color}>{VERDICT[c.verdict].label}</Badge>
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
          <Card withBorder>
            <Title order={4} mb="xs">
              Deviations and open items
            </Title>
            {rep.items.length === 0 ? (
              <Text size="sm">None.</Text>
            ) : (
              <Stack gap={4}>
                {rep.items.map((i, n) => (
                  <Text key={n} size="sm">
                    <Badge size="xs" variant="light" color={i.kind === 'deviation' ? 'orange' : 'blue'} mr={6}>
                      {i.kind === 'deviation' ? 'Deviation' : 'Open item'}
                    </Badge>
                    {i.camera ? `${i.camera}: ` : ''}
                    {i.text} <Text span c="dimmed">({i.ownerName})</Text>
                  </Text>
                ))}
              </Stack>
            )}
            <Group mt="sm" align="end">
              <TextInput label="Add an open item" miw={220} placeholder="e.g. Replace the PoE switch in rack 2" value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={1000} style={{ flex: 1 }} />
              <Select
                label="Owner"
                data={[
                  { value: 'technician', label: 'Technician' },
                  { value: 'integrator', label: 'Integrator' },
                  { value: 'customer', label: 'Customer' },
                ]}
                value={owner}
                onChange={(v) => v && setOwner(v as ItemOwner)}
                w={160}
                allowDeselect={false}
              />
              <Button variant="light" onClick={() => void addNote()} disabled={!note.trim()}>
                Add
              </Button>
            </Group>
          </Card>
        </Stack>
      )}
      <Card withBorder>
        <Title order={4} mb="xs">
          Share the site with a colleague
        </Title>
        <Text size="sm" c="dimmed" mb="xs">
          One file holds the site's whole journal and its snapshots. A colleague imports it to finish the job or to rebuild the report; an existing site is never overwritten.
        </Text>
        <Group>
          <Button variant="default" onClick={() => void exportSite()}>
            Export site
          </Button>
          <FileButton onChange={(f) => f && void fileToBase64(f).then((base64) => setPendingImport({ base64, name: f.name }))} accept=".json,application/json">
            {(props) => (
              <Button variant="default" {...props}>
                Import site…
              </Button>
            )}
          </FileButton>
        </Group>
        {pendingImport && (
          <Group mt="sm" align="end">
            <Text size="sm">{pendingImport.name}</Text>
            <TextInput label="Import as (optional)" placeholder="keep the site's name" value={importAs} onChange={(e) => setImportAs(e.currentTarget.value)} maxLength={80} />
            <Checkbox label="Merge into an existing site" checked={merge} onChange={(e) => setMerge(e.currentTarget.checked)} />
            <Button onClick={() => void runImport()}>Import</Button>
          </Group>
        )}
      </Card>
    </Stack>
  );
}
