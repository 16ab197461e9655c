/**
 * Test support: runs one simulated camera in its own process (used inside network namespaces, where the test's
 * process cannot bind). Usage: `node --import tsx sim-fixture.ts '<SimCameraOptions JSON>'`. Prints
 * `READY {identity JSON}` once listening, `ERROR message` on failure; stops (saying byebye) on SIGTERM/SIGINT.
 */
import { startCamera, type SimCameraOptions } from './index';

async function main(): Promise<void> {
  let opts: SimCameraOptions;
  try {
    opts = JSON.parse(process.argv[2] ?? '{}') as SimCameraOptions;
  } catch {
    process.stdout.write('ERROR the first argument must be SimCameraOptions as JSON\n');
    process.exitCode = 2;
    return;
  }
  const cam = await startCamera(opts);
  process.stdout.write(`READY ${JSON.stringify({ ...cam.identity(), uuid: cam.uuid, ssdpPort: cam.ssdpPort, wsdPort: cam.wsdPort })}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await cam.stop();
  process.stdout.write('STOPPED\n');
}

main().catch((e) => {
  process.stdout.write(`ERROR ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
