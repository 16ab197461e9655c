/** @vitest-environment happy-dom */
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { SiteProfileSettingsSchema } from '../../../../shared/domain/settings';
import { createI18n } from '../../../../shared/i18n/i18n';
import { renderWithMantine } from '../../test/render';
import { SiteProfileForm, sensitivityOf, siteFormProblems, type SiteForm } from './site-profile-form';

const { t } = createI18n('en');
const filled: SiteForm = {
  profile: { ...SiteProfileSettingsSchema.parse({}), smtpServer: '10.0.0.5', ntpServer: '10.0.0.1', to: 'alarms@site.example', from: 'cams@site.example' },
  username: 'admin',
  password: 'admin',
  concurrency: 4,
  sensitivity: '',
  isTenConfirmed: false,
};

function Harness({ seen }: { seen: { form?: SiteForm } }) {
  const [form, setForm] = useState(filled);
  seen.form = form;
  return <SiteProfileForm form={form} onChange={setForm} isDisabled={false} />;
}

afterEach(cleanup);

describe('site profile form', () => {
  it('a filled profile has no problems; empty fields each say what to enter', () => {
    expect(siteFormProblems(filled, t)).toEqual({});
    const empty = siteFormProblems({ ...filled, profile: SiteProfileSettingsSchema.parse({}), username: '' }, t);
    expect(Object.keys(empty).sort()).toEqual(['from', 'ntpServer', 'smtpServer', 'to', 'username']);
  });

  it('refuses a scene sensitivity outside 1–10 with a message (never clamped); 10 needs a confirmation', () => {
    expect(sensitivityOf({ sensitivity: '' })).toBeNull();
    expect(sensitivityOf({ sensitivity: 4 })).toBe(4);
    for (const bad of [11, 0, 4.5, 'x']) expect(sensitivityOf({ sensitivity: bad })).toBe('invalid');
    expect(siteFormProblems({ ...filled, sensitivity: 11 }, t).sceneSensitivity).toMatch(/whole number from 1 to 10; "11" is refused/);
    expect(siteFormProblems({ ...filled, sensitivity: 10 }, t).ten).toMatch(/Confirm/);
    expect(siteFormProblems({ ...filled, sensitivity: 10, isTenConfirmed: true }, t)).toEqual({});
  });

  it('checks source and handler names as you type (2–23 letters and digits) and shows the 10 confirmation', () => {
    const seen: { form?: SiteForm } = {};
    renderWithMantine(<Harness seen={seen} />);
    fireEvent.change(screen.getByLabelText('Event source name'), { target: { value: 'Bad name!' } });
    expect(screen.getByText(/Source name "Bad name!"/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Send Email handler name'), { target: { value: 'X' } });
    expect(screen.getByText(/has 1 characters; the camera accepts 2 to 23 letters and digits/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Event source name'), { target: { value: 'Sabotage2' } });
    expect(screen.queryByText(/Source name "/)).toBeNull();
    expect(screen.queryByLabelText(/Leave every camera at sensitivity 10/)).toBeNull();
    fireEvent.change(screen.getByLabelText('Scene sensitivity after the test'), { target: { value: '10' } });
    const confirm = screen.getByLabelText(/Leave every camera at sensitivity 10/);
    fireEvent.click(confirm);
    expect(seen.form?.isTenConfirmed).toBe(true);
    fireEvent.change(screen.getByLabelText('Scene sensitivity after the test'), { target: { value: '11' } });
    expect(screen.getByText(/"11" is refused/)).toBeTruthy();
    expect(seen.form?.isTenConfirmed).toBe(false);
  });

  it('says what keeps the job from starting in German', () => {
    const de = createI18n('de').t;
    expect(siteFormProblems({ ...filled, sensitivity: 11 }, de).sceneSensitivity).toBe('Die Szenen-Empfindlichkeit ist eine ganze Zahl von 1 bis 10; „11“ wird abgelehnt (leer lassen, um den Wert jeder Kamera zu behalten).');
    expect(siteFormProblems({ ...filled, profile: { ...filled.profile, ntpServer: '' }, username: '' }, de)).toMatchObject({ ntpServer: 'Geben Sie den NTP-Server ein, den die Kameras nutzen (einen lokalen: Die Kameras haben kein Internet).', username: 'Geben Sie den Kamerabenutzer ein (alte Werkseinstellung: admin).' });
  });
});
