/**
 * Zip files in memory, one library for the whole app: yazl writes, yauzl reads (both pure JS, streaming, well
 * kept; the update packages use them for large files on disk). The capture of a camera UI and the support bundle
 * write through `zipBuffers`; tests and readers of small archives use `unzipBuffer`, which goes by the central
 * directory as any unzip tool does.
 */
import yauzl from 'yauzl';
import yazl from 'yazl';

/** One file of an archive. */
export interface ZipEntry {
  /** The path inside the archive (forward slashes). */
  name: string;
  data: Buffer | string;
}

/** Writes the entries, in order and deflated, into one zip in memory. */
export async function zipBuffers(entries: readonly ZipEntry[], o: { mtime?: Date } = {}): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const mtime = o.mtime ?? new Date();
  for (const e of entries) zip.addBuffer(typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data, e.name, { mtime, compress: true });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Reads a zip in memory into name → bytes (entry sizes and names checked, as yauzl's strict options do). */
export function unzipBuffer(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, validateEntrySizes: true, strictFileNames: true }, (e, zip) => {
      if (e) return reject(e);
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, async (e2, s) => {
          if (e2) return reject(e2);
          const chunks: Buffer[] = [];
          try {
            for await (const c of s) chunks.push(c as Buffer);
          } catch (e3) {
            return reject(e3);
          }
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
