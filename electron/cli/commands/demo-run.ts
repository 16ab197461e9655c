/**
 * `sarix demo`: closes the loop with no hardware and no root. It composes the services as the app does, with
 * practice mode on: a practice camera (the simulator; its smtpPort knob points at the relay's port) and the
 * embedded relay on loopback and high ports. Then the discovery service's unicast probe of the camera's address,
 * the full commissioning plan, Camera Sabotage fired on the practice camera by the practice helper (the same
 * trigger the app's practice mode uses), and the verdict.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CameraResult } from '../../../shared/domain/commissioning';
import { failure, msg } from '../../../shared/i18n/messages';
import { isAppFailure } from '../../../shared/ipc/result';
import type { Services } from '../../composition/index';
import { ensurePrivateDir } from '../../services/common/private-files';
import { failureText, localized } from '../i18n';
import { cliServices } from '../services';
import { CliFailure, UsageError, printJson } from '../util';
import type { DemoFlags } from './demo';
import { printProgress, summaryLine } from './commission-output';

const LOOPBACK = '127.0.0.1';

/** The demo's closing JSON object (the last line with --json). */
export interface DemoResult {
  verdict: 'pass' | 'fail';
  camera: { ip: string; model: string; mac: string } | null;
  steps: Array<{ id: string; status: string; durationMs: number }>;
  latencyMs: number | null;
  message: { from: string; to: string[]; subject: string; attachments: Array<{ filename: string; contentType: string; size: number }> } | null;
  sensitivityRestoredTo: number | null;
  /** The hand-over report written at the end. */
  report?: { reportId: string; dir: string; files: string[] };
  error?: { code: string; message: string };
}

function toDemoResult(r: CameraResult | undefined, camera: DemoResult['camera'], error?: DemoResult['error']): DemoResult {
  return {
    verdict: r?.verdict === 'pass' ? 'pass' : 'fail',
    camera: r?.camera ? { ip: r.camera.ip, model: r.camera.model, mac: r.camera.mac } : camera,
    steps: (r?.steps ?? []).map((s) => ({ id: s.id, status: s.status, durationMs: s.durationMs })),
    latencyMs: r?.latencyMs ?? null,
    message: r?.message ?? null,
    sensitivityRestoredTo: r?.sensitivityRestoredTo ?? null,
    ...(error ?? r?.error ? { error: error ?? r!.error } : {}),
  };
}

/** The demo resolves no names: only loopback, so nothing ever leaves this computer. */
async function loopbackOnly(h: string): Promise<string[]> {
  if (h === LOOPBACK || h === 'localhost') return [LOOPBACK];
  // The resolver's failure travels inside the discovery service's result (and --json), so it stays English.
  throw new Error(msg('cli.demo.loopbackOnly', { address: LOOPBACK, host: h }));
}

/** Runs `sarix demo`; exit code 0 only on pass. */
export async function runDemo(flags: DemoFlags): Promise<void> {
  if (flags.formVariant !== 'standard' && flags.formVariant !== 'alt') throw new UsageError(localized('cli.usage.formVariant', { value: flags.formVariant }));
  const say = (s: string) => {
    if (!flags.json) process.stdout.write(s);
  };
  const dir = flags.data ? resolve(flags.data) : await mkdtemp(join(tmpdir(), 'sarix-demo-'));
  // The demo keeps camera backups and mail there: owner-only, like the app's user-data folder.
  ensurePrivateDir(dir);
  let services: Services | undefined;
  let camera: DemoResult['camera'] = null;
  let result: DemoResult;
  // The failure as the technician reads it (the JSON result keeps the service's English message).
  let shownError: string | undefined;
  try {
    say(`${localized('cli.demo.intro')}\n\n`);
    say(`${localized('cli.demo.starting')} `);
    services = await cliServices(
      { scope: 'demo', data: dir, isQuiet: flags.json, resolveHost: loopbackOnly },
      { practice: { count: 1, relayPort: 0, formVariant: flags.formVariant as 'standard' | 'alt', ssdp: true } },
    );
    // The demo's work is journaled under its own site name, and the report's cover says so.
    services.app.updateSettings({ siteName: 'Practice site (sarix demo)', customer: 'Demo customer', integrator: 'Demo integrator', technicianName: 'Demo technician' });
    const practice = services.practice.state();
    if (practice.status !== 'running' || !practice.camera || !practice.relay) {
      throw practice.error ? Object.assign(new Error(practice.error), { code: 'UNAVAILABLE' }) : failure('UNAVAILABLE', 'cli.demo.practiceNotStarted');
    }
    const cam = practice.camera;
    camera = { ip: cam.ip, model: cam.model, mac: cam.mac };
    say(`${localized('cli.demo.ready')}\n`);
    say(`${localized('cli.demo.listening', { address: `${practice.relay.address}:${practice.relay.port}`, url: cam.url })}\n`);

    say(`${localized('cli.demo.finding', { address: `${LOOPBACK}:${cam.httpPort}` })} `);
    // Unicast only: an HTTP probe of one loopback address plus the explicit host (M-SEARCH to its SSDP port).
    const scan = await services.discovery.scan({ methods: ['sweep'], sweep: `${LOOPBACK}/32`, hosts: [LOOPBACK], httpPort: cam.httpPort, timeoutMs: 1500 });
    const found = scan.cameras.find((d) => d.ip === LOOPBACK && d.isSarix);
    if (!found) {
      const why = [...scan.errors, ...scan.warnings].map((p) => p.message).join(' ');
      const address = `${LOOPBACK}:${cam.httpPort}`;
      throw why ? failure('NOT_FOUND', 'cli.demo.notFoundWhy', { address, why }) : failure('NOT_FOUND', 'cli.demo.notFound', { address });
    }
    const webUrl = found.webUrl ?? `http://${found.ip}:${cam.httpPort}`;
    say(`${localized('cli.demo.found', { model: found.model ?? localized('cli.demo.aSarixCamera'), mac: found.mac ?? '', url: webUrl, methods: found.methods.join(', ') })}\n`);

    say(`${localized('cli.demo.commissioning')}\n`);
    const off = printProgress(services.commissioning.events, false, (s) => say('    ' + s.replace(/\n(?=.)/g, '\n    ')));
    const job = await services.commissioning.run(
      [{ url: new URL(webUrl).origin, username: 'admin', password: 'admin', name: cam.name }],
      { smtpServer: LOOPBACK, ntpServer: LOOPBACK, to: 'alarms@demo.invalid', from: `${cam.name.toLowerCase()}@demo.invalid`, subject: 'Sarix demo: Camera Sabotage' },
      { testTimeoutMs: Math.round(flags.testTimeout * 1000) },
    );
    off();
    const r = job.results[0];
    result = toDemoResult(r, null);
    say(`5/5 ${summaryLine(r)}\n`);
    if (r.message) {
      const attachments = r.message.attachments.map((a) => localized('cli.demo.attachment', { type: a.contentType, size: a.size })).join(', ') || localized('cli.demo.noAttachment');
      say(`    ${localized('cli.demo.email', { from: r.message.from, to: r.message.to.join(', '), subject: r.message.subject, attachments })}\n`);
    }
    // The hand-over report from the site journal the run just filled (kept, unlike a temporary data folder).
    await services.journal.flush();
    const reportDir = resolve(flags.reportDir ?? (flags.data ? join(dir, 'reports') : await mkdtemp(join(tmpdir(), 'sarix-demo-report-'))));
    const written = await services.report.write(undefined, reportDir, ['pdf', 'html', 'csv', 'json']);
    result.report = { reportId: written.report.reportId, dir: written.dir, files: written.files };
    say(`\n${localized('cli.demo.reportWritten', { id: written.report.reportId, dir: written.dir })}\n${written.files.filter((f) => !/[\\/]snapshots[\\/]/.test(f)).map((f) => `    ${f}\n`).join('')}`);
  } catch (e) {
    const code = isAppFailure(e) ? e.code : ((e as { code?: string }).code ?? 'INTERNAL');
    const message = (e as Error).message ?? String(e);
    result = toDemoResult(undefined, camera, { code, message });
    shownError = isAppFailure(e) ? failureText(e) : message;
    say(`\nFAIL (${code}): ${shownError}\n`);
  } finally {
    await services?.dispose().catch(() => undefined);
    if (!flags.data) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  say(`\n${localized('cli.demo.verdict', { verdict: result.verdict.toUpperCase() })}\n`);
  if (flags.json) printJson(result);
  if (result.verdict !== 'pass') {
    const why = shownError ?? (result.error ? failureText(result.error) : undefined);
    throw new CliFailure(why ? localized('cli.demo.notPassedBecause', { message: why }) : localized('cli.demo.notPassed'), 1);
  }
}
