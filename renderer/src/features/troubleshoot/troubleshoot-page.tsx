import { Anchor, Badge, Button, Card, Checkbox, Group, Modal, NumberInput, PasswordInput, Progress, SimpleGrid, Stack, Table, Text, TextInput, Title, Typography } from '@mantine/core';
import { marked } from 'marked';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Article, ArticleSummary, CheckResult } from '../../../../shared/domain/diagnostics';
import { CHECK_TITLE_KEYS } from '../../../../shared/i18n/doctor-keys';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useUiLanguage } from '../../i18n/use-ui-language';
import { ErrorAlert, type TitledError } from '../../app/error-alert';

const VERDICT_COLOR: Record<CheckResult['verdict'], string> = { pass: 'green', warn: 'yellow', fail: 'red', skipped: 'gray' };
const VERDICT_KEY = {
  pass: 'troubleshoot.verdict.pass',
  warn: 'troubleshoot.verdict.warn',
  fail: 'troubleshoot.verdict.fail',
  skipped: 'troubleshoot.verdict.skipped',
} as const satisfies Record<CheckResult['verdict'], string>;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/** Renders a shipped knowledge-base article; raw HTML in the markdown is escaped, never executed. */
export function ArticleBody({ markdown }: { markdown: string }) {
  const html = useMemo(() => {
    const renderer = new marked.Renderer();
    renderer.html = ({ text }) => escapeHtml(text);
    renderer.link = ({ href, text }) => `<span title="${escapeHtml(href)}"><u>${escapeHtml(text)}</u></span>`;
    return marked.parse(markdown, { renderer, async: false }) as string;
  }, [markdown]);
  return (
    <Typography>
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}

/** Offline troubleshooting: runs the doctor checks with live progress (cancellable) and opens the knowledge base. */
export function TroubleshootPage() {
  const { t } = useTranslation();
  const [smtp, setSmtp] = useState('');
  const [smtpPort, setSmtpPort] = useState<number | string>(25);
  const [ntp, setNtp] = useState('');
  const [cameraUrl, setCameraUrl] = useState('');
  const [username, setUsername] = useState('admin');
  const [password, setPassword] = useState('');
  const [to, setTo] = useState('');
  const [sendTest, setSendTest] = useState(false);
  const [checks, setChecks] = useState<CheckResult[]>([]);
  const [total, setTotal] = useState(0);
  const [opId, setOpId] = useState<string | null>(null);
  // The running run's id for the event listeners (set before doctor:start answers: its events may come first).
  const runId = useRef<string | null>(null);
  const [failure, setFailure] = useState<TitledError | null>(null);
  const [articles, setArticles] = useState<ArticleSummary[]>([]);
  const [article, setArticle] = useState<Article | null>(null);
  const language = useUiLanguage();

  // The article titles follow the UI language (English where an article has no translation).
  useEffect(() => {
    void api.kbListArticles({ language }).then((r) => r.ok && setArticles(r.value));
  }, [language]);

  useEffect(() => {
    const offCheck = api.onDoctorCheckFinished((e) => {
      if (e.operationId !== runId.current) return;
      setTotal(e.total);
      setChecks((cur) => (cur.some((c) => c.id === e.check.id) ? cur : [...cur, e.check]));
    });
    const offDone = api.onDoctorFinished((e) => {
      if (e.operationId !== runId.current) return;
      runId.current = null;
      setOpId(null);
      setChecks(e.report.checks);
    });
    return () => {
      offCheck();
      offDone();
    };
  }, []);

  const openArticle = async (id: ArticleSummary["id"]) => {
    const r = await api.kbGetArticle({ id, language });
    if (r.ok) setArticle(r.value);
    else setFailure({ title: t('troubleshoot.articleFailed'), error: r.error });
  };

  const run = async () => {
    const operationId = `ui-${Date.now()}`;
    setChecks([]);
    setTotal(0);
    setFailure(null);
    setOpId(operationId);
    runId.current = operationId;
    const r = await api.doctorStart({
      operationId,
      smtpServer: smtp.trim() ? { host: smtp.trim(), port: typeof smtpPort === 'number' ? smtpPort : 25 } : undefined,
      ntpServer: ntp.trim() ? { host: ntp.trim() } : undefined,
      camera: cameraUrl.trim() ? { url: cameraUrl.trim(), username, password } : undefined,
      to: to.trim() || undefined,
      sendTest,
    });
    if (!r.ok) {
      runId.current = null;
      setOpId(null);
      setFailure({ title: t('troubleshoot.runFailed'), error: r.error });
    }
  };

  const cancel = async () => {
    if (opId) await api.doctorCancel({ operationId: opId });
  };

  return (
    <Stack>
      <Title order={1}>{t('troubleshoot.title')}</Title>
      <Text c="dimmed" size="sm">
        {t('troubleshoot.intro')}
      </Text>
      <Card withBorder>
        <Stack gap="sm">
          {/* Three fields side by side when the card is wide enough, one under the other on a phone (container query). */}
          <SimpleGrid type="container" cols={{ base: 1, '540px': 3 }} spacing="sm" verticalSpacing="sm" style={{ alignItems: 'end' }}>
            <TextInput label={t('troubleshoot.smtpServer')} placeholder={t('troubleshoot.smtpPlaceholder')} value={smtp} onChange={(e) => setSmtp(e.currentTarget.value)} />
            <NumberInput label={t('common.port')} description={t('troubleshoot.smtpPortHint')} min={1} max={65535} value={smtpPort} onChange={setSmtpPort} />
            <TextInput label={t('troubleshoot.ntpServer')} placeholder="192.168.0.1" value={ntp} onChange={(e) => setNtp(e.currentTarget.value)} />
            <TextInput label={t('troubleshoot.cameraAddress')} placeholder="http://192.168.0.20" value={cameraUrl} onChange={(e) => setCameraUrl(e.currentTarget.value)} />
            <TextInput label={t('troubleshoot.cameraUser')} value={username} onChange={(e) => setUsername(e.currentTarget.value)} />
            <PasswordInput label={t('troubleshoot.cameraPassword')} value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
          </SimpleGrid>
          <Group align="flex-end">
            <TextInput label={t('troubleshoot.recipient')} placeholder="security@site.example" value={to} onChange={(e) => setTo(e.currentTarget.value)} />
            <Checkbox label={t('troubleshoot.sendTest')} checked={sendTest} onChange={(e) => setSendTest(e.currentTarget.checked)} />
            <Button onClick={run} loading={!!opId}>
              {t('troubleshoot.run')}
            </Button>
            {opId && (
              <Button variant="default" onClick={cancel}>
                {t('common.cancel')}
              </Button>
            )}
          </Group>
          {opId && total > 0 && <Progress value={(checks.length / total) * 100} aria-label={t('troubleshoot.progress')} />}
          {failure && <ErrorAlert error={failure.error} title={failure.title} />}
        </Stack>
      </Card>
      {checks.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
        <Table data-testid="doctor-results">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('troubleshoot.colCheck')}</Table.Th>
              <Table.Th>{t('troubleshoot.colVerdict')}</Table.Th>
              <Table.Th>{t('troubleshoot.colFound')}</Table.Th>
              <Table.Th>{t('troubleshoot.colFix')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {checks.map((c) => (
              <Table.Tr key={c.id}>
                <Table.Td>{t(CHECK_TITLE_KEYS[c.id])}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Badge color={VERDICT_COLOR[c.verdict]} miw={64}>
                    {t(VERDICT_KEY[c.verdict])}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.message}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.fix}</Text>
                  <Anchor size="xs" component="button" ta="left" onClick={() => openArticle(c.article)}>
                    {t('troubleshoot.read', { title: articles.find((a) => a.id === c.article)?.title ?? c.article })}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        </Table.ScrollContainer>
      )}
      <Title order={2} size="h3">{t('troubleshoot.knowledgeBase')}</Title>
      <Group gap="xs">
        {articles.map((a) => (
          // Long titles wrap inside the button instead of being cut off on a phone.
          <Button key={a.id} variant="light" size="xs" h="auto" py={6} maw="100%" styles={{ label: { whiteSpace: 'normal', textAlign: 'start', lineHeight: 1.35 } }} onClick={() => openArticle(a.id)}>
            {a.title}
          </Button>
        ))}
      </Group>
      <Modal opened={!!article} onClose={() => setArticle(null)} title={article?.title} size="lg">
        {article && <ArticleBody markdown={article.markdown} />}
      </Modal>
    </Stack>
  );
}
