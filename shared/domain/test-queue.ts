/**
 * The test order of a batch: the technician walks to each camera, so the tests of a job run one camera at a time,
 * in an order the technician chooses and may change while the job runs, while the configuration steps of the
 * cameras run concurrently (docs/camera.md §1: the test needs a hand over the lens). These are the wire shapes of
 * that queue; the gate itself is electron/services/commissioning/test-gate.ts.
 */
import { z } from 'zod';

/**
 * Where one camera stands in the test order:
 * `configuring` not at its test yet (being configured, or not started); `waiting` configured, another camera's
 * test comes first; `ready` its turn, waiting for the technician to say "I'm at this camera"; `testing` its test
 * runs; `tested` its test is over (pass or fail); `skipped` it never reached its test (an earlier step failed, or
 * the job was cancelled).
 */
export const TestTurnStateSchema = z.enum(['configuring', 'waiting', 'ready', 'testing', 'tested', 'skipped']);
/** Where one camera stands in the test order. */
export type TestTurnState = z.infer<typeof TestTurnStateSchema>;

/** One camera of the test order. */
export const TestQueueEntrySchema = z.object({
  url: z.string(),
  label: z.string().optional(),
  state: TestTurnStateSchema,
  /** True for a real camera in the app: its test starts when the technician stands at it; practice cameras trigger themselves. */
  needsTechnician: z.boolean(),
  /** 1 for the first camera tested in this job, 2 for the next, ...; set when its test starts. */
  testedAs: z.number().int().optional(),
});
/** One camera of the test order. */
export type TestQueueEntry = z.infer<typeof TestQueueEntrySchema>;

/** The test order of a running job changed (order, a turn, a state). Entries are in test order. */
export const TestQueueChangedSchema = z.object({ operationId: z.string(), entries: z.array(TestQueueEntrySchema) });
/** The test order of a running job changed. */
export type TestQueueChanged = z.infer<typeof TestQueueChangedSchema>;

/** How a camera's test starts when its turn comes: at once (`auto`), or when the technician says so (`technician`). */
export const TestStartSchema = z.enum(['auto', 'technician']);
/** How a camera's test starts when its turn comes. */
export type TestStart = z.infer<typeof TestStartSchema>;

/**
 * Moves one entry of an order up (-1) or down (+1); returns a new array (the same one when it cannot move).
 * The renderer's up/down buttons and the keyboard use it.
 */
export function moveInOrder<T>(list: readonly T[], index: number, delta: -1 | 1): T[] {
  const to = index + delta;
  if (index < 0 || index >= list.length || to < 0 || to >= list.length) return [...list];
  const next = [...list];
  [next[index], next[to]] = [next[to], next[index]];
  return next;
}

/** True when `next` lists exactly the items of `current` (each once), in any order. */
export function isSameSet(current: readonly string[], next: readonly string[]): boolean {
  if (current.length !== next.length) return false;
  const a = [...current].sort();
  const b = [...next].sort();
  return a.every((x, i) => x === b[i]) && new Set(next).size === next.length;
}
