/** `support:save-bundle` over the support bundle writer, with or without a host Save dialog. */
import { writeFile } from 'node:fs/promises';
import type { SupportBundleResult } from '../../shared/ipc/channels/support';
import type { SupportBundleWriter } from '../services/support/index';
import type { Handlers } from './dispatch';

/**
 * The handler. With `chooseSavePath` (the desktop app's Save dialog) the zip is written where the technician
 * says and only its path comes back; without, the zip comes back as base64 for the browser to download.
 */
export function supportHandlers(writer: SupportBundleWriter, chooseSavePath?: (suggestedName: string) => Promise<string | null>): Pick<Handlers, 'support:save-bundle'> {
  return {
    'support:save-bundle': async (): Promise<SupportBundleResult> => {
      if (chooseSavePath) {
        // Ask first, so a cancelled dialog costs nothing.
        const suggested = `sarix-support-${new Date().toISOString().slice(0, 10)}.zip`;
        const target = await chooseSavePath(suggested);
        if (!target) return { isCancelled: true, fileName: suggested, sizeBytes: 0, entries: [] };
        const b = await writer.build();
        await writeFile(target, b.bytes, { mode: 0o600 });
        return { isCancelled: false, fileName: b.fileName, sizeBytes: b.bytes.length, entries: b.entries, savedTo: target };
      }
      const b = await writer.build();
      return { isCancelled: false, fileName: b.fileName, sizeBytes: b.bytes.length, entries: b.entries, base64: b.bytes.toString('base64') };
    },
  };
}
