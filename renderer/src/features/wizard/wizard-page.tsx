/**
 * The commissioning wizard: one camera in the job's order (camera and login → SMTP and NTP → event source → Send
 * Email handler → behaviour at sensitivity 10 → test → scene sensitivity → done). Each step shows what the camera
 * holds now and the planned change, and changes the camera only when applied; the machine side keeps the session,
 * so a reload carries on where it was.
 */
import { Button, Group, Modal, Stack, Stepper, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStepId, SessionView } from '../../../../shared/domain/commissioning-session';
import { parseSceneSensitivity } from '../../../../shared/domain/commissioning-session';
import type { AppError } from '../../../../shared/ipc/result';
import { api } from '../../api';
import { ErrorAlert } from '../../app/error-alert';
import { localText } from '../../i18n/localized';
import { DoneStep, SceneStep } from './step-end';
import { PlanCard, type Keyed } from './step-panels';
import { stepTitle } from './step-titles';
import { TestStep } from './step-test';
import { useSession } from './use-session';
import { CameraStep, ConfigStep, ServersStep } from './wizard-steps';
import { emptyForm, formFromSession, isStepValid, nextCameraForm, profileOf, stepForSession, validateStep, WIZARD_LABELS, WIZARD_SHORT, WIZARD_STEPS, type WizardForm, type WizardStep } from './wizard-model';

/** Prefill for the wizard (from a discovered camera or the practice camera). */
export interface WizardPrefill {
  url?: string;
  smtpServer?: string;
  ntpServer?: string;
  to?: string;
  from?: string;
}

const SESSION_STEP: Partial<Record<WizardStep, SessionStepId>> = { servers: 'smtp-ntp', source: 'source', handler: 'handler', behaviour: 'behaviour' };
const FIELDS: Partial<Record<WizardStep, Array<keyof ReturnType<typeof profileOf>>>> = {
  servers: ['smtpServer', 'ntpServer'],
  source: ['sourceName'],
  handler: ['handlerName', 'to', 'from', 'subject', 'message', 'jpegSnapshot'],
  behaviour: ['behaviour'],
};

const isApplied = (s: SessionView | null, id: SessionStepId | undefined) => !!s && !!id && ['done', 'unchanged'].includes(s.steps.find((x) => x.id === id)?.status ?? '');

/** The profile fields of one step, as a session patch. */
function patchFor(step: WizardStep, f: WizardForm) {
  const p = profileOf(f);
  return Object.fromEntries((FIELDS[step] ?? []).map((k) => [k, p[k]]));
}

/** The wizard. */
export function WizardPage({ prefill, openReport }: { prefill?: WizardPrefill; openReport?: () => void }) {
  const { t } = useTranslation();
  const handle = useSession();
  const { session, run, adopt } = handle;
  const [form, setForm] = useState<WizardForm>(() => emptyForm(prefill));
  const [step, setStep] = useState<WizardStep>('camera');
  const [isExpressOpen, setExpressOpen] = useState(false);
  const [isRollBackOpen, setRollBackOpen] = useState(false);
  const resumed = useRef(false);
  const set = useCallback((patch: Partial<WizardForm>) => setForm((f) => ({ ...f, ...patch })), []);
  const errors = useMemo(() => validateStep(step, form, t), [step, form, t]);

  // A reloaded page finds its session and goes back to the step it was on.
  useEffect(() => {
    if (!handle.isResolved || resumed.current) return;
    resumed.current = true;
    if (session) {
      setForm((f) => formFromSession(session, f));
      setStep(stepForSession(session));
    }
  }, [handle.isResolved, session]);

  // The practice camera or a discovered camera fills what is still empty (never over what was typed); only when the
  // prefill itself changes, so "Next camera" is not refilled with the camera just done.
  const hasSession = useRef(false);
  hasSession.current = !!session;
  useEffect(() => {
    if (hasSession.current) return;
    setForm((f) => ({
      ...f,
      url: prefill?.url ?? f.url,
      smtpServer: f.smtpServer || prefill?.smtpServer || '',
      ntpServer: f.ntpServer || prefill?.ntpServer || '',
      to: f.to || prefill?.to || '',
      from: f.from || prefill?.from || '',
    }));
  }, [prefill?.url, prefill?.smtpServer, prefill?.ntpServer, prefill?.to, prefill?.from]);

  // The planned change follows what is typed: valid fields of a step not yet applied go to the session.
  const sessionId = session?.id;
  const isOpen = session?.phase === 'open';
  const stepApplied = isApplied(session, SESSION_STEP[step]);
  const patchKey = JSON.stringify(patchFor(step, form));
  useEffect(() => {
    if (!sessionId || !isOpen || !FIELDS[step] || stepApplied || !isStepValid(step, form, t)) return;
    const timer = setTimeout(() => void api.commissioningUpdateSession({ sessionId, patch: JSON.parse(patchKey) }), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sessionId, isOpen, step, stepApplied, patchKey]);

  const index = WIZARD_STEPS.indexOf(step);
  const reached = session ? WIZARD_STEPS.indexOf(stepForSession(session)) : 0;
  const go = (s: WizardStep) => {
    handle.clearFailure();
    setStep(s);
  };

  const connect = async () => {
    const v = await run(t('wizard.fail.open'), () =>
      api.commissioningOpenSession({ target: { url: form.url.trim(), username: form.username.trim(), password: form.password }, profile: profileOf(form) }),
    );
    if (!v) return;
    adopt(v);
    go('servers');
    void run(t('wizard.fail.checks'), () => api.commissioningRunPreflight({ sessionId: v.id }));
  };

  const pushFields = async (s: SessionView, which: WizardStep[]) => {
    const patch = Object.assign({}, ...which.filter((w) => !isApplied(s, SESSION_STEP[w])).map((w) => patchFor(w, form)));
    return run(t('wizard.fail.values'), () => api.commissioningUpdateSession({ sessionId: s.id, patch }));
  };

  const applyAndNext = async () => {
    if (!session) return;
    const id = SESSION_STEP[step]!;
    if (!isApplied(session, id)) {
      if (!(await pushFields(session, [step]))) return;
      const v = await run(t('wizard.fail.apply', { step: stepTitle(session.steps.find((s) => s.id === id) ?? { id, title: id }, t) }), () => api.commissioningApplyStep({ sessionId: session.id, step: id }));
      if (!v) return;
    }
    go(WIZARD_STEPS[index + 1]);
  };

  const express = async () => {
    setExpressOpen(false);
    if (!session) return;
    const invalid = (['servers', 'source', 'handler'] as const).find((w) => !isStepValid(w, form, t));
    if (invalid) {
      go(invalid);
      return;
    }
    if (!(await pushFields(session, ['servers', 'source', 'handler', 'behaviour']))) return;
    go('test');
    await run(t('wizard.fail.express'), () => api.commissioningApplyAll({ sessionId: session.id }));
  };

  const finish = async () => {
    if (!session) return;
    const parsed = parseSceneSensitivity(form.sceneText);
    if (parsed.value === undefined) return;
    const v = await run(t('wizard.fail.scene'), () => api.commissioningFinishSession({ sessionId: session.id, sceneSensitivity: parsed.value, confirmTestSensitivity: form.isTenConfirmed }));
    if (v) go('done');
  };

  const rollBack = async () => {
    setRollBackOpen(false);
    if (!session) return;
    const v = await run(t('wizard.fail.rollBack'), () => api.commissioningRollBackSession({ sessionId: session.id }));
    if (v) go('done');
  };

  const nextCamera = async () => {
    if (session) await api.commissioningCloseSession({ sessionId: session.id });
    adopt(null);
    setForm((f) => nextCameraForm(f));
    go('camera');
  };

  // The scene step starts at the value found before the test.
  useEffect(() => {
    if (step === 'scene' && session && form.sceneText === '') set({ sceneText: String(session.sensitivityBefore) });
  }, [step, session, form.sceneText, set]);

  const busy = session?.busy ?? handle.pending;
  const canRollBack = !!session && session.phase === 'open';
  let body: React.ReactNode = null;
  let primary: React.ReactNode = null;
  if (step === 'camera') {
    body = <CameraStep form={form} set={set} errors={errors} session={session} handle={handle} />;
    primary = session ? (
      <Button onClick={() => go(stepForSession(session))}>{t('wizard.next')}</Button>
    ) : (
      <Button onClick={connect} disabled={!isStepValid('camera', form, t)} loading={handle.pending === t('wizard.fail.open')}>
        {t('wizard.connect')}
      </Button>
    );
  } else if (step === 'servers' || step === 'source' || step === 'handler' || step === 'behaviour') {
    body =
      step === 'servers' ? (
        <ServersStep form={form} set={set} errors={errors} session={session} handle={handle} onExpress={() => setExpressOpen(true)} />
      ) : (
        <ConfigStep id={step} form={form} set={set} errors={errors} session={session} handle={handle} />
      );
    const applied = isApplied(session, SESSION_STEP[step]);
    const blocked = !applied && (!isStepValid(step, form, t) || (step === 'servers' && !session?.preflight?.isReady) || !isOpen);
    primary = (
      <Button onClick={applyAndNext} disabled={blocked || !!busy} loading={!!session?.busy && session.busy.startsWith('Applying')}>
        {applied ? t('wizard.next') : t('wizard.applyAndContinue')}
      </Button>
    );
  } else if (step === 'test' && session) {
    body = <TestStep session={session} handle={handle} onRollBack={() => setRollBackOpen(true)} />;
    primary = (
      <Button onClick={() => go('scene')} disabled={session.test.status !== 'passed'}>
        {t('wizard.next')}
      </Button>
    );
  } else if (step === 'scene' && session) {
    body = <SceneStep session={session} form={form} set={set} errors={errors} />;
    primary = (
      <Button onClick={finish} disabled={!isStepValid('scene', form, t) || !!busy || session.phase !== 'open'} loading={!!session.busy}>
        {t('wizard.setAndFinish')}
      </Button>
    );
  } else if (step === 'done' && session) {
    body = <DoneStep session={session} onRollBack={() => setRollBackOpen(true)} onNext={nextCamera} reportLink={openReport} />;
  }

  return (
    <Stack>
      <Title order={1}>{t('wizard.title')}</Title>
      <Stepper active={index} onStepClick={(i) => i <= Math.max(reached, index) && go(WIZARD_STEPS[i])} size="xs" wrap aria-label={t('wizard.stepsLabel')}>
        {WIZARD_STEPS.map((s, i) => (
          <Stepper.Step key={s} label={t(WIZARD_SHORT[s])} allowStepSelect={!!session && i <= Math.max(reached, index) && s !== 'done'} aria-label={t('wizard.stepAria', { n: i + 1, label: t(WIZARD_LABELS[s]) })} />
        ))}
      </Stepper>
      <Title order={2} size="h3" data-testid="wizard-step-title">
        {index + 1}. {t(WIZARD_LABELS[step])}
      </Title>
      {body}
      {handle.failure && step !== 'test' && <ErrorAlert error={handle.failure.error} title={handle.failure.title} />}
      {session?.error && !handle.failure && <ErrorAlert error={{ ...(session.error as AppError), code: session.error.code as never }} title={t('wizard.lastActionFailed')} />}
      {busy && (
        <Text size="sm" role="status">
          {session?.busy ? localText(t, session.busy, (session as Keyed<SessionView, 'busyI18n'>).busyI18n) : busy}…
        </Text>
      )}
      <Group justify="space-between">
        <Group>
          {index > 0 && step !== 'done' && (
            <Button variant="default" onClick={() => go(WIZARD_STEPS[index - 1])}>
              {t('wizard.back')}
            </Button>
          )}
          {canRollBack && (
            <Button variant="subtle" color="orange" onClick={() => setRollBackOpen(true)} disabled={!!session?.busy}>
              {session?.hasChanges ? t('wizard.abortRollBack') : t('wizard.cancelNothingChanged')}
            </Button>
          )}
        </Group>
        {primary}
      </Group>
      <Modal opened={isExpressOpen} onClose={() => setExpressOpen(false)} title={t('wizard.express.title')} size="lg">
        {session && (
          <Stack>
            <PlanCard steps={session.steps} finalSmtp={form.smtpServer} behaviour={form.behaviour} />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setExpressOpen(false)}>
                {t('wizard.express.notNow')}
              </Button>
              <Button onClick={express}>{t('wizard.express.start')}</Button>
            </Group>
          </Stack>
        )}
      </Modal>
      <Modal opened={isRollBackOpen} onClose={() => setRollBackOpen(false)} title={t('wizard.rollBack.title')}>
        <Stack>
          <Text size="sm">
            {session?.hasChanges || session?.phase === 'finished'
              ? session?.backupFile
                ? t('wizard.rollBack.changedBackup', { file: session.backupFile })
                : t('wizard.rollBack.changed')
              : t('wizard.rollBack.nothing')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRollBackOpen(false)}>
              {t('wizard.rollBack.keep')}
            </Button>
            <Button color="orange" onClick={rollBack}>
              {t('wizard.rollBack.confirm')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
