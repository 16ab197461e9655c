/**
 * The moment of truth: a large instruction ("Cover the lens with your hand now") with a visible countdown, a live
 * line for every connection or refusal the relay sees from the camera, "Wait longer" and "Try again", then the
 * e-mail with its snapshot at full size; on a silent camera, the cause the relay's evidence points to first.
 */
import { Alert, Badge, Button, Card, Group, Image, List, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PreflightFix, SessionView, TestCause, TestEvent } from '../../../../shared/domain/commissioning-session';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { timeOfDay } from '../../i18n/format';
import { localText } from '../../i18n/localized';
import { KbLink } from './kb-link';
import { applyFix, PreflightPanel } from './preflight-panel';
import { WhyLine, type Keyed } from './step-panels';
import type { SessionHandle } from './use-session';
import { secondsLeft } from './wizard-model';

// Catalog keys.
const EVENT_LABEL: Record<TestEvent['kind'], string> = {
  triggered: 'wizard.test.event.triggered',
  'not-detected': 'wizard.test.event.notDetected',
  connected: 'wizard.test.event.connected',
  refused: 'wizard.test.event.refused',
  closed: 'wizard.test.event.closed',
  message: 'wizard.test.event.message',
  mismatch: 'wizard.test.event.mismatch',
  timeout: 'wizard.test.event.timeout',
  stopped: 'wizard.test.event.stopped',
};

const EVENT_COLOR: Record<TestEvent['kind'], string> = {
  triggered: 'blue',
  'not-detected': 'red',
  connected: 'green',
  refused: 'red',
  closed: 'gray',
  message: 'green',
  mismatch: 'orange',
  timeout: 'red',
  stopped: 'gray',
};

/** Ticks once a second while `isOn` (the countdown). */
function useNow(isOn: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!isOn) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [isOn]);
  return now;
}

/** The snapshot of the test e-mail at full size (the relay's stored attachment). */
function Snapshot({ mailId, index, filename }: { mailId: string; index: number; filename: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    void api.relayGetAttachment({ id: mailId, index }).then((r) => {
      if (!alive) return;
      if (r.ok) setSrc(`data:${r.value.contentType};base64,${r.value.base64}`);
      else setError(r.error.message);
    });
    return () => {
      alive = false;
    };
  }, [mailId, index]);
  if (error) return <Text size="sm">{t('wizard.test.snapshotFailed', { error })}</Text>;
  if (!src) return <Text size="sm">{t('wizard.test.snapshotLoading')}</Text>;
  return <Image src={src} alt={t('wizard.test.snapshotAlt', { file: filename })} fit="contain" w="auto" maw="100%" radius="sm" data-testid="test-snapshot" />;
}

/** The test step. */
export function TestStep({ session, handle, onRollBack }: { session: SessionView; handle: SessionHandle; onRollBack: () => void }) {
  const { t: tr } = useTranslation();
  const causeText = (c: Keyed<TestCause, 'i18n'>) => localText(tr, c.message, c.i18n);
  const t = session.test;
  const isWaiting = t.status === 'waiting';
  const now = useNow(isWaiting);
  const left = secondsLeft(t.deadline, now);
  const id = session.id;
  const start = () => void handle.run(tr('wizard.test.failStart'), () => api.commissioningStartTest({ sessionId: id }));
  const longer = () => void handle.run(tr('wizard.test.failLonger'), () => api.commissioningExtendTest({ sessionId: id, seconds: 60 }));
  const stop = () => void handle.run(tr('wizard.test.failStop'), () => api.commissioningStopTest({ sessionId: id }));
  const jpeg = t.mail?.attachments.find((a) => a.contentType === 'image/jpeg');
  // The relay's own checks, with their fixes, when the test failed for a relay reason.
  const [isChecking, setChecking] = useState(false);
  const [fixError, setFixError] = useState<AppError | null>(null);
  const check = () => {
    setChecking(true);
    void handle.run(tr('wizard.fail.checks'), () => api.commissioningRunPreflight({ sessionId: id }));
  };
  const fix = async (f: PreflightFix) => {
    setFixError(null);
    const r = await applyFix(f);
    if (!r.ok) setFixError(r.error);
    check();
  };
  const allow = () => void fix({ kind: 'allow-client', label: tr('wizard.test.allow', { ip: session.camera.ip }), entry: session.camera.ip });
  return (
    <Stack>
      <WhyLine why={tr('wizard.test.why')} article="smtp-transcript" />
      {t.status === 'idle' && (
        <Card withBorder>
          <Stack gap="xs">
            <Text>
              {t.isAutomatic
                ? tr('wizard.test.automatic', { behaviour: session.profile.behaviour })
                : session.profile.behaviour.toLowerCase() === 'camera sabotage'
                  ? tr('wizard.test.coverLens')
                  : tr('wizard.test.triggerBehaviour', { behaviour: session.profile.behaviour })}
            </Text>
            <Group>
              <Button size="lg" onClick={start} loading={handle.pending === tr('wizard.test.failStart')}>
                {tr('wizard.test.start')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      {isWaiting && (
        <Card withBorder bg="var(--mantine-color-yellow-light)" data-testid="test-instruction">
          <Stack gap="xs" align="center">
            <Title order={3} fz={{ base: 28, sm: 40 }} ta="center" lh={1.2} role="alert">
              {localText(tr, t.instruction, (t as Keyed<typeof t, 'instructionI18n'>).instructionI18n)}
            </Title>
            <Text fz={{ base: 40, sm: 64 }} fw={800} ff="monospace" aria-live="off" data-testid="countdown" aria-label={tr('wizard.test.secondsLeft', { n: left })}>
              {left} s
            </Text>
            <Text size="sm">{tr('wizard.test.waiting', { ip: session.camera.ip })}</Text>
            <Group>
              <Button variant="default" onClick={longer}>
                {tr('wizard.test.longer')}
              </Button>
              <Button variant="default" onClick={start}>
                {tr('wizard.test.tryAgain')}
              </Button>
              <Button variant="subtle" onClick={stop}>
                {tr('wizard.test.stop')}
              </Button>
            </Group>
          </Stack>
        </Card>
      )}
      {t.events.length > 0 && (
        <Card withBorder>
          <Title order={4} size="h5" mb="xs">
            {tr('wizard.test.logTitle', { ip: session.camera.ip, attempt: t.attempt })}
          </Title>
          <List spacing={4} listStyleType="none" role="log" aria-live="polite" data-testid="test-log">
            {t.events.map((e, i) => (
              <List.Item key={`${e.at}-${i}`}>
                <Group gap="xs" wrap="nowrap">
                  <Badge size="sm" color={EVENT_COLOR[e.kind]} miw={96}>
                    {tr(EVENT_LABEL[e.kind])}
                  </Badge>
                  <Text size="sm">
                    {timeOfDay(e.at)} {localText(tr, e.text, (e as Keyed<TestEvent, 'i18n'>).i18n)}
                  </Text>
                </Group>
              </List.Item>
            ))}
          </List>
        </Card>
      )}
      {t.status === 'passed' && t.mail && (
        <Card withBorder data-testid="test-mail">
          <Stack gap="xs">
            <Alert color="green" title={tr('wizard.test.passTitle')}>
              {tr('wizard.test.passLine', { subject: t.mail.subject, from: t.mail.from, to: t.mail.to.join(', '), seconds: (t.latencyMs ?? 0) / 1000 })}
            </Alert>
            {jpeg ? <Snapshot mailId={t.mail.id} index={jpeg.index} filename={jpeg.filename} /> : <Text size="sm">{tr('wizard.test.noSnapshot')}</Text>}
          </Stack>
        </Card>
      )}
      {(t.status === 'failed' || t.status === 'stopped') && (
        <Alert color="red" title={t.status === 'stopped' ? tr('wizard.test.stoppedTitle') : tr('wizard.test.failTitle')} data-testid="test-failure">
          <Stack gap="xs">
            {t.causes.length > 0 && (
              <>
                <Text size="sm" fw={700} data-testid="first-cause">
                  {tr('wizard.test.mostLikely', { cause: causeText(t.causes[0]) })}
                </Text>
                <KbLink id={t.causes[0].article} />
                {t.causes.slice(1).map((c) => (
                  <Text size="sm" key={c.kind + c.message}>
                    {tr('wizard.test.alsoPossible', { cause: causeText(c) })}
                  </Text>
                ))}
              </>
            )}
            <Text size="sm">{tr('wizard.test.keeps')}</Text>
            <Group>
              {t.causes[0]?.kind === 'refused' && (
                <Button variant="light" onClick={allow}>
                  {tr('wizard.test.allow', { ip: session.camera.ip })}
                </Button>
              )}
              <Button variant="light" onClick={check}>
                {tr('wizard.test.checkRelay')}
              </Button>
              <Button onClick={start}>{tr('wizard.test.tryAgain')}</Button>
              <Button color="orange" variant="outline" onClick={onRollBack}>
                {tr('wizard.test.rollBack')}
              </Button>
            </Group>
            {isChecking && session.preflight && <PreflightPanel report={session.preflight} isChecking={handle.pending === tr('wizard.fail.checks')} onCheck={check} onFix={fix} fixError={fixError} />}
          </Stack>
        </Alert>
      )}
      {handle.failure && <ErrorAlert error={handle.failure.error} title={handle.failure.title} />}
    </Stack>
  );
}
