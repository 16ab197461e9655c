/**
 * The safe end: the scene sensitivity (a whole number 1–10 checked while typing and refused otherwise, never
 * clamped; staying at 10 needs an explicit confirmation and is recorded as a warning), then the outcome as the
 * camera reads back, with Roll back while a backup exists and "Next camera" with the same site profile.
 */
import { Alert, Button, Card, Checkbox, Code, Group, Stack, Text, TextInput } from '@mantine/core';
import type { SessionView } from '../../../../shared/domain/commissioning-session';
import { WhyLine } from './step-panels';
import type { FieldErrors, WizardForm } from './wizard-model';

/** Step 7: the sensitivity the scene needs. */
export function SceneStep({ session, form, set, errors }: { session: SessionView; form: WizardForm; set: (p: Partial<WizardForm>) => void; errors: FieldErrors }) {
  const isTen = form.sceneText.trim() === '10';
  return (
    <Stack>
      <WhyLine why="Sensitivity 10 alarms on every shadow in daily use; set what the scene needs (1 least, 10 most sensitive)." article="setup-order" />
      <Text size="sm">
        {session.profile.behaviour} is at 10 for the test; before the test it was at {session.sensitivityBefore}. The SMTP server becomes {session.profile.smtpServer || '(not set)'}.
      </Text>
      <TextInput
        label="Scene sensitivity (1–10)"
        description="A whole number from 1 (least sensitive) to 10 (most sensitive). Anything else is refused, never rounded."
        inputMode="numeric"
        value={form.sceneText}
        onChange={(e) => set({ sceneText: e.currentTarget.value, isTenConfirmed: false })}
        error={errors.sceneText}
        maw={360}
        data-testid="scene-sensitivity"
      />
      {isTen && (
        <Alert color="yellow" title="10 is the test value">
          <Checkbox
            label="Yes, leave it at 10: this scene needs the highest sensitivity, and I accept false alarms (recorded as a warning in the result)."
            checked={form.isTenConfirmed}
            onChange={(e) => set({ isTenConfirmed: e.currentTarget.checked })}
          />
        </Alert>
      )}
    </Stack>
  );
}

/** How the camera was left, as read back (never guessed from the error). */
export function outcomeLine(s: SessionView): string {
  const r = s.result;
  if (!r) return '';
  if (r.endState === 'commissioned') return `Commissioned: the test e-mail arrived, ${s.profile.behaviour} is at sensitivity ${r.sensitivityRestoredTo}, and the camera sends to ${s.profile.smtpServer}.`;
  if (r.endState === 'unchanged') return 'Nothing was changed on the camera.';
  if (r.endState === 'restored') return 'Rolled back: every change was undone, and the camera reads back exactly as in the backup.';
  if (r.endState === 'differs') return 'The camera still differs from its backup (see the warnings): check it on its web pages, or restore it with "sarix rollback".';
  return 'The camera could not be read back: check it, or restore it with "sarix rollback".';
}

/** Step 8: the outcome, Roll back, Next camera, and the hand-over report. */
export function DoneStep({ session, onRollBack, onNext, reportLink }: { session: SessionView; onRollBack: () => void; onNext: () => void; reportLink?: () => void }) {
  const r = session.result;
  const isPass = r?.endState === 'commissioned';
  return (
    <Stack>
      <Alert color={isPass ? 'green' : r?.endState === 'unchanged' || r?.endState === 'restored' ? 'blue' : 'red'} title={isPass ? 'PASS' : r?.endState === 'restored' ? 'Rolled back' : 'Not commissioned'} data-testid="wizard-outcome">
        <Stack gap={4}>
          <Text size="sm">{outcomeLine(session)}</Text>
          {r?.error && r.endState !== 'restored' && r.endState !== 'unchanged' && <Text size="sm">{r.error.message}</Text>}
          {r?.warnings.map((w) => (
            <Text size="sm" key={w} fw={600}>
              Warning: {w}
            </Text>
          ))}
        </Stack>
      </Alert>
      <Card withBorder>
        <Stack gap={4}>
          <Text size="sm">
            {session.camera.model} at {session.camera.ip} (MAC {session.camera.mac}); source “{session.profile.sourceName}”, handler “{session.profile.handlerName}” to {session.profile.to || '(none)'}.
          </Text>
          {session.backupFile && (
            <Text size="sm">
              Backup of the camera's settings from before the first change: <Code>{session.backupFile}</Code>
            </Text>
          )}
        </Stack>
      </Card>
      <Group>
        {session.backupFile && session.phase === 'finished' && (
          <Button color="orange" variant="outline" onClick={onRollBack}>
            Roll back
          </Button>
        )}
        <Button onClick={onNext}>Next camera</Button>
        {reportLink && (
          <Button variant="light" onClick={reportLink}>
            Open the hand-over report
          </Button>
        )}
      </Group>
    </Stack>
  );
}
