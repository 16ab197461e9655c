/**
 * The commissioning steps' titles in the UI language. The machine side sends each step's English title
 * (STEP_TITLES, docs/camera.md §1 setup order); the UI shows the catalog's wording for the step id, and any title
 * it does not know (a newer machine side) as sent.
 */
import type { TFunction } from 'i18next';
import { STEP_TITLES, type StepId } from '../../../../shared/domain/commissioning';
import type { SessionStepId } from '../../../../shared/domain/commissioning-session';
import { localText, type KeyedText } from '../../i18n/localized';

/** Catalog keys of the step titles, by step id (the English catalog says what STEP_TITLES says). */
export const STEP_TITLE_KEYS: Record<StepId, string> = {
  credentials: 'wizard.stepTitle.credentials',
  'smtp-ntp': 'wizard.stepTitle.smtp-ntp',
  source: 'wizard.stepTitle.source',
  handler: 'wizard.stepTitle.handler',
  sabotage: 'wizard.stepTitle.sabotage',
  'test-run': 'wizard.stepTitle.test-run',
  'restore-sensitivity': 'wizard.stepTitle.restore-sensitivity',
  'final-smtp': 'wizard.stepTitle.final-smtp',
};

// A session's configuration steps are steps of the job's plan (the behaviour step activates Camera Sabotage).
const PLAN_ID: Record<SessionStepId, StepId> = { 'smtp-ntp': 'smtp-ntp', source: 'source', handler: 'handler', behaviour: 'sabotage' };

// A session's behaviour step names the behaviour the test uses (not always Camera Sabotage).
const BEHAVIOUR_TITLE = /^Activate (.+) at sensitivity (\d+) for the test$/s;

/**
 * A step's title in the UI language: from its key when the machine side sends one, else the catalog's wording when
 * the machine sent a known English title, else as sent.
 */
export function stepTitle(step: { id: StepId | SessionStepId; title: string; titleI18n?: KeyedText }, t: TFunction): string {
  if (step.titleI18n) return localText(t, step.title, step.titleI18n);
  const id = step.id in PLAN_ID ? PLAN_ID[step.id as SessionStepId] : (step.id as StepId);
  if (STEP_TITLES[id] === step.title) return t(STEP_TITLE_KEYS[id]);
  const behaviour = step.id === 'behaviour' ? BEHAVIOUR_TITLE.exec(step.title) : null;
  return behaviour ? t('wizard.stepTitle.behaviour', { behaviour: behaviour[1], sensitivity: Number(behaviour[2]) }) : step.title;
}
