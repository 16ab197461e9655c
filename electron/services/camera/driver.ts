/**
 * The camera driver contract (issue 6): everything the product reads from or writes to a Sarix camera goes
 * through a `CameraDriver`. The one implementation, `SarixWebDriver`, drives the camera's own web forms
 * (SARIX.md §4) plus Pelco SOAP and ONVIF for identity and clock (§5). Commissioning and the doctor use only
 * this interface, so a capture from a real camera changes the firmware profile, never the callers.
 */
import type { Logger } from '../common/logger';
import type { AnalyticsSettings, CameraIdentity, ClockReading, EmailHandlerSpec, EventHandler, EventSource, GeneralSettings } from '../../../shared/domain/camera';
import type { FirmwareProfile } from './firmware-profile';
import { SarixWebDriver } from './sarix-web-driver';

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
  /** Puts a handler back exactly as it was read (rollback of an update). */
  restoreHandler(handler: EventHandler): Promise<void>;
  /** Puts a source back exactly as it was read (rollback of an update). */
  restoreSource(source: EventSource): Promise<void>;
  /** Deletes a handler by name (no-op when absent). */
  deleteHandler(name: string): Promise<void>;
  /** Analytics: profile and behaviours. */
  readAnalytics(): Promise<AnalyticsSettings>;
  /** Changes one behaviour (e.g. Camera Sabotage active + sensitivity), then verifies. */
  setBehaviour(name: string, patch: BehaviourPatch): Promise<AnalyticsSettings>;
  /** Changes the analytics profile sensitivity (1–10), then verifies. */
  setProfileSensitivity(sensitivity: number): Promise<AnalyticsSettings>;
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
}

/** Builds the web-form driver for one camera. Throws AppFailure(VALIDATION) for a URL it cannot use. */
export function createSarixWebDriver(o: SarixWebDriverOptions): CameraDriver {
  return new SarixWebDriver(o);
}
