/**
 * One simulated Sarix camera: an HTTP server on its own address (web UI with sessions, Pelco SOAP, ONVIF,
 * snapshot, description XML, /__sim/ hooks), its in-memory settings, the event engine, and optional discovery
 * responders. Behaviour follows docs/camera.md §3–7; simulator-only knobs are in `SimCameraOptions`.
 */
// Long on purpose: SimCamera's public API (identity, state, fault knobs, triggers, start/stop) is one class that tests use directly; its routes, sessions, event engine, HTTP faults and /__sim/ hooks live in their own files.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from '../services/common/logger';
import { silentLogger } from '../services/common/logger';
import type { SimCameraOptions, SimFaults, SimSendLogEntry, SimState, SimTriggerResult, TriggerStrength } from './types';
import { checkGeneral, defaultHandler, defaultSource, factoryState } from './state';
import { SimPages, layout } from './pages';
import { esc, type FormVariant } from './forms';
import { HttpAuth } from './http-auth';
import { onvifDevice, pelcoConfiguration, type SoapContext } from './soap';
import { systemResolver } from './mailer';
import { snapshotJpeg } from './jpeg';
import { SsdpResponder, descriptionXml, cameraUuid } from './ssdp';
import { WsdResponder } from './wsd';
import { MdnsAdvertiser } from './mdns';
import type { DroppedFields } from './dropped';
import { makeVariant, type VariantSpec } from './variants/spec';
import { VariantUi } from './variants/variant-ui';
import { drain, header1, readBody, redirect, sendHtml, tooLarge } from './http-util';
import { WebSessions } from './web-sessions';
import { loginPage, serveClassicSetup, type ClassicUiContext } from './classic-ui';
import { serveSimHook } from './sim-hooks';
import { SimEventEngine } from './event-engine';
import { PELCO_MAC_PREFIX, SimBindError, firmwareAtLeast, macForAddress } from './identity';
import { HttpFaults } from './http-faults';

/** Events of a SimCamera: `sent` with each send-log entry as it is written. */
export interface SimCameraEvents {
  sent: [SimSendLogEntry];
}

/** One running simulated camera. Create it with `startCamera`. Emits `sent` (a SimSendLogEntry) after each mail attempt. */
export class SimCamera extends EventEmitter<SimCameraEvents> {
  /** The address the camera listens on. */
  readonly ip: string;
  /** Its HTTP port (resolved when 0 was asked). */
  httpPort = 0;
  readonly model: string;
  readonly firmware: string;
  readonly mac: string;
  readonly serial: string;
  /** SSDP uuid (without the `uuid:` prefix). */
  readonly uuid: string;
  /** The TCP port the camera sends mail to (simulator knob; real cameras use 25). */
  readonly smtpPort: number;
  readonly formVariant: FormVariant;

  private st: SimState;
  private readonly extras: Record<string, string> = {};
  private readonly sessions: WebSessions;
  private readonly events: SimEventEngine;
  private faults: SimFaults;
  private readonly httpFaults = new HttpFaults();
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly auth: HttpAuth;
  private readonly seenNonces = new Set<string>();
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly clockOffsetMs: number;
  private readonly maxActive: number;
  private readonly wsWindowS: number;
  private readonly soapCtx: SoapContext;
  private readonly pages: SimPages;
  private readonly classicUi: ClassicUiContext;
  private ssdp?: SsdpResponder;
  private wsd?: WsdResponder;
  private mdns?: MdnsAdvertiser;
  /** The seeded firmware variant's web UI (SimCameraOptions.variant), replacing the classic pages. */
  private readonly variantUi?: VariantUi;
  private readonly droppedLog: DroppedFields[] = [];
  private stopped = false;
  private readonly opts: SimCameraOptions;

  /** @internal use startCamera. */
  constructor(opts: SimCameraOptions) {
    super();
    this.opts = opts;
    this.ip = opts.address ?? '127.0.0.1';
    this.model = opts.model ?? 'IXE20DN';
    this.firmware = opts.firmware ?? '1.9.2';
    this.mac = (opts.mac ?? macForAddress(this.ip)).toUpperCase();
    if (!this.mac.startsWith(PELCO_MAC_PREFIX) || !/^([0-9A-F]{2}:){5}[0-9A-F]{2}$/.test(this.mac)) throw new Error(`Simulated camera MAC "${opts.mac}" must look like 00:0B:AB:xx:xx:xx (the Pelco prefix).`);
    this.serial = opts.serial ?? `T${parseInt(this.mac.replace(/:/g, '').slice(6), 16).toString().padStart(8, '0')}`;
    this.uuid = cameraUuid(this.mac);
    this.smtpPort = opts.smtpPort ?? 25;
    this.formVariant = opts.formVariant ?? 'standard';
    this.logger = opts.logger ?? silentLogger;
    this.now = opts.now ?? Date.now;
    this.clockOffsetMs = opts.clockOffsetMs ?? 0;
    this.maxActive = opts.maxActiveBehaviours ?? 3;
    this.wsWindowS = opts.wsSecurityWindowS ?? 300;
    this.faults = { ...opts.faults, smtp: { ...opts.faults?.smtp } };
    const deviceName = opts.deviceName ?? `Sarix${this.mac.replace(/:/g, '').slice(6)}`;
    this.st = factoryState(deviceName, opts.username ?? 'admin', opts.password ?? 'admin');
    if (opts.initialState) this.st = { ...this.st, ...structuredClone(opts.initialState) };
    this.prefill(opts.prefillHandlers ?? 0);
    this.sessions = new WebSessions({ users: () => this.st.users, now: this.now, idleMs: () => this.faults.sessionIdleMs });
    this.events = new SimEventEngine({
      state: () => this.st,
      cameraNow: () => this.cameraNow(),
      mailer: {
        deviceName: () => this.st.general.deviceName,
        smtpServer: () => this.st.general.smtpServer,
        ip: this.ip,
        mac: this.mac,
        model: this.model,
        smtpPort: this.smtpPort,
        resolver: opts.resolver ?? systemResolver,
        faults: () => this.faults.smtp ?? {},
        logger: this.logger,
      },
      sent: (entry) => this.emit('sent', entry),
    });
    // Digest arrived with firmware 1.9 (docs/camera.md §2); older firmware offers Basic only.
    this.auth = new HttpAuth(() => this.st.users, this.now, firmwareAtLeast(this.firmware, [1, 9]));
    this.soapCtx = this.soapContext();
    this.pages = new SimPages({
      variant: this.formVariant,
      // Pages mutate this same object; the camera never replaces it after construction.
      state: this.st,
      model: this.model,
      firmware: this.firmware,
      defaultDeviceName: deviceName,
      maxActiveBehaviours: this.maxActive,
      extras: this.extras,
      changed: () => this.events.reconcileTimers(),
    });
    this.classicUi = {
      model: this.model,
      formVariant: this.formVariant,
      pages: this.pages,
      sourceNames: () => this.st.sources.map((x) => x.name),
      dropped: (d) => this.droppedLog.push(d),
      restart: () => this.restart(),
    };
    if (opts.variant !== undefined) {
      const spec = typeof opts.variant === 'number' ? makeVariant(opts.variant) : opts.variant;
      const st = this.st;
      this.variantUi = new VariantUi(spec, { state: st, defaultDeviceName: deviceName, maxActiveBehaviours: this.maxActive, changed: () => this.events.reconcileTimers(), model: this.model, firmware: this.firmware, extras: this.extras });
    }
    this.server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
      this.handle(req, res).catch((e) => {
        this.logger.error(`sim camera ${this.ip}: request failed`, String(e));
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end('Internal error');
      });
    });
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  /** What the SOAP services (Pelco, ONVIF) read and change of this camera. */
  private soapContext(): SoapContext {
    return {
      model: this.model,
      firmware: this.firmware,
      serial: this.serial,
      mac: this.mac,
      ip: this.ip,
      deviceName: () => this.st.general.deviceName,
      location: () => this.extras.location ?? '',
      ntpServer: () => this.st.general.ntpServer,
      timeZone: () => this.st.general.timeZone,
      setNtpServer: (server) => {
        const next = { ...this.st.general, ntpServer: server };
        const err = checkGeneral(next);
        if (err) return err;
        this.st.general = next;
        return undefined;
      },
      cameraNow: () => this.cameraNow(),
      restart: () => this.restart(),
      deviceXAddr: () => `${this.url}/onvif/device_service`,
      users: () => this.st.users,
      wsSecurityWindowS: this.wsWindowS,
    };
  }

  private prefill(n: number): void {
    if (n <= 0) return;
    if (!this.st.sources.some((s) => s.name === 'Alarm1')) this.st.sources.push(defaultSource('Alarm1'));
    for (let i = 1; this.st.handlers.length < Math.min(n, 20) && i < 100; i++) {
      const name = `Prefill${i}`;
      if (this.st.handlers.some((h) => h.name === name)) continue;
      this.st.handlers.push({ ...defaultHandler(name), to: `ops${i}@example.com`, from: 'camera@example.com', subject: `Prefilled ${i}`, message: 'Prefilled handler', sources: ['Alarm1'] });
    }
  }

  /** The base URL, e.g. http://127.0.1.1:8080. */
  get url(): string {
    return `http://${this.ip}:${this.httpPort}`;
  }

  /** The current device name (General Settings). */
  get deviceName(): string {
    return this.st.general.deviceName;
  }

  /** The first admin user's name (the login a technician would use). */
  get username(): string {
    return (this.st.users.find((u) => u.role === 'admin') ?? this.st.users[0]).name;
  }

  /** That user's current password. */
  get password(): string {
    return (this.st.users.find((u) => u.role === 'admin') ?? this.st.users[0]).password;
  }

  /** SSDP port actually bound (when enabled). */
  get ssdpPort(): number | undefined {
    return this.ssdp?.port;
  }

  /** WS-Discovery port actually bound (when enabled). */
  get wsdPort(): number | undefined {
    return this.wsd?.port;
  }

  /** The camera clock: host clock plus the configured skew. */
  cameraNow(): number {
    return this.now() + this.clockOffsetMs;
  }

  /** A deep-copied plain snapshot of all settings (compare before/after to check a rollback). */
  state(): SimState {
    return structuredClone(this.st);
  }

  /** The send log (deep copy), oldest first. */
  sendLog(): SimSendLogEntry[] {
    return this.events.sendLog();
  }

  /** Merges fault knobs (smtp merges too). */
  setFaults(f: SimFaults): void {
    this.faults = { ...this.faults, ...f, smtp: { ...this.faults.smtp, ...f.smtp } };
  }

  /** The current fault knobs. */
  currentFaults(): SimFaults {
    return structuredClone(this.faults);
  }

  /** Answers the next `count` HTTP requests whose path (and method, when given) matches with 500 (a targeted fault). */
  failNext(pathRegex: RegExp | string, count = 1, method?: 'GET' | 'POST'): void {
    this.httpFaults.add(pathRegex, count, method, 'fail');
  }

  /** Drops the connection of the next `count` matching requests without answering (nothing is saved). */
  dropNext(pathRegex: RegExp | string, count = 1, method?: 'GET' | 'POST'): void {
    this.httpFaults.add(pathRegex, count, method, 'drop');
  }

  /** Never answers the next `count` matching requests (the client times out; nothing is saved). */
  stallNext(pathRegex: RegExp | string, count = 1, method?: 'GET' | 'POST'): void {
    this.httpFaults.add(pathRegex, count, method, 'stall');
  }

  /** Drops every web session (as after a reboot or an idle expiry). */
  expireSessions(): void {
    this.sessions.clear();
  }

  /**
   * Simulator fault: every connection open now goes dead without closing (a camera reboot behind a NAT, a
   * pulled cable): requests sent on them are never answered. New connections work.
   */
  stallOpenConnections(): void {
    this.httpFaults.stallAll(this.sockets);
  }

  /** Fields a POST left out although the page rendered them (a correct driver never drops one). */
  droppedFields(): DroppedFields[] {
    return structuredClone([...this.droppedLog, ...(this.variantUi?.dropped ?? [])]);
  }

  /** Every session id, session cookie and form token this camera issued (tests check captures never hold one). */
  issuedSecrets(): string[] {
    return [...this.sessions.issued(), ...(this.variantUi?.issuedTokens ?? [])];
  }

  /** The seeded variant this camera serves (undefined: the classic pages). */
  get variant(): VariantSpec | undefined {
    return this.variantUi?.v;
  }

  /** Values of the web UI's unrelated extra fields (location, installer notes, ...), to check nothing else changed. */
  uiExtras(): Record<string, unknown> {
    return { camera: { ...this.extras }, ...(this.variantUi?.extrasSnapshot() ?? {}) };
  }

  /** @internal binds the HTTP server and the enabled discovery responders. */
  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onErr = (e: NodeJS.ErrnoException) => {
        const what = e.code === 'EADDRINUSE' ? 'is already in use' : e.code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be bound (${e.code ?? e.message})`;
        reject(new SimBindError(`Simulated camera: ${this.ip}:${this.opts.httpPort ?? 0} ${what}. Choose another --base-address or --http-port, or stop what is using it.`, this.ip, this.opts.httpPort ?? 0, e.code ?? 'EBIND'));
      };
      this.server.once('error', onErr);
      this.server.listen({ host: this.ip, port: this.opts.httpPort ?? 0 }, () => {
        this.server.off('error', onErr);
        resolve();
      });
    });
    const addr = this.server.address();
    this.httpPort = typeof addr === 'object' && addr ? addr.port : 0;
    try {
      const info = { ip: this.ip, httpPort: this.httpPort, uuid: this.uuid, model: this.model, deviceName: () => this.st.general.deviceName, mac: this.mac, serial: this.serial, firmware: this.firmware, logger: this.logger };
      if (this.opts.ssdp) {
        this.ssdp = new SsdpResponder(info, this.opts.ssdp === true ? {} : this.opts.ssdp);
        await this.ssdp.start();
      }
      if (this.opts.wsd) {
        this.wsd = new WsdResponder(info, this.opts.wsd === true ? {} : this.opts.wsd);
        await this.wsd.start();
      }
      const mdns = this.opts.mdns;
      if (mdns === true || (typeof mdns === 'object' && mdns.enabled)) {
        this.mdns = new MdnsAdvertiser(info);
        await this.mdns.start();
      }
    } catch (e) {
      await this.stop();
      throw e;
    }
    this.events.reconcileTimers();
    this.events.boot();
  }

  /** Says byebye (SSDP/WSD/mDNS), stops timers, waits for mail in flight, closes the HTTP server. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.events.halt();
    await Promise.allSettled([this.ssdp?.stop(), this.wsd?.stop(), this.mdns?.stop()]);
    await this.events.settled();
    await new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  /** Reboot: sessions dropped, System sources fire (as the camera does on boot). */
  restart(): void {
    this.sessions.clear();
    this.events.boot();
  }

  /**
   * Fires a source by name or type ("Alarm1", "alarm", "timer", "system"), or a behaviour ("camera-sabotage",
   * "Camera Sabotage"). A behaviour is detected only when active and its sensitivity admits the strength:
   * 'full' at ≥ 1, 'partial' at ≥ 8. Resolves after the resulting mail has been sent (or refused).
   */
  async trigger(ref: string, opts: { strength?: TriggerStrength } = {}): Promise<SimTriggerResult> {
    if (this.stopped) throw new Error('The simulated camera is stopped.');
    return this.events.trigger(ref, opts);
  }

  // ------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://camera');
    const path = url.pathname;
    res.setHeader('Server', 'lighttpd/1.4.28');
    // The camera's web server stamps responses with its own clock (skew included), which clock checks read.
    res.sendDate = false;
    res.setHeader('Date', new Date(this.cameraNow()).toUTCString());
    if (this.httpFaults.isStalled(req)) return; // a dead connection: the request is never answered
    if (path.startsWith('/__sim/')) return serveSimHook(this, req, res, url);
    if (await this.httpFaults.intercept(req, res, path, this.faults)) return;
    const method = req.method ?? 'GET';
    if (path === '/' && method === 'GET') return redirect(res, '/liveview');
    if (path === '/liveview' && method === 'GET' && this.variantUi) return sendHtml(res, 200, this.variantLiveview());
    if (path === '/liveview' && method === 'GET') return sendHtml(res, 200, layout(this, 'Live View', `<img src="/jpeg" alt="Live video" width="640" height="360"><p>Sarix&trade; ${esc(this.model)} ${esc(this.st.general.deviceName)}</p>`));
    if (path === '/login' && method === 'GET') return sendHtml(res, 200, loginPage(this.model, url.searchParams.has('failed')));
    if (path === '/auth/validate' && method === 'POST') return this.login(req, res);
    if (path === '/auth/logout') {
      const s = this.sessions.of(req);
      if (s) this.sessions.end(s);
      res.setHeader('Set-Cookie', ['PHPSESSID=deleted; Path=/; Max-Age=0', 'authos-token=deleted; Path=/; Max-Age=0']);
      return redirect(res, '/login');
    }
    if (path === '/jpeg' && method === 'GET') {
      const img = snapshotJpeg();
      res.writeHead(200, { 'Content-Type': 'image/jpeg', 'Content-Length': img.length, 'Cache-Control': 'no-cache' });
      res.end(img);
      return;
    }
    if (path === '/description.xml' && method === 'GET') {
      res.writeHead(200, { 'Content-Type': 'text/xml; charset="utf-8"' });
      res.end(descriptionXml({ ip: this.ip, httpPort: this.httpPort, uuid: this.uuid, model: this.model, deviceName: () => this.st.general.deviceName, mac: this.mac, serial: this.serial, firmware: this.firmware }));
      return;
    }
    if (path === '/control/PelcoConfiguration-1') return this.pelco(req, res);
    if (/^\/control\/[A-Za-z]+-1$/.test(path)) {
      await drain(req);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Service not available on this camera.');
      return;
    }
    // ONVIF arrived with firmware 1.8.2 (docs/camera.md §2): older cameras have no such page.
    if (path === '/onvif/device_service' && firmwareAtLeast(this.firmware, [1, 8, 2])) return this.onvif(req, res);
    if (this.variantUi && (this.variantUi.paths.isUnder(url) || path.startsWith('/setup/'))) return this.variantSetup(req, res, url);
    if (path.startsWith('/setup/')) return serveClassicSetup(this.classicUi, req, res, url, this.sessions.of(req));
    await drain(req);
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end('<html><body><h1>404 Not Found</h1></body></html>');
  }

  private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return tooLarge(res);
    const form = new URLSearchParams(body);
    const ok = this.sessions.login(form.get('username'), form.get('password'));
    if (!ok) return redirect(res, '/login?failed=1');
    res.setHeader('Set-Cookie', ok.cookies);
    redirect(res, '/liveview');
  }

  private variantLiveview(): string {
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sarix&trade; ${esc(this.model)} - Live View</title></head><body><div id="header"><span>Sarix&trade;</span> ${esc(this.model)}</div>${this.variantUi!.liveviewNav()}<div id="content"><img src="/jpeg" alt="Live video" width="640" height="360"><p>Sarix&trade; ${esc(this.model)} ${esc(this.st.general.deviceName)}</p></div></body></html>`;
  }

  /** The web UI of a seeded variant (session checked here, pages in variants/variant-ui.ts). */
  private async variantSetup(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const s = this.sessions.of(req);
    if (!s) {
      await drain(req);
      return redirect(res, '/login');
    }
    const method = req.method ?? 'GET';
    let posted: URLSearchParams | undefined;
    if (method === 'POST') {
      const body = await readBody(req);
      if (body === undefined) return tooLarge(res);
      posted = new URLSearchParams(body);
    } else await drain(req);
    const out = method === 'GET' || method === 'POST' ? this.variantUi!.handle(method, url, posted, s) : undefined;
    if (!out) {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    if (out.location) return redirect(res, out.location, out.status);
    sendHtml(res, out.status, out.html ?? '');
  }

  private async pelco(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return tooLarge(res);
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' });
      res.end('Use POST with a SOAP envelope.');
      return;
    }
    const a = this.auth.check(req.headers.authorization, 'POST', req.url ?? '/');
    if (!a.ok) {
      res.setHeader('WWW-Authenticate', this.auth.challenges(a.stale));
      res.writeHead(401, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>401 Unauthorized</h1></body></html>');
      return;
    }
    const r = pelcoConfiguration(this.soapCtx, header1(req.headers.soapaction), body);
    res.writeHead(r.status, { 'Content-Type': r.contentType });
    res.end(r.body);
  }

  private async onvif(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return tooLarge(res);
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/plain' });
      res.end('Use POST with a SOAP 1.2 envelope.');
      return;
    }
    const a = req.headers.authorization ? this.auth.check(req.headers.authorization, 'POST', req.url ?? '/') : undefined;
    const r = onvifDevice(this.soapCtx, body, a?.ok ? a.user : undefined, this.seenNonces);
    res.writeHead(r.status, { 'Content-Type': r.contentType });
    res.end(r.body);
  }

  /** The identity a fleet prints: address, port, MAC, model, name, firmware, login. */
  identity(): { ip: string; httpPort: number; mac: string; model: string; name: string; firmware: string; serial: string; username: string; password: string } {
    return { ip: this.ip, httpPort: this.httpPort, mac: this.mac, model: this.model, name: this.deviceName, firmware: this.firmware, serial: this.serial, username: this.username, password: this.password };
  }
}

/** Starts one camera; resolves when it listens. */
export async function startCameraImpl(opts: SimCameraOptions = {}): Promise<SimCamera> {
  const cam = new SimCamera(opts);
  await cam.start();
  return cam;
}
