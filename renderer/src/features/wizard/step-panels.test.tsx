/** @vitest-environment happy-dom */
import { cleanup, screen, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { STEP_IDS, STEP_TITLES } from '../../../../shared/domain/commissioning';
import type { SessionStep } from '../../../../shared/domain/commissioning-session';
import { createI18n } from '../../../../shared/i18n/i18n';
import { i18n } from '../../i18n';
import { renderWithMantine } from '../../test/render';
import { CurrentAndPlanned, fieldLabel, PlanCard, showValue } from './step-panels';
import { STEP_TITLE_KEYS, stepTitle } from './step-titles';

afterEach(cleanup);

const handlerStep: SessionStep = {
  id: 'handler',
  title: STEP_TITLES.handler,
  status: 'pending',
  current: [{ label: 'Handlers used', value: '3 of 20' }],
  changes: [
    { field: 'handler SabotageMail.type', from: null, to: 'send-email' },
    { field: 'handler SabotageMail.jpegSnapshot', from: false, to: true },
  ],
  why: 'why',
  article: 'setup-order',
};
const serversStep: SessionStep = { ...handlerStep, id: 'smtp-ntp', title: STEP_TITLES['smtp-ntp'], changes: [{ field: 'general.smtpServer', from: '', to: '10.0.0.5' }] };

describe('step titles', () => {
  it('the English catalog says what the machine side sends (one wording, two places to read it from)', () => {
    const en = createI18n('en').t;
    for (const id of STEP_IDS) expect(en(STEP_TITLE_KEYS[id])).toBe(STEP_TITLES[id]);
  });
  it('a title the UI does not know is shown as sent', () => {
    expect(stepTitle({ id: 'source', title: 'Create the source (new wording)' }, createI18n('de').t)).toBe('Create the source (new wording)');
    expect(stepTitle({ id: 'behaviour', title: STEP_TITLES.sabotage }, createI18n('de').t)).toBe('Camera Sabotage mit Empfindlichkeit 10 aktivieren');
    expect(stepTitle({ id: 'behaviour', title: 'Activate Tamper at sensitivity 10 for the test' }, createI18n('de').t)).toBe('Tamper für den Test mit Empfindlichkeit 10 aktivieren');
    expect(createI18n('en').t('wizard.stepTitle.behaviour', { behaviour: 'Tamper', sensitivity: 10 })).toBe('Activate Tamper at sensitivity 10 for the test');
  });
});

describe('field labels and values', () => {
  it('English stays as the camera pages say it', () => {
    const en = createI18n('en').t;
    expect(fieldLabel('general.smtpServer', en)).toBe('SMTP server');
    expect(fieldLabel('source Lens1.type', en)).toBe('Type (source Lens1)');
    expect(fieldLabel('source Lens1.unknownField', en)).toBe('unknownField (source Lens1)');
    expect([showValue(null, en), showValue(true, en), showValue([], en), showValue('send-email', en), showValue('10.0.0.5', en)]).toEqual(['(empty)', 'yes', '(none)', 'Send Email', '10.0.0.5']);
  });
});

describe('wizard panels in German', () => {
  beforeAll(async () => {
    window.matchMedia ??= ((query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;
    await i18n.changeLanguage('de');
  });
  afterAll(async () => {
    await i18n.changeLanguage('en');
  });

  it('the current values and the planned change read in German', () => {
    renderWithMantine(<CurrentAndPlanned step={handlerStep} />);
    expect(screen.getByRole('heading', { name: 'Jetzt an der Kamera' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Geplante Änderung' })).toBeTruthy();
    expect(screen.getByTestId('status-handler').textContent).toBe('noch nicht angewendet');
    const table = screen.getAllByRole('table')[1];
    expect(within(table).getByText('Handler SabotageMail')).toBeTruthy();
    expect(within(table).getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Einstellung', 'Jetzt', 'Wird']);
    const rows = within(table).getAllByRole('row').slice(1).map((r) => within(r).getAllByRole('cell').map((c) => c.textContent));
    expect(rows).toEqual([
      ['Typ', '(leer)', 'Send Email'],
      ['JPEG-Schnappschuss', 'nein', 'ja'],
    ]);
  });

  it('the plan names each step and change in German', () => {
    renderWithMantine(<PlanCard steps={[serversStep, handlerStep]} finalSmtp="" behaviour="Camera Sabotage" />);
    const plan = screen.getByTestId('plan-card');
    expect(within(plan).getByText('SMTP- und NTP-Server einstellen')).toBeTruthy();
    expect(within(plan).getByText('Den Send-Email-Handler anlegen')).toBeTruthy();
    expect(within(plan).getByText('SMTP-Server → 10.0.0.5')).toBeTruthy();
    expect(within(plan).getByText('Typ → Send Email; JPEG-Schnappschuss → ja')).toBeTruthy();
    expect(within(plan).getByText('Szenen-Empfindlichkeit (1–10) und den SMTP-Server einstellen, den die Kamera behält: (noch nicht eingegeben).')).toBeTruthy();
  });
});
