/**
 * The safe end: the scene sensitivity (a whole number 1–10 checked while typing and refused otherwise, never
 * clamped; staying at 10 needs an explicit confirmation and is recorded as a warning), then the outcome as the
 * camera reads back, with Roll back while a backup exists and "Next camera" with the same site profile.
 */
import { Alert, Button, Card, Checkbox, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { SessionView } from '../../../../shared/domain/commissioning-session';
import { WhyLine } from './step-panels';
import type { FieldErrors, WizardForm } from './wizard-model';
import { localMessage } from '../../i18n/localized';

/** Step 7: the sensitivity the scene needs. */
export function SceneStep({ session, form, set, errors }: { session: SessionView; form: WizardForm; set: (p: Partial<WizardForm>) => void; errors: FieldErrors }) {
  const { t } = useTranslation();
  const isTen = form.sceneText.trim() === '10';
  return (
    <Stack>
      <WhyLine why={t('wizard.scene.why')} article="setup-order" />
      <Text size="sm">
        {t('wizard.scene.state', { behaviour: session.profile.behaviour, before: session.sensitivityBefore, smtp: session.profile.smtpServer || t('wizard.scene.notSet') })}
      </Text>
      <TextInput
        label={t('wizard.scene.label')}
        description={t('wizard.scene.hint')}
        inputMode="numeric"
        value={form.sceneText}
        onChange={(e) => set({ sceneText: e.currentTarget.value, isTenConfirmed: false })}
        error={errors.sceneText}
        maw={360}
        data-testid="scene-sensitivity"
      />
      {isTen && (
        <Alert color="yellow" title={t('wizard.scene.tenTitle')}>
          <Checkbox
            label={t('wizard.scene.tenConfirm')}
            checked={form.isTenConfirmed}
            onChange={(e) => set({ isTenConfirmed: e.currentTarget.checked })}
          />
        </Alert>
      )}
    </Stack>
  );
}

/** How the camera was left, as read back (never guessed from the error). */
export function outcomeLine(s: SessionView, t: TFunction): string {
  const r = s.result;
  if (!r) return '';
  if (r.endState === 'commissioned') return t('wizard.outcome.commissioned', { behaviour: s.profile.behaviour, sensitivity: r.sensitivityRestoredTo, smtp: s.profile.smtpServer });
  if (r.endState === 'unchanged') return t('wizard.outcome.unchanged');
  if (r.endState === 'restored') return t('wizard.outcome.restored');
  if (r.endState === 'differs') return t('wizard.outcome.differs');
  return t('wizard.outcome.unreadable');
}

/** Step 8: the outcome, Roll back, Next camera, and the hand-over report. */
export function DoneStep({ session, onRollBack, onNext, reportLink }: { session: SessionView; onRollBack: () => void; onNext: () => void; reportLink?: () => void }) {
  const { t } = useTranslation();
  const r = session.result;
  const isPass = r?.endState === 'commissioned';
  return (
    <Stack>
      <Alert color={isPass ? 'green' : r?.endState === 'unchanged' || r?.endState === 'restored' ? 'blue' : 'red'} title={isPass ? t('wizard.outcome.pass') : r?.endState === 'restored' ? t('wizard.outcome.rolledBack') : t('wizard.outcome.notCommissioned')} data-testid="wizard-outcome">
        <Stack gap={4}>
          <Text size="sm">{outcomeLine(session, t)}</Text>
          {r?.error && r.endState !== 'restored' && r.endState !== 'unchanged' && <Text size="sm">{localMessage(t, r.error)}</Text>}
          {r?.warnings.map((w) => (
            <Text size="sm" key={w} fw={600}>
              {t('wizard.outcome.warning', { warning: w })}
            </Text>
          ))}
        </Stack>
      </Alert>
      <Card withBorder>
        <Stack gap={4}>
          <Text size="sm">
            {t('wizard.outcome.summary', { model: session.camera.model, ip: session.camera.ip, mac: session.camera.mac, source: session.profile.sourceName, handler: session.profile.handlerName, to: session.profile.to || t('wizard.outcome.none') })}
          </Text>
          {session.backupFile && (
            <Text size="sm">
              {t('wizard.outcome.backup')} <Code>{session.backupFile}</Code>
            </Text>
          )}
        </Stack>
      </Card>
      <Group>
        {session.backupFile && session.phase === 'finished' && (
          <Button color="orange" variant="outline" onClick={onRollBack}>
            {t('wizard.outcome.rollBack')}
          </Button>
        )}
        <Button onClick={onNext}>{t('wizard.outcome.nextCamera')}</Button>
        {reportLink && (
          <Button variant="light" onClick={reportLink}>
            {t('wizard.outcome.report')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
