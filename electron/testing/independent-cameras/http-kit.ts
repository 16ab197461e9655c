/**
 * Test support: the plumbing every independently written camera UI in this folder shares (an HTTP server on a
 * loopback address and port 0, a form-login session store, body and cookie parsing, HTML escaping). The pages
 * themselves are written per UI, by hand; nothing here knows a field, a label or a path.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeBackend, type FakeState, type MailOptions } from './backend';

/** A parsed request. */
export interface Req {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Form fields in the order posted (repeated names kept). */
  form: Array<[string, string]>;
  cookies: Record<string, string>;
  headers: IncomingMessage['headers'];
}

/** An answer. */
export interface Res {
  status: number;
  body?: string;
  headers?: Record<string, string | string[]>;
}

/** Escapes text for HTML. */
export function esc(s: string | number): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The first posted value of a field, or undefined when the POST left it out. */
export function field(r: Req, name: string): string | undefined {
  return r.form.find(([k]) => k === name)?.[1];
}

/** Every posted value of a field. */
export function fields(r: Req, name: string): string[] {
  return r.form.filter(([k]) => k === name).map(([, v]) => v);
}

/** A redirect. */
export function redirect(to: string, status = 302, headers: Record<string, string | string[]> = {}): Res {
  return { status, headers: { Location: to, ...headers } };
}

/** A 404 page. */
export function notFound(): Res {
  return { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>' };
}

/** A random token. */
export function token(): string {
  return randomBytes(12).toString('hex');
}

/** What a UI implements. */
export interface CameraUi {
  /** One request of a logged-in or anonymous client; the UI checks sessions itself. */
  handle(r: Req): Promise<Res> | Res;
}

/** A running independent camera. */
export interface IndependentCamera {
  url: string;
  address: string;
  backend: FakeBackend;
  /** Requests seen (method and path), for assertions about where the driver went. */
  requests: string[];
  stop(): Promise<void>;
}

/** Options every UI takes. */
export interface StartOptions {
  /** Loopback address the camera listens on and sends mail from. */
  address: string;
  initial: FakeState;
  mail: Omit<MailOptions, 'address'>;
}

/** Starts a UI over a fresh backend on `address`, port 0. */
export async function serve(o: StartOptions, makeUi: (b: FakeBackend) => CameraUi): Promise<IndependentCamera> {
  const backend = new FakeBackend(o.initial, { ...o.mail, address: o.address });
  const ui = makeUi(backend);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => void answer(ui, req, res, requests));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, o.address, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${o.address}:${port}`,
    address: o.address,
    backend,
    requests,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function answer(ui: CameraUi, req: IncomingMessage, res: ServerResponse, log: string[]): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const url = new URL(req.url ?? '/', 'http://camera');
  const body = Buffer.concat(chunks).toString('utf8');
  const form = (req.headers['content-type'] ?? '').includes('urlencoded') ? [...new URLSearchParams(body).entries()] : [];
  const cookies: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) cookies[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  log.push(`${req.method} ${url.pathname}${url.search}`);
  let out: Res;
  try {
    out = await ui.handle({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, form, cookies, headers: req.headers });
  } catch (e) {
    out = { status: 500, body: `<html><body><h1>Internal error</h1><p>${esc((e as Error).message)}</p></body></html>` };
  }
  res.writeHead(out.status, { 'Content-Type': 'text/html; charset=utf-8', ...(out.headers ?? {}) });
  res.end(out.body ?? '');
}

/** Form-login sessions: cookie values that are valid. */
export class Sessions {
  private readonly live = new Set<string>();

  /** Opens a session and returns its value. */
  open(): string {
    const t = token();
    this.live.add(t);
    return t;
  }

  /** True when the value names a live session. */
  has(v: string | undefined): boolean {
    return !!v && this.live.has(v);
  }

  /** Ends every session (a reboot, or another admin logging in on single-session firmware). */
  clear(): void {
    this.live.clear();
  }
}

/** Identity the Pelco API answers (docs/camera.md §5). */
export interface CameraFacts {
  model: string;
  firmware: string;
  mac: string;
  serial: string;
}

function md5(s: string): string {
  return createHash('md5').update(s, 'utf8').digest('hex');
}

/** Parses `Digest a="b", c=d` into a record. */
function digestParams(h: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of h.replace(/^Digest\s+/i, '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) out[m[1].toLowerCase()] = m[2] ?? m[3] ?? '';
  return out;
}

/**
 * The Pelco SOAP API's PelcoConfiguration service, behind HTTP Basic (older firmware) or Digest MD5 with
 * qop=auth (firmware 1.9 on), docs/camera.md §5. Returns undefined for other paths.
 */
export function pelcoApi(r: Req, auth: 'basic' | 'digest', facts: CameraFacts, deviceName: string, nonces: Set<string>): Res | undefined {
  if (r.path !== '/control/PelcoConfiguration-1' || r.method !== 'POST') return undefined;
  const h = r.headers.authorization ?? '';
  let ok = false;
  if (auth === 'basic') ok = h === `Basic ${Buffer.from('admin:admin').toString('base64')}`;
  else if (/^Digest /i.test(h)) {
    const p = digestParams(h);
    const ha1 = md5(`admin:Sarix:admin`);
    const ha2 = md5(`POST:${p.uri}`);
    ok = p.username === 'admin' && nonces.has(p.nonce) && p.response === md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
  }
  if (!ok) {
    const nonce = token();
    nonces.add(nonce);
    const challenge = auth === 'basic' ? 'Basic realm="Sarix"' : `Digest realm="Sarix", qop="auth", algorithm=MD5, nonce="${nonce}"`;
    return { status: 401, headers: { 'WWW-Authenticate': challenge }, body: 'Unauthorized' };
  }
  const action = /#(\w+)"?$/.exec(String(r.headers.soapaction ?? ''))?.[1];
  const env = (inner: string) => `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body>${inner}</s:Body></s:Envelope>`;
  if (action !== 'GetConfiguration') return { status: 500, headers: { 'Content-Type': 'text/xml' }, body: env('<s:Fault><faultcode>s:Client</faultcode><faultstring>ActionNotImplementedFault</faultstring></s:Fault>') };
  return {
    status: 200,
    headers: { 'Content-Type': 'text/xml' },
    body: env(`<u:GetConfigurationResponse xmlns:u="urn:schemas-pelco-com:service:PelcoConfiguration:1"><pelcoConfig><modelName>${esc(facts.model)}</modelName><firmwareVersion>${esc(facts.firmware)}</firmwareVersion><macAddress>${esc(facts.mac)}</macAddress><serialNumber>${esc(facts.serial)}</serialNumber><friendlyName>${esc(deviceName)}</friendlyName></pelcoConfig></u:GetConfigurationResponse>`),
  };
}
