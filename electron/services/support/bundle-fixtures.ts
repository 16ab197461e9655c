/** Test support for support bundles: unzip one as any unzip tool would, and look for secrets in every encoding. */
import { unzipBuffer } from '../common/zip';

/** Unzips a buffer by its central directory, as any unzip tool would, into name → bytes. */
export const unzip = unzipBuffer;

/** Every form a secret could take in a file: plain, base64 (SMTP AUTH), UTF-16LE (process memory), URL-encoded. */
export function forms(secret: string): Buffer[] {
  return [Buffer.from(secret), Buffer.from(Buffer.from(secret).toString('base64')), Buffer.from(secret, 'utf16le'), Buffer.from(encodeURIComponent(secret))];
}

/** The secrets in a bundle: [secret, file] for each hit (empty when clean). */
export function leaks(files: Map<string, Buffer>, secrets: string[]): Array<[string, string]> {
  const hits: Array<[string, string]> = [];
  for (const [name, data] of files) for (const s of secrets) if (forms(s).some((f) => data.includes(f))) hits.push([s, name]);
  return hits;
}
