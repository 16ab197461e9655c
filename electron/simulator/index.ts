/**
 * The Sarix camera simulator's programmatic API (docs/camera.md §7). Tests, benchmarks, the demo and the app's
 * practice mode start cameras here; the web UI they serve is described in ./README.md.
 *
 * @example
 * const cam = await startCamera({ address: '127.0.1.5', smtpPort: relayPort, resolver: async () => '127.0.0.1' });
 * // drive cam.url like a real camera (login, forms, SOAP, ONVIF) ...
 * await cam.trigger('camera-sabotage', { strength: 'partial' });
 * const mails = cam.sendLog();
 * await cam.stop();
 */
import { startCameraImpl, type SimCamera } from './camera';
import { startFleetImpl, type SimFleet, type SimFleetOptions } from './fleet';
import type { SimCameraOptions } from './types';

export { SimCamera } from './camera';
export { SimBindError, PELCO_MAC_PREFIX, macForAddress, firmwareAtLeast } from './identity';
export { FLEET_MODELS, addAddress, type SimFleet, type SimFleetOptions } from './fleet';
export { SIM_ERRORS, MAX_HANDLERS, isDetected } from './state';
export { snapshotJpeg, SNAPSHOT_SIZE } from './jpeg';
export { PELCO_CAMERA_TYPE, SSDP_GROUP, SSDP_PORT, DESCRIPTION_PATH } from './ssdp';
export { WSD_PORT } from './wsd';
export * from './types';

/**
 * Starts one simulated camera and resolves once its HTTP server (and any enabled discovery responder) listens.
 * Rejects with a `SimBindError` naming the address when it cannot bind.
 */
export function startCamera(opts: SimCameraOptions = {}): Promise<SimCamera> {
  return startCameraImpl(opts);
}

/**
 * Starts `count` cameras on consecutive addresses from `baseAddress` (default 127.0.1.1, same port each), or on one
 * address with different ports (`sameAddress`). Rejects (after stopping those already started) when one cannot start.
 */
export function startFleet(opts: SimFleetOptions): Promise<SimFleet> {
  return startFleetImpl(opts);
}
