/**
 * The support bundle service: the writer plus the standard parts, composed from the services a host already
 * has. Hosts add what only they know (the Electron log file and crash-dump folder).
 */
import { crashDumpsProvider, jsonProvider, knownSecretsProvider, logsProvider, relayProvider, versionsProvider, type RelaySource } from './providers';
import { SupportBundleWriter } from './support-bundle';

export { SupportBundleWriter, type SupportBundle, type SupportBundleProvider, type BundleFile } from './support-bundle';
export { redactText, redactValue, redactTranscript, scrubKnownSecrets, REDACTED } from './redact';
export * from './providers';

/** What the standard support bundle reads. */
export interface SupportBundleSources {
  appInfo: () => Record<string, unknown>;
  settings: () => unknown;
  /** The saved relay setup as shown in the UI (no password). */
  relaySetup?: () => unknown;
  relay: RelaySource;
  discovery: () => unknown;
  commissioning: () => unknown;
  /** Log files of this host (Electron: electron-log's files); none elsewhere. */
  logFiles?: () => string[] | Promise<string[]>;
  /** Crash-dump folder (Electron: app.getPath('crashDumps')). */
  crashDumpsDir?: string;
  /** Secret values the app holds (e.g. the saved forwarding password), scrubbed from every file. */
  knownSecrets?: () => Array<string | undefined> | Promise<Array<string | undefined>>;
}

/** Builds the standard support bundle writer. */
export function createSupportBundleWriter(s: SupportBundleSources): SupportBundleWriter {
  return new SupportBundleWriter({
    providers: [
      versionsProvider(s.appInfo),
      logsProvider(s.logFiles ?? (() => [])),
      relayProvider(s.relay),
      jsonProvider('settings', 'settings and saved relay setup, without passwords', { 'settings.json': s.settings, ...(s.relaySetup ? { 'relay-setup.json': s.relaySetup } : {}) }),
      jsonProvider('discovery', 'the cameras and devices found by the last scans, and the scans themselves', { 'last-discovery.json': s.discovery }),
      jsonProvider('commissioning', 'the last commissioning runs and their per-camera results', { 'last-commissioning.json': s.commissioning }),
      crashDumpsProvider(s.crashDumpsDir),
      knownSecretsProvider(s.knownSecrets ?? (() => [])),
    ],
  });
}
