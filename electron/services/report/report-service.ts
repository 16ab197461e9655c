/**
 * The report service: the site journal (record, read, export, import) and the one report generator every host
 * uses (the CLI's `sarix report`, the web host and the Electron app): journal → JSON model (shared/domain/report)
 * → PDF, HTML, CSV, VMS CSV. Plain Node, offline; the host injects the clock, the time zone, the site details
 * from Settings and, when it runs one, the live relay.
 */
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { buildReport, cameraCsvRows, makeReportId, vmsCsvRows, type HandOverReport, type ReportFormat } from '../../../shared/domain/report';
import {
  JournalEntrySchema,
  SiteDetailsSchema,
  SiteExportSchema,
  siteSlug,
  UNNAMED_SITE,
  type JournalEntry,
  type JournalInput,
  type RelaySetup,
  type SiteDetails,
  type SiteExport,
} from '../../../shared/domain/site-journal';
import { failure, sub } from '../../../shared/i18n/messages';
import type { ReportSaveFormat } from '../../../shared/domain/report';
import { Emitter } from '../common/events';
import type { Logger } from '../common/logger';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../common/private-files';
import { renderHtml } from './render-html';
import { sha256Hex, SiteStore, writeFileDurably, type SiteJournal } from './site-journal';

/** What the report service needs from its host. */
export interface ReportServiceDeps {
  /** The user-data folder; journals live in `<userData>/sites`. */
  userDataPath: string;
  logger: Logger;
  appVersion: string;
  /** The site as Settings describe it now (name empty when not named yet). */
  currentSite: () => SiteDetails | { name: ''; address?: string; customer?: string; integrator?: string; technician?: string };
  /** The relay as this host runs it now, if it runs one (the queue at hand-over). */
  relaySetup?: () => Promise<RelaySetup | undefined>;
  now?: () => number;
  /** IANA time zone for printed times (default: this computer's). */
  timeZone?: () => string;
  /** 8 hex digits for report ids (tests fix it). */
  randomHex?: () => string;
  /**
   * Desktop: asks where to save (native Save dialog) and returns the path, or null when cancelled. Absent (web
   * host): `save` and `exportFile` return the bytes for the page to download.
   */
  chooseSavePath?: (suggestedName: string, kind: ReportSaveFormat | 'site') => Promise<string | null>;
}

/** What saving one file produced: where the desktop app wrote it, or the bytes for a browser download. */
export interface SaveOutcome {
  isCancelled: boolean;
  fileName: string;
  contentType: string;
  sizeBytes: number;
  savedTo?: string;
  base64?: string;
}

const FILE_OF: Record<ReportSaveFormat, (name: string) => boolean> = {
  pdf: (n) => n.endsWith('.pdf'),
  html: (n) => n.endsWith('.html'),
  csv: (n) => n.endsWith('-cameras.csv'),
  'vms-csv': (n) => n.endsWith('-vms-import.csv'),
  json: (n) => n.endsWith('.json'),
};

/** One rendered file. */
export interface RenderedFile {
  name: string;
  contentType: string;
  data: Buffer;
}

/** A rendered report. */
export interface RenderedReport {
  report: HandOverReport;
  /** SHA-256 of report.json as written (printed on the cover). */
  jsonSha256: string;
  files: RenderedFile[];
}

/** A site as listed. */
export interface SiteSummary {
  slug: string;
  name: string;
  entries: number;
  lastAt?: string;
  isCurrent: boolean;
}

/** The content type of each output file. */
const CONTENT_TYPES: Record<string, string> = { pdf: 'application/pdf', html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json', jpg: 'image/jpeg' };

function csv(rows: string[][]): Buffer {
  // UTF-8 with BOM: Excel opens UTF-8 CSV correctly only with it (German and Spanish names).
  return Buffer.from('\ufeff' + stringify(rows, { record_delimiter: 'windows', quoted_string: false }), 'utf8');
}

/** Parses `pdf,html,csv,json` into a list; throws VALIDATION naming the bad part. */
export function parseFormats(text: string): ReportFormat[] {
  const all: ReportFormat[] = ['pdf', 'html', 'csv', 'json'];
  const out: ReportFormat[] = [];
  for (const p of text.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean)) {
    if (!all.includes(p as ReportFormat)) throw failure('VALIDATION', 'errors.VALIDATION.reportFormat', { format: p });
    if (!out.includes(p as ReportFormat)) out.push(p as ReportFormat);
  }
  if (out.length === 0) throw failure('VALIDATION', 'errors.VALIDATION.noReportFormat');
  return out;
}

/** In-process events of the report service (the contract adapter forwards them as report:* events). */
export interface ReportEvents {
  /** Entries were added to a site's journal (the Report page refreshes its preview). */
  'journal-changed': { site: string; kinds: string[] };
}

/** The site journal and the report generator. */
export class ReportService {
  /** In-process events: the journal changed. */
  readonly events = new Emitter<ReportEvents>();
  /** The site folders. */
  readonly sites: SiteStore;
  private readonly now: () => number;

  constructor(private readonly d: ReportServiceDeps) {
    this.now = d.now ?? Date.now;
    this.sites = new SiteStore(join(d.userDataPath, 'sites'), this.now);
  }

  /** The name entries are recorded under now (Settings' site name, or "Unnamed site"). */
  currentSiteName(): string {
    return this.d.currentSite().name.trim() || UNNAMED_SITE;
  }

  /** The technician named in Settings. */
  technician(): string {
    return this.d.currentSite().technician ?? '';
  }

  /** The journal of a site (default: the current one). */
  journal(siteName = this.currentSiteName()): SiteJournal {
    return this.sites.journal(siteName);
  }

  /** Records one entry in the current site's journal (or the given one); resolves when it is on disk. */
  async record(input: JournalInput, siteName?: string): Promise<JournalEntry> {
    const entry = await this.journal(siteName).append(input, input.by ?? this.technician());
    this.events.emit('journal-changed', { site: siteName ?? this.currentSiteName(), kinds: [entry.kind] });
    return entry;
  }

  /** Every site with a journal, the current one marked. */
  async listSites(): Promise<SiteSummary[]> {
    const current = siteSlug(this.currentSiteName());
    const out: SiteSummary[] = [];
    for (const slug of await this.sites.slugs()) {
      const j = this.sites.journal(slug);
      const { entries } = await j.read();
      const site = [...entries].reverse().find((e) => e.kind === 'site');
      out.push({ slug, name: site?.kind === 'site' ? site.site.name : slug, entries: entries.length, lastAt: entries[entries.length - 1]?.at, isCurrent: slug === current });
    }
    if (!out.some((s) => s.isCurrent)) out.unshift({ slug: current, name: this.currentSiteName(), entries: 0, isCurrent: true });
    return out;
  }

  /** The details of a site: Settings for the current site, else the newest `site` entry of its journal. */
  private siteDetails(siteName: string, entries: readonly JournalEntry[]): SiteDetails {
    const cur = this.d.currentSite();
    if (siteSlug(siteName) === siteSlug(this.currentSiteName()) && cur.name.trim()) return SiteDetailsSchema.parse(cur);
    const last = [...entries].reverse().find((e) => e.kind === 'site');
    if (last?.kind === 'site') return last.site;
    return SiteDetailsSchema.parse({ name: siteName.trim() || UNNAMED_SITE, technician: cur.technician ?? '' });
  }

  private async resolveSite(siteName: string): Promise<{ journal: SiteJournal; entries: JournalEntry[]; unreadable: number; site: SiteDetails }> {
    const journal = this.sites.journal(siteName);
    const { entries, unreadable } = await journal.read();
    const isCurrent = siteSlug(siteName) === siteSlug(this.currentSiteName());
    if (entries.length === 0 && !isCurrent) {
      const known = (await this.sites.slugs()).join(', ');
      throw failure('NOT_FOUND', 'errors.NOT_FOUND.siteJournal', { site: siteName, known: known ? sub('errors.NOT_FOUND.knownSites', { known }) : '' });
    }
    return { journal, entries, unreadable, site: this.siteDetails(siteName, entries) };
  }

  /** Builds the report model of a site (default: the current one). */
  async build(siteName = this.currentSiteName()): Promise<{ report: HandOverReport; json: Buffer; jsonSha256: string; journal: SiteJournal }> {
    const { journal, entries, unreadable, site } = await this.resolveSite(siteName);
    const generatedAt = new Date(this.now()).toISOString();
    const relay = await this.d.relaySetup?.().catch((e: unknown) => {
      this.d.logger.warn('report: could not read the relay state', String(e));
      return undefined;
    });
    const report = buildReport({
      entries,
      site,
      relay,
      unreadableLines: unreadable,
      meta: {
        reportId: makeReportId(generatedAt, this.d.randomHex?.() ?? randomBytes(4).toString('hex')),
        generatedAt,
        timeZone: this.d.timeZone?.() ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC',
        appVersion: this.d.appVersion,
      },
    });
    const json = Buffer.from(JSON.stringify(report, null, 2) + '\n', 'utf8');
    return { report, json, jsonSha256: sha256Hex(json), journal };
  }

  /** Renders the report of a site in the given formats (file names relative to the report folder). */
  async render(siteName: string | undefined, formats: readonly ReportFormat[]): Promise<RenderedReport> {
    const { report, json, jsonSha256, journal } = await this.build(siteName);
    const pictures = new Map<string, Buffer>();
    for (const c of report.cameras) {
      if (!c.test?.snapshot) continue;
      const data = await journal.readPicture(c.test.snapshot.sha256);
      if (data) pictures.set(c.key, data);
      else this.d.logger.warn(`report: the snapshot of ${c.key} is missing or altered in ${journal.dir}; the report shows none`);
    }
    const base = `handover-${siteSlug(report.site.name)}-${report.reportId}`;
    const files: RenderedFile[] = [];
    if (formats.includes('pdf')) {
      // Loaded on first use: pdfkit and its font engine take over a second to load, and every CLI command composes this service.
      const { renderPdf } = await import('./render-pdf');
      files.push({ name: `${base}.pdf`, contentType: CONTENT_TYPES.pdf, data: await renderPdf(report, jsonSha256, pictures) });
    }
    if (formats.includes('html')) files.push({ name: `${base}.html`, contentType: CONTENT_TYPES.html, data: Buffer.from(renderHtml(report, jsonSha256, pictures), 'utf8') });
    if (formats.includes('csv')) {
      files.push({ name: `${base}-cameras.csv`, contentType: CONTENT_TYPES.csv, data: csv(cameraCsvRows(report)) });
      files.push({ name: `${base}-vms-import.csv`, contentType: CONTENT_TYPES.csv, data: csv(vmsCsvRows(report)) });
    }
    if (formats.includes('json')) {
      files.push({ name: `${base}.json`, contentType: CONTENT_TYPES.json, data: json });
      // The JSON names each snapshot by a relative file; write them beside it.
      for (const c of report.cameras) {
        const p = pictures.get(c.key);
        if (p && c.test?.snapshot) files.push({ name: c.test.snapshot.file, contentType: CONTENT_TYPES.jpg, data: p });
      }
    }
    return { report, jsonSha256, files };
  }

  /** Renders and writes the report into a folder; returns the files written. */
  async write(siteName: string | undefined, outDir: string, formats: readonly ReportFormat[]): Promise<{ dir: string; files: string[]; report: HandOverReport; jsonSha256: string }> {
    const rendered = await this.render(siteName, formats);
    const dir = resolve(outDir);
    // A folder the technician chose gets ordinary files: the report is made to be handed over. Inside the app's own
    // data folder (`sarix demo` writes there) the user-data rule holds: folders 0700, files 0600.
    const home = resolve(this.d.userDataPath);
    const isPrivate = dir === home || dir.startsWith(home + sep);
    const written: string[] = [];
    try {
      await mkdir(dir, { recursive: true, ...(isPrivate ? { mode: PRIVATE_DIR_MODE } : {}) });
      for (const f of rendered.files) {
        const path = join(dir, f.name);
        await mkdir(join(path, '..'), { recursive: true, ...(isPrivate ? { mode: PRIVATE_DIR_MODE } : {}) });
        await writeFileDurably(path, f.data, isPrivate ? PRIVATE_FILE_MODE : 0o644);
        written.push(path);
      }
    } catch (e) {
      throw failure('STORAGE', 'errors.STORAGE.reportWrite', { dir, reason: (e as Error).message }, String(e));
    }
    return { dir, files: written, report: rendered.report, jsonSha256: rendered.jsonSha256 };
  }

  /** The report of a site as data for the app's preview, each test snapshot as a data URL. */
  async preview(siteName?: string): Promise<{ report: HandOverReport; jsonSha256: string; pictures: Record<string, string> }> {
    const { report, jsonSha256, journal } = await this.build(siteName);
    const pictures: Record<string, string> = {};
    for (const c of report.cameras) {
      const data = c.test?.snapshot ? await journal.readPicture(c.test.snapshot.sha256) : undefined;
      if (data) pictures[c.key] = `data:image/jpeg;base64,${data.toString('base64')}`;
    }
    return { report, jsonSha256, pictures };
  }

  private async deliver(fileName: string, contentType: string, data: Buffer, kind: ReportSaveFormat | 'site'): Promise<SaveOutcome> {
    if (this.d.chooseSavePath) {
      // Ask first: a cancelled dialog writes nothing.
      const target = await this.d.chooseSavePath(fileName, kind);
      if (!target) return { isCancelled: true, fileName, contentType, sizeBytes: 0 };
      try {
        await writeFileDurably(target, data, 0o644);
      } catch (e) {
        throw failure('STORAGE', 'errors.STORAGE.reportSave', { target, reason: (e as Error).message }, String(e));
      }
      return { isCancelled: false, fileName, contentType, sizeBytes: data.length, savedTo: target };
    }
    return { isCancelled: false, fileName, contentType, sizeBytes: data.length, base64: data.toString('base64') };
  }

  /** Renders one format and saves it (desktop: Save dialog; otherwise the bytes come back for a download). */
  async save(siteName: string | undefined, format: ReportSaveFormat): Promise<SaveOutcome & { reportId: string; jsonSha256: string }> {
    const r = await this.render(siteName, [format === 'vms-csv' ? 'csv' : format]);
    const file = r.files.find((f) => FILE_OF[format](f.name))!;
    return { ...(await this.deliver(file.name, file.contentType, file.data, format)), reportId: r.report.reportId, jsonSha256: r.jsonSha256 };
  }

  /** Saves a site's export file (desktop: Save dialog; otherwise the bytes come back for a download). */
  async exportFile(siteName?: string): Promise<SaveOutcome & { entries: number }> {
    const x = await this.exportSite(siteName);
    return { ...(await this.deliver(x.filename, 'application/json', x.data, 'site')), entries: x.entries };
  }

  /** One file with a site's whole journal and its pictures, for a colleague. */
  async exportSite(siteName = this.currentSiteName()): Promise<{ filename: string; data: Buffer; entries: number }> {
    const { journal, entries, site } = await this.resolveSite(siteName);
    const pictures: Record<string, string> = {};
    for (const e of entries) {
      const sha = e.kind === 'commissioning' ? e.test?.snapshot?.sha256 : undefined;
      if (!sha || pictures[sha]) continue;
      const data = await journal.readPicture(sha);
      if (data) pictures[sha] = data.toString('base64');
    }
    const file: SiteExport = { format: 'sarix-site-export', version: 1, exportedAt: new Date(this.now()).toISOString(), appVersion: this.d.appVersion, site, entries, pictures };
    return { filename: `${siteSlug(site.name)}.sarix-site.json`, data: Buffer.from(JSON.stringify(file) + '\n', 'utf8'), entries: entries.length };
  }

  /**
   * Imports an export file. Never overwrites silently: when the site already has a journal, the import is
   * refused unless `merge` is set (then only entries not there yet are added, nothing is changed or removed) or
   * `asName` names another site. Every entry and picture is checked before anything is written.
   */
  async importSite(data: Buffer, o: { asName?: string; merge?: boolean } = {}): Promise<{ site: SiteDetails; added: number; alreadyThere: number; pictures: number }> {
    let json: unknown;
    try {
      json = JSON.parse(data.toString('utf8').replace(/^\ufeff/, ''));
    } catch {
      throw failure('VALIDATION', 'errors.VALIDATION.siteExportNotJson');
    }
    const parsed = SiteExportSchema.safeParse(json);
    if (!parsed.success) throw failure('VALIDATION', 'errors.VALIDATION.notSiteExport', { path: parsed.error.issues[0]?.path.join('.') || 'format', problem: parsed.error.issues[0]?.message ?? '' });
    const x = parsed.data;
    const entries: JournalEntry[] = [];
    const problems: string[] = [];
    x.entries.forEach((raw, i) => {
      const r = JournalEntrySchema.safeParse(raw);
      if (r.success) entries.push(r.data);
      else problems.push(`entry ${i + 1}: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    });
    const pictures = new Map<string, Buffer>();
    for (const [sha, b64] of Object.entries(x.pictures)) {
      const buf = Buffer.from(b64, 'base64');
      if (sha256Hex(buf) !== sha) problems.push(`picture ${sha.slice(0, 12)}… does not match its SHA-256 (altered or damaged)`);
      else pictures.set(sha, buf);
    }
    for (const e of entries) if (e.kind === 'commissioning' && e.test?.snapshot && !pictures.has(e.test.snapshot.sha256)) problems.push(`the picture of entry ${e.id} is missing`);
    if (problems.length) throw failure('VALIDATION', 'errors.VALIDATION.siteExportDamaged', { problems: `${problems.slice(0, 5).join('; ')}${problems.length > 5 ? '; …' : ''}` }, { problems });

    const name = o.asName?.trim() || x.site.name;
    const site: SiteDetails = { ...x.site, name };
    const journal = this.sites.journal(name);
    const existing = await journal.read();
    if (existing.entries.length > 0 && !o.merge) {
      throw failure('CONFLICT', 'errors.CONFLICT.siteExists', { site: name, count: String(existing.entries.length) }, { existing: existing.entries.length });
    }
    const have = new Set(existing.entries.map((e) => e.id));
    const fresh = entries.filter((e) => !have.has(e.id));
    for (const buf of pictures.values()) await journal.savePicture(buf);
    // Renamed on import: a `site` entry with the new name keeps the report's cover right.
    const renamed = name !== x.site.name ? [JournalEntrySchema.parse({ v: 1, id: `import-${randomBytes(8).toString('hex')}`, at: new Date(this.now()).toISOString(), by: this.technician(), kind: 'site', site })] : [];
    await journal.appendEntries([...fresh, ...renamed]);
    this.events.emit('journal-changed', { site: name, kinds: [...new Set([...fresh, ...renamed].map((e) => e.kind))] });
    return { site, added: fresh.length, alreadyThere: entries.length - fresh.length, pictures: pictures.size };
  }
}
