/** The wizard's first steps: the camera and its login, the servers with the pre-flight, and the configuration steps. */
import { Alert, Button, Card, Checkbox, Group, NativeSelect, PasswordInput, SimpleGrid, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { STEP_GUIDE, type PreflightFix, type SessionStepId, type SessionView } from '../../../../shared/domain/commissioning-session';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { MailServerFinder } from './mail-server-finder';
import { applyFix, PreflightPanel } from './preflight-panel';
import { CurrentAndPlanned, PlanCard, WhyLine, whyOf } from './step-panels';
import type { SessionHandle } from './use-session';
import type { FieldErrors, WizardForm } from './wizard-model';

/** What every step gets. */
export interface StepProps {
  form: WizardForm;
  set: (patch: Partial<WizardForm>) => void;
  errors: FieldErrors;
  session: SessionView | null;
  handle: SessionHandle;
}

/** Step 1: where the camera is and how to log in; opening reads it and changes nothing. */
export function CameraStep({ form, set, errors, session }: StepProps) {
  const { t } = useTranslation();
  const [capture, setCapture] = useState<{ busy: boolean; text?: string; error?: AppError }>({ busy: false });
  const isLocked = !!session;
  // A camera page the driver cannot read is reported, not guessed: save what it sees for support.
  const saveCapture = async () => {
    setCapture({ busy: true });
    const r = await api.cameraCapturePages({ target: { url: form.url.trim(), username: form.username, password: form.password } });
    if (r.ok) setCapture({ busy: false, text: r.value.problems.length ? t('wizard.camera.captureSavedProblems', { pages: r.value.pages, file: r.value.file, problems: r.value.problems.length }) : t('wizard.camera.captureSaved', { pages: r.value.pages, file: r.value.file }) });
    else setCapture({ busy: false, error: r.error });
  };
  return (
    <Stack>
      <WhyLine why={whyOf(STEP_GUIDE.camera, t)} article={STEP_GUIDE.camera.article} />
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <TextInput label={t('wizard.camera.address')} placeholder="http://192.168.0.20" value={form.url} onChange={(e) => set({ url: e.currentTarget.value })} error={form.url && errors.url} disabled={isLocked} required />
        <TextInput label={t('wizard.camera.user')} value={form.username} onChange={(e) => set({ username: e.currentTarget.value })} error={errors.username} disabled={isLocked} required />
        <PasswordInput label={t('wizard.camera.password')} value={form.password} onChange={(e) => set({ password: e.currentTarget.value })} disabled={isLocked} />
      </SimpleGrid>
      {session && (
        <Card withBorder data-testid="camera-identity">
          <Text fw={600}>
            {t('wizard.camera.identity', { model: session.camera.model, ip: session.camera.ip })}
          </Text>
          <Text size="sm">
            {t('wizard.camera.details', { mac: session.camera.mac, firmware: session.camera.firmware, name: session.camera.name, used: session.handlersUsed })}
          </Text>
        </Card>
      )}
      <Group>
        <Button variant="subtle" onClick={saveCapture} disabled={!form.url.trim()} loading={capture.busy} data-testid="capture-pages">
          {t('wizard.camera.capture')}
        </Button>
      </Group>
      {capture.text && (
        <Text size="sm" data-testid="capture-result">
          {capture.text}
        </Text>
      )}
      {capture.error && <ErrorAlert error={capture.error} title={t('wizard.camera.captureFailed')} />}
    </Stack>
  );
}

/** Step 2: SMTP and NTP (System > General), the pre-flight, the whole plan, and the express path. */
export function ServersStep({ form, set, errors, session, handle, onExpress }: StepProps & { onExpress: () => void }) {
  const { t } = useTranslation();
  const [fixError, setFixError] = useState<AppError | null>(null);
  const [isFixing, setFixing] = useState(false);
  if (!session) return null;
  const step = session.steps.find((s) => s.id === 'smtp-ntp')!;
  const isApplied = step.status !== 'pending' && step.status !== 'failed';
  const check = () => void handle.run(t('wizard.fail.checks'), () => api.commissioningRunPreflight({ sessionId: session.id }));
  const fix = async (f: PreflightFix) => {
    setFixing(true);
    setFixError(null);
    const r = await applyFix(f);
    setFixing(false);
    if (!r.ok) setFixError(r.error);
    check();
  };
  const testTarget = session.preflight?.checks.find((c) => c.id === 'relay-running' && c.verdict === 'pass') ? session.steps[0].changes.find((c) => c.field === 'general.smtpServer')?.to : undefined;
  return (
    <Stack>
      <WhyLine why={whyOf(step, t)} article={step.article} />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Stack gap={4}>
          <TextInput
            label={t('wizard.servers.smtp')}
            description={t('wizard.servers.smtpHint')}
            value={form.smtpServer}
            onChange={(e) => set({ smtpServer: e.currentTarget.value })}
            error={errors.smtpServer}
            disabled={isApplied}
            required
          />
          <MailServerFinder cameraIp={session.camera.ip} onChoose={(host) => set({ smtpServer: host })} isDisabled={isApplied} />
        </Stack>
        <TextInput label={t('wizard.servers.ntp')} description={t('wizard.servers.ntpHint')} value={form.ntpServer} onChange={(e) => set({ ntpServer: e.currentTarget.value })} error={errors.ntpServer} disabled={isApplied} required />
      </SimpleGrid>
      <CurrentAndPlanned step={step} />
      {!isApplied && (
        <>
          <PreflightPanel report={session.preflight} isChecking={handle.pending === t('wizard.fail.checks') || isFixing} onCheck={check} onFix={fix} fixError={fixError} />
          <PlanCard steps={session.steps} testTarget={testTarget ? String(testTarget) : undefined} finalSmtp={form.smtpServer} behaviour={form.behaviour} />
          <Group>
            <Button variant="outline" onClick={onExpress} disabled={!session.preflight?.isReady || !!session.busy} data-testid="express">
              {t('wizard.servers.express')}
            </Button>
            <Text size="sm" c="dimmed">
              {t('wizard.servers.expressHint')}
            </Text>
          </Group>
        </>
      )}
    </Stack>
  );
}

/** Steps 3–5: the event source, the Send Email handler, the behaviour at the test sensitivity. */
export function ConfigStep({ id, form, set, errors, session }: StepProps & { id: Exclude<SessionStepId, 'smtp-ntp'> }) {
  const { t } = useTranslation();
  const nameHint = t('wizard.config.nameHint');
  if (!session) return null;
  const step = session.steps.find((s) => s.id === id)!;
  const isApplied = step.status !== 'pending' && step.status !== 'failed';
  return (
    <Stack>
      <WhyLine why={whyOf(step, t)} article={step.article} />
      {id === 'source' && (
        <TextInput label={t('wizard.config.sourceName')} description={nameHint} value={form.sourceName} onChange={(e) => set({ sourceName: e.currentTarget.value })} error={errors.sourceName} disabled={isApplied} required maw={420} />
      )}
      {id === 'handler' && (
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          <TextInput label={t('wizard.config.handlerName')} description={nameHint} value={form.handlerName} onChange={(e) => set({ handlerName: e.currentTarget.value })} error={errors.handlerName} disabled={isApplied} required />
          <TextInput label={t('wizard.config.to')} description={t('wizard.config.toHint')} placeholder="security@site.example" value={form.to} onChange={(e) => set({ to: e.currentTarget.value })} error={form.to && errors.to} disabled={isApplied} required />
          <TextInput label={t('wizard.config.from')} placeholder="camera1@site.example" value={form.from} onChange={(e) => set({ from: e.currentTarget.value })} error={form.from && errors.from} disabled={isApplied} required />
          <TextInput label={t('wizard.config.subject')} description={t('wizard.config.subjectHint')} value={form.subject} onChange={(e) => set({ subject: e.currentTarget.value })} error={errors.subject} disabled={isApplied} required />
          <Textarea label={t('wizard.config.message')} value={form.message} onChange={(e) => set({ message: e.currentTarget.value })} disabled={isApplied} autosize minRows={2} />
          <Checkbox label={t('wizard.config.snapshot')} checked={form.jpegSnapshot} onChange={(e) => set({ jpegSnapshot: e.currentTarget.checked })} disabled={isApplied} mt="lg" />
        </SimpleGrid>
      )}
      {id === 'behaviour' && (
        <Group align="flex-end">
          <NativeSelect
            label={t('wizard.config.behaviour')}
            description={t('wizard.config.behaviourHint')}
            data={session.behaviours}
            value={form.behaviour}
            onChange={(e) => set({ behaviour: e.currentTarget.value })}
            disabled={isApplied}
            maw={420}
          />
          <Text size="sm">{t('wizard.config.sensitivity')}</Text>
        </Group>
      )}
      {id === 'handler' && session.handlersUsed >= 20 && !session.current.handler && (
        <Alert color="red" title={t('wizard.config.noRoomTitle')}>
          {t('wizard.config.noRoom')}
        </Alert>
      )}
      <CurrentAndPlanned step={step} />
      {isApplied && (
        <Text size="sm" c="dimmed">
          {t('wizard.config.applied')}
        </Text>
      )}
    </Stack>
  );
}
