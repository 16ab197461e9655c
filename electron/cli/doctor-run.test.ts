import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkResult, DoctorReportSchema, summarize, type DoctorReport } from '../../shared/domain/diagnostics';
import { freePort, startSmtpPeer, startSntpPeer, type SmtpPeer, type SntpPeer } from '../services/diagnostics/test-peers';
import { formatReport, requestFromFlags } from './doctor-run';
import { UsageError } from './util';
import { spawnSarix as sarix, spawnSarixWithEnv } from '../testing/cli';

describe('requestFromFlags', () => {
  it('builds a request with default ports', () => {
    expect(requestFromFlags({ smtpServer: '10.0.0.5', ntpServer: 'ntp.site.lan:1123', to: 'a@site.lan' }, {})).toEqual({
      smtpServer: { host: '10.0.0.5', port: 25 },
      ntpServer: { host: 'ntp.site.lan', port: 1123 },
      to: 'a@site.lan',
      sendTest: false,
    });
    expect(requestFromFlags({ camera: '192.168.0.20', username: 'admin', password: 'admin' }, {}).camera).toEqual({ url: 'http://192.168.0.20', username: 'admin', password: 'admin' });
    expect(requestFromFlags({ camera: '192.168.0.20', username: 'admin' }, { SARIX_CAMERA_PASSWORD: 's3cret' }).camera?.password).toBe('s3cret');
  });
  it.each([
    [{ smtpServer: 'relay:99999' }, /--smtp-server: port must be 1-65535/],
    [{ smtpServer: 'bad_host!' }, /neither an IP address nor a host name/],
    [{ ntpServer: 'a:b:c' }, /--ntp-server must look like HOST or HOST:PORT/],
    [{ camera: 'ftp://cam' }, /--camera must be/],
    [{ camera: '192.168.0.20', password: 'x' }, /--camera needs --username/],
    [{ camera: '192.168.0.20', username: 'admin' }, /--camera needs --password/],
    [{ username: 'admin' }, /only make sense with --camera/],
    [{ smtpServer: '10.0.0.5', to: 'nope' }, /--to: .*\(got "nope"\)/],
    [{ smtpServer: '10.0.0.5', sendTest: true }, /--send-test needs --to/],
    [{ to: 'a@b.lan', sendTest: true }, /--send-test needs --smtp-server or --camera/],
  ])('refuses %o', (flags, re) => {
    expect(() => requestFromFlags(flags, {})).toThrow(UsageError);
    expect(() => requestFromFlags(flags, {})).toThrow(re);
  });
});

describe('formatReport', () => {
  it('groups checks, collapses a group skipped for one reason, and prints fix + article for problems', () => {
    const checks = [
      ...(['camera-reachable', 'camera-login'] as const).map((id) => checkResult(id, { verdict: 'skipped', message: 'No camera given.', fix: 'Pass --camera.' })),
      checkResult('smtp-connect', { verdict: 'pass', message: 'Connected.' }),
      checkResult('smtp-sender', { verdict: 'fail', message: 'Needs AUTH.', fix: 'Use the relay.', article: 'local-relay' }),
    ];
    const { counts, exitCode } = summarize(checks);
    const report: DoctorReport = { operationId: 'x', startedAt: '', finishedAt: '', checks, counts, exitCode };
    const text = formatReport(report);
    expect(text).toMatch(/^Sarix doctor: 1 pass, 0 warn, 1 fail, 2 skipped/);
    expect(text).toMatch(/Camera\n {2}SKIP {2}\(2 checks\) +No camera given\.\n +to run it: Pass --camera\./);
    expect(text).toMatch(/FAIL {2}MAIL FROM without login or TLS +Needs AUTH\.\n +fix: Use the relay\. \(article: local-relay\)/);
    expect(text).toMatch(/1 check failed/);
  });
});

describe('sarix doctor (child process, loopback peers only)', () => {
  let accept: SmtpPeer;
  let auth: SmtpPeer;
  let ntp: SntpPeer;
  let closed = 0;
  beforeAll(async () => {
    accept = await startSmtpPeer('accept');
    auth = await startSmtpPeer('require-auth');
    ntp = await startSntpPeer({ offsetMs: 0 });
    closed = await freePort();
  });
  afterAll(async () => {
    await accept.close();
    await auth.close();
    await ntp.close();
  });

  it('exits 0 with a table when nothing fails, progress on stderr', async () => {
    const r = await sarix('doctor', '--smtp-server', `127.0.0.1:${accept.port}`, '--ntp-server', `127.0.0.1:${ntp.port}`, '--to', 'alerts@site.lan');
    expect(r.stderr).toMatch(/\[ 8\/20\] PASS {2}smtp-resolve/);
    expect(r.stdout).toMatch(/PASS {2}RCPT TO \(relaying to the recipient\) +Accepted RCPT TO:<alerts@site\.lan>/);
    expect(r.stdout).toMatch(/PASS {2}NTP server answers SNTP/);
    expect(r.status).toBe(0);
  });

  it('exits 1 with one JSON object on stdout when a check fails', async () => {
    const r = await sarix('doctor', '--smtp-server', `127.0.0.1:${auth.port}`, '--ntp-server', `127.0.0.1:${closed}`, '--json');
    expect(r.status).toBe(1);
    const report = DoctorReportSchema.parse(JSON.parse(r.stdout));
    const by = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(by['smtp-sender']).toMatchObject({ verdict: 'fail', article: 'local-relay' });
    expect(by['ntp-answer']).toMatchObject({ verdict: 'fail' });
    for (const c of report.checks) expect(Object.keys(c)).toEqual(expect.arrayContaining(['id', 'verdict', 'message', 'fix', 'article', 'details']));
    expect(r.stderr).toMatch(/smtp-sender: The server demands a login/);
    expect(r.stderr).toMatch(/error: 2 checks failed/);
  });

  it('exits 2 on bad flags, before any check runs', async () => {
    const r = await sarix('doctor', '--smtp-server', 'relay.lan:0');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--smtp-server: port must be 1-65535/);
    expect(r.stdout).toBe('');
  });

  it('prints a knowledge-base article, and exits 2 for an unknown one', async () => {
    const ok = await sarix('doctor', '--article', 'port-25');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^Port 25 on Windows, macOS and Linux\n=+\n/);
    const bad = await sarix('doctor', '--article', 'nope');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/choose one of: local-relay/);
  });

  it("prints the article in the terminal's language (German for a German locale)", async () => {
    const de = await spawnSarixWithEnv({ LANGUAGE: '', LC_ALL: '', LC_MESSAGES: '', LANG: 'de_DE.UTF-8' }, 'doctor', '--article', 'port-25');
    expect(de.status).toBe(0);
    expect(de.stdout).toMatch(/^Port 25 unter Windows, macOS und Linux\n=+\n\nDie Kamera hat keine Port-Einstellung/);
  });
});
