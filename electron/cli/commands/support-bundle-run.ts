import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createServices } from '../../composition/index';
import { consoleLogger } from '../../services/common/logger';
import { ConfSettingsStore } from '../../services/common/settings-store';
import { defaultUserDataPath } from '../../services/common/user-data';
import { localized } from '../i18n';
import type { SupportBundleFlags } from './support-bundle';

/**
 * Builds the support bundle with the composed services (same providers and redaction as the app). The settings
 * are read from the data folder's settings file, not the CLI's in-memory defaults: they are what support needs.
 */
export async function runSupportBundle(flags: SupportBundleFlags): Promise<void> {
  const userDataPath = resolve(flags.data ?? defaultUserDataPath());
  const services = await createServices({ hostKind: 'cli', userDataPath, settings: new ConfSettingsStore(userDataPath), logger: consoleLogger('support-bundle') }, { practice: false, resumeRelay: false });
  try {
    const b = await services.support.build();
    const out = resolve(flags.out ?? b.fileName);
    await writeFile(out, b.bytes, { mode: 0o600 });
    process.stdout.write(`${localized('cli.supportBundle.written', { file: out, kib: Math.max(1, Math.round(b.bytes.length / 1024)), files: b.entries.length })}\n`);
  } finally {
    await services.dispose();
  }
}
