import type { ReportSaveFormat } from '../../../shared/ipc/channels/report';
import type { Handlers } from '../dispatch';
import { writeFileDurably, type ReportService } from '../../services/report/index';

/** What the report handlers need. */
export interface ReportHandlerDeps {
  report: ReportService;
  /**
   * Desktop: asks where to save (native Save dialog) and returns the path, or null when cancelled. Absent (web
   * host): the bytes go back to the page, which downloads them.
   */
  chooseSavePath?: (suggestedName: string, kind: ReportSaveFormat | 'site') => Promise<string | null>;
}

type ReportChannel = Extract<keyof Handlers, `report:${string}`>;

const FILE_OF: Record<ReportSaveFormat, (name: string) => boolean> = {
  pdf: (n) => n.endsWith('.pdf'),
  html: (n) => n.endsWith('.html'),
  csv: (n) => n.endsWith('-cameras.csv'),
  'vms-csv': (n) => n.endsWith('-vms-import.csv'),
  json: (n) => n.endsWith('.json'),
};

/** Handlers of the `report:*` channels. */
export function createReportHandlers(d: ReportHandlerDeps): Pick<Handlers, ReportChannel> {
  const deliver = async (fileName: string, contentType: string, data: Buffer, kind: ReportSaveFormat | 'site') => {
    if (d.chooseSavePath) {
      const target = await d.chooseSavePath(fileName, kind);
      if (!target) return { isCancelled: true, fileName, contentType, sizeBytes: 0 };
      await writeFileDurably(target, data, 0o644);
      return { isCancelled: false, fileName, contentType, sizeBytes: data.length, savedTo: target };
    }
    return { isCancelled: false, fileName, contentType, sizeBytes: data.length, base64: data.toString('base64') };
  };
  return {
    'report:list-sites': () => d.report.listSites(),
    'report:get-preview': async ({ site }) => {
      const r = await d.report.render(site, []);
      const { report, jsonSha256 } = r;
      const journal = d.report.journal(site);
      const pictures: Record<string, string> = {};
      for (const c of report.cameras) {
        const data = c.test?.snapshot ? await journal.readPicture(c.test.snapshot.sha256) : undefined;
        if (data) pictures[c.key] = `data:image/jpeg;base64,${data.toString('base64')}`;
      }
      return { report, jsonSha256, pictures };
    },
    'report:save': async ({ site, format }) => {
      const r = await d.report.render(site, [format === 'vms-csv' ? 'csv' : format]);
      const file = r.files.find((f) => FILE_OF[format](f.name))!;
      return { ...(await deliver(file.name, file.contentType, file.data, format)), reportId: r.report.reportId, jsonSha256: r.jsonSha256 };
    },
    'report:export-site': async ({ site }) => {
      const x = await d.report.exportSite(site);
      return { ...(await deliver(x.filename, 'application/json', x.data, 'site')), entries: x.entries };
    },
    'report:import-site': ({ base64, asName, merge }) => d.report.importSite(Buffer.from(base64, 'base64'), { asName, merge }),
    'report:add-note': async ({ text, owner, cameraMac }) => ({ id: (await d.report.record({ kind: 'note', text, owner, ...(cameraMac ? { cameraMac } : {}) })).id }),
  };
}
