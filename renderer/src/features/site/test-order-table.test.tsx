/** @vitest-environment happy-dom */
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../i18n';
import { renderWithMantine } from '../../test/render';
import type { BatchRow } from './batch-state';
import { TestOrderTable } from './test-order-table';

const row = (n: number, turn?: BatchRow['turn']): BatchRow => ({ url: `http://10.0.0.${n}`, label: `Cam${n}`, address: `10.0.0.${n}`, model: 'IXE20DN', ...(turn ? { turn } : {}) });

afterEach(cleanup);

describe('TestOrderTable', () => {
  it('before the run: up/down buttons for each camera (none past the ends), a drag handle, and Remove', () => {
    const onMove = vi.fn();
    const onRemove = vi.fn();
    renderWithMantine(<TestOrderTable rows={[row(1), row(2), row(3)]} isRunning={false} onMove={onMove} onReorder={vi.fn()} onRemove={onRemove} onStartTest={vi.fn()} />);
    expect(screen.getByRole('button', { name: 'Move Cam1 up (test earlier)' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Move Cam3 down (test later)' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Move Cam3 up (test earlier)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Move Cam1 down (test later)' }));
    expect(onMove.mock.calls).toEqual([
      [2, -1],
      [0, 1],
    ]);
    expect(screen.getByRole('button', { name: 'Drag Cam2 to another place in the test order' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove Cam2 from the batch' }));
    expect(onRemove).toHaveBeenCalledWith('http://10.0.0.2');
  });

  it('during the run: a tested camera keeps its place; the camera whose turn it is offers "I\'m at this camera"', () => {
    const onStart = vi.fn();
    renderWithMantine(
      <TestOrderTable
        rows={[row(1, { url: 'http://10.0.0.1', state: 'tested', needsTechnician: true, testedAs: 1 }), row(2, { url: 'http://10.0.0.2', state: 'ready', needsTechnician: true }), row(3, { url: 'http://10.0.0.3', state: 'waiting', needsTechnician: true })]}
        isRunning
        onMove={vi.fn()}
        onReorder={vi.fn()}
        onRemove={vi.fn()}
        onStartTest={onStart}
      />,
    );
    expect(screen.getByRole('button', { name: 'Move Cam1 down (test later)' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Move Cam2 up (test earlier)' })).toHaveProperty('disabled', true);
    expect(screen.getByRole('button', { name: 'Move Cam2 down (test later)' })).toHaveProperty('disabled', false);
    expect(screen.getByRole('button', { name: 'Drag Cam1 to another place in the test order' })).toHaveProperty('disabled', true);
    expect(screen.queryByRole('button', { name: /Remove/ })).toBeNull();
    expect(screen.getAllByTestId('turn').map((b) => b.textContent)).toEqual(['tested #1', 'your turn', 'waiting']);
    fireEvent.click(screen.getByRole('button', { name: "I'm at this camera — start test" }));
    expect(onStart).toHaveBeenCalledWith('http://10.0.0.2');
  });

  it('after the run: a failed camera offers "Open in wizard" (where its Roll back is); a passed one does not', () => {
    const onOpen = vi.fn();
    const result = (n: number, verdict: 'pass' | 'fail') => ({
      operationId: 'op',
      url: `http://10.0.0.${n}`,
      label: `Cam${n}`,
      verdict,
      steps: [],
      rolledBack: verdict === 'fail',
      warnings: [],
      requests: 0,
      durationMs: 0,
      ...(verdict === 'fail' ? { error: { code: 'AUTH', message: 'The camera refused the login.' } } : {}),
    });
    renderWithMantine(
      <TestOrderTable
        rows={[{ ...row(1), result: result(1, 'pass') }, { ...row(2), result: result(2, 'fail') }]}
        isRunning={false}
        onMove={vi.fn()}
        onReorder={vi.fn()}
        onRemove={vi.fn()}
        onStartTest={vi.fn()}
        onOpenWizard={onOpen}
      />,
    );
    expect(screen.getAllByTestId('verdict').map((b) => b.textContent)).toEqual(['PASS', 'FAIL']);
    expect(screen.queryByRole('button', { name: 'Open Cam1 in the wizard' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Open Cam2 in the wizard' }));
    expect(onOpen).toHaveBeenCalledWith('http://10.0.0.2');
  });
});

describe('TestOrderTable in German', () => {
  beforeAll(async () => {
    await i18n.changeLanguage('de');
  });
  afterAll(async () => {
    await i18n.changeLanguage('en');
  });

  it('headers, buttons, turn badges, progress lines and verdicts read in German (numbers with a decimal comma)', () => {
    const passed = { operationId: 'op', url: 'http://10.0.0.1', verdict: 'pass' as const, steps: [], rolledBack: false, warnings: [], requests: 0, durationMs: 0, latencyMs: 2100, sensitivityRestoredTo: 5 };
    renderWithMantine(
      <TestOrderTable
        rows={[{ ...row(1, { url: 'http://10.0.0.1', state: 'tested', needsTechnician: true, testedAs: 1 }), result: passed }, row(2, { url: 'http://10.0.0.2', state: 'ready', needsTechnician: true }), row(3, { url: 'http://10.0.0.3', state: 'waiting', needsTechnician: true })]}
        isRunning
        onMove={vi.fn()}
        onReorder={vi.fn()}
        onRemove={vi.fn()}
        onStartTest={vi.fn()}
      />,
    );
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toEqual(['Testreihenfolge', 'Kamera', 'Fortschritt', 'Test', 'Ergebnis']);
    expect(screen.getByRole('button', { name: 'Cam2 nach oben schieben (früher testen)' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cam3 an eine andere Stelle der Testreihenfolge ziehen' })).toBeTruthy();
    expect(screen.getAllByTestId('turn').map((b) => b.textContent)).toEqual(['getestet als Nr. 1', 'Sie sind dran', 'wartet']);
    expect(screen.getByRole('button', { name: 'Ich bin an dieser Kamera – Test starten' })).toBeTruthy();
    expect(screen.getAllByTestId('progress').map((p) => p.textContent)).toEqual([
      'Fertig: Test-E-Mail nach 2,1 s, Empfindlichkeit 5.',
      'Sie ist dran: Gehen Sie zu dieser Kamera und starten Sie dann ihren Test.',
      'Konfiguriert; wartet, bis sie mit dem Test dran ist.',
    ]);
    expect(screen.getAllByTestId('verdict').map((b) => b.textContent)).toEqual(['BESTANDEN']);
  });

  it('before the run: the place column and Remove are German too', () => {
    renderWithMantine(<TestOrderTable rows={[row(1), row(2)]} isRunning={false} onMove={vi.fn()} onReorder={vi.fn()} onRemove={vi.fn()} onStartTest={vi.fn()} />);
    expect(screen.getByText('2 von 2')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Cam1 aus der Serie entfernen' }).textContent).toBe('Entfernen');
    expect(screen.getByText('Die Tests laufen eine Kamera nach der anderen, von oben: in der Reihenfolge Ihres Rundgangs.')).toBeTruthy();
  });
});
