/**
 * Hand-over report benchmark: a site journal of 50 cameras, each with a test snapshot, is turned into the report
 * (PDF, HTML, both CSVs, JSON). Snapshots are 1280×720 camera-like frames (a scene of gradients, shapes and
 * sensor noise, JPEG quality 80, about 150–250 KB each, much harder to compress than the simulator's test
 * pattern), scaled once at recording time as the journal does. Measured: the scaling cost per snapshot (paid
 * when the test e-mail is recorded), the report build time (target < 3 s for all formats), and the PDF's size
 * (target < 2 MB). The PDF passes `qpdf --check` and its first page is rendered to .tmp/bench-report/.
 * Timing is reported, never asserted.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { percentile, writeResultsSection } from './lib/results';
import { silentLogger } from '../electron/services/common/logger';
import { ReportService, scaleEvidence, sha256Hex } from '../electron/services/report/index';
import type { JournalEntry } from '../shared/domain/site-journal';

const CAMERAS = 50;
const RUNS = 5;
const hardStop = setTimeout(() => {
  process.stderr.write('report bench: hard time limit reached, stopping\n');
  process.exit(1);
}, 240_000);
hardStop.unref();

/** A deterministic pseudo-random generator (mulberry32), so every run draws the same frames. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A camera-like 1280×720 frame: sky and floor gradients, a few boxes, sensor noise. */
function frame(seed: number): Buffer {
  const w = 1280;
  const h = 720;
  const r = rng(seed);
  const data = Buffer.alloc(w * h * 4);
  const boxes = Array.from({ length: 6 }, () => ({ x: r() * w, y: h * 0.35 + r() * h * 0.5, w: 60 + r() * 260, h: 40 + r() * 200, c: [r() * 255, r() * 255, r() * 255] }));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      let c = y < h * 0.4 ? [120 + (y / h) * 200, 150 + (y / h) * 150, 200] : [90 + (x / w) * 60, 85 + (y / h) * 50, 70];
      for (const b of boxes) if (x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h) c = b.c;
      const n = (r() - 0.5) * 28;
      data[i] = Math.max(0, Math.min(255, c[0] + n));
      data[i + 1] = Math.max(0, Math.min(255, c[1] + n));
      data[i + 2] = Math.max(0, Math.min(255, c[2] + n));
      data[i + 3] = 255;
    }
  }
  return Buffer.from(jpeg.encode({ width: w, height: h, data }, 80).data);
}

const dir = await mkdtemp(join(tmpdir(), 'sarix-report-bench-'));
try {
  const site = { name: 'Logistikzentrum Süd', address: 'Hafenstraße 7, 28217 Bremen', customer: 'Nordsee Logistik GmbH', integrator: 'Sicherheitstechnik Peña & Łukasz', technician: 'Jürgen Muñoz' };
  const svc = new ReportService({ userDataPath: dir, logger: silentLogger, appVersion: 'bench', currentSite: () => site, timeZone: () => 'Europe/Berlin' });
  const journal = svc.journal();
  await journal.append({ kind: 'site', site });

  // Recording: decode, scale and store each snapshot as the journal does when the test e-mail arrives.
  const scaleMs: number[] = [];
  const originals: number[] = [];
  const scaledBytes: number[] = [];
  const entries: JournalEntry[] = [];
  const t0 = Date.parse('2026-11-29T08:00:00Z');
  for (let i = 0; i < CAMERAS; i++) {
    const raw = frame(i + 1);
    originals.push(raw.length);
    const s0 = performance.now();
    const scaled = scaleEvidence(raw)!;
    const sha = await journal.savePicture(scaled.jpeg);
    scaleMs.push(performance.now() - s0);
    scaledBytes.push(scaled.jpeg.length);
    const at = new Date(t0 + i * 90_000).toISOString();
    const mac = `00:0B:AB:20:${String(Math.floor(i / 100)).padStart(2, '0')}:${String(i % 100).padStart(2, '0')}`;
    const ip = `10.20.0.${20 + i}`;
    const backupFile = join(dir, 'backups', `${mac.replace(/:/g, '')}.json`);
    await mkdir(join(dir, 'backups'), { recursive: true });
    await writeFile(backupFile, JSON.stringify({ mac, general: { smtpServer: '', ntpServer: '' } }));
    const transcript = ['EHLO Cam' + i, '250-sarix-relay', 'MAIL FROM:<cam@site.example>', '250 Accepted', 'RCPT TO:<alarme@site.example>', '250 Accepted', 'DATA', '354 End data with <CR><LF>.<CR><LF>', '250 Message stored', 'QUIT', '221 Bye'].map((line, k) => ({ at, dir: (k % 2 ? 'S' : 'C') as 'C' | 'S', line }));
    entries.push({
      v: 1,
      id: randomUUID(),
      at,
      by: site.technician,
      kind: 'commissioning',
      operationId: 'bench',
      url: `http://${ip}`,
      label: `Halle ${Math.floor(i / 10) + 1} Tor ${(i % 10) + 1}`,
      camera: { ip, model: i % 3 ? 'IXE22' : 'IMP321-1', mac, firmware: i % 7 ? '3.30.1' : '3.20.5', name: `Cam${i + 1}` },
      verdict: i % 17 === 5 ? 'fail' : 'pass',
      tested: true,
      settings: { smtpServer: '10.20.0.2', ntpServer: '10.20.0.1', to: 'alarme@site.example', from: 'cam@site.example', subject: 'Sabotage', sourceName: 'Sabotage', handlerName: 'SabotageMail', behaviour: 'Camera Sabotage' },
      sensitivityBefore: 5,
      sensitivityLeft: i % 11 === 3 ? 10 : 5,
      steps: [],
      changes: [
        { step: 'smtp-ntp', field: 'general.smtpServer', from: '', to: '10.20.0.2', status: 'done' },
        { step: 'smtp-ntp', field: 'general.ntpServer', from: '', to: '10.20.0.1', status: 'done' },
        { step: 'source', field: 'source Sabotage.behaviours', from: null, to: ['Camera Sabotage'], status: 'done' },
        { step: 'handler', field: 'handler SabotageMail.to', from: null, to: 'alarme@site.example', status: 'done' },
        { step: 'sabotage', field: 'Camera Sabotage.sensitivity', from: 5, to: 10, status: 'done' },
        { step: 'restore-sensitivity', field: 'Camera Sabotage.sensitivity', from: 10, to: 5, status: 'done' },
      ],
      ...(i % 17 === 5
        ? { error: { code: 'TIMEOUT', message: 'FAIL: no test e-mail within 120 s.' } }
        : {
            test: {
              eventAt: at,
              receivedAt: new Date(Date.parse(at) + 900 + i * 7).toISOString(),
              latencyMs: 900 + i * 7,
              messageId: `<${randomUUID()}@site.example>`,
              relayMessageId: `r${i}`,
              from: 'cam@site.example',
              to: ['alarme@site.example'],
              subject: 'Sabotage',
              dateHeader: new Date(Date.parse(at) + 900 + (i % 5) * 1000).toISOString(),
              snapshot: { sha256: sha, width: scaled.width, height: scaled.height, bytes: scaled.jpeg.length, original: { filename: 'snapshot.jpg', ...scaled.original } },
              transcript: { sessionId: `s${i}`, clientIp: ip, lines: transcript },
            },
          }),
      backup: { file: backupFile, sha256: sha256Hex(JSON.stringify({ mac, general: { smtpServer: '', ntpServer: '' } })) },
      rolledBack: i % 17 === 5,
      warnings: [],
      durationMs: 4000,
    });
  }
  await journal.appendEntries(entries);

  // The report, all formats, several times; then the PDF alone.
  const allMs: number[] = [];
  const allCpuMs: number[] = [];
  let last: Awaited<ReturnType<typeof svc.render>> | undefined;
  for (let k = 0; k < RUNS; k++) {
    const s = performance.now();
    const c = process.cpuUsage();
    last = await svc.render(undefined, ['pdf', 'html', 'csv', 'json']);
    const cpu = process.cpuUsage(c);
    allMs.push(performance.now() - s);
    // CPU time of this process: steadier than wall time when other work loads the machine.
    allCpuMs.push((cpu.user + cpu.system) / 1000);
  }
  const pdfMs: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const s = performance.now();
    await svc.render(undefined, ['pdf']);
    pdfMs.push(performance.now() - s);
  }
  const files = last!.files;
  const pdf = files.find((f) => f.name.endsWith('.pdf'))!;
  const html = files.find((f) => f.name.endsWith('.html'))!;
  const json = files.find((f) => f.name.endsWith('.json'))!;
  const outDir = resolve('.tmp', 'bench-report');
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const pdfPath = join(outDir, pdf.name);
  await writeFile(pdfPath, pdf.data);
  let qpdf = 'not run';
  try {
    execFileSync('qpdf', ['--check', pdfPath], { stdio: 'pipe' });
    qpdf = 'passes';
  } catch (e) {
    qpdf = `FAILS: ${(e as { stdout?: Buffer }).stdout?.toString().slice(0, 200)}`;
  }
  const text = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  const rows = last!.report.cameras.filter((c) => text.includes(c.mac)).length;
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdfPath], { encoding: 'utf8' }))?.[1] ?? 0);
  execFileSync('pdftoppm', ['-png', '-r', '70', '-f', '1', '-l', '2', pdfPath, join(outDir, 'page')]);

  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
  const p50all = percentile(allMs, 50);
  const met = p50all < 3000 && pdf.data.length < 2 * 1024 * 1024 && qpdf === 'passes';
  const lines = [
    `report bench: ${CAMERAS} cameras, all formats p50 ${p50all.toFixed(0)} ms wall (max ${Math.max(...allMs).toFixed(0)}), ${percentile(allCpuMs, 50).toFixed(0)} ms CPU; PDF alone p50 ${percentile(pdfMs, 50).toFixed(0)} ms`,
    `PDF ${kb(pdf.data.length)} (${pages} pages, qpdf ${qpdf}, ${rows}/${CAMERAS} camera MACs in pdftotext), HTML ${kb(html.data.length)}, JSON ${kb(json.data.length)}`,
    `snapshot scaling per camera p50 ${percentile(scaleMs, 50).toFixed(0)} ms; originals p50 ${kb(percentile(originals, 50))}, scaled p50 ${kb(percentile(scaledBytes, 50))}`,
    `first pages rendered to ${outDir}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  writeResultsSection(
    'report',
    'Hand-over report',
    `${CAMERAS} cameras, each with a 1280×720 camera-like snapshot (JPEG q80, originals p50 ${kb(percentile(originals, 50))}), scaled to 400 px when recorded. Targets: all formats under 3 s, PDF under 2 MB → **${met ? 'MET' : 'NOT MET'}**.

| measure | value |
|---|---|
| report, all formats (PDF, HTML, 2 CSV, JSON), ${RUNS} runs | wall p50 ${p50all.toFixed(0)} ms, max ${Math.max(...allMs).toFixed(0)} ms; CPU p50 ${percentile(allCpuMs, 50).toFixed(0)} ms |
| PDF alone, ${RUNS} runs | p50 ${percentile(pdfMs, 50).toFixed(0)} ms, max ${Math.max(...pdfMs).toFixed(0)} ms |
| PDF size | ${kb(pdf.data.length)} (${pages} pages), qpdf --check ${qpdf}, ${rows}/${CAMERAS} camera rows found by pdftotext |
| HTML / JSON size | ${kb(html.data.length)} / ${kb(json.data.length)} |
| snapshot scaling when recorded (decode 1280×720 + scale + encode + fsync) | p50 ${percentile(scaleMs, 50).toFixed(0)} ms, max ${Math.max(...scaleMs).toFixed(0)} ms per camera |
| scaled snapshot | p50 ${kb(percentile(scaledBytes, 50))} (400×225) |

Load average at the end: ${loadavg()[0].toFixed(1)} on this machine's cores (other work inflates wall times).

Command: \`node --import tsx bench/report.bench.ts\` (or \`npm run bench -- report\`); first pages in \`.tmp/bench-report/\`.`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
