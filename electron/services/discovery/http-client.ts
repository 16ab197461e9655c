/**
 * The small HTTP GET the discovery probes need: short timeout, abortable, bounded body, no proxy, and redirects
 * never followed automatically (the caller follows same-host ones only; ARCHITECTURE.md rule 10).
 */
import http from 'node:http';
import axios, { type AxiosInstance } from 'axios';

/** One HTTP answer, body as text. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What discovery needs from an HTTP client (injectable for tests). */
export interface DiscoveryHttpClient {
  /** GETs a URL; rejects on network errors and timeouts, resolves for every HTTP status. */
  get(url: string, o: { timeoutMs: number; signal: AbortSignal }): Promise<HttpAnswer>;
}

/** Largest body read from a probed device (a description or a login page is a few KB). */
const MAX_BODY_BYTES = 512 * 1024;

/** The default client: axios with no redirects, no proxy, no keep-alive (each host is probed once or twice). */
export class AxiosDiscoveryHttpClient implements DiscoveryHttpClient {
  private readonly ax: AxiosInstance;
  constructor() {
    this.ax = axios.create({
      maxRedirects: 0,
      proxy: false,
      responseType: 'text',
      transformResponse: (x: unknown) => x,
      validateStatus: () => true,
      maxContentLength: MAX_BODY_BYTES,
      httpAgent: new http.Agent({ keepAlive: false }),
      headers: { 'User-Agent': 'SarixCommissioner-Discovery/1', Accept: 'text/html,application/xml,text/xml,*/*' },
    });
  }

  /** GETs a URL (see DiscoveryHttpClient). */
  async get(url: string, o: { timeoutMs: number; signal: AbortSignal }): Promise<HttpAnswer> {
    const r = await this.ax.get<string>(url, { timeout: o.timeoutMs, signal: o.signal });
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
    return { status: r.status, headers, body: typeof r.data === 'string' ? r.data : String(r.data ?? '') };
  }
}
