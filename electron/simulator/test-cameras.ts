/**
 * Test support: simulated cameras on loopback that are stopped after every test of the file that asked for them.
 */
import { afterEach } from 'vitest';
import { startCamera, type SimCamera, type SimCameraOptions } from './index';

/** Registers the clean-up and returns the starter: `const cam = loopbackCameras(); const c = await cam({...})`. */
export function loopbackCameras(): (o?: SimCameraOptions) => Promise<SimCamera> {
  const cams: SimCamera[] = [];
  afterEach(async () => {
    await Promise.all(cams.splice(0).map((c) => c.stop()));
  });
  return async (o = {}) => {
    const c = await startCamera({ address: '127.0.0.1', ...o });
    cams.push(c);
    return c;
  };
}
