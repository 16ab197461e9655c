/**
 * The batch lives as long as the app, not as long as the Site page: a technician who looks at the Relay inbox
 * while the job runs comes back to the same live table. One store, fed by the commissioning events from the moment
 * it is first used.
 */
import { useSyncExternalStore } from 'react';
import type { Device } from '../../../../shared/domain/discovery';
import { api } from '../../api';
import { batchReducer, emptyBatch, type BatchAction, type BatchState } from './batch-state';

let state: BatchState = emptyBatch;
let selectedFrom: readonly Device[] | null = null;
let isSubscribed = false;
const listeners = new Set<() => void>();

/** Applies one action and tells the page. */
export function dispatchBatch(a: BatchAction): void {
  const next = batchReducer(state, a);
  if (next === state) return;
  state = next;
  listeners.forEach((l) => l());
}

function subscribeEvents(): void {
  if (isSubscribed) return;
  isSubscribed = true;
  api.onCommissioningStepChanged((event) => dispatchBatch({ type: 'step', event }));
  api.onCommissioningTestQueueChanged((event) => dispatchBatch({ type: 'queue', event }));
  api.onCommissioningCameraFinished((event) => dispatchBatch({ type: 'camera', event }));
  api.onCommissioningFinished((event) => dispatchBatch({ type: 'finished', event }));
}

/**
 * The batch state for the Site page. A new selection from Find cameras replaces the batch, unless a job runs (its
 * table stays until it ends).
 */
export function useBatch(selection: readonly Device[]): BatchState {
  subscribeEvents();
  if (selection !== selectedFrom && !state.isRunning && selection.length > 0) {
    selectedFrom = selection;
    state = batchReducer(emptyBatch, { type: 'select', devices: [...selection] });
  }
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
