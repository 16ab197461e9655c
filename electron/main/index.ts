/** Entry of the Electron main process (out/main/index.js after electron-vite build). */
import { app } from 'electron';
import { bootstrapElectron } from './bootstrap';

bootstrapElectron().catch((e: unknown) => {
  process.stderr.write(`Sarix Commissioner could not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  app.exit(1);
});
