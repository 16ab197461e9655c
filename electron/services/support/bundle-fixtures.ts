/** Test support for support bundles: unzip one as any unzip tool would, and look for secrets in every encoding. */
import yauzl from 'yauzl';

/** Unzips a buffer with yauzl (the central directory, as any unzip tool would) into name → bytes. */
export function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (e, zip) => {
      if (e) return reject(e);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, async (e2, s) => {
          if (e2) return reject(e2);
          const chunks: Buffer[] = [];
          for await (const c of s) chunks.push(c as Buffer);
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
      zip.once('end', () => resolve(out));
      zip.once('error', reject);
      zip.readEntry();
    });
  });
}

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
