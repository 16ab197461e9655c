/**
 * Practice mode: the app's embedded default and the engine of `sarix demo`. Simulated Sarix cameras and the
 * embedded relay, all on 127.0.0.1 with high ports, so a technician (or a new developer) can run the whole job with
 * no hardware and no root. The cameras send their mail to the relay's port through the simulator's SMTP-port knob
 * (a real camera always uses 25). This is the one place that starts practice cameras: the app hosts and the demo
 * both come through here, so they trigger the test the same way and give the same verdicts.
 */
import type { PracticeCamera, PracticeState } from '../../shared/domain/practice';
import { asParam, failure } from '../../shared/i18n/messages';
import { isAppFailure } from '../../shared/ipc/result';
import type { TriggerOutcome } from '../services/commissioning/index';
import type { Logger } from '../services/common/logger';
import type { RelayService } from '../services/relay/index';
import { FLEET_MODELS, addAddress, macForAddress, startFleet, type SimCamera } from '../simulator/index';

/** The relay port practice mode prefers (a free one is taken when it is busy). */
export const PRACTICE_RELAY_PORT = 2525;

/** The practice cameras' address; several cameras share it on different HTTP ports. */
export const PRACTICE_ADDRESS = '127.0.0.1';

/** How to start practice mode. */
export interface PracticeOptions {
  /** Number of practice cameras (default 1), named PracticeCam1, PracticeCam2, ... */
  count?: number;
  /** Relay port when practice starts the relay (default 2525, a free one when busy; 0 = any free port). */
  relayPort?: number;
  /** Web form layout of the practice cameras (simulator knob, default 'standard'). */
  formVariant?: 'standard' | 'alt';
  /** Answer SSDP M-SEARCH by unicast on a free port per camera (the demo finds its camera that way). */
  ssdp?: boolean;
}

/** A running (or failed, or off) practice environment. */
export interface Practice {
  state(): PracticeState;
  /** The running practice cameras. */
  cameras(): readonly SimCamera[];
  /** The SSDP port the first practice camera answers M-SEARCH on (started with `ssdp`), for this host's discovery. */
  ssdpPort(): number | undefined;
  /**
   * Fires Camera Sabotage on the practice camera at `url` (the stand-in for a hand over the lens); undefined when
   * `url` is not a practice camera, so the caller falls back to asking the technician.
   */
  trigger(url: string, behaviour?: string): Promise<TriggerOutcome | undefined>;
  /** True when `url` is a running practice camera (its test triggers itself; no technician needed). */
  isPracticeCamera(url: string): boolean;
  /**
   * Starts `count` more practice cameras, named on from the last (PracticeCam2, PracticeCam3, ...), so a batch can
   * be tried without hardware; answers the state with every camera. Refused when practice mode is not running.
   */
  addCameras(count: number): Promise<PracticeState>;
  /** Stops the cameras, and the relay when practice started it. */
  stop(): Promise<void>;
}

/** Practice mode switched off. */
export const practiceOff: Practice = {
  state: () => ({ status: 'off' }),
  cameras: () => [],
  ssdpPort: () => undefined,
  trigger: async () => undefined,
  isPracticeCamera: () => false,
  addCameras: async () => {
    throw failure('UNAVAILABLE', 'errors.UNAVAILABLE.practiceOff');
  },
  stop: async () => undefined,
};

/** True when two camera URLs name the same host and port (trailing slashes and paths ignored). */
export function sameCamera(a: string, b: string): boolean {
  try {
    const x = new URL(a);
    const y = new URL(/^https?:\/\//i.test(b) ? b : `http://${b}`);
    return x.hostname === y.hostname && (x.port || '80') === (y.port || '80');
  } catch {
    return false;
  }
}

function describe(c: SimCamera): PracticeCamera {
  const id = c.identity();
  return { url: c.url, ip: id.ip, httpPort: id.httpPort, model: id.model, mac: id.mac, name: id.name, firmware: id.firmware };
}

/** Starts the relay on loopback unless it already listens; returns where it listens and whether practice started it. */
async function ensureRelay(relay: RelayService, port: number, log: Logger): Promise<{ address: string; port: number; isOurs: boolean }> {
  const s = relay.getState();
  if (s.status === 'listening') return { address: s.listenAddress ?? PRACTICE_ADDRESS, port: s.port ?? port, isOurs: false };
  const allow = ['127.0.0.0/8'];
  try {
    const b = await relay.start({ listenAddress: PRACTICE_ADDRESS, port, allow });
    return { address: b.address, port: b.port, isOurs: true };
  } catch (e) {
    if (!(isAppFailure(e) && e.code === 'PORT_IN_USE')) throw e;
    log.warn(`practice relay port ${port} is busy; using a free port`);
    const b = await relay.start({ listenAddress: PRACTICE_ADDRESS, port: 0, allow });
    return { address: b.address, port: b.port, isOurs: true };
  }
}

/**
 * Starts the practice cameras and, unless it already runs, the relay on 127.0.0.1. Never throws: a failure is in
 * the state (the app must open even when a port is taken).
 */
export async function startPractice(o: { relay: RelayService; log: Logger; options?: PracticeOptions }): Promise<Practice> {
  const opts = o.options ?? {};
  const count = opts.count ?? 1;
  let state: PracticeState = { status: 'starting' };
  let cameras: SimCamera[] = [];
  let isRelayOurs = false;
  let relayAt: { address: string; port: number } | undefined;
  let adding: Promise<unknown> = Promise.resolve();
  // Cameras `from`..`from + n - 1` (0-based): every one gets its own name, MAC and model, all on 127.0.0.1.
  const launch = async (from: number, n: number, smtpPort: number): Promise<SimCamera[]> =>
    (
      await startFleet({
        count: n,
        baseAddress: PRACTICE_ADDRESS,
        sameAddress: true,
        smtpPort,
        formVariant: opts.formVariant,
        ssdp: opts.ssdp ? { port: 0 } : undefined,
        // Practice cameras send only to loopback: a name or address elsewhere fails here instead of leaving the machine.
        resolver: async (h) => {
          if (h === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(h)) return h === 'localhost' ? PRACTICE_ADDRESS : h;
          throw new Error(`a practice camera sends only to 127.0.0.0/8 (got "${h}")`);
        },
        logger: o.log,
        perCamera: (i) => ({ deviceName: `PracticeCam${from + i + 1}`, mac: macForAddress(addAddress('0.0.0.0', from + i + 1)), model: FLEET_MODELS[(from + i) % FLEET_MODELS.length] }),
      })
    ).cameras;
  const running = (): PracticeState => {
    const listed = cameras.map(describe);
    return { status: 'running', camera: listed[0], cameras: listed, relay: relayAt, smtpServer: relayAt?.address };
  };
  try {
    const relay = await ensureRelay(o.relay, opts.relayPort ?? PRACTICE_RELAY_PORT, o.log);
    isRelayOurs = relay.isOurs;
    relayAt = { address: relay.address, port: relay.port };
    cameras = await launch(0, count, relay.port);
    state = running();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    o.log.error('practice mode did not start', message);
    state = { status: 'failed', error: `Practice mode did not start: ${message}` };
    await Promise.allSettled(cameras.map((c) => c.stop()));
    cameras = [];
  }
  return {
    state: () => state,
    cameras: () => cameras,
    ssdpPort: () => (opts.ssdp ? cameras[0]?.ssdpPort : undefined),
    async trigger(url, behaviour) {
      const cam = cameras.find((c) => sameCamera(c.url, url));
      if (!cam) return undefined;
      // In process, not through the simulator's HTTP hook: the practice helper owns the camera object. 'partial'
      // (a hand partly over the lens) is detected only at sensitivity 8 or more, so a pass also proves that the
      // test sensitivity (10) reached the camera; a 'full' cover would be detected at any sensitivity.
      const r = await cam.trigger(behaviour ?? 'camera-sabotage', { strength: 'partial' });
      return { detected: r.detected, reason: r.reason };
    },
    isPracticeCamera: (url) => cameras.some((c) => sameCamera(c.url, url)),
    addCameras(n) {
      // One addition at a time: each numbers its cameras on from the last one.
      const next = adding.then(async () => {
        if (state.status !== 'running' || !relayAt) throw failure('UNAVAILABLE', 'errors.UNAVAILABLE.practiceNotRunning');
        try {
          cameras = [...cameras, ...(await launch(cameras.length, n, relayAt.port))];
        } catch (e) {
          throw failure('UNAVAILABLE', 'errors.UNAVAILABLE.morePracticeCameras', { reason: isAppFailure(e) ? asParam(e) : e instanceof Error ? e.message : String(e) });
        }
        state = running();
        return state;
      });
      adding = next.catch(() => undefined);
      return next;
    },
    async stop() {
      await Promise.allSettled(cameras.map((c) => c.stop()));
      cameras = [];
      if (isRelayOurs) await o.relay.stop();
      state = { status: 'off' };
    },
  };
}
