/**
 * One web-UI session with a camera (docs/camera.md §4): axios with a tough-cookie jar, form login, one re-login
 * when a request is bounced to the login page, per-request timeouts, and redirects followed by hand and only on
 * the camera's own origin (docs/architecture.md §2.10). Also carries HTTP Digest/Basic for the SOAP and ONVIF
 * calls. Pages come back with whatever status the camera answered: the driver decides what a 404 or a 500
 * means. `renew()` starts over on fresh connections with a fresh login (the undo's retry after a dead link).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { AxiosInstance, AxiosResponse, AxiosStatic, RawAxiosRequestHeaders } from 'axios';
import { lazyModule } from '../common/lazy-module';
import { CookieJar } from 'tough-cookie';
import { failure } from '../../../shared/i18n/messages';
import { AppFailure } from '../../../shared/ipc/result';
import type { Logger } from '../common/logger';
import { installHttpAuth } from './http-auth';
import type { FirmwareProfile } from './firmware-profile';


/** axios is loaded when the first camera session starts (common/lazy-module.ts). */
const axiosLib = lazyModule<AxiosStatic>('axios');
/** A text response from the camera. */
export interface WebResponse {
  status: number;
  /** Final URL (after same-origin redirects for GET). */
  url: string;
  body: string;
  headers: Record<string, string | string[] | undefined>;
  /** For an unfollowed redirect (POST answers): the absolute Location. */
  location?: string;
}

/** One request and its answer, as a capture records it. */
export interface Exchange {
  method: string;
  path: string;
  status: number;
  /** The POST body (form-encoded) or undefined. */
  requestBody?: string;
  location?: string;
  contentType?: string;
  body: string;
}

/** Options of a session. */
export interface WebSessionOptions {
  baseUrl: string;
  username: string;
  password: string;
  timeoutMs: number;
  profile: FirmwareProfile;
  logger?: Logger;
  /**
   * Idle keep-alive connections are closed after this long (default 4000 ms): a camera that reboots or a NAT
   * that forgets the flow leaves a dead socket behind, and a request on it would hang until its timeout.
   */
  idleSocketMs?: number;
  /** Sees every web-UI exchange (captures). */
  onExchange?: (x: Exchange) => void;
}

const MAX_REDIRECTS = 4;

/** Turns a transport error into an AppFailure that says what to check. */
export function transportFailure(e: unknown, baseUrl: string, path: string): AppFailure {
  const code = (e as { code?: string }).code ?? '';
  const where = `${baseUrl}${path}`;
  if (code === 'ECONNREFUSED') return failure('CAMERA_UNREACHABLE', 'errors.CAMERA_UNREACHABLE.refused', { url: baseUrl }, { code, where });
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED' || /timeout/i.test(String((e as Error).message)))
    return failure('CAMERA_UNREACHABLE', 'errors.CAMERA_UNREACHABLE.timeout', { url: baseUrl, path }, { code, where });
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL')
    return failure('CAMERA_UNREACHABLE', 'errors.CAMERA_UNREACHABLE.noRoute', { url: baseUrl }, { code, where });
  if (code === 'ECONNRESET' || code === 'EPIPE') return failure('CAMERA_UNREACHABLE', 'errors.CAMERA_UNREACHABLE.reset', { url: baseUrl, path }, { code, where });
  return failure('NETWORK', 'errors.NETWORK.camera', { url: baseUrl, path, reason: (e as Error).message ?? String(e) }, { code, where });
}

/** A logged-in (or lazily logging-in) web session with one camera. */
export class WebSession {
  readonly http: AxiosInstance;
  private readonly jar = new CookieJar();
  private readonly origin: string;
  private loggedIn = false;
  private agents: { http: HttpAgent; https: HttpsAgent };
  private loginPromise: Promise<void> | undefined;
  /** Counters for benchmarks. */
  requests = 0;
  logins = 0;
  /** Form submissions sent (POSTs other than the login): zero means nothing on the camera was changed. */
  writes = 0;

  constructor(private readonly o: WebSessionOptions) {
    this.origin = new URL(o.baseUrl).origin;
    this.agents = this.newAgents();
    this.http = axiosLib().create({
      baseURL: this.origin,
      timeout: o.timeoutMs,
      maxRedirects: 0,
      validateStatus: () => true,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      // Never reach a camera through an environment proxy: cameras are on the local segment.
      proxy: false,
      httpAgent: this.agents.http,
      httpsAgent: this.agents.https,
      headers: { 'User-Agent': 'SarixCommissioner/1 (camera driver)' },
    });
    // Request URLs are built by hand: axios.getUri merges the whole config again, which showed in batch profiles.
    const urlOf = (path: string | undefined) => new URL(path ?? '/', this.origin).toString();
    this.http.interceptors.request.use(async (config) => {
      this.requests++;
      const url = urlOf(config.url);
      const cookie = await this.jar.getCookieString(url);
      if (cookie) config.headers.set('Cookie', cookie);
      return config;
    });
    this.http.interceptors.response.use(async (r) => {
      const set = r.headers['set-cookie'];
      if (set) {
        const url = urlOf(r.config.url);
        for (const c of Array.isArray(set) ? set : [set]) await this.jar.setCookie(c, url, { ignoreError: true });
      }
      return r;
    });
    installHttpAuth(this.http, { username: o.username, password: o.password });
  }

  // One small keep-alive pool per camera (3 connections, fewer than a browser opens): a commissioning run is ~60
  // requests, and a new TCP connection for each costs the camera (and a busy laptop) more than the request itself.
  private newAgents(): { http: HttpAgent; https: HttpsAgent } {
    const timeout = this.o.idleSocketMs ?? 4000;
    return { http: new HttpAgent({ keepAlive: true, maxSockets: 3, timeout }), https: new HttpsAgent({ keepAlive: true, maxSockets: 3, timeout }) };
  }

  /** The camera origin (scheme://host:port). */
  get base(): string {
    return this.origin;
  }

  /** True when a Location points at the login page of this camera. */
  private isLoginRedirect(location: string): boolean {
    const u = new URL(location, this.origin);
    return u.origin === this.origin && this.o.profile.login.loginPage.test(u.pathname);
  }

  /** Resolves a Location, refusing other origins (a camera never legitimately sends us elsewhere). */
  private sameOrigin(location: string, from: string): string {
    const u = new URL(location, new URL(from, this.origin));
    if (u.origin !== this.origin) {
      throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.foreignRedirect', { from, to: u.origin, origin: this.origin }, { location });
    }
    return u.pathname + u.search;
  }

  private async send(method: 'GET' | 'POST', path: string, body?: string, headers?: RawAxiosRequestHeaders, extra?: Record<string, unknown>): Promise<AxiosResponse<string>> {
    try {
      return await this.http.request<string>({ method, url: path, data: body, headers, httpAgent: this.agents.http, httpsAgent: this.agents.https, ...extra });
    } catch (e) {
      if (e instanceof AppFailure) throw e;
      throw transportFailure(e, this.origin, path);
    }
  }

  /** Logs in with the form (once; concurrent callers share the attempt). */
  login(): Promise<void> {
    if (this.loggedIn) return Promise.resolve();
    this.loginPromise ??= this.doLogin().finally(() => {
      this.loginPromise = undefined;
    });
    return this.loginPromise;
  }

  private async doLogin(): Promise<void> {
    const { login } = this.o.profile;
    const form = new URLSearchParams({ [login.usernameField]: this.o.username, [login.passwordField]: this.o.password }).toString();
    this.logins++;
    await this.jar.removeAllCookies();
    const r = await this.send('POST', login.path, form, { 'Content-Type': 'application/x-www-form-urlencoded' }, { __skipHttpAuth: true });
    const location = typeof r.headers.location === 'string' ? r.headers.location : undefined;
    const cookies = await this.jar.getCookies(this.origin + '/');
    if (r.status >= 500) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.loginServerError', { status: String(r.status) }, { status: r.status });
    if (r.status === 404) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.noLoginPage', { origin: this.origin, path: login.path });
    if ((r.status >= 300 && r.status < 400 && location && this.isLoginRedirect(location)) || cookies.length === 0 || r.status === 401 || r.status === 403) {
      throw failure('AUTH_FAILED', 'errors.AUTH_FAILED.camera', { origin: this.origin });
    }
    if (location) this.sameOrigin(location, login.path);
    this.loggedIn = true;
  }

  /**
   * A web-UI request with the session: logs in first if needed; on a bounce to the login page logs in once
   * more and repeats; a second bounce is AUTH_FAILED. GET follows same-origin redirects; POST returns them.
   * Any other status comes back as it is.
   */
  async page(method: 'GET' | 'POST', path: string, form?: string): Promise<WebResponse> {
    for (let attempt = 0; ; attempt++) {
      await this.login();
      if (method === 'POST') this.writes++;
      const r = await this.pageOnce(method, path, form);
      if (r.location && this.isLoginRedirect(r.location)) {
        this.loggedIn = false;
        if (attempt === 0) {
          this.o.logger?.info(`session expired on ${path}; logging in again`);
          continue;
        }
        throw failure('AUTH_FAILED', 'errors.AUTH_FAILED.loginLoop', { origin: this.origin, path });
      }
      this.o.onExchange?.({ method, path, status: r.status, requestBody: form, location: r.location, contentType: String(r.headers['content-type'] ?? ''), body: r.body });
      return r;
    }
  }

  private async pageOnce(method: 'GET' | 'POST', path: string, form?: string): Promise<WebResponse> {
    let current = path;
    let r = await this.send(method, current, form, form !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded' } : undefined);
    for (let hops = 0; r.status >= 300 && r.status < 400 && typeof r.headers.location === 'string'; hops++) {
      const loc = r.headers.location;
      if (this.isLoginRedirect(loc)) return this.wrap(r, current, new URL(loc, this.origin).toString());
      const next = this.sameOrigin(loc, current);
      if (method === 'POST') return this.wrap(r, current, this.origin + next);
      if (hops >= MAX_REDIRECTS) throw failure('CAMERA_ERROR', 'errors.CAMERA_ERROR.tooManyRedirects', { path });
      current = next;
      r = await this.send('GET', current);
    }
    return this.wrap(r, current);
  }

  private wrap(r: AxiosResponse<string>, path: string, location?: string): WebResponse {
    return { status: r.status, url: this.origin + path, body: typeof r.data === 'string' ? r.data : String(r.data ?? ''), headers: r.headers as WebResponse['headers'], ...(location ? { location } : {}) };
  }

  /** A machine-interface call (SOAP/ONVIF): no cookies needed, Digest/Basic handled by the interceptor. */
  async api(path: string, body: string, headers: RawAxiosRequestHeaders): Promise<WebResponse> {
    const r = await this.send('POST', path, body, headers);
    return this.wrap(r, path);
  }

  /** Forgets cookies and login state and closes idle connections. */
  reset(): void {
    this.loggedIn = false;
    void this.jar.removeAllCookies();
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  /** The values of the session's cookies (a capture blanks them wherever they appear). */
  async cookieValues(): Promise<string[]> {
    return (await this.jar.getCookies(this.origin + '/')).map((c) => c.value).filter(Boolean);
  }

  /** Starts over: new connections, no cookies, a fresh login on the next request. */
  renew(): void {
    this.reset();
    this.agents = this.newAgents();
  }
}
