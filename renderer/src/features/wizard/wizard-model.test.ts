import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../../shared/domain/commissioning-session';
import { emptyForm, isStepValid, nextCameraForm, secondsLeft, stepForSession, validateStep, type WizardForm } from './wizard-model';
import { createI18n } from '../../../../shared/i18n/i18n';

const en = createI18n('en').t;

const form = (patch: Partial<WizardForm> = {}): WizardForm => emptyForm({ url: 'http://10.0.0.23', smtpServer: 'mail.site.lan', ntpServer: '10.0.0.1', to: 'alarms@site.lan', from: 'cam@site.lan', ...patch });

describe('wizard form checks while typing', () => {
  it.each([
    ['Lens1', null],
    ['AB', null],
    ['A'.repeat(23), null],
    ['A', /has 1 characters; the camera accepts 2 to 23/],
    ['A'.repeat(24), /has 24 characters/],
    ['Lens 1', /may only contain letters and digits/],
    ['Lens_1', /may only contain letters and digits/],
    ['Linsé1', /may only contain letters and digits/],
  ])('source name %j', (name, problem) => {
    const e = validateStep('source', form({ sourceName: name }), en);
    if (problem) expect(e.sourceName).toMatch(problem);
    else expect(e.sourceName).toBeUndefined();
  });

  it('checks the handler name and one plain To and From address', () => {
    const e = validateStep('handler', form({ handlerName: 'Mail-1', to: 'a@x.lan, b@x.lan', from: '' }), en);
    expect(e.handlerName).toMatch(/letters and digits/);
    expect(e.to).toMatch(/several addresses/);
    expect(e.from).toMatch(/empty/);
    expect(isStepValid('handler', form(), en)).toBe(true);
  });

  it('refuses a public SMTP server and an empty NTP server', () => {
    expect(validateStep('servers', form({ smtpServer: 'smtp.gmail.com' }), en).smtpServer).toMatch(/public mail service/);
    expect(validateStep('servers', form({ smtpServer: '8.8.8.8' }), en).smtpServer).toMatch(/public address/);
    expect(validateStep('servers', form({ smtpServer: 'mail.site.lan:25' }), en).smtpServer).toMatch(/always uses port 25/);
    // A local name (what the finder offers) is fine while typing: the machine side looks it up when applying.
    expect(validateStep('servers', form({ smtpServer: 'mail.site.lan' }), en).smtpServer).toBeUndefined();
    expect(validateStep('servers', form({ ntpServer: ' ' }), en).ntpServer).toMatch(/NTP server/);
    expect(isStepValid('servers', form(), en)).toBe(true);
  });

  it('scene sensitivity: 11 and 0 refused with the value kept as typed, 10 only when confirmed, 1–9 fine', () => {
    for (const t of ['11', '0', '4.5', 'ten', '']) {
      const f = form({ sceneText: t });
      expect(validateStep('scene', f, en).sceneText, t).toBeTruthy();
      expect(f.sceneText).toBe(t);
    }
    expect(validateStep('scene', form({ sceneText: '11' }), en).sceneText).toMatch(/nothing is rounded or clamped/);
    expect(validateStep('scene', form({ sceneText: '10' }), en).isTenConfirmed).toMatch(/every shadow/);
    expect(isStepValid('scene', form({ sceneText: '10', isTenConfirmed: true }), en)).toBe(true);
    for (const t of ['1', '5', '9']) expect(isStepValid('scene', form({ sceneText: t }), en)).toBe(true);
  });

  it('a camera address is needed before connecting', () => {
    expect(validateStep('camera', form({ url: '10.0.0.23' }), en).url).toMatch(/http:\/\//);
    expect(isStepValid('camera', form(), en)).toBe(true);
  });
});

describe('wizard flow', () => {
  it('"Next camera" keeps the site profile and clears the camera and its answers', () => {
    const done = form({ password: 'site-secret', sourceName: 'Lens1', handlerName: 'MailLens1', sceneText: '10', isTenConfirmed: true });
    const next = nextCameraForm(done);
    expect(next).toMatchObject({ url: '', password: 'admin', sceneText: '', isTenConfirmed: false });
    expect(next).toMatchObject({ smtpServer: 'mail.site.lan', ntpServer: '10.0.0.1', to: 'alarms@site.lan', from: 'cam@site.lan', sourceName: 'Lens1', handlerName: 'MailLens1' });
  });

  it('a reopened session goes back to its first step not done', () => {
    const step = (status: string) => ({ status });
    const view = (statuses: string[], test = 'idle', phase = 'open') =>
      ({ phase, test: { status: test }, steps: ['smtp-ntp', 'source', 'handler', 'behaviour'].map((id, i) => ({ id, ...step(statuses[i]) })) }) as unknown as SessionView;
    expect(stepForSession(view(['pending', 'pending', 'pending', 'pending']))).toBe('servers');
    expect(stepForSession(view(['done', 'unchanged', 'pending', 'pending']))).toBe('handler');
    expect(stepForSession(view(['done', 'done', 'done', 'done']))).toBe('test');
    expect(stepForSession(view(['done', 'done', 'done', 'done'], 'failed'))).toBe('test');
    expect(stepForSession(view(['done', 'done', 'done', 'done'], 'passed'))).toBe('scene');
    expect(stepForSession(view(['done', 'done', 'done', 'done'], 'passed', 'finished'))).toBe('done');
  });

  it('the countdown never goes below 0', () => {
    expect(secondsLeft(10_500, 0)).toBe(11);
    expect(secondsLeft(1_000, 5_000)).toBe(0);
    expect(secondsLeft(undefined, 0)).toBe(0);
  });
});

describe('wizard form checks in German', () => {
  it("the wizard's own messages follow the UI language", () => {
    const de = createI18n('de').t;
    expect(validateStep('camera', form({ url: '10.0.0.23', username: ' ' }), de)).toEqual({ url: 'Geben Sie die Kameraadresse ein, z. B. http://192.168.0.20.', username: 'Geben Sie den Kamerabenutzer ein (alte Werksanmeldung: admin).' });
    expect(validateStep('handler', form({ subject: ' ' }), de).subject).toBe('Der Betreff ist leer: Der Test erkennt die E-Mail an ihrem Betreff, geben Sie also einen ein.');
    expect(validateStep('scene', form({ sceneText: '10' }), de).isTenConfirmed).toMatch(/^Empfindlichkeit 10 ist der Testwert/);
  });
});
