/**
 * The standard parts of a support bundle. Each takes plain functions or folders, never a host object, so the
 * Electron app, the web host and the CLI compose the same bundle from what they have.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import { basename, join } from 'node:path';
import { redactTranscript } from './redact';
import type { BundleFile, SupportBundleProvider } from './support-bundle';

/** Log files (electron-log's main.log and main.old.log, or any host's log files). */
export function logsProvider(files: () => string[] | Promise<string[]>): SupportBundleProvider {
  return {
    name: 'logs',
    describe: 'the app log (electron-log), passwords and tokens redacted',
    async collect() {
      const out: BundleFile[] = [];
      for (const f of await files()) {
        try {
          out.push({ path: basename(f), text: await readFile(f, 'utf8') });
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
      if (!out.length) out.push({ path: 'no-logs.txt', text: 'This host keeps no log file (the web host and the CLI log to the terminal).\n' });
      return out;
    },
  };
}

/** A transcript line as the relay records it. */
interface Line {
  at?: string;
  dir: string;
  line: string;
}

/** What the relay part reads from the relay service. */
export interface RelaySource {
  getState(): unknown;
  getSessions(limit?: number): Array<{ id: string }>;
  getTranscript(id: string): { session: unknown; lines: Line[] };
}

/** The relay's state and its recent SMTP sessions with transcripts (AUTH arguments removed). */
export function relayProvider(relay: RelaySource, limit = 200): SupportBundleProvider {
  return {
    name: 'relay',
    describe: 'relay state and recent SMTP transcripts (commands and replies only, no message bodies; AUTH data removed)',
    collect() {
      const sessions = relay.getSessions(limit);
      const out: BundleFile[] = [
        { path: 'state.json', json: relay.getState() },
        { path: 'sessions.json', json: sessions },
      ];
      for (const s of sessions) {
        let t: { session: unknown; lines: Line[] };
        try {
          t = relay.getTranscript(s.id);
        } catch {
          continue; // aged out between the list and the read
        }
        const lines = redactTranscript(t.lines) as Line[];
        out.push({ path: `transcripts/${s.id}.txt`, text: lines.map((l) => `${l.at ?? ''} ${l.dir}: ${l.line}`).join('\n') + '\n' });
      }
      return out;
    },
  };
}

/** A JSON snapshot of some state (settings, discovery results, commissioning results). */
export function jsonProvider(name: string, describe: string, files: Record<string, () => unknown | Promise<unknown>>): SupportBundleProvider {
  return {
    name,
    describe,
    async collect() {
      const out: BundleFile[] = [];
      for (const [path, get] of Object.entries(files)) out.push({ path, json: await get() });
      return out;
    },
  };
}

/**
 * Local crash dumps (Electron's crashReporter with uploadToServer: false writes Crashpad minidumps under
 * app.getPath('crashDumps')): the newest few, up to a total size.
 */
export function crashDumpsProvider(dir: string | undefined, o: { maxFiles?: number; maxBytes?: number } = {}): SupportBundleProvider {
  return {
    name: 'crash-dumps',
    describe: 'local crash dumps (minidumps; never uploaded anywhere by the app)',
    async collect() {
      if (!dir) return [{ path: 'none.txt', text: 'This host does not collect crash dumps (only the desktop app does).\n' }];
      const found: Array<{ path: string; size: number; mtime: number }> = [];
      const walk = async (d: string, depth: number): Promise<void> => {
        if (depth > 4) return;
        let names: string[];
        try {
          names = await readdir(d);
        } catch {
          return;
        }
        for (const n of names) {
          const p = join(d, n);
          const s = await stat(p).catch(() => null);
          if (!s) continue;
          if (s.isDirectory()) await walk(p, depth + 1);
          else if (/\.dmp$/i.test(n)) found.push({ path: p, size: s.size, mtime: s.mtimeMs });
        }
      };
      await walk(dir, 0);
      found.sort((a, b) => b.mtime - a.mtime);
      const out: BundleFile[] = [];
      let total = 0;
      for (const f of found.slice(0, o.maxFiles ?? 5)) {
        if (total + f.size > (o.maxBytes ?? 50 * 1024 * 1024)) break;
        total += f.size;
        out.push({ path: basename(f.path), binary: await readFile(f.path) });
      }
      if (!out.length) out.push({ path: 'none.txt', text: 'No crash dumps: the app has not crashed on this computer.\n' });
      return out;
    },
  };
}

/** App and OS versions. */
export function versionsProvider(app: () => Record<string, unknown>): SupportBundleProvider {
  return {
    name: 'versions',
    describe: 'app, runtime and operating-system versions',
    collect() {
      return [
        {
          path: 'versions.json',
          json: {
            app: app(),
            runtime: { node: process.versions.node, v8: process.versions.v8, electron: process.versions.electron, chrome: process.versions.chrome },
            os: { platform: process.platform, arch: process.arch, type: os.type(), release: os.release(), version: os.version(), cpus: os.cpus().length, memoryMiB: Math.round(os.totalmem() / 1024 / 1024) },
            locale: Intl.DateTimeFormat().resolvedOptions().locale,
            timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
          },
        },
      ];
    },
  };
}

/** No files, only the secret values the app holds, so they are scrubbed from every other part. */
export function knownSecretsProvider(secrets: () => Array<string | undefined> | Promise<Array<string | undefined>>): SupportBundleProvider {
  return {
    name: 'secrets',
    describe: '(nothing: lists the passwords the app holds so they are scrubbed everywhere else)',
    collect: () => [],
    secrets: async () => (await secrets()).filter((s): s is string => typeof s === 'string' && s.length > 0),
  };
}
