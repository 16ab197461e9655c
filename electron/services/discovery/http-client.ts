/**
 * The small HTTP GET the discovery probes need: short timeout, abortable, bounded body, no proxy, no keep-alive,
 * and redirects never followed automatically (the caller follows same-host ones only; docs/architecture.md §2.10).
 * Plain node:http rather than axios: a sweep makes hundreds of tiny requests and axios' per-request overhead
 * (config merging, interceptors, adapters) delayed the first result noticeably in the benchmark.
 */
import http from 'node:http';

/** One HTTP answer, body as text. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What discovery needs from an HTTP client (injectable for tests). */
export interface DiscoveryHttpClient {
  /**
   * GETs a URL; rejects on network errors and timeouts (a timeout after the connection was accepted carries
   * `isConnected: true`), resolves for every HTTP status.
   */
  get(url: string, o: { timeoutMs: number; signal: AbortSignal }): Promise<HttpAnswer>;
}

/** Largest body read from a probed device (a description or a login page is a few KB). */
const MAX_BODY_BYTES = 512 * 1024;

/** The default client (node:http, http only: cameras' web UIs are plain HTTP on the LAN). */
export class NodeDiscoveryHttpClient implements DiscoveryHttpClient {
  /** GETs a URL (see DiscoveryHttpClient). */
  get(url: string, o: { timeoutMs: number; signal: AbortSignal }): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const u = new URL(url);
      if (u.protocol !== 'http:') return reject(new Error(`only http:// URLs are probed (got ${u.protocol})`));
      if (o.signal.aborted) return reject(o.signal.reason ?? new Error('aborted'));
      const req = http.request(
        {
          host: u.hostname.replace(/^\[|\]$/g, ''),
          port: u.port ? Number(u.port) : 80,
          path: u.pathname + u.search,
          method: 'GET',
          agent: false,
          signal: o.signal,
          timeout: o.timeoutMs,
          headers: { 'User-Agent': 'SarixCommissioner-Discovery/1', Accept: 'text/html,application/xml,text/xml,*/*', Connection: 'close' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > MAX_BODY_BYTES) {
              req.destroy(new Error(`response of ${url} is larger than ${MAX_BODY_BYTES} bytes`));
              return;
            }
            chunks.push(c);
          });
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
            resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', reject);
        },
      );
      // A timeout after the TCP connection was accepted means "a slow web server is there", not "nobody there":
      // the error says which, so a sweep can retry slow hosts instead of dropping them.
      let isConnected = false;
      req.on('socket', (sock) => {
        if (!sock.connecting) isConnected = true;
        else sock.once('connect', () => (isConnected = true));
      });
      const timeout = () => req.destroy(Object.assign(new Error(`no answer from ${u.host} within ${o.timeoutMs} ms`), { code: 'ETIMEDOUT', isConnected }));
      // The whole exchange is bounded, not only socket idleness: a device that trickles bytes must not hold a slot.
      const timer = setTimeout(timeout, o.timeoutMs);
      req.on('timeout', timeout);
      req.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      req.on('close', () => clearTimeout(timer));
      req.end();
    });
  }
}

/**
 * Bounds the requests in flight across a whole scan (a site of hundreds of cameras answering SSDP at once must
 * not open hundreds of connections at once). A request's timeout starts when it leaves the queue.
 */
export class LimitedHttpClient implements DiscoveryHttpClient {
  private active = 0;
  private readonly queue: Array<() => void> = [];
  constructor(
    private readonly inner: DiscoveryHttpClient,
    private readonly limit: number,
  ) {}

  /** GETs a URL once a slot is free (see DiscoveryHttpClient). */
  async get(url: string, o: { timeoutMs: number; signal: AbortSignal }): Promise<HttpAnswer> {
    await this.acquire(o.signal);
    try {
      return await this.inner.get(url, o);
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  private acquire(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    if (this.active < this.limit) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', onAbort);
        this.active++;
        resolve();
      };
      const onAbort = () => {
        const i = this.queue.indexOf(grant);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal.reason ?? new Error('aborted'));
      };
      this.queue.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
