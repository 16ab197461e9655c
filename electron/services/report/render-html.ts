/**
 * The HTML report: one self-contained file (styles inline, pictures as data URLs, no script, no external
 * resource), so it opens offline, prints on A4 with the same sections as the PDF, and can be mailed as is.
 * Every text from a camera, a mail or a person is escaped.
 */
import { formatShortTime, formatZonedTime, showValue, type HandOverReport, type ReportCamera } from '../../../shared/domain/report';
import { formatOffset } from '../../../shared/domain/diagnostics';

/** Escapes text for HTML content and attribute values. */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const VERDICT_TEXT: Record<ReportCamera['verdict'], string> = { pass: 'PASS', fail: 'FAIL', skipped: 'NOT DONE' };

const CSS = `
@page { size: A4; margin: 16mm 14mm; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 10pt; color: #1d232b; margin: 24px auto; max-width: 190mm; line-height: 1.35; }
h1 { font-size: 20pt; margin: 0 0 4px; } h2 { font-size: 14pt; border-bottom: 2px solid #1d4f91; padding-bottom: 3px; margin-top: 26px; }
h3 { font-size: 11.5pt; margin: 0 0 6px; } .muted { color: #5a6470; } .mono { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8.5pt; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: 3px 6px; border-bottom: 1px solid #d8dde3; }
th { background: #eef2f7; font-weight: 600; } table.kv th { width: 34%; background: none; font-weight: normal; color: #5a6470; }
.cover { border: 1px solid #c8d0da; padding: 16px 18px; border-radius: 4px; }
.sig { display: flex; gap: 24px; margin-top: 18px; } .sig > div { flex: 1; border: 1px solid #c8d0da; padding: 10px; min-height: 90px; }
.sig .line { border-bottom: 1px solid #1d232b; height: 34px; margin: 6px 0 2px; }
.cards { display: flex; gap: 8px; flex-wrap: wrap; } .card { border: 1px solid #c8d0da; border-radius: 4px; padding: 6px 12px; min-width: 80px; text-align: center; }
.card b { display: block; font-size: 16pt; }
.camera { border: 1px solid #c8d0da; border-radius: 4px; padding: 10px 12px; margin: 12px 0; page-break-inside: avoid; }
.camera .row { display: flex; gap: 12px; } .camera .row > table { flex: 1; } .camera img { width: 200px; height: auto; border: 1px solid #c8d0da; }
.v-pass { color: #1b7f3b; font-weight: 700; } .v-fail { color: #b3261e; font-weight: 700; } .v-skipped { color: #8a5a00; font-weight: 700; }
.warn { color: #8a5a00; } pre { white-space: pre-wrap; word-break: break-all; margin: 4px 0 10px; background: #f6f8fa; padding: 6px; }
`;

function kv(rows: Array<[string, string, string?]>): string {
  return `<table class="kv">${rows.map(([k, v, cls]) => `<tr><th>${esc(k)}</th><td${cls ? ` class="${cls}"` : ''}>${esc(v)}</td></tr>`).join('')}</table>`;
}

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The lines of one camera's block (the HTML and the PDF show the same). */
export function cameraFacts(r: HandOverReport, c: ReportCamera): Array<[string, string, string?]> {
  const tz = r.timeZone;
  const rows: Array<[string, string, string?]> = [
    ['Name / location', [c.name, c.location].filter(Boolean).join(' / ') || '-'],
    ['Model · MAC · IP', [c.model || '-', c.mac || '-', c.ip || '-'].join(' · ')],
    ['Firmware', c.firmwareWarning ? `${c.firmware}: ${c.firmwareWarning}` : c.firmware || '-', c.firmwareWarning ? 'warn' : undefined],
    ['Clock offset', c.clock.text, c.clock.offsetMs !== undefined && Math.abs(c.clock.offsetMs) > 5000 ? 'warn' : undefined],
    ['SMTP server / NTP server', `${c.smtpServer || '-'} / ${c.ntpServer || '-'}`],
    ['From → To', c.from || c.to ? `${c.from || '-'} → ${c.to || '-'}` : '-'],
    ['Source / handler / behaviour', c.sourceName || c.handlerName ? `${c.sourceName} / ${c.handlerName} / ${c.behaviour}` : '-'],
    [
      'Scene sensitivity left',
      c.sensitivityLeft !== undefined ? `${c.sensitivityLeft}${c.sensitivityBefore !== undefined ? ` (was ${c.sensitivityBefore})` : ''}${c.sensitivityWarning ? `: ${c.sensitivityWarning}` : ''}` : '-',
      c.sensitivityWarning ? 'warn' : undefined,
    ],
  ];
  if (c.test) {
    rows.push(['Test event', formatZonedTime(c.test.eventAt, tz)], ['Mail received', `${formatZonedTime(c.test.receivedAt, tz)}, latency ${(c.test.latencyMs / 1000).toFixed(2)} s`], ['Message-ID', c.test.messageId || '-']);
  } else rows.push(['Test', 'No test e-mail on record']);
  if (c.forwarding) rows.push(['Forwarding', c.forwarding.text, c.forwarding.outcome === 'delivered' ? undefined : 'warn']);
  rows.push(['Verdict', `${VERDICT_TEXT[c.verdict]}: ${c.verdictText}`, `v-${c.verdict}`]);
  if (c.commissionedAt) rows.push(['Commissioned', `${formatShortTime(c.commissionedAt, tz)}${c.commissionedBy ? ` by ${c.commissionedBy}` : ''}${c.attempts > 1 ? ` (${c.attempts} runs)` : ''}`]);
  return rows;
}

/** Renders the report as one HTML document. `pictures` maps a camera key to its JPEG bytes. */
export function renderHtml(r: HandOverReport, jsonSha256: string, pictures: ReadonlyMap<string, Buffer>): string {
  const tz = r.timeZone;
  const s = r.site;
  const out: string[] = [];
  out.push(`<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">`);
  out.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`);
  out.push(`<title>${esc(`Hand-over report ${s.name} ${r.reportId}`)}</title><style>${CSS}</style></head><body>`);

  out.push(`<section class="cover"><h1>Hand-over report</h1><div class="muted">E-mail notifications of Pelco Sarix cameras: set up, tested, signed off</div>`);
  out.push(
    kv([
      ['Site', s.name],
      ['Address', s.address || '-'],
      ['Customer', s.customer || '-'],
      ['Integrator', s.integrator || '-'],
      ['Technician', s.technician || '-'],
      ['Date and time', r.generatedAtLocal],
      ['App version', `Sarix Commissioner ${r.appVersion}`],
      ['Report ID', r.reportId],
      ['SHA-256 of the JSON report', jsonSha256],
    ]),
  );
  out.push(`<div class="sig">`);
  for (const who of [`Customer${s.customer ? `: ${s.customer}` : ''}`, `Technician${s.technician ? `: ${s.technician}` : ''}`]) {
    out.push(`<div><b>${esc(who)}</b><div class="line"></div><div class="muted">Name, date, signature</div></div>`);
  }
  out.push(`</div></section>`);

  const sm = r.summary;
  out.push(`<h2>Summary</h2><div class="cards">`);
  for (const [label, n] of [['Found', sm.found], ['Commissioned', sm.commissioned], ['Passed', sm.passed], ['Failed', sm.failed], ['Not done', sm.skipped], ['Open items', sm.openItems]] as const) {
    out.push(`<div class="card"><b>${n}</b>${esc(label)}</div>`);
  }
  out.push(`</div>`);
  if (r.journal.unreadableLines) out.push(`<p class="warn">${r.journal.unreadableLines} line(s) of the site journal could not be read (a torn last line after a crash) and are left out.</p>`);
  out.push(table(['Camera', 'Model', 'MAC', 'IP', 'Firmware', 'Verdict'], r.cameras.map((c) => [c.location || c.name || c.ip, c.model, c.mac, c.ip, c.firmware, VERDICT_TEXT[c.verdict]])));

  out.push(`<h2>Cameras</h2>`);
  for (const c of r.cameras) {
    const pic = pictures.get(c.key);
    out.push(`<div class="camera"><h3>${esc(c.location || c.name || c.ip)} <span class="v-${c.verdict}">${VERDICT_TEXT[c.verdict]}</span></h3><div class="row">`);
    out.push(kv(cameraFacts(r, c)));
    if (pic && c.test?.snapshot) out.push(`<figure style="margin:0"><img alt="${esc(`Test snapshot of ${c.location || c.name || c.ip}`)}" src="data:image/jpeg;base64,${pic.toString('base64')}" width="${c.test.snapshot.width}" height="${c.test.snapshot.height}"><figcaption class="muted mono">snapshot SHA-256 ${esc(c.test.snapshot.original.sha256.slice(0, 16))}…</figcaption></figure>`);
    out.push(`</div></div>`);
  }

  out.push(`<h2>Relay</h2>`);
  if (r.relay) {
    const f = r.relay.forward;
    out.push(
      kv([
        ['Status', r.relay.status],
        ['Listen address', r.relay.listenAddress ? `${r.relay.listenAddress}:${r.relay.port ?? 25}` : '-'],
        ['Allow-list', r.relay.allow.join(', ') || '(nobody)'],
        ['Upstream', f ? `${f.host}:${f.port}` : 'No forwarding (mail stays on this relay)'],
        ['TLS mode', f ? `${f.security}${f.verifyCertificate ? ', certificate verified' : ', certificate NOT verified'}` : '-'],
        ['Queue at hand-over', `${r.relay.queueLength} message(s)`],
      ]),
    );
  } else out.push(`<p class="muted">No relay on record for this site.</p>`);
  out.push(`<h3>Site mail servers</h3>`);
  const ms = r.mailServers;
  if (ms) {
    out.push(`<p class="mail-servers">${esc(ms.text)}</p>`);
    out.push(`<p class="muted">Searched ${esc(formatShortTime(ms.searchedAt, tz))}${ms.by ? ` by ${esc(ms.by)}` : ''}: ${esc(ms.searched)}. ${esc(ms.summary)}</p>`);
    if (ms.servers.length) {
      out.push(
        table(
          ['Server', 'Software', 'Found by', 'Camera may use it', 'Verdict and fix'],
          ms.servers.map((s) => [s.address && s.address !== s.host ? `${s.host} (${s.address})` : s.host, s.software ?? (s.isLocal ? '-' : 'public'), s.source, s.isUsableByCamera ? 'Yes' : 'No', s.fix ? `${s.headline} Fix: ${s.fix}` : s.headline]),
        ),
      );
    }
  } else out.push(`<p class="muted">No mail-server search on record for this site (Find the site's mail server, or sarix find-smtp).</p>`);

  out.push(`<h2>Deviations and open items</h2>`);
  out.push(r.items.length ? table(['Kind', 'Camera', 'What', 'Owner'], r.items.map((i) => [i.kind === 'deviation' ? 'Deviation' : 'Open item', i.camera ?? '-', i.text, `${i.ownerName} (${i.owner})`])) : `<p>None.</p>`);

  out.push(`<h2>Backups taken</h2>`);
  if (r.backups.length) {
    out.push(table(['Camera', 'Taken', 'File', 'SHA-256'], r.backups.map((b) => [b.camera, formatShortTime(b.takenAt, tz), b.file, b.sha256])));
    out.push(`<p>To roll a camera back to its backup, run on the computer that holds the file (the camera password is read from the environment, never from the command line):</p>`);
    out.push(`<pre class="mono">${esc(r.backups.map((b) => b.rollback).filter((x, i, a) => a.indexOf(x) === i).join('\n'))}</pre>`);
  } else out.push(`<p>No backup on record.</p>`);

  out.push(`<h2>Appendix A: change log</h2>`);
  out.push(r.changeLog.length ? table(['When', 'By', 'Camera', 'Step', 'Field', 'Before', 'After', 'Status'], r.changeLog.map((c) => [formatShortTime(c.at, tz), c.by, c.camera, c.step, c.field, showValue(c.from), showValue(c.to), c.status])) : `<p>No change on record.</p>`);

  out.push(`<h2>Appendix B: SMTP transcripts of the test sessions (redacted)</h2>`);
  if (r.transcripts.length === 0) out.push(`<p>No transcript on record.</p>`);
  for (const t of r.transcripts) {
    out.push(`<h3>${esc(t.camera)} <span class="muted">(${esc(t.clientIp)}, ${esc(formatShortTime(t.at, tz))})</span></h3>`);
    out.push(`<pre class="mono">${esc(t.lines.map((l) => `${l.dir}: ${l.line}`).join('\n'))}</pre>`);
  }

  out.push(`<h2>Appendix C: activity</h2>`);
  out.push(r.activity.length ? table(['When', 'By', 'What', 'Camera', 'Outcome'], r.activity.map((a) => [formatShortTime(a.at, tz), a.by, a.what, a.camera, a.outcome])) : `<p>Nothing recorded.</p>`);
  out.push(`<p class="muted">Generated by Sarix Commissioner ${esc(r.appVersion)} from the site journal (${r.journal.entries} entries${r.journal.firstAt ? `, ${esc(formatShortTime(r.journal.firstAt, tz))} to ${esc(formatShortTime(r.journal.lastAt!, tz))}` : ''}). Report ${esc(r.reportId)}.</p>`);
  out.push(`</body></html>\n`);
  return out.join('\n');
}

/** The clock text without the explanation (for tight places). */
export function clockShort(c: ReportCamera): string {
  return c.clock.offsetMs === undefined ? 'not measured' : `${formatOffset(c.clock.offsetMs)} vs ${c.clock.reference === 'ntp' ? 'NTP' : 'laptop'}`;
}
