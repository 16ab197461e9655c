// @vitest-environment happy-dom
import { MantineProvider } from '@mantine/core';
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Article } from '../../../../shared/domain/diagnostics';
import type { Language } from '../../../../shared/i18n/languages';
import { i18n } from '../../i18n';
import { KbLink as RelayKbLink } from '../relay/kb-article';
import { KbLink as WizardKbLink } from './kb-link';

/** The machine side as far as these links see it: the article in the asked-for language. */
const kbGetArticle = vi.hoisted(() =>
  vi.fn(async ({ id, language }: { id: Article['id']; language?: Language }) => ({
    ok: true as const,
    value: { id, title: language === 'de' ? 'Port 25 unter Windows' : 'Port 25 on Windows', summary: 'x'.repeat(12), checks: [], markdown: language === 'de' ? 'Ports unter 1024 sind privilegiert.' : 'Ports below 1024 are privileged.' },
  })),
);
vi.mock('../../api', () => ({ api: { kbGetArticle } }));

beforeAll(() => {
  // Mantine reads the colour scheme through matchMedia, which the DOM test environment lacks.
  window.matchMedia ??= ((query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;
});
afterEach(async () => {
  cleanup();
  kbGetArticle.mockClear();
  await i18n.changeLanguage('en');
});

describe.each([
  ['wizard', WizardKbLink],
  ['relay advice', RelayKbLink],
])('the %s knowledge-base link', (_name, KbLink) => {
  it.each([
    ['en', 'Port 25 on Windows', 'Ports below 1024 are privileged.'],
    ['de', 'Port 25 unter Windows', 'Ports unter 1024 sind privilegiert.'],
  ] as const)('asks for the article in the UI language (%s) and shows it', async (language, title, text) => {
    await i18n.changeLanguage(language);
    const user = userEvent.setup();
    render(
      <MantineProvider>
        <KbLink id="port-25" label="Read" />
      </MantineProvider>,
    );
    await user.click(screen.getByTestId('kb-port-25'));
    expect(kbGetArticle).toHaveBeenCalledWith({ id: 'port-25', language });
    expect(await screen.findByText(text)).toBeTruthy();
    expect(screen.getByText(title)).toBeTruthy();
  });
});
