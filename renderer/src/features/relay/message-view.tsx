import { Alert, Badge, Button, Card, Code, Group, Image, Loader, Modal, ScrollArea, Stack, Table, Tabs, Text, Title, Tooltip, UnstyledButton } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { MessageDetail } from '../../../../shared/domain/relay-views';
import type { MessageRow, MessageSource } from '../../../../shared/domain/relay-inbox';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { saveBase64 } from '../../lib/download';
import { dateTime } from '../../i18n/format';
import { bytes } from './format';
import { HtmlFrame } from './html-frame';
import { SnapshotViewer } from './snapshot-viewer';
import { useTranslation } from 'react-i18next';

/** Who sent a message, as one line: the camera's name, model and MAC when known, its address and HELO name. */
export function CameraLine({ row }: { row: MessageRow }) {
  const { t } = useTranslation();
  const id = row.identity;
  return (
    <Group gap={6} wrap="wrap" data-testid="message-camera">
      {id ? (
        <>
          <Text size="sm" fw={600}>
            {id.displayName}
          </Text>
          {id.model && <Badge variant="light" size="sm">{id.model}</Badge>}
          {id.mac && <Code>{id.mac}</Code>}
          {id.matchedBy === 'helo' && (
            <Tooltip label={t('relay.message.heloOnly', { ip: row.clientIp, cameraIp: id.ip })}>
              <Badge color="yellow" variant="light" size="sm">
                {t('relay.message.byHelo')}
              </Badge>
            </Tooltip>
          )}
        </>
      ) : (
        <Text size="sm" c="dimmed">
          {t('relay.message.unknownSender')}
        </Text>
      )}
      <Text size="sm">
        {t('relay.message.from')} <Code>{row.clientIp}</Code> (HELO {row.heloName ? <Code>{row.heloName}</Code> : t('relay.message.heloEmpty')})
      </Text>
    </Group>
  );
}

/** One message: camera, headers, snapshot, and tabs for text, HTML, headers and raw source. */
export function MessageView({ row, onDeleted, onChanged }: { row: MessageRow; onDeleted: (id: string) => void; onChanged: (row: MessageRow) => void }) {
  const { t } = useTranslation();
  const id = row.id;
  const [m, setM] = useState<MessageDetail | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [tab, setTab] = useState<string | null>('text');
  const [source, setSource] = useState<MessageSource | null>(null);
  const [zoomed, setZoomed] = useState<number | null>(null);
  const [isConfirmingDelete, setConfirmingDelete] = useState(false);

  useEffect(() => {
    setM(null);
    setSource(null);
    setError(null);
    setTab('text');
    void api.relayGetMessage({ id }).then((r) => {
      if (!r.ok) return setError(r.error);
      setM(r.value);
      if (r.value.html && !r.value.text.trim()) setTab('html');
    });
  }, [id]);
  useEffect(() => {
    if (tab !== 'raw' || source) return;
    void api.relayGetSource({ id }).then((r) => (r.ok ? setSource(r.value) : setError(r.error)));
  }, [tab, id, source]);

  if (error) return <ErrorAlert error={error} title={t('relay.message.readFailed')} />;
  if (!m) return <Loader size="sm" />;

  const downloadRaw = async () => {
    const r = await api.relayGetRaw({ id });
    if (r.ok) saveBase64(r.value.filename, r.value.contentType, r.value.base64);
    else setError(r.error);
  };
  const downloadAtt = async (index: number) => {
    const r = await api.relayGetAttachment({ id, index });
    if (r.ok) saveBase64(r.value.filename, r.value.contentType, r.value.base64);
    else setError(r.error);
  };
  const pin = async () => {
    const r = await api.relayPinMessage({ id, pinned: !row.pinned });
    if (r.ok) onChanged({ ...row, pinned: r.value.pinned });
    else setError(r.error);
  };
  const markUnread = async () => {
    const r = await api.relayMarkRead({ ids: [id], isRead: false });
    if (r.ok) onChanged({ ...row, isUnread: true });
  };
  const remove = async (includePinned: boolean) => {
    const r = await api.relayDeleteMessages({ scope: { scope: 'ids', ids: [id] }, includePinned });
    setConfirmingDelete(false);
    if (!r.ok) return setError(r.error);
    if (r.value.deleted) onDeleted(id);
  };

  return (
    <Card withBorder data-testid="message-view" p="md">
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Title order={4} style={{ overflowWrap: 'anywhere' }}>
            {m.summary.subject || t('common.noSubject')}
          </Title>
          {row.pinned && <Badge color="grape">{t('relay.message.evidence')}</Badge>}
        </Group>
        <CameraLine row={row} />
        <Text size="sm">
          {t('relay.message.fromTo')} <Code>{m.summary.headerFrom || m.summary.from}</Code> {t('relay.message.to')} <Code>{m.summary.to.join(', ')}</Code>
        </Text>
        <Text size="xs" c="dimmed">
          {t('relay.message.received', { time: dateTime(m.summary.receivedAt) })} · {bytes(m.summary.size)}
          {m.summary.date && Math.abs(Date.parse(m.summary.date) - Date.parse(m.summary.receivedAt)) > 120_000 && (
            <Text span c="orange" size="xs">
              {t('relay.message.clockSays', { time: dateTime(m.summary.date) })}
            </Text>
          )}
        </Text>
        <Group gap="xs">
          <Button size="xs" variant="default" onClick={() => void downloadRaw()}>
            {t('relay.message.downloadEml')}
          </Button>
          <Button size="xs" variant="default" onClick={() => void pin()}>
            {row.pinned ? t('relay.message.unpin') : t('relay.message.pin')}
          </Button>
          <Button size="xs" variant="default" onClick={() => void markUnread()}>
            {t('relay.message.markUnread')}
          </Button>
          <Button size="xs" color="red" variant="light" onClick={() => (row.pinned ? setConfirmingDelete(true) : void remove(false))}>
            {t('common.delete')}
          </Button>
        </Group>
        {m.quirks.map((q) => (
          <Alert key={q.code} color="yellow" title={q.title} p="xs">
            <Text size="sm">{q.fix}</Text>
          </Alert>
        ))}
        {m.attachments.length > 0 && (
          <Group gap="xs" align="flex-start">
            {m.attachments.map((a) => (
              <Card key={a.index} withBorder p={6} w={a.thumbnail ? 190 : undefined}>
                {a.thumbnail && (
                  <UnstyledButton onClick={() => setZoomed(a.index)} aria-label={t('relay.message.openFull', { file: a.filename })} style={{ cursor: 'zoom-in' }}>
                    <Image src={a.thumbnail} alt={t('relay.message.snapshotAlt', { file: a.filename })} w={176} radius="sm" />
                  </UnstyledButton>
                )}
                <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                  {a.filename} · {bytes(a.size)}
                </Text>
                <Group gap={4}>
                  {a.thumbnail && (
                    <Button size="compact-xs" variant="light" onClick={() => setZoomed(a.index)}>
                      {t('relay.message.fullSize')}
                    </Button>
                  )}
                  <Button size="compact-xs" variant="default" onClick={() => void downloadAtt(a.index)}>
                    {t('relay.message.download')}
                  </Button>
                </Group>
              </Card>
            ))}
          </Group>
        )}
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="text">{t('relay.message.tabText')}</Tabs.Tab>
            <Tabs.Tab value="html" disabled={!m.html}>
              HTML
            </Tabs.Tab>
            <Tabs.Tab value="headers">{t('relay.message.tabHeaders', { n: m.headers.length })}</Tabs.Tab>
            <Tabs.Tab value="raw">{t('relay.message.tabRaw')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="text" pt="xs">
            <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 460, overflow: 'auto' }} data-testid="message-text">
              {m.text || t('relay.message.noText')}
            </Code>
          </Tabs.Panel>
          <Tabs.Panel value="html" pt="xs">
            {m.html ? <HtmlFrame html={m.html} /> : <Text c="dimmed">{t('relay.message.noHtml')}</Text>}
          </Tabs.Panel>
          <Tabs.Panel value="headers" pt="xs">
            <ScrollArea.Autosize mah={460}>
              <Table fz="xs" striped data-testid="message-headers">
                <Table.Tbody>
                  {m.headers.map((h, i) => (
                    <Table.Tr key={i}>
                      <Table.Td style={{ whiteSpace: 'nowrap', verticalAlign: 'top' }}>
                        <Text size="xs" fw={600}>
                          {h.key}
                        </Text>
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>{h.value}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea.Autosize>
          </Tabs.Panel>
          <Tabs.Panel value="raw" pt="xs">
            {source ? (
              <>
                {source.isTruncated && (
                  <Text size="xs" c="orange" mb={4}>
                    {t('relay.message.truncated', { size: bytes(source.size) })}
                  </Text>
                )}
                <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', maxHeight: 460, overflow: 'auto', fontSize: 11 }} data-testid="message-raw">
                  {source.text}
                </Code>
              </>
            ) : (
              <Loader size="xs" />
            )}
          </Tabs.Panel>
        </Tabs>
      </Stack>
      {zoomed !== null && <SnapshotViewer id={id} index={zoomed} onClose={() => setZoomed(null)} />}
      <Modal opened={isConfirmingDelete} onClose={() => setConfirmingDelete(false)} title={t('relay.message.confirmTitle')}>
        <Stack>
          <Text size="sm">{t('relay.message.confirmBody')}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirmingDelete(false)}>
              {t('relay.message.keep')}
            </Button>
            <Button color="red" onClick={() => void remove(true)}>
              {t('relay.message.deleteEvidence')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
