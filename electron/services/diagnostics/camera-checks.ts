/**
 * The camera checks, all through the `CameraDriver`: reachable (TCP to its web port, local addresses
 * only), login, clock skew (ONVIF GetSystemDateAndTime), firmware, handlers n/20, the configured SMTP server
 * (which then becomes the SMTP checks' target) and Camera Sabotage. Returns what the later checks need.
 */
import { checkSmtpHost, isLocalAddress, publicMailDomainOf } from '../../../shared/domain/net-address';
import {
  checkResult,
  clockOutcome,
  firmwareOutcome,
  handlersOutcome,
  sabotageOutcome,
  says,
  skipped,
  type CheckId,
  type CheckOutcome,
  type CheckResult,
} from '../../../shared/domain/diagnostics';
import type { EventHandler } from '../../../shared/domain/camera';
import type { CameraTarget } from '../../../shared/domain/commissioning';
import { isAppFailure } from '../../../shared/ipc/result';
import { errorParam, part, type KeyedLine } from '../../../shared/i18n/keyed-text';
import type { CameraDriver } from '../camera/driver';
import type { NameResolver } from './resolver';
import { forwardArticle } from './smtp-checks';
import { tcpDialer, type Dialer } from './smtp-probe';

/** Builds a driver for one camera (default: the Sarix web driver). */
export type DriverFactory = (o: { url: string; username: string; password: string; now: () => number }) => CameraDriver | Promise<CameraDriver>;

/** What the camera told us that later checks use. */
export interface CameraFindings {
  /** The camera's IP address (for the relay allow-list check). */
  address?: string;
  smtpServer?: string;
  ntpServer?: string;
  /** True once System > General was read, so a missing SMTP/NTP server means the camera has none set. */
  generalRead?: boolean;
  /** The first Send Email handler's To and From (the envelope to try). */
  handlerTo?: string;
  handlerFrom?: string;
}

/** What the camera checks need. */
export interface CameraCheckDeps {
  resolver: NameResolver;
  driverFactory: DriverFactory;
  dial?: Dialer;
  now: () => number;
  wallClock: () => number;
  signal?: AbortSignal;
  connectTimeoutMs?: number;
  /** The SMTP server given on the command line, to compare with the camera's. */
  explicitSmtp?: string;
  report: (r: CheckResult) => void;
}

const CAMERA_IDS: CheckId[] = ['camera-reachable', 'camera-login', 'camera-clock', 'camera-firmware', 'camera-handlers', 'camera-smtp-server', 'camera-sabotage'];

const SABOTAGE = 'Camera Sabotage';

/** A driver that can read one handler's edit page (SarixWebDriver can). */
interface HandlerReader {
  readHandler(name: string): Promise<EventHandler | undefined>;
}

function hasReadHandler(d: CameraDriver): d is CameraDriver & HandlerReader {
  return typeof (d as Partial<HandlerReader>).readHandler === 'function';
}

function tcpReach(dial: Dialer, address: string, port: number, timeoutMs: number, now: () => number): Promise<{ ok: boolean; ms: number; code?: string }> {
  const t0 = now();
  return new Promise((resolve) => {
    const s = dial(address, port);
    const done = (ok: boolean, code?: string) => {
      clearTimeout(timer);
      s.destroy();
      resolve({ ok, ms: now() - t0, ...(code ? { code } : {}) });
    };
    const timer = setTimeout(() => done(false, 'ETIMEDOUT'), timeoutMs);
    s.once('connect', () => done(true));
    s.once('error', (e: NodeJS.ErrnoException) => done(false, e.code ?? 'ERROR'));
  });
}

/** Reports one check with its duration since t0. */
type Report = (id: CheckId, o: CheckOutcome, t0: number) => void;

/** Runs the camera checks; returns what the camera said about its SMTP/NTP servers and handler. */
export async function runCameraChecks(target: CameraTarget | undefined, d: CameraCheckDeps): Promise<CameraFindings> {
  const report: Report = (id, o, t0) => d.report(checkResult(id, o, d.now() - t0));
  const skipFrom = (from: CheckId, message: KeyedLine, fix?: KeyedLine) => {
    for (const id of CAMERA_IDS.slice(CAMERA_IDS.indexOf(from))) d.report(skipped(id, message, fix));
  };
  const findings: CameraFindings = {};
  if (!target) {
    skipFrom('camera-reachable', ['doctor.msg.noCamera'], ['doctor.fix.giveCamera']);
    return findings;
  }
  findings.address = await reachCamera(target, d, report);
  if (!findings.address) {
    skipFrom('camera-login', ['doctor.msg.cameraNotReachable']);
    return findings;
  }
  let driver: CameraDriver;
  try {
    driver = await d.driverFactory({ url: target.url, username: target.username, password: target.password, now: d.wallClock });
  } catch (e) {
    report('camera-login', { verdict: 'fail', ...says(['doctor.msg.noDriver', { error: errorParam(e) }], ['doctor.fix.checkCameraUrl']) }, d.now());
    skipFrom('camera-clock', ['doctor.msg.noDriverSkip']);
    return findings;
  }
  try {
    const isLoggedIn = await loginCheck(driver, target, d, report);
    // The clock is read even when the login failed: a skewed clock is a common reason ONVIF logins fail.
    await clockCheck(driver, d, report);
    if (!isLoggedIn) {
      skipFrom('camera-firmware', ['doctor.msg.loginFailedSkip']);
      return findings;
    }
    await firmwareCheck(driver, d, report);
    await handlersCheck(driver, d, report, findings);
    await generalCheck(driver, d, report, findings);
    await sabotageCheck(driver, d, report);
  } finally {
    driver.close();
  }
  return findings;
}

/** camera-reachable: the name resolves to a local address and the web port accepts TCP. Returns that address. */
async function reachCamera(target: CameraTarget, d: CameraCheckDeps, report: Report): Promise<string | undefined> {
  const t0 = d.now();
  const u = new URL(target.url);
  const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const a = await d.resolver.lookup(host);
  const address = a.addresses.find((x) => isLocalAddress(x));
  if (!address) {
    report(
      'camera-reachable',
      a.addresses.length === 0
        ? { verdict: 'fail', ...says(['doctor.msg.cameraNoResolve', { host, error: a.error ?? part('doctor.msg.noAnswer') }], ['doctor.fix.useCameraIp']), details: { host } }
        : { verdict: 'fail', ...says(['doctor.msg.cameraNotLocal', { host, addresses: a.addresses.join(', ') }], ['doctor.fix.useCameraLan']), details: { host, addresses: a.addresses } },
      t0,
    );
    return undefined;
  }
  const reach = await tcpReach(d.dial ?? tcpDialer, address, port, d.connectTimeoutMs ?? 5000, d.now);
  if (!reach.ok) {
    report(
      'camera-reachable',
      {
        verdict: 'fail',
        ...says(['doctor.msg.webPortSilent', { address, port, code: reach.code }], reach.code === 'ECONNREFUSED' ? ['doctor.fix.webPortRefused'] : ['doctor.fix.checkCable']),
        details: { address, port, code: reach.code },
      },
      t0,
    );
    return undefined;
  }
  report('camera-reachable', { verdict: 'pass', ...says(['doctor.msg.cameraAnswers', { address, port, ms: reach.ms.toFixed(1) }]), details: { address, port, connectMs: Math.round(reach.ms * 10) / 10 } }, t0);
  return address;
}

/** camera-login; true when the camera accepted the login. */
async function loginCheck(driver: CameraDriver, target: CameraTarget, d: CameraCheckDeps, report: Report): Promise<boolean> {
  const t0 = d.now();
  try {
    await driver.login();
    report('camera-login', { verdict: 'pass', ...says(['doctor.msg.loggedIn', { user: target.username }]) }, t0);
    return true;
  } catch (e) {
    const auth = isAppFailure(e) && e.code === 'AUTH_FAILED';
    report(
      'camera-login',
      {
        verdict: 'fail',
        ...(auth
          ? says(['doctor.msg.loginRefused', { user: target.username }], ['doctor.fix.checkPassword'])
          : says(['doctor.msg.loginFailed', { error: errorParam(e) }], ['doctor.fix.checkWebInterface'])),
        details: { code: isAppFailure(e) ? e.code : undefined },
      },
      t0,
    );
    return false;
  }
}

/** camera-clock: the camera's clock against this laptop's. */
async function clockCheck(driver: CameraDriver, d: CameraCheckDeps, report: Report): Promise<void> {
  const t0 = d.now();
  try {
    const c = await driver.clock();
    const o = clockOutcome(c.skewMs, 'camera', ['doctor.fix.cameraNtp']);
    report('camera-clock', { ...o, details: { ...o.details, via: c.via, cameraTime: c.cameraTime, localTime: c.localTime } }, t0);
  } catch (e) {
    report('camera-clock', { verdict: 'warn', ...says(['doctor.msg.clockUnread', { error: errorParam(e) }], ['doctor.fix.clockByEye']) }, t0);
  }
}

/** camera-firmware: the version against the known CVE fixes (docs/camera.md §2). */
async function firmwareCheck(driver: CameraDriver, d: CameraCheckDeps, report: Report): Promise<void> {
  const t0 = d.now();
  try {
    const id = await driver.identity();
    const o = firmwareOutcome(id.firmware || undefined, id.model || undefined);
    report('camera-firmware', { ...o, details: { ...o.details, model: id.model, mac: id.mac, name: id.name } }, t0);
  } catch (e) {
    report('camera-firmware', { verdict: 'warn', ...says(['doctor.msg.firmwareUnread', { error: errorParam(e) }], ['doctor.fix.readFirmware']) }, t0);
  }
}

/** camera-handlers: handlers used of 20; the first Send Email handler's To and From go to the findings. */
async function handlersCheck(driver: CameraDriver, d: CameraCheckDeps, report: Report, findings: CameraFindings): Promise<void> {
  const t0 = d.now();
  try {
    const h = await driver.listHandlers();
    const email = h.handlers.filter((x) => x.type === 'send-email');
    let first = email.find((x) => x.to) ?? email[0];
    // The list page shows no To/From; the driver's readHandler (not part of the CameraDriver interface) reads the
    // edit page. Without it the SMTP checks fall back to --to.
    if (first && !first.to && hasReadHandler(driver)) first = (await driver.readHandler(first.name)) ?? first;
    if (first?.to) findings.handlerTo = first.to;
    if (first?.from) findings.handlerFrom = first.from;
    const o = handlersOutcome(h.used, email.length);
    report('camera-handlers', { ...o, details: { ...o.details, sendEmail: email.map((x) => ({ name: x.name, to: x.to, from: x.from, sources: x.sources })) } }, t0);
  } catch (e) {
    report('camera-handlers', { verdict: 'warn', ...says(['doctor.msg.handlersUnread', { error: errorParam(e) }], ['doctor.fix.countHandlers']) }, t0);
  }
}

/** camera-smtp-server: System > General; its SMTP and NTP servers go to the findings. */
async function generalCheck(driver: CameraDriver, d: CameraCheckDeps, report: Report, findings: CameraFindings): Promise<void> {
  const t0 = d.now();
  try {
    const g = await driver.readGeneral();
    findings.generalRead = true;
    findings.smtpServer = g.smtpServer.trim() || undefined;
    findings.ntpServer = g.ntpServer.trim() || undefined;
    report('camera-smtp-server', smtpServerOutcome(g.smtpServer.trim(), d.explicitSmtp), t0);
  } catch (e) {
    report('camera-smtp-server', { verdict: 'warn', ...says(['doctor.msg.generalUnread', { error: errorParam(e) }], ['doctor.fix.readGeneral']) }, t0);
  }
}

/** camera-sabotage: the behaviour exists, is active, and its sensitivity. */
async function sabotageCheck(driver: CameraDriver, d: CameraCheckDeps, report: Report): Promise<void> {
  const t0 = d.now();
  try {
    const an = await driver.readAnalytics();
    const b = an.behaviours.find((x) => x.name.toLowerCase() === SABOTAGE.toLowerCase());
    if (!b) {
      report('camera-sabotage', { verdict: 'fail', ...says(['doctor.msg.noSabotage'], ['doctor.fix.otherSource']), details: { behaviours: an.behaviours.map((x) => x.name) } }, t0);
    } else {
      report('camera-sabotage', sabotageOutcome(b.active, b.sensitivity), t0);
    }
  } catch (e) {
    report('camera-sabotage', { verdict: 'warn', ...says(['doctor.msg.analyticsUnread', { error: errorParam(e) }], ['doctor.fix.checkSabotage']) }, t0);
  }
}

function smtpServerOutcome(value: string, explicit: string | undefined): CheckOutcome {
  if (!value) {
    return { verdict: 'fail', ...says(['doctor.msg.cameraNoSmtp'], ['doctor.fix.enterRelay']) };
  }
  const v = checkSmtpHost(value);
  const details = { smtpServer: value };
  if (!v.ok && v.problem !== 'unresolved') {
    return { verdict: 'fail', ...says(['doctor.msg.cameraSmtpBad', { server: value, reason: { key: v.key, ...(v.params ? { params: v.params } : {}) } }], ['doctor.fix.enterRelay']), article: forwardArticle(publicMailDomainOf(value)), details };
  }
  if (explicit && explicit.toLowerCase() !== value.toLowerCase()) {
    return {
      verdict: 'warn',
      ...says(['doctor.msg.cameraSmtpOther', { server: value, explicit }], ['doctor.fix.probeCameraSmtp', { explicit }]),
      details,
    };
  }
  return { verdict: 'pass', ...says(['doctor.msg.cameraSmtpOk', { server: value }]), details };
}
