import { writeFile } from 'node:fs/promises';
import type { SupportBundleResult } from '../../../shared/ipc/channels/support';
import type { SupportBundleWriter } from '../../services/support/index';
import type { Handlers } from '../dispatch';

/** What the support handler needs. */
export interface SupportHandlerDeps {
  writer: SupportBundleWriter;
  /** Desktop: asks where to save (native Save dialog), null when cancelled. Absent: the zip goes back as base64. */
  chooseSavePath?: (suggestedName: string) => Promise<string | null>;
}

/** Handler of `support:save-bundle`. */
export function createSupportHandlers(d: SupportHandlerDeps): Pick<Handlers, 'support:save-bundle'> {
  return {
    'support:save-bundle': async (): Promise<SupportBundleResult> => {
      if (d.chooseSavePath) {
        // Ask first, so a cancelled dialog costs nothing.
        const suggested = `sarix-support-${new Date().toISOString().slice(0, 10)}.zip`;
        const target = await d.chooseSavePath(suggested);
        if (!target) return { isCancelled: true, fileName: suggested, sizeBytes: 0, entries: [] };
        const b = await d.writer.build();
        await writeFile(target, b.bytes, { mode: 0o600 });
        return { isCancelled: false, fileName: b.fileName, sizeBytes: b.bytes.length, entries: b.entries, savedTo: target };
      }
      const b = await d.writer.build();
      return { isCancelled: false, fileName: b.fileName, sizeBytes: b.bytes.length, entries: b.entries, base64: b.bytes.toString('base64') };
    },
  };
}
