/**
 * Practice mode: the app's embedded default. One simulated Sarix camera and the embedded relay, both on
 * loopback with high ports, so a technician (or a new developer) can run the whole job with no hardware and no
 * root. The camera sends its mail to the relay's port through the simulator's SMTP-port knob; a real camera
 * always uses 25.
 */
import { startCamera, type SimCamera } from '../simulator/index';
import type { RelayService } from '../services/relay/index';
import type { PracticeState } from '../../shared/ipc/channels/practice';
import type { Logger } from './logger';
import { isAppFailure } from '../../shared/ipc/result';

/** The relay port practice mode prefers (a free one is taken when it is busy). */
export const PRACTICE_RELAY_PORT = 2525;

/** A running practice environment. */
export interface Practice {
  state(): PracticeState;
  /** The simulated camera (for the commissioning test-run trigger). */
  camera(): SimCamera | undefined;
  stop(): Promise<void>;
}

/** Starts the practice camera and, unless it already runs, the relay on 127.0.0.1. Never throws: a failure is in the state. */
export async function startPractice(o: { relay: RelayService; log: Logger; relayPort?: number }): Promise<Practice> {
  let state: PracticeState = { status: 'starting' };
  let camera: SimCamera | undefined;
  let startedRelay = false;
  try {
    let relay = o.relay.getState();
    if (relay.status !== 'listening') {
      const port = o.relayPort ?? PRACTICE_RELAY_PORT;
      try {
        await o.relay.start({ listenAddress: '127.0.0.1', port, allow: ['127.0.0.0/8'] });
      } catch (e) {
        if (!(isAppFailure(e) && e.code === 'PORT_IN_USE')) throw e;
        o.log.warn(`practice relay port ${port} is busy; using a free port`);
        await o.relay.start({ listenAddress: '127.0.0.1', port: 0, allow: ['127.0.0.0/8'] });
      }
      startedRelay = true;
      relay = o.relay.getState();
    }
    const relayPort = relay.port ?? PRACTICE_RELAY_PORT;
    camera = await startCamera({ address: '127.0.0.1', httpPort: 0, smtpPort: relayPort, deviceName: 'PracticeCam', resolver: async (h) => (h === 'localhost' ? '127.0.0.1' : h) });
    state = {
      status: 'running',
      camera: { url: camera.url, ip: camera.ip, httpPort: camera.httpPort, model: camera.model, mac: camera.mac, name: 'PracticeCam', firmware: camera.firmware },
      relay: { address: relay.listenAddress ?? '127.0.0.1', port: relayPort },
      smtpServer: relay.listenAddress ?? '127.0.0.1',
    };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    o.log.error('practice mode did not start', message);
    state = { status: 'failed', error: `Practice mode did not start: ${message}` };
  }
  return {
    state: () => state,
    camera: () => camera,
    async stop() {
      await camera?.stop();
      camera = undefined;
      if (startedRelay) await o.relay.stop();
      state = { status: 'off' };
    },
  };
}
