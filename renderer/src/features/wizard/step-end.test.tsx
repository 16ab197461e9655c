// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useMemo, useState } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionView } from '../../../../shared/domain/commissioning-session';
import { SceneStep } from './step-end';
import { emptyForm, isStepValid, validateStep, type WizardForm } from './wizard-model';
import { createI18n } from '../../../../shared/i18n/i18n';

const en = createI18n('en').t;

beforeAll(() => {
  // Mantine reads the colour scheme through matchMedia, which the DOM test environment lacks.
  window.matchMedia ??= ((query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;
});
afterEach(cleanup);

const session = { sensitivityBefore: 5, profile: { behaviour: 'Camera Sabotage', smtpServer: 'mail.site.lan' } } as unknown as SessionView;

/** The scene step with the wizard's own state and checks, and the finish button's rule. */
function Harness() {
  const [form, setForm] = useState<WizardForm>(() => emptyForm({ sceneText: '5' }));
  const errors = useMemo(() => validateStep('scene', form, en), [form]);
  return (
    <MantineProvider>
      <SceneStep session={session} form={form} set={(p) => setForm((f) => ({ ...f, ...p }))} errors={errors} />
      <button type="button" disabled={!isStepValid('scene', form, en)}>
        Set it and finish
      </button>
    </MantineProvider>
  );
}

describe('the scene sensitivity step', () => {
  it('refuses 11 as typed (never clamped), asks to confirm 10, and takes 4', async () => {
    const user = userEvent.setup();
    render(<Harness />);
    const input = screen.getByLabelText(/Scene sensitivity/);
    const finish = screen.getByRole('button', { name: 'Set it and finish' });
    expect((finish as HTMLButtonElement).disabled).toBe(false);

    await user.clear(input);
    await user.type(input, '11');
    expect((input as HTMLInputElement).value).toBe('11');
    expect(screen.getByText(/got 11.*nothing is rounded or clamped/)).toBeTruthy();
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect((finish as HTMLButtonElement).disabled).toBe(true);

    await user.clear(input);
    await user.type(input, '10');
    const confirm = screen.getByRole('checkbox', { name: /Yes, leave it at 10/ });
    expect((finish as HTMLButtonElement).disabled).toBe(true);
    await user.click(confirm);
    expect((finish as HTMLButtonElement).disabled).toBe(false);

    // A new value drops the confirmation: it was for 10 only.
    await user.clear(input);
    await user.type(input, '4');
    expect(screen.queryByRole('checkbox', { name: /Yes, leave it at 10/ })).toBeNull();
    expect((finish as HTMLButtonElement).disabled).toBe(false);
  });
});
