/**
 * One simulated Sarix camera: an HTTP server on its own address (web UI with sessions, Pelco SOAP, ONVIF,
 * snapshot, description XML, /__sim/ hooks), its in-memory settings, the event engine, and optional discovery
 * responders. Behaviour follows docs/camera.md §3–7; simulator-only knobs are in `SimCameraOptions`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from '../services/common/logger';
import { silentLogger } from '../services/common/logger';
import { BEHAVIOUR_NAMES, type BehaviourId, type SimCameraOptions, type SimFaults, type SimSendLogEntry, type SimSource, type SimState, type SimTriggerResult, type TriggerStrength } from './types';
import { behaviourId, checkGeneral, defaultHandler, defaultSource, factoryState, isDetected, timeFilterMatches } from './state';
import { SimPages, layout, type PageResult } from './pages';
import { esc, tokenName, type FormVariant } from './forms';
import { HttpAuth } from './http-auth';
import { onvifDevice, pelcoConfiguration, type SoapContext } from './soap';
import { sendHandlerMail, systemResolver, type MailEvent } from './mailer';
import { snapshotJpeg } from './jpeg';
import { SsdpResponder, descriptionXml, cameraUuid } from './ssdp';
import { WsdResponder } from './wsd';
import { MdnsAdvertiser } from './mdns';
import { classicDropped, type DroppedFields } from './dropped';
import { makeVariant, type VariantSpec } from './variants/spec';
import { VariantUi } from './variants/variant-ui';

/** Pelco's MAC prefix (docs/camera.md §2). */
export const PELCO_MAC_PREFIX = '00:0B:AB';

const MAX_BODY = 256 * 1024;
const LOG_LIMIT = 1000;
const MAX_SESSIONS = 64;

interface Session {
  id: string;
  authos: string;
  formToken: string;
  user: string;
  lastSeen: number;
}

/** A targeted fault: answer the next `count` requests whose path matches with HTTP 500. */
interface FailRule {
  re: RegExp;
  left: number;
  /** Only requests with this method (default: any). */
  method?: string;
  /** 500 answer (default), the connection dropped without an answer, or no answer ever (a hang). */
  action?: 'fail' | 'drop' | 'stall';
}

/** Thrown by startCamera when the address/port cannot be bound. */
export class SimBindError extends Error {
  constructor(
    message: string,
    readonly address: string,
    readonly port: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SimBindError';
  }
}

function pad2(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}

/** A Pelco MAC derived from an IPv4 address (stable per address, so a fleet restart keeps identities). */
export function macForAddress(address: string, salt = 0): string {
  const p = address.split('.').map(Number);
  const b = [(p[1] ?? 0) ^ salt, p[2] ?? 0, p[3] ?? 0];
  return `${PELCO_MAC_PREFIX}:${b.map((x) => pad2(x & 0xff)).join(':')}`;
}

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
  private readonly sessions = new Map<string, Session>();
  private readonly log: SimSendLogEntry[] = [];
  private faults: SimFaults;
  private readonly failRules: FailRule[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly auth: HttpAuth;
  private readonly seenNonces = new Set<string>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly logger: Logger;
  private readonly now: () => number;
  private readonly clockOffsetMs: number;
  private readonly maxActive: number;
  private readonly wsWindowS: number;
  private readonly soapCtx: SoapContext;
  private readonly pages: SimPages;
  private ssdp?: SsdpResponder;
  private wsd?: WsdResponder;
  private mdns?: MdnsAdvertiser;
  private bootCount = 0;
  /** The seeded firmware variant's web UI (SimCameraOptions.variant), replacing the classic pages. */
  private readonly variantUi?: VariantUi;
  private readonly droppedLog: DroppedFields[] = [];
  private readonly secretsIssued: string[] = [];
  /** Connections that went dead (simulator fault): requests on them are never answered. */
  private readonly stalled = new WeakSet<Socket>();
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
    // Digest arrived with firmware 1.9 (docs/camera.md §2); older firmware offers Basic only.
    this.auth = new HttpAuth(() => this.st.users, this.now, firmwareAtLeast(this.firmware, [1, 9]));
    this.soapCtx = {
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
    this.pages = new SimPages({
      variant: this.formVariant,
      // Pages mutate this same object; the camera never replaces it after construction.
      state: this.st,
      model: this.model,
      firmware: this.firmware,
      defaultDeviceName: deviceName,
      maxActiveBehaviours: this.maxActive,
      extras: this.extras,
      changed: () => this.reconcileTimers(),
    });
    if (opts.variant !== undefined) {
      const spec = typeof opts.variant === 'number' ? makeVariant(opts.variant) : opts.variant;
      const st = this.st;
      this.variantUi = new VariantUi(spec, { state: st, defaultDeviceName: deviceName, maxActiveBehaviours: this.maxActive, changed: () => this.reconcileTimers(), model: this.model, firmware: this.firmware, extras: this.extras });
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
    return structuredClone(this.log);
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
    this.failRules.push({ re: typeof pathRegex === 'string' ? new RegExp(pathRegex) : pathRegex, left: count, method });
  }

  /** Drops the connection of the next `count` matching requests without answering (nothing is saved). */
  dropNext(pathRegex: RegExp | string, count = 1, method?: 'GET' | 'POST'): void {
    this.failRules.push({ re: typeof pathRegex === 'string' ? new RegExp(pathRegex) : pathRegex, left: count, method, action: 'drop' });
  }

  /** Never answers the next `count` matching requests (the client times out; nothing is saved). */
  stallNext(pathRegex: RegExp | string, count = 1, method?: 'GET' | 'POST'): void {
    this.failRules.push({ re: typeof pathRegex === 'string' ? new RegExp(pathRegex) : pathRegex, left: count, method, action: 'stall' });
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
    for (const s of this.sockets) this.stalled.add(s);
  }

  /** Fields a POST left out although the page rendered them (a correct driver never drops one). */
  droppedFields(): DroppedFields[] {
    return structuredClone([...this.droppedLog, ...(this.variantUi?.dropped ?? [])]);
  }

  /** Every session id, session cookie and form token this camera issued (tests check captures never hold one). */
  issuedSecrets(): string[] {
    return [...this.secretsIssued, ...(this.variantUi?.issuedTokens ?? [])];
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
    this.reconcileTimers();
    this.boot();
  }

  /** Says byebye (SSDP/WSD/mDNS), stops timers, waits for mail in flight, closes the HTTP server. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers.values()) clearInterval(t);
    this.timers.clear();
    await Promise.allSettled([this.ssdp?.stop(), this.wsd?.stop(), this.mdns?.stop()]);
    await Promise.allSettled([...this.pending]);
    await new Promise<void>((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  /** Reboot: sessions dropped, System sources fire (as the camera does on boot). */
  restart(): void {
    this.sessions.clear();
    this.boot();
  }

  private boot(): void {
    this.bootCount++;
    for (const s of this.st.sources.filter((x) => x.type === 'system')) this.track(this.fire(s, 'boot'));
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending.add(p);
    p.finally(() => this.pending.delete(p)).catch(() => {});
    return p;
  }

  private reconcileTimers(): void {
    if (this.stopped) return;
    const want = new Map(this.st.sources.filter((s) => s.type === 'timer').map((s) => [`${s.name}|${s.timerIntervalS}`, s]));
    for (const [k, t] of this.timers) {
      if (!want.has(k)) {
        clearInterval(t);
        this.timers.delete(k);
      }
    }
    for (const [k, s] of want) {
      if (this.timers.has(k)) continue;
      const t = setInterval(() => {
        const cur = this.st.sources.find((x) => x.name === s.name && x.type === 'timer');
        if (cur) this.track(this.fire(cur, 'interval elapsed'));
      }, s.timerIntervalS * 1000);
      t.unref();
      this.timers.set(k, t);
    }
  }

  /** Fires a source: every handler that lists it and whose time filter matches runs. Returns the mail sends. */
  private async fire(s: SimSource, state: string): Promise<SimSendLogEntry[]> {
    const at = this.cameraNow();
    const ev: MailEvent = { source: s.name, sourceType: s.type, state, cameraTimeMs: at };
    const handlers = this.st.handlers.filter((h) => h.sources.includes(s.name) && timeFilterMatches(h, at, this.st.general.timeZone));
    const out: SimSendLogEntry[] = [];
    for (const h of handlers) {
      // FTP, SD and relay handlers have no peer in the simulator; only Send Email has an observable effect.
      if (h.type !== 'email') continue;
      const entry = await sendHandlerMail(
        {
          deviceName: () => this.st.general.deviceName,
          smtpServer: () => this.st.general.smtpServer,
          ip: this.ip,
          mac: this.mac,
          model: this.model,
          smtpPort: this.smtpPort,
          resolver: this.opts.resolver ?? systemResolver,
          faults: () => this.faults.smtp ?? {},
          logger: this.logger,
        },
        structuredClone(h),
        ev,
      );
      this.log.push(entry);
      if (this.log.length > LOG_LIMIT) this.log.shift();
      out.push(entry);
      this.emit('sent', structuredClone(entry));
    }
    return out;
  }

  /**
   * Fires a source by name or type ("Alarm1", "alarm", "timer", "system"), or a behaviour ("camera-sabotage",
   * "Camera Sabotage"). A behaviour is detected only when active and its sensitivity admits the strength:
   * 'full' at ≥ 1, 'partial' at ≥ 8. Resolves after the resulting mail has been sent (or refused).
   */
  async trigger(ref: string, opts: { strength?: TriggerStrength } = {}): Promise<SimTriggerResult> {
    if (this.stopped) throw new Error('The simulated camera is stopped.');
    const byName = this.st.sources.find((s) => s.name.toLowerCase() === ref.toLowerCase());
    const fireAll = async (srcs: SimSource[], state: string): Promise<SimTriggerResult> => {
      const sends: SimSendLogEntry[] = [];
      for (const s of srcs) sends.push(...(await this.track(this.fire(s, state))));
      return { detected: srcs.length > 0, reason: srcs.length ? undefined : `No source listens for ${ref}.`, firedSources: srcs.map((s) => s.name), sends };
    };
    if (byName) return fireAll([byName], byName.type === 'analytics' ? 'analytics event' : 'active');
    if (['alarm', 'system', 'timer'].includes(ref.toLowerCase())) return fireAll(this.st.sources.filter((s) => s.type === ref.toLowerCase()), 'active');
    const id: BehaviourId | undefined = behaviourId(ref);
    if (!id) throw new Error(`"${ref}" is neither a source of this camera nor a behaviour. Sources: ${this.st.sources.map((s) => s.name).join(', ') || 'none'}; behaviours: ${Object.keys(BEHAVIOUR_NAMES).join(', ')}.`);
    const b = this.st.analytics.behaviours[id];
    const strength = opts.strength ?? 'full';
    if (!b.active) return { detected: false, reason: `${BEHAVIOUR_NAMES[id]} is not active (Activate Behavior is off).`, firedSources: [], sends: [] };
    if (!isDetected(strength, b.sensitivity)) return { detected: false, reason: `A ${strength} ${BEHAVIOUR_NAMES[id]} event is not detected at sensitivity ${b.sensitivity} (needs ${strength === 'full' ? 1 : 8} or more).`, firedSources: [], sends: [] };
    const srcs = this.st.sources.filter((s) => s.type === 'analytics' && (s.analyticsAny || s.analyticsBehaviours.includes(id)));
    const r = await fireAll(srcs, `${BEHAVIOUR_NAMES[id]} detected`);
    return { ...r, detected: true, reason: srcs.length ? undefined : `Detected, but no Analytics source listens for ${BEHAVIOUR_NAMES[id]}.` };
  }

  // ------------------------------------------------------------ HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://camera');
    const path = url.pathname;
    res.setHeader('Server', 'lighttpd/1.4.28');
    // The camera's web server stamps responses with its own clock (skew included), which clock checks read.
    res.sendDate = false;
    res.setHeader('Date', new Date(this.cameraNow()).toUTCString());
    if (this.stalled.has(req.socket)) return; // a dead connection: the request is never answered
    if (path.startsWith('/__sim/')) return this.simHook(req, res, url);
    const f = this.faults;
    if (f.latencyMs) await new Promise((r) => setTimeout(r, f.latencyMs));
    const rule = this.failRules.find((r) => r.left > 0 && r.re.test(path) && (!r.method || r.method === req.method));
    if (rule?.action === 'drop' || rule?.action === 'stall') {
      rule.left--;
      if (rule.action === 'drop') req.socket.destroy();
      else this.stalled.add(req.socket);
      return;
    }
    if (rule || (f.http500Rate && Math.random() < f.http500Rate)) {
      if (rule) rule.left--;
      await drain(req);
      res.writeHead(500, { 'Content-Type': 'text/html' });
      res.end('<html><body><h1>500 Internal Server Error</h1></body></html>');
      return;
    }
    const method = req.method ?? 'GET';
    if (path === '/' && method === 'GET') return redirect(res, '/liveview');
    if (path === '/liveview' && method === 'GET' && this.variantUi) return this.html(res, 200, this.variantLiveview());
    if (path === '/liveview' && method === 'GET') return this.html(res, 200, layout(this, 'Live View', `<img src="/jpeg" alt="Live video" width="640" height="360"><p>Sarix&trade; ${esc(this.model)} ${esc(this.st.general.deviceName)}</p>`));
    if (path === '/login' && method === 'GET') return this.html(res, 200, loginPage(this.model, url.searchParams.has('failed')));
    if (path === '/auth/validate' && method === 'POST') return this.login(req, res);
    if (path === '/auth/logout') {
      const s = this.session(req);
      if (s) this.sessions.delete(s.id);
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
    if (path.startsWith('/setup/')) return this.setup(req, res, url);
    await drain(req);
    res.writeHead(404, { 'Content-Type': 'text/html' });
    res.end('<html><body><h1>404 Not Found</h1></body></html>');
  }

  private html(res: ServerResponse, status: number, html: string): void {
    res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(html);
  }

  private async login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return this.tooLarge(res);
    const form = new URLSearchParams(body);
    const u = this.st.users.find((x) => x.name === form.get('username'));
    if (!u || u.password !== form.get('password')) return redirect(res, '/login?failed=1');
    this.pruneSessions();
    const s: Session = { id: randomBytes(13).toString('hex'), authos: randomBytes(16).toString('hex'), formToken: randomBytes(12).toString('hex'), user: u.name, lastSeen: this.now() };
    this.sessions.set(s.id, s);
    if (this.secretsIssued.length < 3000) this.secretsIssued.push(s.id, s.authos, s.formToken);
    res.setHeader('Set-Cookie', [`PHPSESSID=${s.id}; Path=/; HttpOnly`, `authos-token=${s.authos}; Path=/`]);
    redirect(res, '/liveview');
  }

  /** Drops idle sessions and keeps at most MAX_SESSIONS (the oldest go first), so repeated logins cannot grow memory. */
  private pruneSessions(): void {
    const idle = this.faults.sessionIdleMs ?? 30 * 60_000;
    const now = this.now();
    for (const [id, s] of this.sessions) if (now - s.lastSeen > idle) this.sessions.delete(id);
    while (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest === undefined) break;
      this.sessions.delete(oldest);
    }
  }

  private session(req: IncomingMessage): Session | undefined {
    const cookies = parseCookies(req.headers.cookie);
    const s = this.sessions.get(cookies.PHPSESSID ?? '');
    if (!s || s.authos !== cookies['authos-token']) return undefined;
    const idle = this.faults.sessionIdleMs ?? 30 * 60_000;
    if (this.now() - s.lastSeen > idle) {
      this.sessions.delete(s.id);
      return undefined;
    }
    if (!this.st.users.some((u) => u.name === s.user)) return undefined;
    s.lastSeen = this.now();
    return s;
  }

  private tooLarge(res: ServerResponse): void {
    res.writeHead(413, { 'Content-Type': 'text/plain', Connection: 'close' });
    res.end('Request body too large.');
  }

  private variantLiveview(): string {
    return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sarix&trade; ${esc(this.model)} - Live View</title></head><body><div id="header"><span>Sarix&trade;</span> ${esc(this.model)}</div>${this.variantUi!.liveviewNav()}<div id="content"><img src="/jpeg" alt="Live video" width="640" height="360"><p>Sarix&trade; ${esc(this.model)} ${esc(this.st.general.deviceName)}</p></div></body></html>`;
  }

  /** The web UI of a seeded variant (session checked here, pages in variants/variant-ui.ts). */
  private async variantSetup(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const s = this.session(req);
    if (!s) {
      await drain(req);
      return redirect(res, '/login');
    }
    const method = req.method ?? 'GET';
    let posted: URLSearchParams | undefined;
    if (method === 'POST') {
      const body = await readBody(req);
      if (body === undefined) return this.tooLarge(res);
      posted = new URLSearchParams(body);
    } else await drain(req);
    const out = method === 'GET' || method === 'POST' ? this.variantUi!.handle(method, url, posted, s) : undefined;
    if (!out) {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>');
      return;
    }
    if (out.location) return redirect(res, out.location, out.status);
    this.html(res, out.status, out.html ?? '');
  }

  private async setup(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const s = this.session(req);
    if (!s) {
      await drain(req);
      return redirect(res, '/login');
    }
    const method = req.method ?? 'GET';
    const p = url.pathname.replace(/\/+$/, '');
    const q = url.searchParams;
    const t = s.formToken;
    const P = this.pages;
    let out: PageResult | undefined;
    if (method === 'GET') {
      const gets: Record<string, () => PageResult> = {
        '/setup/system/general': () => P.general(t),
        '/setup/events/sources': () => P.sources(t),
        '/setup/events/sources/new': () => P.sourceForm(t, null),
        '/setup/events/sources/edit': () => P.sourceForm(t, P.editParam(q) ?? ''),
        '/setup/events/handlers': () => P.handlers(t),
        '/setup/events/handlers/new': () => P.handlerForm(t, null),
        '/setup/events/handlers/edit': () => P.handlerForm(t, P.editParam(q) ?? ''),
        '/setup/events/analytics': () => P.analytics(t),
        '/setup/events/analytics/behavior': () => P.behaviour(t, P.behaviourParam(q)),
        '/setup/users': () => P.users(t),
        '/setup/users/new': () => P.userForm(t, null),
        '/setup/users/edit': () => P.userForm(t, P.editParam(q) ?? ''),
        '/setup/system/general/reboot': () => ({ status: 200, html: layout(this, 'Reboot', `<form method="post" action="/setup/system/general/reboot"><input type="hidden" name="${tokenName(this.formVariant)}" value="${esc(t)}"><button type="submit">Reboot Camera</button></form>`) }),
        '/setup/network/ssh': () => ({ status: 200, html: layout(this, 'SSH', '<p>SSH is disabled.</p>') }),
        '/setup/streams/custom': () => ({ status: 200, html: layout(this, 'Custom Streams', '<p>Stream 1: H.264 1920x1080 30 fps</p>') }),
      };
      out = gets[p]?.();
    } else if (method === 'POST') {
      const body = await readBody(req);
      if (body === undefined) return this.tooLarge(res);
      const form = new URLSearchParams(body);
      const dropped = classicDropped(this.formVariant, p, form, this.st.sources.map((x) => x.name));
      if (dropped) this.droppedLog.push(dropped);
      const posts: Record<string, () => PageResult> = {
        '/setup/system/general': () => P.saveGeneral(form, t),
        '/setup/system/general/reboot': () => {
          setImmediate(() => this.restart());
          return { status: 200, html: layout(this, 'Reboot', '<p class="notice" role="status">The camera is rebooting. Log in again in a moment.</p>') };
        },
        '/setup/events/sources/save': () => P.saveSource(form, t),
        '/setup/events/sources/delete': () => P.deleteSource(form, t),
        '/setup/events/handlers/save': () => P.saveHandler(form, t),
        '/setup/events/handlers/delete': () => P.deleteHandler(form, t),
        '/setup/events/analytics': () => P.saveProfile(form, t),
        '/setup/events/analytics/behavior': () => P.saveBehaviour(form, t, P.behaviourParam(q)),
        '/setup/users/save': () => P.saveUser(form, t),
        '/setup/users/delete': () => P.deleteUser(form, t, s.user),
      };
      const fn = posts[p];
      if (fn) {
        if (form.get(tokenName(this.formVariant)) !== t) {
          // Missing or stale token: refuse, show the page again with a fresh token.
          const page = (gets403[p] ?? ((pg: SimPages) => pg.general(t, undefined)))(P, t, q);
          out = { status: 403, html: injectError(page.html ?? '', 'The form has expired. Reload the page and try again.') };
        } else out = fn();
      }
    } else {
      await drain(req);
      res.writeHead(405, { Allow: 'GET, POST', 'Content-Type': 'text/plain' });
      res.end('Method not allowed.');
      return;
    }
    if (!out) {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end(layout(this, 'Not Found', '<p>This page does not exist on this camera.</p>'));
      return;
    }
    if (out.location) return redirect(res, out.location);
    this.html(res, out.status, out.html ?? '');
  }

  private async pelco(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === undefined) return this.tooLarge(res);
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
    if (body === undefined) return this.tooLarge(res);
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

  private async simHook(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const json = (status: number, v: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    const body = await readBody(req);
    if (body === undefined) return this.tooLarge(res);
    const p = url.pathname;
    if (p === '/__sim/state' && req.method === 'GET') return json(200, this.state());
    if (p === '/__sim/log' && req.method === 'GET') return json(200, this.sendLog());
    if (p === '/__sim/identity' && req.method === 'GET') return json(200, this.identity());
    if (p === '/__sim/trigger' && req.method === 'POST') {
      let args: { source?: unknown; behaviour?: unknown; behavior?: unknown; strength?: unknown };
      try {
        args = body ? JSON.parse(body) : Object.fromEntries(url.searchParams);
      } catch {
        return json(400, { error: 'Send JSON like {"source":"Alarm1"} or {"behaviour":"camera-sabotage","strength":"partial"}.' });
      }
      const ref = args.source ?? args.behaviour ?? args.behavior;
      if (typeof ref !== 'string' || !ref) return json(400, { error: 'Name a "source" or a "behaviour" to trigger.' });
      if (args.strength !== undefined && args.strength !== 'full' && args.strength !== 'partial') return json(400, { error: '"strength" must be "full" or "partial".' });
      try {
        return json(200, await this.trigger(ref, { strength: args.strength as TriggerStrength | undefined }));
      } catch (e) {
        return json(404, { error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (p === '/__sim/faults' && req.method === 'POST') {
      try {
        this.setFaults(JSON.parse(body || '{}') as SimFaults);
      } catch {
        return json(400, { error: 'Send the fault knobs as JSON, e.g. {"latencyMs":200}.' });
      }
      return json(200, this.currentFaults());
    }
    json(404, { error: 'Simulator hooks: GET /__sim/state, GET /__sim/log, GET /__sim/identity, POST /__sim/trigger, POST /__sim/faults.' });
  }

  /** The identity a fleet prints: address, port, MAC, model, name, firmware, login. */
  identity(): { ip: string; httpPort: number; mac: string; model: string; name: string; firmware: string; serial: string; username: string; password: string } {
    return { ip: this.ip, httpPort: this.httpPort, mac: this.mac, model: this.model, name: this.deviceName, firmware: this.firmware, serial: this.serial, username: this.username, password: this.password };
  }
}

const gets403: Record<string, (p: SimPages, t: string, q: URLSearchParams) => PageResult> = {
  '/setup/system/general': (p, t) => p.general(t),
  '/setup/system/general/reboot': (p, t) => p.general(t),
  '/setup/events/sources/save': (p, t) => p.sources(t),
  '/setup/events/sources/delete': (p, t) => p.sources(t),
  '/setup/events/handlers/save': (p, t) => p.handlers(t),
  '/setup/events/handlers/delete': (p, t) => p.handlers(t),
  '/setup/events/analytics': (p, t) => p.analytics(t),
  '/setup/events/analytics/behavior': (p, t, q) => p.behaviour(t, p.behaviourParam(q)),
  '/setup/users/save': (p, t) => p.users(t),
  '/setup/users/delete': (p, t) => p.users(t),
};

function injectError(html: string, error: string): string {
  return html.replace('<div id="content">', `<div id="content"><div class="error" role="alert">${esc(error)}</div>`);
}

function loginPage(model: string, failed: boolean): string {
  return layout(
    { model },
    'Login',
    `${failed ? '<div class="error" role="alert">Invalid username or password.</div>' : ''}<form method="post" action="/auth/validate">
<div class="row"><label for="username">Username</label><input id="username" name="username" type="text"></div>
<div class="row"><label for="password">Password</label><input id="password" name="password" type="password"></div>
<button type="submit">Log In</button></form>`,
  );
}

function redirect(res: ServerResponse, location: string, status = 302): void {
  res.writeHead(status, { Location: location, 'Content-Length': 0 });
  res.end();
}

function header1(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function parseCookies(h: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (h ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY) return undefined;
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function drain(req: IncomingMessage): Promise<void> {
  if (req.readableEnded) return;
  req.resume();
  await new Promise<void>((r) => {
    req.once('end', r);
    req.once('close', r);
  });
}

/** True when a dotted firmware version is at least `min` (e.g. [1, 9]). */
export function firmwareAtLeast(version: string, min: number[]): boolean {
  const v = version.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i];
  }
  return true;
}

/** Starts one camera; resolves when it listens. */
export async function startCameraImpl(opts: SimCameraOptions = {}): Promise<SimCamera> {
  const cam = new SimCamera(opts);
  await cam.start();
  return cam;
}
