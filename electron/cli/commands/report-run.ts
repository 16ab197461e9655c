/**
 * `sarix report` and the `sarix site` commands share this: the ReportService over the data folder's site journals,
 * with the site details from the folder's Settings. The CLI runs no relay, so the report shows the relay as the
 * journal last recorded it.
 */
import { isAppFailure } from '../../../shared/ipc/result';
import { parseFormats, type ReportService } from '../../services/report/index';
import { failureText, localized } from '../i18n';
import { cliServices } from '../services';
import { CliFailure, UsageError, printJson } from '../util';
import type { ReportFlags } from './report';

/** The report service of a data folder (default: the app's user-data folder), composed as every command is. */
export async function reportServiceFor(dataFlag?: string): Promise<{ report: ReportService; dispose: () => Promise<void> }> {
  const services = await cliServices({ scope: 'report', data: dataFlag });
  return { report: services.report, dispose: () => services.dispose() };
}

/** Turns a coded failure into the CLI's exit 1 with its message. */
export function cliFailure(e: unknown): never {
  if (isAppFailure(e)) throw new CliFailure(failureText(e), 1);
  throw e;
}

/** Runs `sarix report`. */
export async function runReport(flags: ReportFlags): Promise<void> {
  let formats;
  try {
    formats = parseFormats(flags.format);
  } catch (e) {
    throw new UsageError(`--format: ${isAppFailure(e) ? failureText(e) : (e as Error).message}`);
  }
  const { report: svc, dispose } = await reportServiceFor(flags.data);
  try {
    const r = await svc.write(flags.site, flags.out, formats);
    const s = r.report.summary;
    if (flags.json) printJson({ reportId: r.report.reportId, site: r.report.site.name, dir: r.dir, files: r.files, jsonSha256: r.jsonSha256, summary: s });
    else {
      const counts = { found: s.found, commissioned: s.commissioned, passed: s.passed, failed: s.failed, skipped: s.skipped, openItems: s.openItems };
      process.stdout.write(`${localized('cli.report.written', { id: r.report.reportId, site: r.report.site.name, ...counts })}\n`);
      for (const f of r.files) process.stdout.write(`  ${f}\n`);
    }
  } catch (e) {
    cliFailure(e);
  } finally {
    await dispose();
  }
}
