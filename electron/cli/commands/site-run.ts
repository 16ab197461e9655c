/** The `sarix site list|export|import` implementations. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { writeFileDurably } from '../../services/report/index';
import { localized } from '../i18n';
import { printJson, UsageError } from '../util';
import { cliFailure, reportServiceFor } from './report-run';
import type { SiteFlags } from './site';

/** Runs `sarix site list`. */
export async function runSiteList(flags: SiteFlags): Promise<void> {
  const { report, dispose } = await reportServiceFor(flags.data);
  const sites = await report.listSites().finally(dispose);
  if (flags.json) return printJson(sites);
  for (const s of sites) {
    const line = s.lastAt ? localized('cli.site.lineLast', { name: s.name, entries: s.entries, lastAt: s.lastAt, folder: s.slug }) : localized('cli.site.line', { name: s.name, entries: s.entries, folder: s.slug });
    process.stdout.write(`${s.isCurrent ? '*' : ' '} ${line}\n`);
  }
}

/** Runs `sarix site export`. */
export async function runSiteExport(flags: SiteFlags & { site?: string; out: string }): Promise<void> {
  const { report: svc, dispose } = await reportServiceFor(flags.data);
  try {
    const x = await svc.exportSite(flags.site);
    const out = resolve(flags.out);
    await writeFileDurably(out, x.data, 0o600);
    if (flags.json) printJson({ file: out, entries: x.entries });
    else process.stdout.write(`${localized('cli.site.exported', { entries: x.entries, file: out })}\n`);
  } catch (e) {
    cliFailure(e);
  } finally {
    await dispose();
  }
}

/** Runs `sarix site import`. */
export async function runSiteImport(file: string, flags: SiteFlags & { as?: string; merge?: boolean }): Promise<void> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (e) {
    throw new UsageError(localized('cli.common.cannotRead', { file, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? localized('cli.common.noSuchFile') : (e as Error).message }));
  }
  const { report: svc, dispose } = await reportServiceFor(flags.data);
  try {
    const r = await svc.importSite(data, { asName: flags.as, merge: flags.merge });
    if (flags.json) printJson(r);
    else process.stdout.write(`${localized('cli.site.imported', { site: r.site.name, added: r.added, already: r.alreadyThere, pictures: r.pictures })}\n`);
  } catch (e) {
    cliFailure(e);
  } finally {
    await dispose();
  }
}
