/**
 * The support bundle: one zip a technician mails to support, with what is needed to understand a problem and
 * nothing that opens a camera or a mailbox. Hosts pass providers (logs, relay transcripts, settings, discovery and
 * commissioning results, crash dumps, versions); every file then goes through redact.ts before it is zipped.
 * A provider that fails adds an error note instead of sinking the bundle. Plain Node (common/zip.ts); never imports
 * electron, so the Electron app, the web host and the CLI build the same bundle.
 */
import { Buffer } from 'node:buffer';
import { zipBuffers, type ZipEntry } from '../common/zip';
import { REDACTED, redactText, redactValue, scrubKnownSecrets } from './redact';

/** One file a provider contributes. `json` values are redacted by key; text and binary by pattern and value. */
export type BundleFile = { path: string } & ({ json: unknown } | { text: string } | { binary: Buffer });

/** A source of bundle files. */
export interface SupportBundleProvider {
  /** Folder name inside the zip and label in the README. */
  name: string;
  /** One line for README.txt: what this part holds. */
  describe: string;
  collect(): Promise<BundleFile[]> | BundleFile[];
  /** Secret values this provider knows (passwords it holds); they are scrubbed from every file. */
  secrets?(): Promise<string[]> | string[];
}

/** A built bundle. */
export interface SupportBundle {
  fileName: string;
  bytes: Buffer;
  /** Paths inside the zip. */
  entries: string[];
}

/** Options of the writer. */
export interface SupportBundleOptions {
  providers: SupportBundleProvider[];
  /** Product name for the README and file name. */
  productName?: string;
  now?: () => Date;
  /** Cap per file (bytes) so a runaway log cannot make a bundle too large to mail; the tail is kept. */
  maxFileBytes?: number;
}

const SAFE_SEGMENT = /[^A-Za-z0-9._-]+/g;

function safePath(provider: string, path: string): string {
  const parts = path.split(/[\\/]+/).filter((p) => p && p !== '.' && p !== '..').map((p) => p.replace(SAFE_SEGMENT, '_').slice(0, 120));
  return [provider.replace(SAFE_SEGMENT, '_'), ...parts].join('/');
}

function tail(buf: Buffer, max: number): Buffer {
  if (buf.length <= max) return buf;
  const note = Buffer.from(`[… ${buf.length - max} earlier bytes cut to keep the bundle small …]\n`);
  return Buffer.concat([note, buf.subarray(buf.length - max)]);
}

/** Builds support bundles from providers (see file header). */
export class SupportBundleWriter {
  constructor(private readonly o: SupportBundleOptions) {}

  /** Collects, redacts and zips everything; never throws for a single failing provider. */
  async build(): Promise<SupportBundle> {
    const now = (this.o.now ?? (() => new Date()))();
    const maxFile = this.o.maxFileBytes ?? 20 * 1024 * 1024;
    const secrets: string[] = [];
    for (const p of this.o.providers) {
      try {
        secrets.push(...((await p.secrets?.()) ?? []).filter((s) => typeof s === 'string' && s.length > 0));
      } catch {
        // A provider that cannot list its secrets still has its files redacted by key and pattern.
      }
    }
    const files: Array<{ path: string; data: Buffer; isBinary: boolean }> = [];
    const problems: string[] = [];
    const contributed = new Set<SupportBundleProvider>();
    for (const p of this.o.providers) {
      let collected: BundleFile[];
      try {
        collected = await p.collect();
      } catch (e) {
        problems.push(`${p.name}: ${redactText(e instanceof Error ? e.message : String(e))}`);
        continue;
      }
      if (collected.length) contributed.add(p);
      for (const f of collected) {
        const path = safePath(p.name, f.path);
        if ('json' in f) files.push({ path, data: Buffer.from(JSON.stringify(redactValue(f.json), null, 2) + '\n'), isBinary: false });
        else if ('text' in f) files.push({ path, data: Buffer.from(redactText(f.text)), isBinary: false });
        else files.push({ path, data: f.binary, isBinary: true });
      }
    }
    let scrubbed = 0;
    for (const f of files) {
      const r = scrubKnownSecrets(tail(f.data, maxFile), secrets);
      f.data = r.data;
      scrubbed += r.hits;
    }
    const product = this.o.productName ?? 'Sarix Commissioner';
    const readme = [
      `${product} support bundle, made ${now.toISOString()}.`,
      '',
      'What is inside:',
      ...this.o.providers.filter((p) => contributed.has(p)).map((p) => `  ${p.name}/  ${p.describe}`),
      '',
      `Passwords, tokens and keys are replaced with ${REDACTED} (or asterisks in binary files); ${scrubbed} known secret value(s) were scrubbed.`,
      'Crash dumps hold a snapshot of program memory: send this bundle only to your Sarix Commissioner support contact.',
      ...(problems.length ? ['', 'Parts that could not be collected:', ...problems.map((p) => `  ${p}`)] : []),
      '',
    ].join('\n');
    const entries: ZipEntry[] = [{ name: 'README.txt', data: readme }];
    const seen = new Set<string>(['README.txt']);
    for (const f of files) {
      let path = f.path;
      for (let i = 2; seen.has(path); i++) path = `${f.path}.${i}`;
      seen.add(path);
      entries.push({ name: path, data: f.data });
    }
    const bytes = await zipBuffers(entries, { mtime: now });
    const stamp = now.toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
    return { fileName: `sarix-support-${stamp}.zip`, bytes, entries: [...seen] };
  }
}
