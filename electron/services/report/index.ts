/** The site journal and the hand-over report (HTML/PDF/CSV/JSON), shared by every host. */
export { ReportService, parseFormats, type ReportServiceDeps, type RenderedFile, type RenderedReport, type ReportEvents, type SaveOutcome, type SiteSummary } from './report-service';
export { JournalRecorder, foundMailServerOf, relaySetupOf, sensitivityOf, type JournalRecorderDeps, type RelayEvidenceSource, type RecordedServices } from './journal-recorder';
export { SiteJournal, SiteStore, sha256Hex, writeFileDurably, type JournalRead } from './site-journal';
export { scaleEvidence, EVIDENCE_MAX_PX } from './picture';
export { renderHtml } from './render-html';
