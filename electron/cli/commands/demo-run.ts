/**
 * `sarix demo` (issue 6): closes the loop with no hardware and no root. Everything is on loopback and high ports:
 * a practice camera (the simulator; its smtpPort knob points at the relay's port), the embedded relay, the
 * discovery service's unicast probe of the camera's address, the full commissioning plan, Camera Sabotage fired
 * through the simulator's own /__sim/ hook (the product's driver never calls it), and the verdict.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CameraResult } from '../../../shared/domain/commissioning';
import { isAppFailure } from '../../../shared/ipc/result';
import { EventHub } from '../../core/event-hub';
import { consoleLogger, silentLogger } from '../../core/logger';
import { CommissioningService, EmbeddedTestRelay, type TriggerOutcome } from '../../services/commissioning/index';
import { DiscoveryService } from '../../services/discovery/index';
import { RelayService } from '../../services/relay/index';
import { ensurePrivateDir } from '../../services/common/private-files';
import { startCamera, type SimCamera } from '../../simulator/index';
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

/** Runs `sarix demo`; exit code 0 only on pass. */
export async function runDemo(flags: DemoFlags): Promise<void> {
  if (flags.formVariant !== 'standard' && flags.formVariant !== 'alt') throw new UsageError(`--form-variant must be "standard" or "alt" (got "${flags.formVariant}").`);
  const say = (s: string) => {
    if (!flags.json) process.stdout.write(s);
  };
  const log = flags.json ? silentLogger : consoleLogger('demo');
  const dir = flags.data ? resolve(flags.data) : await mkdtemp(join(tmpdir(), 'sarix-demo-'));
  // The demo keeps camera backups and mail there: owner-only, like the app's user-data folder.
  ensurePrivateDir(dir);
  const hub = new EventHub((n, i) => log.error(`dropped invalid event ${n}`, i));
  const relay = new RelayService({ dataDir: join(dir, 'relay'), events: hub, logger: log });
  let cam: SimCamera | undefined;
  let discovery: DiscoveryService | undefined;
  let result: DemoResult;
  try {
    say('Sarix Commissioner demo: everything runs on this computer (loopback, high ports).\n\n');
    say('1/5 Starting the embedded relay ... ');
    const bound = await relay.start({ listenAddress: LOOPBACK, port: 0, allow: [] });
    say(`listening on ${bound.address}:${bound.port}\n`);

    say('2/5 Starting the practice camera (simulator) ... ');
    cam = await startCamera({
      address: LOOPBACK,
      smtpPort: bound.port,
      // The practice camera resolves names itself; no real DNS is ever asked.
      resolver: async (h) => {
        if (h === LOOPBACK || h === 'localhost') return LOOPBACK;
        throw new Error(`the practice camera only knows ${LOOPBACK}`);
      },
      ssdp: { port: 0 },
      formVariant: flags.formVariant,
      deviceName: 'PracticeCam1',
      logger: log,
    });
    const camPort = Number(new URL(cam.url).port);
    say(`${cam.url} (login admin/admin)\n`);

    say(`3/5 Finding the camera with the discovery service (unicast probe of ${LOOPBACK}:${camPort}) ... `);
    discovery = new DiscoveryService({
      events: hub,
      logger: log,
      ports: { ssdp: cam.ssdpPort },
      resolve: async (h) => {
        if (h === LOOPBACK) return [LOOPBACK];
        throw new Error(`the demo resolves only ${LOOPBACK}`);
      },
    });
    // Unicast only: an HTTP probe of one loopback address plus the explicit host (M-SEARCH to its SSDP port).
    const scan = await discovery.scan({ methods: ['sweep'], sweep: `${LOOPBACK}/32`, hosts: [LOOPBACK], httpPort: camPort, timeoutMs: 1500 });
    const found = scan.cameras.find((d) => d.ip === LOOPBACK && d.isSarix);
    if (!found) {
      const why = [...scan.errors, ...scan.warnings].map((p) => p.message).join(' ');
      throw Object.assign(new Error(`The discovery probe did not find the practice camera at ${LOOPBACK}:${camPort}.${why ? ' ' + why : ''}`), { code: 'NOT_FOUND' });
    }
    const webUrl = found.webUrl ?? `http://${found.ip}:${camPort}`;
    say(`found ${found.model ?? 'a Sarix camera'} ${found.mac ?? ''} at ${webUrl} (${found.methods.join(', ')})\n`);

    say('4/5 Commissioning it:\n');
    const sim = cam;
    const triggerTest = async (): Promise<TriggerOutcome> => {
      // The simulator's test hook stands in for a hand over the lens; 'partial' needs sensitivity 8 or more.
      const r = await fetch(`${sim.url}/__sim/trigger`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ behaviour: 'camera-sabotage', strength: 'partial' }) });
      const body = (await r.json()) as { detected?: boolean; reason?: string; error?: string };
      if (!r.ok) return { detected: false, reason: body.error ?? `the simulator hook answered HTTP ${r.status}` };
      return { detected: body.detected === true, reason: body.reason };
    };
    const svc = new CommissioningService({
      events: hub,
      logger: log,
      backupDir: join(dir, 'backups'),
      relay: new EmbeddedTestRelay(relay, hub, { listenAddress: LOOPBACK, port: bound.port }),
      triggerTest,
      resolveHost: async (h) => {
        if (h === LOOPBACK || h === 'localhost') return [LOOPBACK];
        throw new Error('the demo resolves no names');
      },
    });
    const off = printProgress(hub, false, (s) => say('    ' + s.replace(/\n(?=.)/g, '\n    ')));
    const job = await svc.run(
      [{ url: new URL(webUrl).origin, username: 'admin', password: 'admin', name: 'PracticeCam1' }],
      { smtpServer: LOOPBACK, ntpServer: LOOPBACK, to: 'alarms@demo.invalid', from: 'practicecam1@demo.invalid', subject: 'Sarix demo: Camera Sabotage' },
      { testTimeoutMs: Math.round(flags.testTimeout * 1000) },
    );
    off();
    const r = job.results[0];
    result = toDemoResult(r, null);
    say(`5/5 ${summaryLine(r)}\n`);
    if (r.message) say(`    e-mail: From ${r.message.from}, To ${r.message.to.join(', ')}, Subject "${r.message.subject}", ${r.message.attachments.map((a) => `${a.contentType} ${a.size} bytes`).join(', ') || 'no attachment'}\n`);
  } catch (e) {
    const code = isAppFailure(e) ? e.code : ((e as { code?: string }).code ?? 'INTERNAL');
    const message = (e as Error).message ?? String(e);
    result = toDemoResult(undefined, cam ? { ip: cam.ip, model: cam.model, mac: cam.mac } : null, { code, message });
    say(`\nFAIL (${code}): ${message}\n`);
  } finally {
    await discovery?.dispose().catch(() => undefined);
    await cam?.stop().catch(() => undefined);
    await relay.stop().catch(() => undefined);
    if (!flags.data) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
  say(`\nVerdict: ${result.verdict.toUpperCase()}\n`);
  if (flags.json) printJson(result);
  if (result.verdict !== 'pass') throw new CliFailure(`The demo did not pass${result.error ? `: ${result.error.message}` : ''}.`, 1);
}
