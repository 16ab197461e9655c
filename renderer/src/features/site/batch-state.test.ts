import { describe, expect, it } from 'vitest';
import type { CameraResult, StepResult } from '../../../../shared/domain/commissioning';
import type { Device } from '../../../../shared/domain/discovery';
import type { TestQueueEntry } from '../../../../shared/domain/test-queue';
import { createI18n } from '../../../../shared/i18n/i18n';
import { batchCounts, batchOf, batchReducer, progressLine, type BatchState } from './batch-state';

const en = createI18n('en');
const de = createI18n('de');
const dev = (port: number, name: string): Device => ({ id: name, ip: '127.0.0.1', mac: null, uuid: null, manufacturer: 'Pelco', model: 'IXE20DN', name, firmware: '1.9.2', serial: null, webUrl: `http://127.0.0.1:${port}/`, methods: ['manual'], interfaces: [], firstSeen: 0, lastSeen: 0, isOnline: true, isSarix: true, sarixEvidence: [], firmwareAdvisory: null });
const [A, B, C] = ['http://127.0.0.1:1001', 'http://127.0.0.1:1002', 'http://127.0.0.1:1003'];
const step = (status: StepResult['status'], id: StepResult['id'] = 'smtp-ntp'): StepResult => ({ id, title: 'Set SMTP and NTP servers', status, durationMs: 0, changes: [] });
const entry = (url: string, state: TestQueueEntry['state'], testedAs?: number): TestQueueEntry => ({ url, state, needsTechnician: true, ...(testedAs ? { testedAs } : {}) });
const result = (url: string, verdict: CameraResult['verdict']): CameraResult => ({ operationId: 'op', url, verdict, steps: [], rolledBack: false, warnings: [], requests: 0, durationMs: 0, latencyMs: 2100, sensitivityRestoredTo: 5 });

describe('batch state', () => {
  it('lists the chosen cameras once each, by their URL, in the order given; up/down and remove before the run', () => {
    let s = batchOf([dev(1001, 'A'), dev(1002, 'B'), dev(1003, 'C'), dev(1001, 'A again')]);
    expect(s.order).toEqual([A, B, C]);
    s = batchReducer(s, { type: 'move', index: 2, delta: -1 });
    expect(s.order).toEqual([A, C, B]);
    expect(batchReducer(s, { type: 'move', index: 0, delta: -1 }).order).toEqual([A, C, B]);
    s = batchReducer(s, { type: 'remove', url: C });
    expect(s.order).toEqual([A, B]);
    expect(s.rows[C]).toBeUndefined();
  });

  it('paints the live table from the events of its own job only; the queue sets the order', () => {
    let s: BatchState = batchReducer(batchOf([dev(1001, 'A'), dev(1002, 'B'), dev(1003, 'C')]), { type: 'started', operationId: 'op' });
    s = batchReducer(s, { type: 'step', event: { operationId: 'other', url: A, step: step('running') } });
    expect(s.rows[A].step).toBeUndefined();
    s = batchReducer(s, { type: 'step', event: { operationId: 'op', url: A, step: step('running') } });
    expect(progressLine(s.rows[A], en)).toBe('Set SMTP and NTP servers …');
    s = batchReducer(s, { type: 'queue', event: { operationId: 'op', entries: [entry(C, 'ready'), entry(A, 'waiting'), entry(B, 'configuring')] } });
    expect(s.order).toEqual([C, A, B]);
    expect(progressLine(s.rows[C], en)).toMatch(/^Its turn: go to this camera/);
    expect(progressLine(s.rows[A], en)).toBe('Configured; waiting for its test turn.');
    // While the job runs, a camera whose test started keeps its place.
    s = batchReducer(s, { type: 'queue', event: { operationId: 'op', entries: [entry(C, 'testing', 1), entry(A, 'waiting'), entry(B, 'configuring')] } });
    expect(batchReducer(s, { type: 'move', index: 1, delta: -1 }).order).toEqual([C, A, B]);
    expect(batchReducer(s, { type: 'move', index: 1, delta: 1 }).order).toEqual([C, B, A]);
    expect(batchReducer(s, { type: 'remove', url: B }).order).toEqual([C, A, B]);
    s = batchReducer(s, { type: 'camera', event: { operationId: 'op', result: result(C, 'pass') } });
    s = batchReducer(s, { type: 'camera', event: { operationId: 'op', result: { ...result(A, 'fail'), error: { code: 'AUTH_FAILED', message: 'The camera refused the login.' } } } });
    expect(progressLine(s.rows[C], en)).toBe('Done: test e-mail after 2.1 s, sensitivity 5.');
    expect(progressLine(s.rows[A], en)).toBe('The camera refused the login.');
    expect(batchCounts(s)).toEqual({ total: 3, passed: 1, failed: 1, done: 2 });
    s = batchReducer(s, { type: 'finished', event: { operationId: 'op', status: 'completed', passed: 1, failed: 2, planned: 0, durationMs: 1 } });
    expect(s.isRunning).toBe(false);
    // After the run the order can change again for the next one.
    expect(batchReducer(s, { type: 'move', index: 1, delta: -1 }).order).toEqual([A, C, B]);
  });

  it('says where a camera stands in German, the step title from the catalog and the latency through Intl', () => {
    let s = batchReducer(batchOf([dev(1001, 'A')]), { type: 'started', operationId: 'op' });
    s = batchReducer(s, { type: 'step', event: { operationId: 'op', url: A, step: step('running') } });
    expect(progressLine(s.rows[A], de)).toBe('SMTP- und NTP-Server einstellen …');
    s = batchReducer(s, { type: 'step', event: { operationId: 'op', url: A, step: step('done') } });
    expect(progressLine(s.rows[A], de)).toBe('SMTP- und NTP-Server einstellen: erledigt');
    s = batchReducer(s, { type: 'camera', event: { operationId: 'op', result: result(A, 'pass') } });
    expect(progressLine(s.rows[A], de)).toBe('Fertig: Test-E-Mail nach 2,1 s, Empfindlichkeit 5.');
    expect(progressLine({ ...s.rows[A], result: { ...result(A, 'planned') } }, de)).toBe('Probelauf: Es wurde nichts geändert.');
  });
});
