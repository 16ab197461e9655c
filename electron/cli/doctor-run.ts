/**
 * The implementation of `sarix doctor`: validates the flags (exit 2), runs the doctor with progress on stderr,
 * prints the table (or one JSON object with --json) and exits 1 when a check failed.
 */
import { ARTICLE_IDS, CHECK_IDS, DoctorRunRequestSchema, normalizeCameraUrl, type CheckResult, type DoctorReport, type DoctorRunRequest } from '../../shared/domain/diagnostics';
import { isHostName, isIpLiteral } from '../../shared/domain/net-address';
import { cliServices } from './services';
import type { DoctorCliOptions } from './commands/doctor';
import { CHECK_TITLE_KEYS, GROUP_TITLE_KEYS } from '../../shared/i18n/doctor-keys';
import { cliLanguage, localized } from './i18n';
import { CliFailure, parseHostPort, printJson, UsageError } from './util';

const TAG: Record<CheckResult['verdict'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skipped: 'SKIP' };

function serverFlag(flag: string, value: string, defaultPort: number): { host: string; port: number } {
  const hp = parseHostPort(flag, value.trim(), defaultPort);
  if (!isIpLiteral(hp.host) && !isHostName(hp.host)) throw new UsageError(localized('cli.usage.notHost', { flag, host: hp.host }));
  return hp;
}

/** Turns the command-line flags into a doctor request; throws UsageError (exit 2) for anything unusable. */
export function requestFromFlags(o: DoctorCliOptions, env: NodeJS.ProcessEnv = process.env): DoctorRunRequest {
  const req: Record<string, unknown> = { sendTest: o.sendTest === true };
  if (o.smtpServer !== undefined) req.smtpServer = serverFlag('--smtp-server', o.smtpServer, 25);
  if (o.ntpServer !== undefined) req.ntpServer = serverFlag('--ntp-server', o.ntpServer, 123);
  const password = o.password ?? env.SARIX_CAMERA_PASSWORD;
  if (o.camera !== undefined) {
    const url = normalizeCameraUrl(o.camera);
    if (!url) throw new UsageError(localized('cli.usage.doctorCamera', { value: o.camera }));
    if (!o.username) throw new UsageError(localized('cli.usage.doctorUsername'));
    if (password === undefined) throw new UsageError(localized('cli.usage.doctorPassword'));
    req.camera = { url, username: o.username, password };
  } else if (o.username !== undefined || o.password !== undefined) {
    throw new UsageError(localized('cli.usage.doctorLoginWithoutCamera'));
  }
  if (o.to !== undefined) req.to = o.to.trim();
  if (o.sendTest && o.to === undefined && o.camera === undefined) throw new UsageError(localized('cli.usage.doctorSendTestTo'));
  if (o.sendTest && o.smtpServer === undefined && o.camera === undefined) throw new UsageError(localized('cli.usage.doctorSendTestServer'));
  const parsed = DoctorRunRequestSchema.safeParse(req);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const flag = { to: '--to', smtpServer: '--smtp-server', ntpServer: '--ntp-server', camera: '--camera' }[String(i.path[0])] ?? String(i.path[0]);
    throw new UsageError(`${flag}: ${i.message}${i.path[0] === 'to' ? ` (got "${o.to}")` : ''}.`);
  }
  return parsed.data;
}

/** The human table: one line per check grouped by area, and a fix line with the article for each problem. */
export function formatReport(r: DoctorReport): string {
  const titleOf = (ch: CheckResult) => localized(CHECK_TITLE_KEYS[ch.id]);
  const width = Math.max(...r.checks.map((c) => titleOf(c).length));
  const out: string[] = [];
  const c = r.counts;
  out.push(localized('doctor.cli.summary', { pass: c.pass, warn: c.warn, fail: c.fail, skipped: c.skipped }));
  const groups = [...new Set(r.checks.map((x) => x.group))];
  const pad = `  ${' '.repeat(4)}  ${' '.repeat(width)}  `;
  for (const g of groups) {
    const checks = r.checks.filter((x) => x.group === g);
    out.push('', localized(GROUP_TITLE_KEYS[g]));
    for (let i = 0; i < checks.length; i++) {
      const ch = checks[i];
      // A run of checks skipped for one reason (no --camera, a refused public server) is one line, not many.
      let n = 1;
      while (ch.verdict === 'skipped' && checks[i + n]?.verdict === 'skipped' && checks[i + n].message === ch.message) n++;
      const title = n === 1 ? titleOf(ch) : i === 0 && n === checks.length ? localized('doctor.cli.nChecks', { n }) : localized('doctor.cli.andMore', { title: titleOf(ch), n: n - 1 });
      out.push(`  ${TAG[ch.verdict]}  ${title.padEnd(width)}  ${ch.message}`);
      if (ch.fix && ch.verdict === 'skipped') out.push(`${pad}${localized('doctor.cli.toRun', { fix: ch.fix })}`);
      else if (ch.fix && ch.verdict !== 'pass') out.push(`${pad}${localized('doctor.cli.fix', { fix: ch.fix, article: ch.article })}`);
      i += n - 1;
    }
  }
  out.push('');
  out.push(c.fail > 0 ? localized('doctor.cli.failedFooter', { n: c.fail }) : localized('doctor.cli.okFooter'));
  return out.join('\n') + '\n';
}

function progressLine(check: CheckResult, index: number, total: number): string {
  return `[${String(index + 1).padStart(String(total).length)}/${total}] ${TAG[check.verdict]}  ${check.id}: ${check.message}`;
}

/** Runs `sarix doctor`. */
export async function runDoctor(o: DoctorCliOptions): Promise<void> {
  if (o.article !== undefined) return printArticle(o.article, o.json === true);
  const req = requestFromFlags(o);
  const services = await cliServices({ scope: 'doctor' });
  const { doctor } = services;
  const tty = process.stderr.isTTY === true && !o.json;
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let report: DoctorReport;
  try {
    if (!o.json) process.stderr.write(`${localized('doctor.cli.running', { n: CHECK_IDS.length })}\n`);
    report = await doctor.run(req, {
      signal: controller.signal,
      onCheck: (check, index, total) => {
        const line = progressLine(check, index, total);
        // On a terminal the progress line rewrites itself; in logs and with --json every line stays.
        if (tty) process.stderr.write(`\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
        else process.stderr.write(line + '\n');
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (tty) process.stderr.write('\r\x1b[K');
    await services.dispose();
  }
  if (o.json) printJson(report);
  else process.stdout.write(formatReport(report));
  if (controller.signal.aborted) throw new CliFailure(localized('doctor.cli.cancelled'), 1);
  if (report.exitCode !== 0) throw new CliFailure(localized('doctor.cli.failed', { n: report.counts.fail }), 1);
}

async function printArticle(id: string, json: boolean): Promise<void> {
  const { kb } = await cliServices({ scope: 'doctor' });
  if (id === 'list') {
    const list = await kb.list(cliLanguage());
    if (json) printJson(list);
    else process.stdout.write(list.map((a) => `${a.id.padEnd(24)} ${a.title}`).join('\n') + '\n');
    return;
  }
  if (!(ARTICLE_IDS as readonly string[]).includes(id)) throw new UsageError(localized('cli.usage.unknownArticle', { id, ids: ARTICLE_IDS.join(', ') }));
  const a = await kb.get(id, cliLanguage());
  if (json) printJson(a);
  else process.stdout.write(`${a.title}\n${'='.repeat(a.title.length)}\n\n${a.markdown.replace(/^# .*\n+/, '')}\n`);
}
