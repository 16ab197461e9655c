/** @vitest-environment happy-dom */
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
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
