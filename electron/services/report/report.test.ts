import { execFileSync } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HandOverReportSchema, type HandOverReport } from '../../../shared/domain/report';
import { silentLogger } from '../common/logger';
import { MemorySettingsStore } from '../common/settings-store';
import { startCamera, type SimCamera } from '../../simulator/index';
import { startSntpPeer, type SntpPeer } from '../diagnostics/test-peers';
import { createServices, type Services } from '../../composition/index';
import type { RelayService } from '../relay/index';
import { ReportService } from './report-service';
import { sha256Hex } from './site-journal';
import { redactTranscript } from '../../../shared/domain/site-journal';

// A 3-camera site on loopback: the practice cameras (simulator) send to the embedded relay, which forwards to a
// local upstream that demands a login. Every password used below must appear in no output.
const CAMERA_PASSWORD = 'Kamera-Geheim-7319';
const WRONG_PASSWORD = 'Falsch-Passwort-4411';
const FORWARD_PASSWORD = 'Upstream-S3cret-8824';
const SITE = { siteName: 'Lagerhalle Köln-Süd', siteAddress: 'Industriestraße 12, 50999 Köln', customer: 'Müller & Peña GmbH', integrator: 'Sicherheitstechnik Łódź Sp. z o.o.', technicianName: 'Jürgen Muñoz' };

let dir: string;
let services: Services;
let relay: RelayService;
let relayPort: number;
let upstream: SMTPServer;
let upstreamPort: number;
let upstreamLogins = 0;
let sntp: SntpPeer;
let report: ReportService;
const cams: SimCamera[] = [];
let outDir: string;
let written: { files: string[]; report: HandOverReport; jsonSha256: string };

const resolveHost = async (h: string) => {
  if (h === '127.0.0.1' || h === 'localhost') return ['127.0.0.1'];
  throw new Error(`ENOTFOUND ${h}`);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sarix-report-'));
  upstream = new SMTPServer({
    authOptional: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    onAuth: (a, _s, cb) => {
      upstreamLogins++;
      return a.password === FORWARD_PASSWORD ? cb(null, { user: a.username }) : cb(new Error('bad login'));
    },
    onData: (stream, _s, cb) => {
      stream.resume();
      stream.on('end', () => cb());
    },
    logger: false,
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamPort = (upstream.server.address() as { port: number }).port;
  sntp = await startSntpPeer();
  // The services composed as the app composes them (practice off): the journal records their events.
  services = await createServices(
    { hostKind: 'web', userDataPath: dir, logger: silentLogger, settings: new MemorySettingsStore(), resolveHost },
    { practice: false, resumeRelay: false, triggerTest: async ({ url }) => cams.find((x) => x.url === url)!.trigger('camera-sabotage', { strength: 'partial' }) },
  );
  relay = services.relay;
  report = services.report;
  // The site is named in Settings (the journal keeps it).
  services.app.updateSettings(SITE);
  relayPort = (
    await relay.start({
      listenAddress: '127.0.0.1',
      port: 0,
      allow: ['127.0.0.1'],
      forward: { host: '127.0.0.1', port: upstreamPort, security: 'none', user: 'alarms@site.example', password: FORWARD_PASSWORD, allowPasswordWithoutTls: true },
    })
  ).port;

  const cam = async (o: Parameters<typeof startCamera>[0]) => {
    const c = await startCamera({ address: '127.0.0.1', smtpPort: relayPort, resolver: async () => '127.0.0.1', password: CAMERA_PASSWORD, ...o });
    cams.push(c);
    return c;
  };
  const lobby = await cam({ mac: '00:0B:AB:4C:00:01', deviceName: 'Lobby1', model: 'IMP321-1', firmware: '3.30.1' });
  const dock = await cam({ mac: '00:0B:AB:4C:00:02', deviceName: 'Dock2', model: 'IME329-1IRS', firmware: '3.20.5', clockOffsetMs: 90_000 });
  const gate = await cam({ mac: '00:0B:AB:4C:00:03', deviceName: 'Gate3', model: 'IXE22', firmware: '3.30.1' });
  const svc = services.commissioning;
  const profile = { smtpServer: '127.0.0.1', ntpServer: '127.0.0.1', to: 'alarme@site.example', from: 'kameras@site.example', subject: 'Sabotage-Test Köln' };
  const t = (c: SimCamera, name: string, password = CAMERA_PASSWORD) => ({ url: c.url, username: 'admin', password, name });

  // Lobby: commissioned, rolled back, commissioned again (the change log shows all three).
  expect((await svc.run([t(lobby, 'Eingang Süd')], profile, { testTimeoutMs: 15_000 })).results[0].verdict).toBe('pass');
  expect((await svc.rollback(t(lobby, 'Eingang Süd'))).verified).toBe(true);
  expect((await svc.run([t(lobby, 'Eingang Süd')], profile, { testTimeoutMs: 15_000 })).results[0].verdict).toBe('pass');
  // Dock: old firmware, a camera clock 90 s ahead, and the sensitivity left at the test value 10.
  expect((await svc.run([t(dock, 'Laderampe')], { ...profile, sceneSensitivity: 10 }, { testTimeoutMs: 15_000 })).results[0].verdict).toBe('pass');
  // Gate: the wrong password.
  const gateRun = (await svc.run([t(gate, 'Tor Nord', WRONG_PASSWORD)], profile, { testTimeoutMs: 15_000 })).results[0];
  expect(gateRun.error?.code).toBe('AUTH_FAILED');
  // A doctor run on the dock camera with the site's NTP server (a local SNTP responder).
  await services.doctor.run({ camera: { url: dock.url, username: 'admin', password: CAMERA_PASSWORD }, ntpServer: { host: '127.0.0.1', port: sntp.port }, smtpServer: { host: '127.0.0.1', port: relayPort }, sendTest: false });
  // Wait until the relay forwarded the test mails upstream and the journal recorded it.
  for (let i = 0; i < 200 && (await relay.getQueue()).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
  await services.journal.flush();
  outDir = join(dir, 'out');
  written = await report.write(undefined, outDir, ['pdf', 'html', 'csv', 'json']);
  // SARIX_REPORT_SAMPLE=DIR keeps a copy of the outputs to look at (pdftoppm, a browser).
  if (process.env.SARIX_REPORT_SAMPLE) await cp(outDir, process.env.SARIX_REPORT_SAMPLE, { recursive: true });
}, 120_000);

afterAll(async () => {
  await Promise.all(cams.map((c) => c.stop()));
  await services?.dispose();
  await new Promise<void>((r) => upstream.close(() => r()));
  await sntp?.close();
  await rm(dir, { recursive: true, force: true });
});

async function allOutputFiles(): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.isDirectory()) await walk(join(d, e.name));
      else out.push(join(d, e.name));
    }
  };
  await walk(outDir);
  return out;
}

describe('hand-over report of a 3-camera site built through the practice cameras', () => {
  it('writes PDF, HTML, two CSVs, JSON and the snapshots', async () => {
    const names = written.files.map((f) => f.slice(outDir.length + 1)).sort();
    const base = `handover-lagerhalle-koln-sud-${written.report.reportId}`;
    expect(names).toEqual(expect.arrayContaining([`${base}.pdf`, `${base}.html`, `${base}-cameras.csv`, `${base}-vms-import.csv`, `${base}.json`]));
    expect(names.filter((n) => n.startsWith('snapshots/') && n.endsWith('.jpg'))).toHaveLength(2);
  });

  it('JSON: cover, summary, cameras, relay, items, backups, change log, transcripts', async () => {
    const jsonFile = written.files.find((f) => f.endsWith('.json'))!;
    const raw = await readFile(jsonFile);
    expect(sha256Hex(raw)).toBe(written.jsonSha256);
    const r = HandOverReportSchema.parse(JSON.parse(raw.toString('utf8')));
    // Cover.
    expect(r.site).toEqual({ name: SITE.siteName, address: SITE.siteAddress, customer: SITE.customer, integrator: SITE.integrator, technician: SITE.technicianName });
    expect(r.appVersion).toBe(JSON.parse(await readFile(join(import.meta.dirname, '..', '..', '..', 'package.json'), 'utf8')).version);
    expect(r.reportId).toMatch(/^SRX-\d{8}-[0-9A-F]{8}$/);
    // Printed in this computer's time zone, with the offset spelled out.
    expect(r.timeZone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(r.generatedAtLocal).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC[+-]\\d\\d:\\d\\d \\(${r.timeZone}\\)$`));
    // Summary.
    expect(r.summary).toEqual({ found: 3, commissioned: 3, passed: 2, failed: 1, skipped: 0, openItems: r.items.length });
    // Per camera.
    const [dock, lobby, gate] = ['Laderampe', 'Eingang Süd', 'Tor Nord'].map((n) => r.cameras.find((c) => c.location === n)!);
    const sims = Object.fromEntries(cams.map((c) => [c.url, c]));
    expect(lobby).toMatchObject({ name: 'Lobby1', model: 'IMP321-1', mac: sims[lobby.url].mac.toUpperCase(), ip: '127.0.0.1', firmware: '3.30.1', verdict: 'pass', smtpServer: '127.0.0.1', from: 'kameras@site.example', to: 'alarme@site.example', sourceName: 'Sabotage', handlerName: 'SabotageMail', behaviour: 'Camera Sabotage', sensitivityLeft: 5, attempts: 2, commissionedBy: SITE.technicianName });
    expect(lobby.firmwareWarning).toBeUndefined();
    expect(lobby.test).toMatchObject({ messageId: expect.stringMatching(/^<.+>$/), snapshot: { width: 400, height: 225, original: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } } });
    expect(lobby.test!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(lobby.test!.receivedAt)).toBeGreaterThanOrEqual(Date.parse(lobby.test!.eventAt));
    expect(lobby.forwarding).toMatchObject({ outcome: 'delivered' });
    expect(dock).toMatchObject({ firmware: '3.20.5', firmwareWarning: expect.stringMatching(/older than 3\.29\.69.*CVE-2018-7228/), sensitivityLeft: 10, sensitivityWarning: expect.stringMatching(/sensitivity 10/), verdict: 'pass' });
    // The dock camera runs 90 s ahead; the doctor measured it against the laptop and the laptop against NTP.
    expect(dock.clock.reference).toBe('ntp');
    expect(Math.abs(dock.clock.offsetMs! - 90_000)).toBeLessThan(3_000);
    expect(lobby.clock.reference).toBe('ntp');
    expect(Math.abs(lobby.clock.offsetMs!)).toBeLessThan(3_000);
    expect(gate).toMatchObject({ verdict: 'fail', verdictText: expect.stringMatching(/login|password|refused/i) });
    expect(gate.test).toBeUndefined();
    // Relay: address, allow-list, upstream and TLS mode, queue; no login.
    expect(r.relay).toMatchObject({ status: 'listening', listenAddress: '127.0.0.1', port: relayPort, allow: ['127.0.0.1'], forward: { host: '127.0.0.1', port: upstreamPort, security: 'none' }, queueLength: 0 });
    expect(JSON.stringify(r.relay)).not.toContain('alarms@site.example');
    // Deviations and open items, each with an owner.
    const items = r.items.map((i) => `${i.kind}|${i.owner}|${i.ownerName}|${i.camera}|${i.text}`);
    expect(items).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^open-item\|technician\|Jürgen Muñoz\|Tor Nord\|Commissioning failed/),
        expect.stringMatching(/^deviation\|technician\|Jürgen Muñoz\|Laderampe\|Camera Sabotage was left at sensitivity 10/),
        expect.stringMatching(/^open-item\|integrator\|Sicherheitstechnik Łódź Sp\. z o\.o\.\|Laderampe\|Firmware 3\.20\.5/),
        expect.stringMatching(/^open-item\|integrator\|.*\|Laderampe\|The camera clock is \+1 min 3\d s off|^open-item\|integrator\|.*\|Laderampe\|The camera clock is \+1 min 2\d s off/),
      ]),
    );
    // Backups with their hashes, and how to roll back.
    expect(r.backups.length).toBe(3);
    for (const b of r.backups) {
      expect(sha256Hex(await readFile(b.file))).toBe(b.sha256);
      expect(b.rollback).toContain(`--backup "${b.file}"`);
    }
    // Change log (before → after), with the rollback.
    expect(r.changeLog).toEqual(expect.arrayContaining([expect.objectContaining({ camera: 'Eingang Süd', field: 'general.smtpServer', from: '', to: '127.0.0.1', status: 'done' }), expect.objectContaining({ camera: 'Eingang Süd', step: 'rollback', status: 'done' })]));
    expect(r.changeLog.some((c) => c.camera === 'Laderampe' && c.field === 'Camera Sabotage.sensitivity' && c.to === 10)).toBe(true);
    // The SMTP transcripts of the test sessions.
    expect(r.transcripts.map((t) => t.camera).sort()).toEqual(['Eingang Süd', 'Eingang Süd', 'Laderampe']);
    expect(r.transcripts[0].lines.map((l) => l.line).join('\n')).toMatch(/MAIL FROM:<kameras@site\.example>[\s\S]*DATA/);
    expect(r.activity.map((a) => a.what)).toEqual(expect.arrayContaining(['Commissioning with test', 'Rollback', 'Troubleshoot (doctor)']));
    expect(r.journal.unreadableLines).toBe(0);
  });

  it('CSV: one row per camera; the VMS import has address, model, MAC and name and empty credentials', async () => {
    const camCsv = parse(await readFile(written.files.find((f) => f.endsWith('-cameras.csv'))!, 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(camCsv).toHaveLength(3);
    const dock = camCsv.find((r) => r.location === 'Laderampe')!;
    expect(dock).toMatchObject({ site: SITE.siteName, camera_name: 'Dock2', model: 'IME329-1IRS', ip: '127.0.0.1', firmware: '3.20.5', smtp_server: '127.0.0.1', from: 'kameras@site.example', to: 'alarme@site.example', source: 'Sabotage', handler: 'SabotageMail', sensitivity_left: '10', verdict: 'pass', forwarding: 'delivered', technician: SITE.technicianName });
    expect(dock.mac).toMatch(/^00:0B:AB(:[0-9A-F]{2}){3}$/);
    expect(dock.firmware_warning).toMatch(/CVE/);
    expect(Number(dock.clock_offset_ms)).toBeGreaterThan(85_000);
    expect(dock.message_id).toMatch(/^<.+>$/);
    expect(camCsv.find((r) => r.location === 'Tor Nord')!.verdict).toBe('fail');
    const vms = parse(await readFile(written.files.find((f) => f.endsWith('-vms-import.csv'))!, 'utf8'), { bom: true, columns: true }) as Array<Record<string, string>>;
    expect(Object.keys(vms[0])).toEqual(['HardwareAddress', 'HardwarePort', 'HardwareName', 'HardwareModel', 'HardwareMacAddress', 'HardwareUsername', 'HardwarePassword']);
    expect(vms.map((v) => v.HardwareName).sort()).toEqual(['Eingang Süd', 'Laderampe', 'Tor Nord']);
    for (const v of vms) {
      expect(v).toMatchObject({ HardwareAddress: '127.0.0.1', HardwareUsername: '', HardwarePassword: '' });
      const c = written.report.cameras.find((x) => x.location === v.HardwareName)!;
      expect(Number(v.HardwarePort)).toBe(Number(new URL(c.url).port));
      // The MAC is known once the camera answered its login (the gate camera refused the wrong password).
      expect(v.HardwareMacAddress).toBe(v.HardwareName === 'Tor Nord' ? '' : c.mac);
      expect(v.HardwareModel).toBe(v.HardwareName === 'Tor Nord' ? '' : c.model);
    }
  });

  it('PDF: passes qpdf --check, and pdftotext shows the cover, the camera rows and every section', async () => {
    const pdf = written.files.find((f) => f.endsWith('.pdf'))!;
    execFileSync('qpdf', ['--check', pdf], { stdio: 'pipe' });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    for (const s of ['Hand-over report', SITE.siteName, SITE.customer, SITE.integrator, SITE.technicianName, 'Industriestraße 12', written.report.reportId, written.jsonSha256, 'Signature', 'Summary', 'Cameras', 'Relay', 'Deviations and open items', 'Backups taken', 'Appendix A: change log', 'Appendix B: SMTP transcripts', 'MAIL FROM:<kameras@site.example>']) {
      expect(text).toContain(s);
    }
    for (const c of written.report.cameras) {
      // One line per camera in the camera table: name, model, MAC, IP, firmware, verdict.
      const row = new RegExp(`${c.location}\\s+${c.model}\\s+${c.mac}\\s+${c.ip.replace(/\./g, '\\.')}\\s+${c.firmware.replace(/\./g, '\\.')}`);
      expect(text).toMatch(row);
    }
    expect(text).toMatch(/Laderampe\s+PASS/);
    expect(text).toMatch(/Tor Nord\s+FAIL/);
    // The snapshots are embedded as pictures.
    const images = execFileSync('pdfimages', ['-list', pdf], { encoding: 'utf8' });
    expect(images.split('\n').filter((l) => /\bjpeg\b/.test(l)).length).toBe(2);
  });

  it('HTML: self-contained (no external resource) with the pictures inline', async () => {
    const html = await readFile(written.files.find((f) => f.endsWith('.html'))!, 'utf8');
    expect(html).toContain('Müller &amp; Peña GmbH');
    expect(html.match(/src="data:image\/jpeg;base64,/g)).toHaveLength(2);
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
    expect(html).toContain('Appendix B: SMTP transcripts');
  });

  it('no password or forwarding secret appears in any output, the journal or the site export', async () => {
    const secrets = [CAMERA_PASSWORD, WRONG_PASSWORD, FORWARD_PASSWORD, Buffer.from(FORWARD_PASSWORD).toString('base64'), Buffer.from(`\0alarms@site.example\0${FORWARD_PASSWORD}`).toString('base64')];
    const files = [...(await allOutputFiles()), report.journal().file];
    expect(files.length).toBeGreaterThan(6);
    for (const f of files) {
      const text = (await readFile(f)).toString('latin1') + (await readFile(f)).toString('utf8');
      for (const s of secrets) expect(text.includes(s), `${s} in ${f}`).toBe(false);
    }
    const exported = (await report.exportSite()).data.toString('utf8');
    for (const s of secrets) expect(exported).not.toContain(s);
    // The upstream login did happen (the secret was in use, not absent).
    expect(upstreamLogins).toBeGreaterThan(0);
  });

  it('export and import: a colleague rebuilds the same report; an existing site is never overwritten silently', async () => {
    const exp = await report.exportSite();
    const dir2 = await mkdtemp(join(tmpdir(), 'sarix-report-colleague-'));
    try {
      const colleague = new ReportService({ userDataPath: dir2, logger: silentLogger, appVersion: '9.9.9-test', currentSite: () => ({ name: '' }), timeZone: () => 'Europe/Madrid' });
      const imp = await colleague.importSite(exp.data);
      expect(imp).toMatchObject({ site: { name: SITE.siteName }, added: exp.entries, alreadyThere: 0, pictures: 1 });
      const again = await colleague.build(SITE.siteName);
      expect(again.report.summary).toEqual(written.report.summary);
      expect(again.report.cameras.map((c) => [c.key, c.verdict, c.test?.snapshot?.sha256])).toEqual(written.report.cameras.map((c) => [c.key, c.verdict, c.test?.snapshot?.sha256]));
      expect(again.report.site.customer).toBe(SITE.customer);
      const pdf = await colleague.render(SITE.siteName, ['pdf']);
      expect(pdf.files[0].data.subarray(0, 5).toString()).toBe('%PDF-');
      await expect(colleague.importSite(exp.data)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already has a journal/) });
      expect(await colleague.importSite(exp.data, { merge: true })).toMatchObject({ added: 0, alreadyThere: exp.entries });
      const renamed = await colleague.importSite(exp.data, { asName: 'Köln-Süd Kopie' });
      expect(renamed.site.name).toBe('Köln-Süd Kopie');
      expect((await colleague.build('Köln-Süd Kopie')).report.site.name).toBe('Köln-Süd Kopie');
      // A damaged export is refused whole.
      const bad = JSON.parse(exp.data.toString('utf8'));
      const sha = Object.keys(bad.pictures)[0];
      bad.pictures[sha] = Buffer.from('not the picture').toString('base64');
      await expect(colleague.importSite(Buffer.from(JSON.stringify(bad)), { asName: 'Other' })).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/does not match its SHA-256/) });
      await expect(colleague.build('Other')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(colleague.importSite(Buffer.from('{"format":"something else"}'))).rejects.toMatchObject({ code: 'VALIDATION' });
    } finally {
      await rm(dir2, { recursive: true, force: true });
    }
  });
});

describe('SMTP transcripts are redacted', () => {
  it('a client that logs in to the relay: its AUTH exchange is blanked', async () => {
    const seen = relay.events.next('message-received', (m) => m.subject === 'login test');
    const t = nodemailer.createTransport({ host: '127.0.0.1', port: relayPort, secure: false, ignoreTLS: true, auth: { user: 'nvr', pass: CAMERA_PASSWORD }, authMethod: 'LOGIN' });
    await t.sendMail({ from: 'nvr@site.example', to: 'x@site.example', subject: 'login test', text: 'x' });
    const m = await seen;
    const raw = relay.getTranscript(m.sessionId).lines;
    const redacted = redactTranscript(raw);
    const text = redacted.map((l) => l.line).join('\n');
    expect(text).toMatch(/AUTH LOGIN/);
    expect(text).toContain('[redacted]');
    for (const s of [CAMERA_PASSWORD, Buffer.from(CAMERA_PASSWORD).toString('base64'), Buffer.from('nvr').toString('base64')]) expect(text).not.toContain(s);
    expect(text).toMatch(/MAIL FROM:<nvr@site\.example>/);
  });
});
