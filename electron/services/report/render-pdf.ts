/**
 * The PDF report, drawn with pdfkit (pure JavaScript, runs in plain Node, Electron and the built CLI alike).
 * Text uses the bundled DejaVu Sans (wide Latin, Greek and Cyrillic coverage, so "Müller", "Peña" or "Łódź"
 * print), embedded as a subset, so the PDF needs no font on the reader's side, no network, and its text stays
 * extractable (pdftotext shows the camera rows). Evidence pictures are the already scaled JPEGs of the journal,
 * embedded without re-encoding. Same sections, same order as the HTML report.
 */
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import { formatShortTime, showValue, type HandOverReport, type ReportCamera } from '../../../shared/domain/report';
import { cameraFacts } from './render-html';

// Not named `require`: electron-vite's ESM bundle of the main process declares its own.
const resolveModule = createRequire(import.meta.url);

/** The bundled font files (the dejavu-fonts-ttf package). */
export function fontFiles(): { regular: string; bold: string; mono: string } {
  return {
    regular: resolveModule.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    bold: resolveModule.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    mono: resolveModule.resolve('dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf'),
  };
}

const COLORS = { text: '#1d232b', muted: '#5a6470', rule: '#c8d0da', head: '#eef2f7', accent: '#1d4f91', pass: '#1b7f3b', fail: '#b3261e', skipped: '#8a5a00', warn: '#8a5a00' };
const VERDICT_TEXT: Record<ReportCamera['verdict'], string> = { pass: 'PASS', fail: 'FAIL', skipped: 'NOT DONE' };

type Doc = PDFKit.PDFDocument;

/** Small layout helpers over pdfkit: headings, key/value blocks and tables that break across pages. */
class Layout {
  readonly left: number;
  readonly width: number;
  constructor(readonly doc: Doc) {
    this.left = doc.page.margins.left;
    this.width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  }

  get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `h` points still fit. */
  ensure(h: number): void {
    if (this.doc.y + h > this.bottom) this.doc.addPage();
  }

  h1(text: string): void {
    this.doc.font('bold').fontSize(20).fillColor(COLORS.text).text(text, this.left, this.doc.y, { width: this.width });
  }

  /** A section heading kept on the same page as the first `next` points of its content. */
  h2(text: string, next = 40): void {
    this.ensure(30 + next);
    this.doc.moveDown(0.8);
    const y = this.doc.y;
    this.doc.font('bold').fontSize(13).fillColor(COLORS.accent).text(text, this.left, y, { width: this.width });
    const ry = this.doc.y + 1;
    this.doc.moveTo(this.left, ry).lineTo(this.left + this.width, ry).lineWidth(1).strokeColor(COLORS.accent).stroke();
    this.doc.y = ry + 6;
  }

  para(text: string, o: { size?: number; color?: string; font?: string } = {}): void {
    const size = o.size ?? 9;
    this.doc.font(o.font ?? 'body').fontSize(size);
    this.ensure(this.doc.heightOfString(text, { width: this.width }) + 2);
    this.doc.fillColor(o.color ?? COLORS.text).text(text, this.left, this.doc.y, { width: this.width });
    this.doc.moveDown(0.3);
  }

  /** Height of a key/value block. */
  kvHeight(rows: Array<[string, string, string?]>, width: number, labelW: number, size = 8.5): number {
    this.doc.fontSize(size);
    return rows.reduce((h, [k, v]) => h + Math.max(this.doc.font('body').heightOfString(k, { width: labelW - 4 }), this.doc.font('body').heightOfString(v, { width: width - labelW })) + 3, 0);
  }

  /** Draws a key/value block at (x, y); returns its height. */
  kv(rows: Array<[string, string, string?]>, x: number, y: number, width: number, labelW: number, size = 8.5): number {
    const d = this.doc;
    let cy = y;
    for (const [k, v, cls] of rows) {
      d.fontSize(size);
      const h = Math.max(d.font('body').heightOfString(k, { width: labelW - 4 }), cls === 'mono' ? d.font('mono').fontSize(Math.min(size, 8)).heightOfString(v, { width: width - labelW }) : d.font('body').heightOfString(v, { width: width - labelW }));
      d.font('body').fontSize(size).fillColor(COLORS.muted).text(k, x, cy, { width: labelW - 4 });
      const color = cls === 'v-pass' ? COLORS.pass : cls === 'v-fail' ? COLORS.fail : cls === 'v-skipped' || cls === 'warn' ? COLORS.warn : COLORS.text;
      if (cls === 'mono') d.font('mono').fontSize(Math.min(size, 8));
      else d.font(cls?.startsWith('v-') ? 'bold' : 'body');
      d.fillColor(color).text(v, x + labelW, cy, { width: width - labelW });
      cy += h + 3;
      d.moveTo(x, cy - 1.5).lineTo(x + width, cy - 1.5).lineWidth(0.3).strokeColor(COLORS.rule).stroke();
    }
    return cy - y;
  }

  /** A table with a header row repeated on every page; `widths` are fractions of the content width. */
  table(head: string[], rows: string[][], widths: number[], o: { size?: number; font?: string } = {}): void {
    const d = this.doc;
    const size = o.size ?? 8;
    const cols = widths.map((w) => w * this.width);
    const pad = 3;
    const rowHeight = (cells: string[], font: string) => {
      d.font(font).fontSize(size);
      return Math.max(...cells.map((c, i) => d.heightOfString(c || ' ', { width: cols[i] - 2 * pad }))) + 2 * pad;
    };
    const drawRow = (cells: string[], font: string, fill?: string) => {
      const h = rowHeight(cells, font);
      const y = d.y;
      if (fill) d.rect(this.left, y, this.width, h).fill(fill);
      let x = this.left;
      d.font(font).fontSize(size).fillColor(COLORS.text);
      cells.forEach((c, i) => {
        d.text(c || ' ', x + pad, y + pad, { width: cols[i] - 2 * pad });
        x += cols[i];
      });
      d.moveTo(this.left, y + h).lineTo(this.left + this.width, y + h).lineWidth(0.3).strokeColor(COLORS.rule).stroke();
      d.x = this.left;
      d.y = y + h;
    };
    this.ensure(rowHeight(head, 'bold') + (rows[0] ? rowHeight(rows[0], o.font ?? 'body') : 0));
    drawRow(head, 'bold', COLORS.head);
    for (const r of rows) {
      const h = rowHeight(r, o.font ?? 'body');
      if (d.y + h > this.bottom) {
        d.addPage();
        drawRow(head, 'bold', COLORS.head);
      }
      drawRow(r, o.font ?? 'body');
    }
    d.moveDown(0.5);
  }
}

/** Renders the report as a PDF. `pictures` maps a camera key to its (already scaled) JPEG bytes. */
export function renderPdf(r: HandOverReport, jsonSha256: string, pictures: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  const s = r.site;
  const tz = r.timeZone;
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: 48, bottom: 54, left: 48, right: 48 },
    bufferPages: true,
    compress: true,
    info: {
      Title: `Hand-over report ${s.name} ${r.reportId}`,
      Author: s.technician || 'Sarix Commissioner',
      Subject: 'E-mail notifications of Pelco Sarix cameras: set up, tested, signed off',
      Keywords: `${r.reportId} sha256:${jsonSha256}`,
      Creator: `Sarix Commissioner ${r.appVersion}`,
      CreationDate: new Date(r.generatedAt),
    },
    lang: 'en',
    displayTitle: true,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const f = fontFiles();
  doc.registerFont('body', f.regular);
  doc.registerFont('bold', f.bold);
  doc.registerFont('mono', f.mono);
  const L = new Layout(doc);

  // Cover.
  doc.y = 70;
  L.h1('Hand-over report');
  L.para('E-mail notifications of Pelco Sarix cameras: set up, tested, signed off', { size: 10, color: COLORS.muted });
  doc.moveDown(0.8);
  const cover: Array<[string, string, string?]> = [
    ['Site', s.name],
    ['Address', s.address || '-'],
    ['Customer', s.customer || '-'],
    ['Integrator', s.integrator || '-'],
    ['Technician', s.technician || '-'],
    ['Date and time', r.generatedAtLocal],
    ['App version', `Sarix Commissioner ${r.appVersion}`],
    ['Report ID', r.reportId],
    ['SHA-256 of the JSON report', jsonSha256, 'mono'],
  ];
  doc.y += L.kv(cover, L.left, doc.y, L.width, 150, 10);
  doc.moveDown(1.2);
  L.h2('Summary');
  const sm = r.summary;
  const cards: Array<[string, number, string]> = [
    ['Found', sm.found, COLORS.text],
    ['Commissioned', sm.commissioned, COLORS.text],
    ['Passed', sm.passed, COLORS.pass],
    ['Failed', sm.failed, sm.failed ? COLORS.fail : COLORS.text],
    ['Not done', sm.skipped, sm.skipped ? COLORS.warn : COLORS.text],
    ['Open items', sm.openItems, sm.openItems ? COLORS.warn : COLORS.text],
  ];
  const cw = L.width / cards.length;
  const cy = doc.y;
  cards.forEach(([label, n, color], i) => {
    const x = L.left + i * cw;
    doc.roundedRect(x + 2, cy, cw - 4, 46, 3).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    doc.font('bold').fontSize(17).fillColor(color).text(String(n), x + 2, cy + 6, { width: cw - 4, align: 'center' });
    doc.font('body').fontSize(8).fillColor(COLORS.muted).text(label, x + 2, cy + 30, { width: cw - 4, align: 'center' });
  });
  doc.x = L.left;
  doc.y = cy + 56;
  if (r.journal.unreadableLines) L.para(`${r.journal.unreadableLines} line(s) of the site journal could not be read (a torn last line after a crash) and are left out.`, { color: COLORS.warn });

  // Signature blocks at the foot of the cover.
  if (doc.y + 130 > L.bottom) doc.addPage();
  const sy = Math.max(doc.y + 10, L.bottom - 120);
  const half = (L.width - 20) / 2;
  [`Customer${s.customer ? `: ${s.customer}` : ''}`, `Technician${s.technician ? `: ${s.technician}` : ''}`].forEach((who, i) => {
    const x = L.left + i * (half + 20);
    doc.rect(x, sy, half, 110).lineWidth(0.6).strokeColor(COLORS.rule).stroke();
    doc.font('bold').fontSize(10).fillColor(COLORS.text).text(who, x + 8, sy + 8, { width: half - 16 });
    doc.font('body').fontSize(8).fillColor(COLORS.muted).text('By signing, I confirm the cameras below send their notifications as shown.', x + 8, sy + 26, { width: half - 16 });
    for (const [j, label] of ['Name', 'Date', 'Signature'].entries()) {
      const ly = sy + 56 + j * 18;
      doc.font('body').fontSize(8).fillColor(COLORS.muted).text(label, x + 8, ly - 9, { width: 60 });
      doc.moveTo(x + 60, ly).lineTo(x + half - 10, ly).lineWidth(0.5).strokeColor(COLORS.text).stroke();
    }
  });

  // Camera rows (one line per camera), then one block per camera with its evidence picture.
  doc.addPage();
  L.h2('Cameras');
  L.table(
    ['Camera', 'Model', 'MAC', 'IP', 'Firmware', 'Verdict'],
    r.cameras.map((c) => [c.location || c.name || c.ip, c.model, c.mac, c.ip, c.firmware + (c.firmwareWarning ? ' (!)' : ''), VERDICT_TEXT[c.verdict]]),
    [0.24, 0.14, 0.2, 0.14, 0.14, 0.14],
  );
  const picW = 170;
  for (const c of r.cameras) {
    const facts = cameraFacts(r, c);
    const pic = pictures.get(c.key);
    const hasPic = !!(pic && c.test?.snapshot);
    const textW = hasPic ? L.width - picW - 12 : L.width;
    const picH = hasPic ? (picW * c.test!.snapshot!.height) / c.test!.snapshot!.width : 0;
    const h = 22 + Math.max(L.kvHeight(facts, textW, 118), picH + 14);
    L.ensure(Math.min(h, L.bottom - doc.page.margins.top));
    doc.moveDown(0.6);
    const top = doc.y;
    doc.font('bold').fontSize(11).fillColor(COLORS.text).text(c.location || c.name || c.ip, L.left, top, { width: L.width - 90, continued: false });
    doc.font('bold').fontSize(11).fillColor(COLORS[c.verdict]).text(VERDICT_TEXT[c.verdict], L.left + L.width - 90, top, { width: 90, align: 'right' });
    const by = top + 18;
    const kh = L.kv(facts, L.left, by, textW, 118);
    if (hasPic) {
      doc.image(pic!, L.left + L.width - picW, by, { width: picW });
      doc.font('mono').fontSize(6.5).fillColor(COLORS.muted).text(`test snapshot, SHA-256 ${c.test!.snapshot!.original.sha256.slice(0, 16)}…`, L.left + L.width - picW, by + picH + 3, { width: picW });
    }
    doc.x = L.left;
    doc.y = by + Math.max(kh, picH + 14) + 4;
  }

  const fw = r.relay?.forward;
  const relayRows: Array<[string, string]> = r.relay
    ? [
        ['Status', r.relay.status],
        ['Listen address', r.relay.listenAddress ? `${r.relay.listenAddress}:${r.relay.port ?? 25}` : '-'],
        ['Allow-list', r.relay.allow.join(', ') || '(nobody)'],
        ['Upstream', fw ? `${fw.host}:${fw.port}` : 'No forwarding (mail stays on this relay)'],
        ['TLS mode', fw ? `${fw.security}${fw.verifyCertificate ? ', certificate verified' : ', certificate NOT verified'}` : '-'],
        ['Queue at hand-over', `${r.relay.queueLength} message(s)`],
      ]
    : [];
  L.h2('Relay', L.kvHeight(relayRows, L.width, 150, 9));
  if (r.relay) {
    doc.y += L.kv(relayRows, L.left, doc.y, L.width, 150, 9);
  } else L.para('No relay on record for this site.', { color: COLORS.muted });
  const ms = r.mailServers;
  L.ensure(40);
  L.para('Site mail servers', { font: 'bold', size: 9.5 });
  if (ms) {
    L.para(ms.text, { size: 8.5 });
    L.para(`Searched ${formatShortTime(ms.searchedAt, tz)}${ms.by ? ` by ${ms.by}` : ''}: ${ms.searched}. ${ms.summary}`, { size: 8, color: COLORS.muted });
    if (ms.servers.length) {
      L.table(
        ['Server', 'Software', 'Found by', 'Camera may use it', 'Verdict and fix'],
        ms.servers.map((s) => [s.address && s.address !== s.host ? `${s.host}\n${s.address}` : s.host, s.software ?? (s.isLocal ? '-' : 'public'), s.source, s.isUsableByCamera ? 'Yes' : 'No', s.fix ? `${s.headline} Fix: ${s.fix}` : s.headline]),
        [0.2, 0.13, 0.12, 0.1, 0.45],
      );
    }
  } else L.para("No mail-server search on record for this site (Find the site's mail server, or sarix find-smtp).", { color: COLORS.muted });

  L.h2('Deviations and open items');
  if (r.items.length) L.table(['Kind', 'Camera', 'What', 'Owner'], r.items.map((i) => [i.kind === 'deviation' ? 'Deviation' : 'Open item', i.camera ?? '-', i.text, `${i.ownerName} (${i.owner})`]), [0.13, 0.17, 0.5, 0.2]);
  else L.para('None.');

  L.h2('Backups taken');
  if (r.backups.length) {
    L.table(['Camera', 'Taken', 'File and SHA-256'], r.backups.map((b) => [b.camera, formatShortTime(b.takenAt, tz), `${b.file}\nSHA-256 ${b.sha256}`]), [0.2, 0.18, 0.62]);
    L.para('To roll a camera back to its backup, run on the computer that holds the file (the camera password is read from the environment, never from the command line):');
    for (const cmd of [...new Set(r.backups.map((b) => b.rollback))]) L.para(cmd, { font: 'mono', size: 7.5 });
  } else L.para('No backup on record.');

  L.h2('Appendix A: change log');
  if (r.changeLog.length) {
    // One table per run (camera, time, technician), so the rows carry only the change itself.
    const runs = new Map<string, typeof r.changeLog>();
    for (const c of r.changeLog) {
      const k = `${c.camera}\u0000${c.at}\u0000${c.by}`;
      runs.set(k, [...(runs.get(k) ?? []), c]);
    }
    for (const [k, list] of runs) {
      const [camera, at, by] = k.split('\u0000');
      L.ensure(60);
      L.para(`${camera}: ${formatShortTime(at, tz)}${by ? ` by ${by}` : ''}`, { font: 'bold', size: 8.5 });
      L.table(['Step', 'Field', 'Before', 'After', 'Status'], list.map((c) => [c.step, c.field, showValue(c.from), showValue(c.to), c.status]), [0.15, 0.3, 0.2, 0.23, 0.12], { size: 7 });
    }
  } else L.para('No change on record.');

  L.h2('Appendix B: SMTP transcripts of the test sessions (redacted)');
  if (r.transcripts.length === 0) L.para('No transcript on record.');
  for (const t of r.transcripts) {
    L.para(`${t.camera} (${t.clientIp}, ${formatShortTime(t.at, tz)})`, { font: 'bold', size: 9 });
    L.para(t.lines.map((l) => `${l.dir}: ${l.line}`).join('\n'), { font: 'mono', size: 7 });
  }

  L.h2('Appendix C: activity');
  if (r.activity.length) L.table(['When', 'By', 'What', 'Camera', 'Outcome'], r.activity.map((a) => [formatShortTime(a.at, tz), a.by, a.what, a.camera, a.outcome]), [0.18, 0.16, 0.24, 0.2, 0.22], { size: 7.5 });
  else L.para('Nothing recorded.');
  L.para(`Generated by Sarix Commissioner ${r.appVersion} from the site journal (${r.journal.entries} entries). Report ${r.reportId}.`, { color: COLORS.muted, size: 8 });

  // Footer on every page; the bottom margin is lifted while writing it so pdfkit does not open a new page.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('body').fontSize(7.5).fillColor(COLORS.muted).text(`${s.name} · ${r.reportId} · page ${i + 1} of ${range.count}`, L.left, doc.page.height - 34, { width: L.width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  return done;
}
