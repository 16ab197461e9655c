/**
 * The Site page's state as a reducer: the cameras in test order before the run, and during it the live picture the
 * commissioning events paint (each camera's current step, its place and state in the test order, its verdict).
 * Pure, so the component tests and the page share it.
 */
import type { i18n as I18n } from 'i18next';
import type { CameraResult, StepResult } from '../../../../shared/domain/commissioning';
import type { CameraFinished, JobFinished, StepChanged } from '../../../../shared/domain/commissioning-job';
import type { Device } from '../../../../shared/domain/discovery';
import { moveInOrder, type TestQueueChanged, type TestQueueEntry } from '../../../../shared/domain/test-queue';
import { isLanguage } from '../../../../shared/i18n/languages';
import { localizeError } from '../../../../shared/i18n/messages';
import { addressOf, cameraUrlOf, displayName } from '../discovery/camera-list';
import { stepTitle } from '../wizard/step-titles';

/** One camera of the batch as the table shows it. */
export interface BatchRow {
  url: string;
  label: string;
  address: string;
  model: string | null;
  /** The step that changed last (running, failed, ...). */
  step?: StepResult;
  /** Its place and state in the test order (while and after the job runs). */
  turn?: TestQueueEntry;
  result?: CameraResult;
}

/** The whole batch. */
export interface BatchState {
  /** URLs in test order. */
  order: string[];
  rows: Record<string, BatchRow>;
  operationId: string | null;
  isRunning: boolean;
  finished?: JobFinished;
}

/** What changes the batch. */
export type BatchAction =
  | { type: 'select'; devices: Device[] }
  | { type: 'move'; index: number; delta: -1 | 1 }
  | { type: 'reorder'; order: string[] }
  | { type: 'remove'; url: string }
  | { type: 'started'; operationId: string }
  | { type: 'step'; event: StepChanged }
  | { type: 'queue'; event: TestQueueChanged }
  | { type: 'camera'; event: CameraFinished }
  | { type: 'finished'; event: JobFinished };

/** The empty batch. */
export const emptyBatch: BatchState = { order: [], rows: {}, operationId: null, isRunning: false };

/** A batch of the chosen cameras, in the order given. */
export function batchOf(devices: readonly Device[]): BatchState {
  return batchReducer(emptyBatch, { type: 'select', devices: [...devices] });
}

/** True when a camera can still move in the test order (its test has not started). */
export function isMovable(row: BatchRow | undefined): boolean {
  const s = row?.turn?.state;
  return !s || s === 'configuring' || s === 'waiting' || s === 'ready';
}

/** Applies one action (events of another job are ignored). */
export function batchReducer(state: BatchState, a: BatchAction): BatchState {
  const isOurs = (operationId: string) => operationId === state.operationId;
  switch (a.type) {
    case 'select': {
      const rows: Record<string, BatchRow> = {};
      const order: string[] = [];
      for (const d of a.devices) {
        const url = cameraUrlOf(d);
        if (rows[url]) continue;
        rows[url] = { url, label: displayName(d), address: addressOf(d), model: d.model };
        order.push(url);
      }
      return { ...emptyBatch, order, rows };
    }
    case 'move': {
      // While the job runs, a camera whose test started (or ended) keeps its place, and nothing moves past it.
      const to = a.index + a.delta;
      if (state.isRunning && (!isMovable(state.rows[state.order[a.index]]) || !isMovable(state.rows[state.order[to]]))) return state;
      return { ...state, order: moveInOrder(state.order, a.index, a.delta) };
    }
    case 'reorder':
      return { ...state, order: [...a.order] };
    case 'remove': {
      if (state.isRunning) return state;
      const rows = { ...state.rows };
      delete rows[a.url];
      return { ...state, rows, order: state.order.filter((u) => u !== a.url) };
    }
    case 'started': {
      const rows = Object.fromEntries(Object.entries(state.rows).map(([u, r]) => [u, { url: r.url, label: r.label, address: r.address, model: r.model }]));
      return { ...state, rows, operationId: a.operationId, isRunning: true, finished: undefined };
    }
    case 'step': {
      const row = state.rows[a.event.url];
      if (!isOurs(a.event.operationId) || !row || a.event.step.status === 'pending') return state;
      return { ...state, rows: { ...state.rows, [row.url]: { ...row, step: a.event.step } } };
    }
    case 'queue': {
      if (!isOurs(a.event.operationId)) return state;
      const rows = { ...state.rows };
      for (const e of a.event.entries) if (rows[e.url]) rows[e.url] = { ...rows[e.url], turn: e };
      const order = a.event.entries.map((e) => e.url).filter((u) => rows[u]);
      return { ...state, rows, order };
    }
    case 'camera': {
      const row = state.rows[a.event.result.url];
      if (!isOurs(a.event.operationId) || !row) return state;
      return { ...state, rows: { ...state.rows, [row.url]: { ...row, result: a.event.result } } };
    }
    case 'finished':
      return isOurs(a.event.operationId) ? { ...state, isRunning: false, finished: a.event } : state;
  }
}

// Catalog keys of a step's status in the Progress column.
const STEP_STATUS: Record<StepResult['status'], string> = {
  pending: 'site.stepStatus.pending',
  running: 'site.stepStatus.running',
  done: 'site.stepStatus.done',
  unchanged: 'site.stepStatus.unchanged',
  planned: 'site.stepStatus.planned',
  skipped: 'site.stepStatus.skipped',
  failed: 'site.stepStatus.failed',
  'rolled-back': 'site.stepStatus.rolledBack',
};

/**
 * One line on where a camera stands (what the live table's Progress column says), in the language of `i18n`
 * (numbers through Intl; a keyed machine-side error in that language too).
 */
export function progressLine(r: BatchRow, i18n: Pick<I18n, 't' | 'language'>): string {
  const { t } = i18n;
  if (r.result) {
    const { verdict, latencyMs, sensitivityRestoredTo: sensitivity, error } = r.result;
    if (verdict === 'pass') {
      const seconds = latencyMs === undefined ? undefined : latencyMs / 1000;
      if (seconds !== undefined && sensitivity !== undefined) return t('site.progress.doneLatencySensitivity', { seconds, sensitivity });
      if (seconds !== undefined) return t('site.progress.doneLatency', { seconds });
      if (sensitivity !== undefined) return t('site.progress.doneSensitivity', { sensitivity });
      return t('site.progress.done');
    }
    if (verdict === 'planned') return t('site.progress.planned');
    return error ? localizeError(isLanguage(i18n.language) ? i18n.language : 'en', error) : t('site.progress.failed');
  }
  switch (r.turn?.state) {
    case 'ready':
      return r.turn.needsTechnician ? t('site.progress.readyTechnician') : t('site.progress.readyAutomatic');
    case 'testing':
      return r.turn.needsTechnician ? t('site.progress.testingTechnician') : t('site.progress.testingAutomatic');
    case 'waiting':
      return t('site.progress.waiting');
    default:
      break;
  }
  if (r.step) {
    const step = stepTitle(r.step, t);
    return r.step.status === 'running' ? t('site.progress.stepRunning', { step }) : t('site.progress.stepStatus', { step, status: t(STEP_STATUS[r.step.status]) });
  }
  return t('site.progress.notStarted');
}

/** Counts for the summary line. */
export function batchCounts(s: BatchState): { total: number; passed: number; failed: number; done: number } {
  const rows = s.order.map((u) => s.rows[u]).filter(Boolean);
  return {
    total: rows.length,
    passed: rows.filter((r) => r.result?.verdict === 'pass').length,
    failed: rows.filter((r) => r.result?.verdict === 'fail').length,
    done: rows.filter((r) => r.result).length,
  };
}
