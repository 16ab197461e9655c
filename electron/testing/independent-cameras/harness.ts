/**
 * Test support: runs the product's real flow against an independent camera UI. Commissioning goes through the
 * CommissioningService (the one createServices composes for every host) with the test e-mail through the
 * embedded relay; the undo goes through `sarix rollback` (the CLI entry, in this process) with the same data
 * folder. The camera's stored state is compared exactly before and after.
 */
import { join } from 'node:path';
import type { SiteProfileInput } from '../../../shared/domain/commissioning';
import { runCli } from '../../cli/main';
import { silentLogger } from '../../services/common/logger';
import { CommissioningService } from '../../services/commissioning/commissioning-service';
import { EmbeddedTestRelay } from '../../services/commissioning/test-relay';
import type { RelayService } from '../../services/relay/index';
import type { IndependentCamera } from './http-kit';

/** The site profile every run uses. */
export const SITE: SiteProfileInput = { smtpServer: 'relay.site.lan', ntpServer: 'ntp.site.lan', to: 'alarms@site.lan', from: 'cam7@site.lan', subject: 'Sabotage test', message: 'Camera sabotage detected.' };

/** What one commissioning run gave. */
export interface CommissionOutcome {
  verdict: string;
  error?: string;
  sensitivityRestoredTo?: number;
}

/** Commissions one camera with the product's service; the test event is a partial lens cover. */
export async function commission(cam: IndependentCamera, relay: RelayService, relayPort: number, dataDir: string, o: { isLensCovered?: boolean } = {}): Promise<CommissionOutcome> {
  const svc = new CommissioningService({
    logger: silentLogger,
    backupDir: join(dataDir, 'backups'),
    resolveHost: async (h) => (h === 'relay.site.lan' ? ['192.168.1.10'] : Promise.reject(new Error(`ENOTFOUND ${h}`))),
    relay: new EmbeddedTestRelay(relay, { listenAddress: '127.0.0.1', port: relayPort }),
    // Nobody covering the lens: the test e-mail never comes and the run must undo everything.
    triggerTest: async () => (o.isLensCovered === false ? { detected: false, reason: 'nobody covered the lens' } : cam.backend.coverLens('partial')),
    cameraTimeoutMs: 5000,
  });
  const r = (await svc.run([{ url: cam.url, username: 'admin', password: 'admin' }], SITE, { testTimeoutMs: 10_000 })).results[0];
  return { verdict: r.verdict, ...(r.error ? { error: r.error.message } : {}), ...(r.sensitivityRestoredTo !== undefined ? { sensitivityRestoredTo: r.sensitivityRestoredTo } : {}) };
}

/** `sarix commission ... --no-test --json` (the CLI entry, in process) with private-address servers (no DNS). */
export async function commissionCli(url: string, dataDir: string, extra: string[] = []): Promise<{ status: number; json?: { results?: Array<{ verdict?: string; error?: { message?: string } }> } }> {
  const from = printed.length;
  const status = await runCli(['commission', '--camera', url, '--password', 'admin', '--smtp-server', '10.20.0.99', '--ntp-server', '10.20.0.98', '--to', SITE.to, '--from', SITE.from, '--no-test', '--data', dataDir, '--json', ...extra]);
  const line = printed.slice(from).find((l) => l.startsWith('{') && l.includes('"results"'));
  return { status, ...(line ? { json: JSON.parse(line) } : {}) };
}

/** Lines the CLI printed (the test captures stdout once). */
export const printed: string[] = [];

/** `sarix rollback --camera URL --password admin --data DIR --json`, in process. */
export async function rollback(url: string, dataDir: string, extra: string[] = []): Promise<{ status: number; json?: { verified?: boolean; differences?: string[]; error?: unknown } }> {
  const from = printed.length;
  const status = await runCli(['rollback', '--camera', url, '--password', 'admin', '--data', dataDir, '--json', ...extra]);
  const line = printed.slice(from).find((l) => l.startsWith('{') && l.includes(url));
  return { status, ...(line ? { json: JSON.parse(line) } : {}) };
}
