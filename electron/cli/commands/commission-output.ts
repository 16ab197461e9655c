/** Human-readable progress and summaries for `sarix commission`, `sarix rollback` and `sarix demo`. */
import { STEP_TITLE_KEYS, type CameraResult, type StepResult } from '../../../shared/domain/commissioning';
import type { CommissioningEvents } from '../../services/commissioning/index';
import type { EventSource } from '../../services/common/events';
import { failureText, localized } from '../i18n';

const MARK: Record<StepResult['status'], string> = {
  pending: '[    ]',
  running: '[ .. ]',
  done: '[ ok ]',
  unchanged: '[ == ]',
  planned: '[plan]',
  skipped: '[skip]',
  failed: '[FAIL]',
  'rolled-back': '[undo]',
};

/** One progress line for a step event (null for states not worth a line). */
export function stepLine(who: string, step: StepResult): string | null {
  // The step's title in the terminal's language (the same English as the result's title otherwise).
  const s = { ...step, title: STEP_TITLE_KEYS[step.id] ? localized(STEP_TITLE_KEYS[step.id]) : step.title };
  if (s.status === 'pending') return null;
  if (s.status === 'running') return s.detail ? `${who}${MARK.running} ${s.title}: ${s.detail}` : `${who}${MARK.running} ${s.title} ...`;
  const time = s.status === 'planned' || s.status === 'rolled-back' ? '' : ` (${s.durationMs} ms)`;
  const lines = [`${who}${MARK[s.status]} ${s.title}${time}${s.detail ? `: ${s.detail}` : ''}`];
  if (s.status === 'planned' || s.status === 'done') {
    for (const c of s.changes) lines.push(`${who}         ${c.field}: ${JSON.stringify(c.from)} -> ${JSON.stringify(c.to)}`);
  }
  return lines.join('\n');
}

/** Subscribes to commissioning step events and prints them as they come; returns the unsubscribe function. */
export function printProgress(events: EventSource<CommissioningEvents>, prefixByUrl: boolean, write: (s: string) => void): () => void {
  return events.on('step-changed', (p) => {
    const line = stepLine(prefixByUrl ? `${p.label ?? p.url} ` : '', p.step);
    if (line) write(line + '\n');
  });
}

/**
 * Prints a line when a camera's test turn comes (a batch tests one camera at a time, in the order of the CSV file),
 * so the technician knows which camera to walk to; returns the unsubscribe function.
 */
export function printTestTurns(events: EventSource<CommissioningEvents>, write: (s: string) => void): () => void {
  const told = new Set<string>();
  return events.on('test-queue-changed', ({ operationId, entries }) => {
    for (const e of entries) {
      const key = `${operationId} ${e.url}`;
      if (e.state !== 'testing' || told.has(key)) continue;
      told.add(key);
      const left = entries.filter((x) => x.state === 'configuring' || x.state === 'waiting' || x.state === 'ready').length;
      const turn = { n: e.testedAs, total: entries.length, camera: e.label ?? e.url };
      write(`${left ? localized('cli.commission.testTurnMore', { ...turn, left }) : localized('cli.commission.testTurn', turn)}\n`);
    }
  });
}

/** The closing lines for one camera. */
export function summaryLine(r: CameraResult): string {
  const who = r.label ?? r.url;
  if (r.verdict === 'planned') return localized('cli.commission.dryRun', { camera: who });
  if (r.verdict === 'pass') {
    const parts = [`${who}: PASS`];
    if (r.latencyMs !== undefined) parts.push(localized('cli.commission.latency', { ms: r.latencyMs }));
    if (r.sensitivityRestoredTo !== undefined) parts.push(localized('cli.commission.restored', { value: r.sensitivityRestoredTo }));
    return parts.join(', ') + '.';
  }
  const lines = [`${who}: FAIL (${r.error?.code ?? 'ERROR'}) ${r.error ? failureText(r.error) : ''}`];
  for (const w of r.warnings) lines.push(`  ${localized('cli.common.warning', { message: w })}`);
  if (r.backupFile) lines.push(`  ${localized('cli.commission.backup', { file: r.backupFile })}`);
  return lines.join('\n');
}
