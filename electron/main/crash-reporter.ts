/**
 * Local crash dumps only: Crashpad writes minidumps under app.getPath('crashDumps') and nothing is uploaded
 * (uploadToServer: false; the app never phones home). The support bundle picks them up from that folder.
 */
import { app, crashReporter } from 'electron';

/** Starts the crash reporter (call before `ready`, so early crashes are caught too); returns the dump folder. */
export function startLocalCrashReporter(): string {
  crashReporter.start({ uploadToServer: false, compress: true });
  return app.getPath('crashDumps');
}
