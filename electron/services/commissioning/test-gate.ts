/**
 * The test gate of a batch. The technician walks from camera to camera with a hand for the lens (docs/camera.md
 * §1), so a job's tests run one camera at a time, in the order the technician chose, while the configuration steps
 * of the cameras run concurrently (bounded by `ConfigSlots`). The order can change while the job runs; a camera
 * whose earlier steps failed leaves the order, so it never blocks the next. A real camera's test starts only when
 * the technician says they stand at it (`go`); a camera that triggers itself (practice) starts at once.
 */
import { isSameSet, type TestQueueEntry } from '../../../shared/domain/test-queue';
import { failure } from '../../../shared/i18n/messages';
import { Emitter } from '../common/events';

/** One camera as the gate is told about it. */
export interface GateCamera {
  url: string;
  label?: string;
  /** Its test waits for the technician's go (a real camera in the app). */
  needsTechnician: boolean;
}

/** In-process events of a gate. */
export interface TestGateEvents {
  /** The order, a turn or a state changed; entries in test order. */
  changed: TestQueueEntry[];
}

interface Entry extends TestQueueEntry {
  grant?: () => void;
}

const OPEN: ReadonlySet<TestQueueEntry['state']> = new Set(['configuring', 'waiting', 'ready']);

/** Serialises the tests of one job in a changeable order. */
export class TestGate {
  /** In-process events: `changed` after every change of order or state. */
  readonly events = new Emitter<TestGateEvents>();
  private entries: Entry[];
  private tested = 0;

  constructor(cameras: readonly GateCamera[]) {
    const seen = new Set<string>();
    for (const c of cameras) {
      if (seen.has(c.url)) throw failure('VALIDATION', 'errors.VALIDATION.cameraTwice', { url: c.url });
      seen.add(c.url);
    }
    this.entries = cameras.map((c) => ({ url: c.url, ...(c.label !== undefined ? { label: c.label } : {}), state: 'configuring', needsTechnician: c.needsTechnician }));
  }

  /** The cameras in test order, with their states (copies). */
  snapshot(): TestQueueEntry[] {
    return this.entries.map(({ grant: _g, ...e }) => ({ ...e }));
  }

  /** The URLs in test order. */
  order(): string[] {
    return this.entries.map((e) => e.url);
  }

  /**
   * Sets a new test order: every camera of the job once. Cameras already tested or under test keep their result;
   * the order decides which of the others goes next (a camera that was ready goes back to waiting if it is no
   * longer first).
   */
  reorder(urls: readonly string[]): void {
    if (!isSameSet(this.order(), urls)) throw failure('VALIDATION', 'errors.VALIDATION.testOrder', undefined, { expected: this.order() });
    const byUrl = new Map(this.entries.map((e) => [e.url, e]));
    this.entries = urls.map((u) => byUrl.get(u)!);
    this.pump();
  }

  /**
   * The technician stands at the camera: its test starts. The camera whose turn it is starts at once; a configured
   * camera further down the order moves to the front and starts when no other test is running.
   */
  go(url: string): void {
    const e = this.find(url);
    if (e.state === 'testing' || e.state === 'tested') return;
    if (e.state === 'skipped') throw failure('CONFLICT', 'errors.CONFLICT.noTestToStart', { camera: e.label ?? e.url });
    if (e.state === 'configuring') throw failure('CONFLICT', 'errors.CONFLICT.stillConfiguring', { camera: e.label ?? e.url });
    const busy = this.entries.find((x) => x.state === 'testing');
    if (busy) throw failure('CONFLICT', 'errors.CONFLICT.otherTestRunning', { camera: busy.label ?? busy.url });
    if (e.state === 'waiting') this.entries = [e, ...this.entries.filter((x) => x !== e)];
    this.start(e);
    this.pump();
  }

  /**
   * Waits for the camera's turn (and, for a real camera, the technician's go); resolves with the function that ends
   * the turn. Rejects with CANCELLED when the signal aborts first (the camera then leaves the order).
   */
  turn(url: string, signal: AbortSignal): Promise<() => void> {
    const e = this.find(url);
    if (!OPEN.has(e.state)) return Promise.reject(failure('CONFLICT', 'errors.CONFLICT.hadTurn', { camera: e.label ?? e.url }));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        e.grant = undefined;
        this.leave(url);
        reject(failure('CANCELLED', 'errors.CANCELLED.whileWaiting'));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      let isDone = false;
      e.grant = () => {
        signal.removeEventListener('abort', onAbort);
        e.grant = undefined;
        resolve(() => {
          if (isDone) return;
          isDone = true;
          e.state = 'tested';
          this.pump();
        });
      };
      e.state = 'waiting';
      this.pump();
    });
  }

  /** The camera is done without (or after) its test: it leaves the order, so it never blocks the next camera. */
  leave(url: string): void {
    const e = this.entries.find((x) => x.url === url);
    if (!e) return;
    if (e.state === 'testing') e.state = 'tested';
    else if (OPEN.has(e.state)) e.state = 'skipped';
    else return;
    e.grant = undefined;
    this.pump();
  }

  private find(url: string): Entry {
    const e = this.entries.find((x) => x.url === url);
    if (!e) throw failure('NOT_FOUND', 'errors.NOT_FOUND.cameraNotInJob', { url });
    return e;
  }

  private start(e: Entry): void {
    e.state = 'testing';
    e.testedAs = ++this.tested;
    e.grant?.();
  }

  /** Gives the turn to the first open camera in the order, once no test runs; then tells the listeners. */
  private pump(): void {
    const head = this.entries.find((x) => OPEN.has(x.state));
    const isBusy = this.entries.some((x) => x.state === 'testing');
    // Only the first open camera can be ready, and none while a test runs.
    for (const x of this.entries) if (x.state === 'ready' && (x !== head || isBusy)) x.state = 'waiting';
    if (head && !isBusy && head.state === 'waiting') {
      if (head.needsTechnician) head.state = 'ready';
      else this.start(head);
    }
    this.events.emit('changed', this.snapshot());
  }
}

/**
 * The configuration slots of a job: at most `limit` cameras are being configured at once. A camera gives its slot
 * back when it starts to wait for its test turn, so cameras waiting in the test order never keep the next camera
 * from being configured (whatever order the technician sets, the camera they want next can always get ready).
 */
export class ConfigSlots {
  private free: number;
  private readonly waiters: Array<() => void> = [];

  constructor(limit: number) {
    this.free = Math.max(1, limit);
  }

  /** Waits for a slot; resolves with its release function (calling it twice is harmless). */
  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((r) => this.waiters.push(r));
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.free++;
    };
  }
}
