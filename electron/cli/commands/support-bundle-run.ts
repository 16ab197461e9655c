import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createCore } from '../../core/core';
import { consoleLogger } from '../../core/logger';
import { ConfSettingsStore } from '../../core/settings-store';
import type { SupportBundleFlags } from './support-bundle';

/** Builds the support bundle through the composed core (same providers and redaction as the app). */
export async function runSupportBundle(flags: SupportBundleFlags): Promise<void> {
  const { defaultUserDataPath } = await import('../../server/bootstrap');
  const userDataPath = resolve(flags.data ?? defaultUserDataPath());
  const core = await createCore({ hostKind: 'cli', userDataPath, settings: new ConfSettingsStore(userDataPath), log: consoleLogger('cli'), practice: false });
  try {
    const r = await core.handlers['support:save-bundle']({}, { caller: 'cli' });
    const out = resolve(flags.out ?? r.fileName);
    await writeFile(out, Buffer.from(r.base64 ?? '', 'base64'), { mode: 0o600 });
    process.stdout.write(`${out} (${Math.max(1, Math.round(r.sizeBytes / 1024))} KiB, ${r.entries.length} files; passwords and tokens removed)\n`);
  } finally {
    await core.dispose();
  }
}
