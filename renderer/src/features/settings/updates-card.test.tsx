// @vitest-environment happy-dom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { UpdateState } from '../../../../shared/ipc/channels/updates';
import { i18n } from '../../i18n';
import { renderWithMantine } from '../../test/render';
import { UpdatesCard } from './updates-card';

/** The machine side as far as the card sees it: one state line, sent in English with its key next to it. */
const state = vi.hoisted(() => ({ current: null as UpdateState | null }));
vi.mock('../../api', () => ({ api: { updatesGetState: async () => ({ ok: true, value: state.current }), onUpdatesStateChanged: () => () => undefined } }));

const verifying: UpdateState = {
  status: 'verifying',
  currentVersion: '0.1.0',
  canInstallFromFile: true,
  message: 'Checking the signature of Sarix-0.2.0.sarix-update…',
  messageKey: 'updates.state.checkingSignature',
  messageParams: { file: 'Sarix-0.2.0.sarix-update' },
};

beforeAll(() => {
  // Mantine reads the colour scheme through matchMedia, which the DOM test environment lacks.
  window.matchMedia ??= ((query: string) => ({ matches: false, media: query, onchange: null, addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {}, dispatchEvent: () => false })) as typeof window.matchMedia;
});
afterEach(async () => {
  cleanup();
  await i18n.changeLanguage('en');
});

describe('the updates card shows the machine side’s state line in the UI language', () => {
  it.each([
    ['en', 'Checking the signature of Sarix-0.2.0.sarix-update…'],
    ['de', 'Die Signatur von Sarix-0.2.0.sarix-update wird geprüft…'],
  ] as const)('%s', async (language, text) => {
    await i18n.changeLanguage(language);
    state.current = verifying;
    renderWithMantine(<UpdatesCard serverUrl="" onServerUrlChange={() => undefined} />);
    expect((await screen.findByRole('status')).textContent).toContain(text);
  });

  it('a line without a key (an older machine side) is shown as sent', async () => {
    await i18n.changeLanguage('de');
    state.current = { ...verifying, messageKey: undefined, messageParams: undefined, message: 'Sent as is' };
    renderWithMantine(<UpdatesCard serverUrl="" onServerUrlChange={() => undefined} />);
    expect((await screen.findByRole('status')).textContent).toContain('Sent as is');
  });
});
