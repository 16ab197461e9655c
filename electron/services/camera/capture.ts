/**
 * A capture of a camera's web UI, for a layout the driver does not understand (docs/camera.md §8): the driver
 * reads everything it would read while commissioning, never submitting anything but the login, and a zip keeps
 * every page it visited (HTML with every password value and session token blanked), what it looked for and
 * what it found. Support turns a capture into a profile file (profile-data.ts shape): new layouts and wordings
 * are data, not code.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BEHAVIOURS } from '../../../shared/domain/camera';
import { failure } from '../../../shared/i18n/messages';
import { AppFailure } from '../../../shared/ipc/result';
import { zipBuffers, type ZipEntry } from '../common/zip';
import type { FirmwareProfile } from './firmware-profile';
import { SarixWebDriver } from './sarix-web-driver';
import { looksLikeToken } from './raw-form';
import { loadHtml } from './web-form';
import type { Exchange } from './web-session';

/** What to capture and where to write it. */
export interface CaptureOptions {
  url: string;
  username: string;
  password: string;
  /** The zip file to write. */
  out: string;
  timeoutMs?: number;
  profile?: FirmwareProfile;
}

/** One thing the capture looked for. */
export interface CaptureStep {
  step: string;
  ok: boolean;
  /** What it found, or the failure message (which says what was sought and what was seen). */
  result: unknown;
}

/** What a capture wrote. */
export interface CaptureResult {
  file: string;
  pages: number;
  steps: CaptureStep[];
  /** Steps that failed (the reason a capture is sent to support). */
  problems: string[];
}

const TOKENISH_PARAM = /tok|csrf|xsrf|sid|sess|auth|nonce|sig|key/i;

/** Blanks password values, token-like hidden values, token metas and token-like query values of one page. */
export function redactHtml(html: string): string {
  const $ = loadHtml(html);
  $('input[type=password]').attr('value', '');
  $('input[type=hidden]').each((_i, el) => {
    const name = $(el).attr('name') ?? '';
    const value = $(el).attr('value') ?? '';
    if (value && looksLikeToken(name, value)) $(el).attr('value', '[redacted]');
  });
  $('meta[name*=csrf], meta[name*=token], meta[name*=xsrf]').attr('content', '[redacted]');
  $('[href], [action], [src], [data-href], [data-url]').each((_i, el) => {
    for (const attr of ['href', 'action', 'src', 'data-href', 'data-url']) {
      const v = $(el).attr(attr);
      if (v) $(el).attr(attr, redactUrl(v));
    }
  });
  return $.html();
}

/** Blanks token-like query values of a URL (relative or absolute). */
export function redactUrl(u: string): string {
  return u.replace(/([?&])([^=&#]+)=([^&#]*)/g, (m, sep: string, k: string, v: string) => (TOKENISH_PARAM.test(decodeURIComponent(k)) || looksLikeToken(k, decodeURIComponent(v)) ? `${sep}${k}=[redacted]` : m));
}

function fileName(i: number, x: Exchange): string {
  const slug = redactUrl(x.path).replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return `pages/${String(i + 1).padStart(3, '0')}-${x.method}-${x.status}${slug}.html`;
}

/** Reads the camera the way commissioning would (never submitting a form) and writes the capture zip. */
export async function captureCamera(o: CaptureOptions): Promise<CaptureResult> {
  const exchanges: Exchange[] = [];
  const driver = new SarixWebDriver({ url: o.url, username: o.username, password: o.password, timeoutMs: o.timeoutMs, profile: o.profile, onExchange: (x) => exchanges.push(x) });
  const steps: CaptureStep[] = [];
  const run = async (step: string, fn: () => Promise<unknown>) => {
    try {
      steps.push({ step, ok: true, result: await fn() });
    } catch (e) {
      steps.push({ step, ok: false, result: (e as Error).message });
    }
  };
  let secrets: string[] = [];
  try {
    await driver.login();
    await run('identity', () => driver.identity());
    await run('System > General', () => driver.readGeneral());
    await run('System > General form (raw)', () => driver.readForm({ page: 'general' }));
    await run('Events > Sources', () => driver.listSources());
    const sources = (steps.at(-1)!.ok ? (steps.at(-1)!.result as Array<{ name: string }>) : []).slice(0, 2);
    for (const s of sources) await run(`source "${s.name}"`, () => driver.readSource(s.name));
    await run('Events > Handlers', () => driver.listHandlers());
    const handlers = (steps.at(-1)!.ok ? (steps.at(-1)!.result as { handlers: Array<{ name: string }> }).handlers : []).slice(0, 2);
    for (const h of handlers) await run(`handler "${h.name}"`, () => driver.readHandler(h.name));
    await run('Analytics', () => driver.readAnalytics());
    await run(`behaviour "${BEHAVIOURS[0]}" form (raw)`, () => driver.readForm({ page: 'behaviour', item: BEHAVIOURS[0] }));
    secrets = await driver.sessionSecrets();
  } catch (e) {
    // A login that fails is itself worth reporting (wrong password is the user's to fix, not a layout problem).
    if (e instanceof AppFailure && e.code === 'AUTH_FAILED') throw e;
    steps.push({ step: 'login', ok: false, result: (e as Error).message });
  } finally {
    driver.close();
  }
  const blank = (text: string) => [o.password, ...secrets].filter((s) => s.length >= 3).reduce((t, s) => t.split(s).join('[redacted]'), text);
  const files: ZipEntry[] = [];
  const index = exchanges.map((x, i) => {
    const name = fileName(i, x);
    files.push({ name, data: blank(redactHtml(x.body)) });
    return { method: x.method, path: redactUrl(x.path), status: x.status, location: x.location ? redactUrl(x.location) : undefined, contentType: x.contentType, file: name };
  });
  const findings = { camera: new URL(o.url).origin, profile: (o.profile ?? undefined)?.name ?? 'sarix-default', capturedAt: new Date().toISOString(), steps, pages: driver.pageTraces() };
  files.push({ name: 'exchanges.json', data: blank(JSON.stringify(index, null, 2)) });
  files.push({ name: 'findings.json', data: blank(JSON.stringify(findings, null, 2)) });
  files.push({
    name: 'README.txt',
    data:
      'A capture of a camera web UI by Sarix Commissioner. pages/ holds every page the driver visited, in order (passwords and session tokens blanked);\n' +
      'exchanges.json lists the requests; findings.json says what the driver looked for on each page and what it found or why not.\n' +
      'Nothing was submitted to the camera except the login.\n',
  });
  try {
    await writeFile(o.out, await zipBuffers(files), { mode: 0o600 });
  } catch (e) {
    throw failure('STORAGE', 'errors.STORAGE.captureWrite', { file: o.out, reason: (e as Error).message });
  }
  return { file: o.out, pages: exchanges.length, steps, problems: steps.filter((s) => !s.ok).map((s) => `${s.step}: ${String(s.result)}`) };
}

/** Captures on request of the app: one zip per capture under a folder (`<userData>/captures`). */
export class CaptureService {
  constructor(private readonly o: { dir: string; timeoutMs?: number; profile?: FirmwareProfile; now?: () => number }) {}

  /** Captures one camera; answers where the zip is, how many pages, and what could not be read. */
  async capturePages(target: { url: string; username: string; password: string }): Promise<{ file: string; pages: number; problems: string[] }> {
    let host: string;
    try {
      host = new URL(target.url).host.replace(/[^A-Za-z0-9.-]+/g, '_');
    } catch {
      throw failure('VALIDATION', 'errors.VALIDATION.notCameraUrl', { url: target.url });
    }
    await mkdir(this.o.dir, { recursive: true, mode: 0o700 });
    const out = join(this.o.dir, `capture-${host}-${new Date((this.o.now ?? Date.now)()).toISOString().replace(/[:.]/g, '-')}.zip`);
    const r = await captureCamera({ ...target, out, timeoutMs: this.o.timeoutMs, profile: this.o.profile });
    return { file: r.file, pages: r.pages, problems: r.problems };
  }
}
