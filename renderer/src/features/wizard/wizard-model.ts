/**
 * The wizard's state without React: its steps in the job's order (docs/camera.md §1), the form a technician fills
 * in, what is wrong with it while typing (the domain's own rules, never a clamp), which step a reopened session
 * belongs on, and what "Next camera" keeps (the site profile) and clears (the camera).
 */
import type { TFunction } from 'i18next';
import { checkEmailAddress, checkName } from '../../../../shared/domain/camera';
import { parseSceneSensitivity, type SessionProfileInput, type SessionView } from '../../../../shared/domain/commissioning-session';
import { checkSmtpHost } from '../../../../shared/domain/net-address';
import { localMessage } from '../../i18n/localized';

/** The wizard's steps, in order. */
export const WIZARD_STEPS = ['camera', 'servers', 'source', 'handler', 'behaviour', 'test', 'scene', 'done'] as const;
/** One wizard step. */
export type WizardStep = (typeof WIZARD_STEPS)[number];

/** Catalog keys of the short labels for the step bar (the headings use WIZARD_LABELS). */
export const WIZARD_SHORT: Record<WizardStep, string> = {
  camera: 'wizard.short.camera',
  servers: 'wizard.short.servers',
  source: 'wizard.short.source',
  handler: 'wizard.short.handler',
  behaviour: 'wizard.short.behaviour',
  test: 'wizard.short.test',
  scene: 'wizard.short.scene',
  done: 'wizard.short.done',
};

/** Catalog keys of the step labels (the stepper and the page headings). */
export const WIZARD_LABELS: Record<WizardStep, string> = {
  camera: 'wizard.label.camera',
  servers: 'wizard.label.servers',
  source: 'wizard.label.source',
  handler: 'wizard.label.handler',
  behaviour: 'wizard.label.behaviour',
  test: 'wizard.label.test',
  scene: 'wizard.label.scene',
  done: 'wizard.label.done',
};

/** What the technician types. */
export interface WizardForm {
  url: string;
  username: string;
  password: string;
  smtpServer: string;
  ntpServer: string;
  to: string;
  from: string;
  subject: string;
  message: string;
  sourceName: string;
  handlerName: string;
  jpegSnapshot: boolean;
  behaviour: string;
  /** The scene sensitivity as typed (text: "11" must stay "11" to be refused, never become 10). */
  sceneText: string;
  /** Leaving the behaviour at 10 is confirmed. */
  isTenConfirmed: boolean;
}

/** A fresh form (the legacy Sarix factory login, docs/camera.md §2; the domain's default names and texts). */
export function emptyForm(prefill: Partial<WizardForm> = {}): WizardForm {
  return {
    url: '',
    username: 'admin',
    password: 'admin',
    smtpServer: '',
    ntpServer: '',
    to: '',
    from: '',
    subject: 'Sarix camera alert: Camera Sabotage',
    message: 'Camera Sabotage was detected. This e-mail was set up and tested with Sarix Commissioner.',
    sourceName: 'Sabotage',
    handlerName: 'SabotageMail',
    jpegSnapshot: true,
    behaviour: 'Camera Sabotage',
    sceneText: '',
    isTenConfirmed: false,
    ...prefill,
  };
}

/** "Next camera": the site profile stays (servers, addresses, names, texts), the camera and its answers go. */
export function nextCameraForm(f: WizardForm): WizardForm {
  return { ...f, url: '', password: 'admin', sceneText: '', isTenConfirmed: false };
}

/** The session profile from the form. */
export function profileOf(f: WizardForm): SessionProfileInput {
  return {
    smtpServer: f.smtpServer.trim(),
    ntpServer: f.ntpServer.trim(),
    to: f.to.trim(),
    from: f.from.trim(),
    subject: f.subject,
    message: f.message,
    sourceName: f.sourceName,
    handlerName: f.handlerName,
    jpegSnapshot: f.jpegSnapshot,
    rawEventData: true,
    behaviour: f.behaviour,
  };
}

/** The form fields that belong to a session's profile, from a reopened session. */
export function formFromSession(s: SessionView, base: WizardForm): WizardForm {
  const p = s.profile;
  return {
    ...base,
    url: s.url,
    username: s.username,
    smtpServer: p.smtpServer,
    ntpServer: p.ntpServer,
    to: p.to,
    from: p.from,
    subject: p.subject,
    message: p.message,
    sourceName: p.sourceName,
    handlerName: p.handlerName,
    jpegSnapshot: p.jpegSnapshot,
    behaviour: p.behaviour,
  };
}

/** Problems per field name, shown under the field while typing. */
export type FieldErrors = Partial<Record<keyof WizardForm, string>>;

/** What is wrong with the fields of one step (empty when it may go on), in the language of `t`. */
export function validateStep(step: WizardStep, f: WizardForm, t: TFunction): FieldErrors {
  const e: FieldErrors = {};
  const put = (k: keyof WizardForm, p: { message: string } | null | undefined) => {
    if (p) e[k] = localMessage(t, p);
  };
  if (step === 'camera') {
    if (!/^https?:\/\/[^/\s]+/i.test(f.url.trim())) e.url = t('wizard.problems.url');
    if (!f.username.trim()) e.username = t('wizard.problems.username');
  }
  if (step === 'servers') {
    // A DNS name is looked up on the machine side when the step is applied (the finder checks it against the
    // camera's DNS): while typing, only its form and the public-server rules are checked.
    const v = checkSmtpHost(f.smtpServer);
    if (!v.ok && v.problem !== 'unresolved') e.smtpServer = localMessage(t, v);
    if (!f.ntpServer.trim()) e.ntpServer = t('wizard.problems.ntp');
  }
  if (step === 'source') put('sourceName', checkName('Source name', f.sourceName));
  if (step === 'handler') {
    put('handlerName', checkName('Handler name', f.handlerName));
    put('to', checkEmailAddress('To', f.to));
    put('from', checkEmailAddress('From', f.from));
    if (!f.subject.trim()) e.subject = t('wizard.problems.subjectEmpty');
    else if (f.subject.length > 128) e.subject = t('wizard.problems.subjectLong');
  }
  if (step === 'scene') {
    const r = parseSceneSensitivity(f.sceneText);
    if (r.problem) e.sceneText = localMessage(t, r.problem);
    else if (r.value === 10 && !f.isTenConfirmed) e.isTenConfirmed = t('wizard.problems.ten');
  }
  return e;
}

/** True when the step's fields have no problem. */
export function isStepValid(step: WizardStep, f: WizardForm, t: TFunction): boolean {
  return Object.keys(validateStep(step, f, t)).length === 0;
}

const applied = (s: SessionView, id: string) => ['done', 'unchanged'].includes(s.steps.find((x) => x.id === id)?.status ?? '');

/** The step a (re)opened session belongs on: the first one not done yet. */
export function stepForSession(s: SessionView): WizardStep {
  if (s.phase !== 'open') return 'done';
  if (s.test.status === 'passed') return 'scene';
  if (s.test.status !== 'idle') return 'test';
  if (!applied(s, 'smtp-ntp')) return 'servers';
  if (!applied(s, 'source')) return 'source';
  if (!applied(s, 'handler')) return 'handler';
  if (!applied(s, 'behaviour')) return 'behaviour';
  return 'test';
}

/** Seconds left of a waiting test, never below 0. */
export function secondsLeft(deadline: number | undefined, now: number): number {
  return deadline === undefined ? 0 : Math.max(0, Math.ceil((deadline - now) / 1000));
}
