/**
 * The camera driver contract: everything the product reads from or writes to a Sarix camera goes through a
 * `CameraDriver`. The one implementation, `SarixWebDriver`, drives the camera's own web forms (docs/camera.md
 * §4) plus Pelco SOAP and ONVIF for identity and clock (§5). Commissioning and the doctor use only this
 * interface, so a capture from a real camera changes the firmware profile (data), never the callers.
 */
import type { Logger } from '../common/logger';
import type { AnalyticsSettings, BehaviourState, CameraIdentity, ClockReading, EmailHandlerSpec, EventHandler, EventSource, FormRef, GeneralSettings, RawForm } from '../../../shared/domain/camera';
import type { FirmwareProfile } from './firmware-profile';
import { SarixWebDriver } from './sarix-web-driver';
import type { Exchange } from './web-session';

/** The handler list with its usage against the 20-handler limit. */
export interface HandlerList {
  handlers: EventHandler[];
  used: number;
  max: number;
}

/** What an idempotent "ensure" did. */
export interface EnsureResult<T> {
  value: T;
  /** 'unchanged' when the camera already matched (re-running changes nothing). */
  action: 'created' | 'updated' | 'unchanged';
  /** The value before an update (for rollback). */
  previous?: T;
}

/** A change to one analytics behaviour. */
export interface BehaviourPatch {
  active?: boolean;
  sensitivity?: number;
}

/** Counters for benchmarks and the log. */
export interface DriverStats {
  /** HTTP requests sent (including re-logins and 401 challenges). */
  requests: number;
  /** Logins performed. */
  logins: number;
  /** Form submissions sent (0 = nothing on the camera was changed). */
  writes: number;
}

/** Reads and writes one camera. Every method throws `AppFailure` with a message that says what to do. */
export interface CameraDriver {
  /** The camera's base URL (scheme://host:port). */
  readonly baseUrl: string;
  /** The camera's host (IP or name) as given in the URL. */
  readonly host: string;
  /** Logs in to the web UI (done lazily by every web call; call it to check credentials early). */
  login(): Promise<void>;
  /** Model, firmware, MAC, serial and name, from Pelco SOAP, ONVIF and the web UI (whatever answers). */
  identity(): Promise<CameraIdentity>;
  /** The camera clock against the local clock (ONVIF GetSystemDateAndTime, else the HTTP Date header). */
  clock(): Promise<ClockReading>;
  /** System > General: device name, SMTP server, NTP server. */
  readGeneral(): Promise<GeneralSettings>;
  /** Changes some General settings (every other field of the form is posted back unchanged), then verifies. */
  writeGeneral(patch: Partial<GeneralSettings>): Promise<GeneralSettings>;
  /** Sets the SMTP server (web form) and verifies it. */
  setSmtpServer(host: string): Promise<GeneralSettings>;
  /** Sets the NTP server on the web form, or with ONVIF SetNTP when the form has no NTP field. */
  setNtpServer(host: string): Promise<GeneralSettings>;
  /** Events > Sources. */
  listSources(): Promise<EventSource[]>;
  /** One source in full (its edit page), or undefined when the camera has none by that name. */
  readSource(name: string): Promise<EventSource | undefined>;
  /** Makes sure an analytics source with this name exists that fires on the given behaviours (idempotent). */
  ensureAnalyticsSource(name: string, behaviours: readonly string[]): Promise<EnsureResult<EventSource>>;
  /** Deletes a source by name (no-op when absent). */
  deleteSource(name: string): Promise<void>;
  /** Events > Handlers, with the count against the limit. */
  listHandlers(): Promise<HandlerList>;
  /** One handler in full (its edit page), or undefined when the camera has none by that name. */
  readHandler(name: string): Promise<EventHandler | undefined>;
  /** Makes sure a Send Email handler matches the spec (idempotent; refuses a 21st handler with HANDLER_LIMIT). */
  ensureEmailHandler(spec: EmailHandlerSpec): Promise<EnsureResult<EventHandler>>;
  /** Deletes a handler by name (no-op when absent). */
  deleteHandler(name: string): Promise<void>;
  /** Analytics: profile and behaviours. */
  readAnalytics(): Promise<AnalyticsSettings>;
  /** One behaviour's state, from its own form. */
  readBehaviour(name: string): Promise<BehaviourState>;
  /** Changes one behaviour (e.g. Camera Sabotage active + sensitivity), then verifies it. */
  setBehaviour(name: string, patch: BehaviourPatch): Promise<BehaviourState>;
  /** Changes the analytics profile sensitivity (1–10), then verifies. */
  setProfileSensitivity(sensitivity: number): Promise<AnalyticsSettings>;
  /** A form exactly as the camera shows it (raw values); null when that source or handler does not exist. */
  readForm(ref: FormRef): Promise<RawForm | null>;
  /** Puts a form back exactly as recorded (null: delete the item), then verifies by reading raw values back. */
  restoreForm(ref: FormRef, backup: RawForm | null): Promise<void>;
  /** What differs between the camera now and a recorded form, field by field (empty when identical). */
  compareForm(ref: FormRef, backup: RawForm | null): Promise<string[]>;
  /** Starts over on fresh connections with a fresh login (the retry of an undo). */
  reconnect(): void;
  /** Request and login counters. */
  stats(): DriverStats;
  /** Forgets the session (no network). */
  close(): void;
}

/** How to reach one camera. */
export interface SarixWebDriverOptions {
  /** Base URL, e.g. http://192.168.0.20 or http://127.0.0.1:50123. */
  url: string;
  username: string;
  password: string;
  /** Per-request timeout (default 8000 ms). */
  timeoutMs?: number;
  logger?: Logger;
  /** Local clock (default Date.now); used for skew and WS-Security timestamps. */
  now?: () => number;
  /** Firmware assumptions (default: the profile in firmware-profile.ts). */
  profile?: FirmwareProfile;
  /** Sees every web-UI request and answer (captures). */
  onExchange?: (x: Exchange) => void;
  /** Idle keep-alive connections are closed after this long (default 4000 ms). */
  idleSocketMs?: number;
}

/** Builds the web-form driver for one camera. Throws AppFailure(VALIDATION) for a URL it cannot use. */
export function createSarixWebDriver(o: SarixWebDriverOptions): CameraDriver {
  return new SarixWebDriver(o);
}
