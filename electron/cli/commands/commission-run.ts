/**
 * `sarix commission` and `sarix rollback` implementations: the CommissioningService with the embedded relay for
 * the test run, progress printed step by step, and exit 1 unless every camera passed (or, with --dry-run, was
 * planned). Bad flags are UsageErrors (exit 2); a refused profile (public SMTP host, bad address) is exit 1.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CameraTarget, SiteProfileInput } from '../../../shared/domain/commissioning';
import { isAppFailure } from '../../../shared/ipc/result';
import { parseCameraCsv, type TriggerTest } from '../../services/commissioning/index';
import { loadProfileFile, type FirmwareProfile } from '../../services/camera/firmware-profile';
import { failureText, localized } from '../i18n';
import { cliServices } from '../services';
import { CliFailure, UsageError, parseHostPort, printJson } from '../util';
import type { CommissionFlags } from './commission';
import { printProgress, printTestTurns, summaryLine } from './commission-output';

function targetsFrom(flags: { camera?: string; cameras?: string; username: string; password?: string }, csvText?: string, csvName?: string): CameraTarget[] {
  if (flags.cameras) return parseCameraCsv(csvText ?? '', csvName);
  const password = flags.password ?? process.env.SARIX_CAMERA_PASSWORD;
  if (password === undefined) throw new UsageError(localized('cli.usage.passwordWithCamera'));
  const url = /^[a-z]+:\/\//i.test(flags.camera!) ? flags.camera! : `http://${flags.camera}`;
  return [{ url, username: flags.username, password }];
}

async function loadTargets(flags: { camera?: string; cameras?: string; username: string; password?: string }): Promise<CameraTarget[]> {
  if (!!flags.camera === !!flags.cameras) throw new UsageError(localized('cli.usage.cameraOrCameras'));
  if (!flags.cameras) return targetsFrom(flags);
  let text: string;
  try {
    text = await readFile(flags.cameras, 'utf8');
  } catch (e) {
    throw new UsageError(localized('cli.common.cannotRead', { file: flags.cameras, reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? localized('cli.common.noSuchFile') : (e as Error).message }));
  }
  try {
    return targetsFrom(flags, text, flags.cameras);
  } catch (e) {
    if (isAppFailure(e)) throw new UsageError(failureText(e));
    throw e;
  }
}

/** Runs `sarix commission`. */
export async function runCommission(flags: CommissionFlags): Promise<void> {
  const missing = (['smtpServer', 'ntpServer', 'to', 'from'] as const).filter((k) => !flags[k]);
  if (missing.length) throw new UsageError(localized('cli.usage.missing', { flags: missing.map((k) => '--' + k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())).join(', ') }));
  const targets = await loadTargets(flags);
  const relayAt = flags.relayListen ? parseHostPort('--relay-listen', flags.relayListen, 25) : undefined;
  const out = (s: string) => {
    if (!flags.json) process.stdout.write(s);
  };
  // A real camera cannot be triggered remotely: ask the technician to cover the lens; the step then waits. The
  // CLI never reads stdin (it runs in CI too): each test starts when its turn comes and waits for the e-mail.
  const triggerTest: TriggerTest = async ({ url, label }) => {
    process.stderr.write(`${localized('cli.commission.coverLens', { camera: label ?? url })}\n`);
  };
  const services = await cliServices({ scope: 'commission', data: flags.data }, { testRelay: { listenAddress: relayAt?.host, port: relayAt?.port, mayStart: true }, triggerTest, cameraTimeoutMs: flags.timeout * 1000, cameraProfile: await profileFlag(flags.profile) });
  const svc = services.commissioning;
  const profile: SiteProfileInput = {
    smtpServer: flags.smtpServer!,
    ntpServer: flags.ntpServer!,
    to: flags.to!,
    from: flags.from!,
    ...(flags.subject !== undefined ? { subject: flags.subject } : {}),
    ...(flags.message !== undefined ? { message: flags.message } : {}),
    ...(flags.sceneSensitivity !== undefined ? { sceneSensitivity: flags.sceneSensitivity } : {}),
    ...(flags.sourceName !== undefined ? { sourceName: flags.sourceName } : {}),
    ...(flags.handlerName !== undefined ? { handlerName: flags.handlerName } : {}),
  };
  const offProgress = printProgress(svc.events, targets.length > 1, out);
  // Tests run one camera at a time in the order of the CSV file; the turn line says which camera to walk to.
  const offTurns = targets.length > 1 ? printTestTurns(svc.events, (line) => process.stderr.write(line)) : () => undefined;
  const off = () => {
    offProgress();
    offTurns();
  };
  let failure: CliFailure | undefined;
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const job = await svc.run(targets, profile, { dryRun: !!flags.dryRun, testMode: flags.test ? 'auto' : 'skip', testTimeoutMs: Math.round(flags.testTimeout * 1000), concurrency: flags.concurrency }, abort.signal);
    off();
    if (flags.json) printJson(job);
    else {
      for (const w of job.warnings) out(`${localized('cli.common.warning', { message: w })}\n`);
      for (const r of job.results) out(summaryLine(r) + '\n');
      if (targets.length > 1) {
        const counts = { passed: job.passed, failed: job.failed, ms: job.durationMs };
        out(`${job.planned ? localized('cli.commission.batchPlanned', { ...counts, planned: job.planned }) : localized('cli.commission.batch', counts)}\n`);
      }
    }
    const bad = job.results.filter((r) => r.verdict !== (flags.dryRun ? 'planned' : 'pass'));
    if (bad.length) failure = new CliFailure(localized(flags.dryRun ? 'cli.commission.notPlanned' : 'cli.commission.notPassed', { bad: bad.length, total: job.results.length }), 1);
  } catch (e) {
    if (isAppFailure(e)) throw new CliFailure(failureText(e), 1);
    throw e;
  } finally {
    off();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await services.dispose();
  }
  if (failure) throw failure;
}

/** Flags of `sarix rollback`. */
export interface RollbackFlags {
  camera: string;
  username: string;
  password?: string;
  backup?: string;
  data?: string;
  timeout: number;
  json?: boolean;
  profile?: string;
}

/** The firmware profile a --profile file gives (the default profile plus its patterns and paths). */
async function profileFlag(file?: string): Promise<FirmwareProfile | undefined> {
  if (!file) return undefined;
  try {
    return await loadProfileFile(resolve(file));
  } catch (e) {
    if (isAppFailure(e)) throw new UsageError(failureText(e));
    throw e;
  }
}

/** Runs `sarix rollback`. */
export async function runRollback(flags: RollbackFlags): Promise<void> {
  const [target] = await loadTargets({ camera: flags.camera, username: flags.username, password: flags.password });
  const services = await cliServices({ scope: 'rollback', data: flags.data }, { cameraTimeoutMs: flags.timeout * 1000, cameraProfile: await profileFlag(flags.profile) });
  const svc = services.commissioning;
  try {
    const r = await svc.rollback(target, flags.backup ? resolve(flags.backup) : undefined);
    if (flags.json) printJson(r);
    else {
      process.stdout.write(`${localized('cli.rollback.restored', { url: r.url, mac: r.mac, file: r.backupFile, savedAt: r.savedAt })}\n`);
      process.stdout.write(`${r.verified ? localized('cli.rollback.verified') : localized('cli.rollback.differs', { differences: r.differences.join('; ') })}\n`);
    }
    if (!r.verified) throw new CliFailure(localized('cli.rollback.notVerified', { differences: r.differences.join('; ') }), 1);
  } catch (e) {
    if (isAppFailure(e)) throw new CliFailure(failureText(e), 1);
    throw e;
  } finally {
    await services.dispose();
  }
}
