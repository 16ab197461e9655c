/**
 * Public types of the Sarix camera simulator: options, the settings state a test can snapshot, faults and logs.
 * Knobs that a real camera lacks (ports, latency, fault injection) are named as simulator options.
 */

/** The behaviours docs/camera.md §4 lists, by the simulator's stable id (used by triggers and state). */
export const BEHAVIOUR_IDS = [
  'camera-sabotage',
  'adaptive-motion',
  'directional-motion',
  'abandoned-object',
  'object-counting',
  'object-removal',
  'loitering-detection',
  'stopped-vehicle',
] as const;

/** One behaviour id. */
export type BehaviourId = (typeof BEHAVIOUR_IDS)[number];

/** Visible names of the behaviours, as the camera's web UI shows them. */
export const BEHAVIOUR_NAMES: Record<BehaviourId, string> = {
  'camera-sabotage': 'Camera Sabotage',
  'adaptive-motion': 'Adaptive Motion',
  'directional-motion': 'Directional Motion',
  'abandoned-object': 'Abandoned Object',
  'object-counting': 'Object Counting',
  'object-removal': 'Object Removal',
  'loitering-detection': 'Loitering Detection',
  'stopped-vehicle': 'Stopped Vehicle',
};

/** Weekdays as stored in a handler's time filter (Monday first, as the form lists them). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** One weekday. */
export type Weekday = (typeof WEEKDAYS)[number];

/** System > General settings. */
export interface SimGeneralSettings {
  deviceName: string;
  /** DNS name or IP of the LOCAL mail server (empty = e-mail off). */
  smtpServer: string;
  /** NTP server (empty = no time sync); kept in sync with ONVIF SetNTP. */
  ntpServer: string;
  /** IANA time zone name, e.g. "UTC" or "Europe/Berlin". */
  timeZone: string;
  /** Show the device name as a video overlay. */
  nameOverlay: boolean;
  /** Show date and time as a video overlay. */
  dateOverlay: boolean;
  /** Where overlays sit. */
  overlayPosition: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';
}

/** Source types of Events > Sources. */
export type SimSourceType = 'alarm' | 'system' | 'timer' | 'analytics';

/** An event source (trigger). */
export interface SimSource {
  name: string;
  type: SimSourceType;
  /** Alarm input: seconds the input must stay active before it fires. */
  alarmDwellS: number;
  /** Alarm input polarity. */
  alarmPolarity: 'normally-open' | 'normally-closed';
  /** Timer: interval in seconds. */
  timerIntervalS: number;
  /** Analytics: fire on any behaviour. */
  analyticsAny: boolean;
  /** Analytics: the chosen behaviours (when analyticsAny is false). */
  analyticsBehaviours: BehaviourId[];
}

/** Handler types of Events > Handlers. */
export type SimHandlerType = 'email' | 'ftp' | 'sd' | 'relay';

/** An event handler. Fields of the other types keep their defaults. */
export interface SimHandler {
  name: string;
  type: SimHandlerType;
  to: string;
  from: string;
  subject: string;
  message: string;
  jpegSnapshot: boolean;
  rawEventData: boolean;
  ftpServer: string;
  ftpPath: string;
  /** Open/Close Relay: seconds, 0.1–200. */
  relayDurationS: number;
  /** Time filter: weekdays (none = every day). */
  days: Weekday[];
  /** Time filter: start, 24-hour HHMM (empty = all day). */
  startTime: string;
  /** Time filter: end, 24-hour HHMM (empty = all day). */
  endTime: string;
  /** Names of the sources that trigger this handler. */
  sources: string[];
}

/** The analytics profile. */
export interface SimAnalyticsProfile {
  sceneType: 'indoor' | 'outdoor';
  background: 'still' | 'noisy';
  fineTuning: 'conservative' | 'normal' | 'aggressive';
  sensitivity: number;
}

/** One behaviour's settings. */
export interface SimBehaviour {
  active: boolean;
  sensitivity: number;
}

/** Analytics settings. */
export interface SimAnalytics {
  profile: SimAnalyticsProfile;
  behaviours: Record<BehaviourId, SimBehaviour>;
}

/** A web UI user. */
export interface SimUser {
  name: string;
  password: string;
  role: 'admin' | 'manager' | 'viewer';
}

/** The whole settings state of one camera (what `SimCamera.state()` deep-copies). */
export interface SimState {
  general: SimGeneralSettings;
  sources: SimSource[];
  handlers: SimHandler[];
  analytics: SimAnalytics;
  users: SimUser[];
}

/** Strength of a triggered analytics event: 'full' is detected at sensitivity ≥ 1, 'partial' only at ≥ 8. */
export type TriggerStrength = 'full' | 'partial';

/** SMTP behaviour of the camera's mail sender (simulator fault knobs). */
export interface SimSmtpFaults {
  /** Wait this long before connecting to the SMTP server (a slow camera). */
  delayMs?: number;
  /** Socket/greeting timeout of the camera's SMTP client (default 10000). */
  timeoutMs?: number;
  /** The camera's mail sender is broken: every send is logged as failed without connecting. */
  refuse?: boolean;
}

/** Fault knobs a real camera lacks. All optional; `setFaults` merges. */
export interface SimFaults {
  /** Added latency per HTTP request, ms. */
  latencyMs?: number;
  /** Fraction (0–1) of HTTP requests answered with 500 (not /__sim/ hooks). */
  http500Rate?: number;
  /** Web UI session idle expiry, ms (default 30 min). */
  sessionIdleMs?: number;
  /** SMTP client behaviour. */
  smtp?: SimSmtpFaults;
}

/** Answers a DNS lookup of the SMTP server name: one IPv4/IPv6 address (throw when unknown). */
export type SimResolver = (hostname: string) => Promise<string>;

/** SSDP options. Multicast (join + NOTIFY) only when `multicast` is true: use it inside network namespaces only. */
export interface SimSsdpOptions {
  /** UDP port on the camera address for M-SEARCH (default 1900; 0 = any free port, for loopback tests). */
  port?: number;
  /** Join 239.255.255.250 and send NOTIFY alive/byebye to it (default false; netns only). */
  multicast?: boolean;
  /** Also send NOTIFY alive/byebye as unicast to these listeners (e.g. a test's socket on 127.0.0.1). */
  notifyTargets?: { address: string; port: number }[];
  /** CACHE-CONTROL max-age in seconds (default 1800). */
  maxAgeS?: number;
}

/** WS-Discovery options; same multicast rule as SSDP. */
export interface SimWsdOptions {
  /** UDP port on the camera address for Probe (default 3702; 0 = any free port). */
  port?: number;
  /** Join 239.255.255.250:3702 and send Hello/Bye (default false; netns only). */
  multicast?: boolean;
}

/** mDNS options (bonjour-service); netns only, since mDNS is multicast. */
export interface SimMdnsOptions {
  /** Advertise `_http._tcp` and `_onvif._tcp` for this camera. */
  enabled: boolean;
}

/** Options of one simulated camera. */
export interface SimCameraOptions {
  /** IPv4 address to bind (default 127.0.0.1; 127.0.x.y all work on Linux lo). */
  address?: string;
  /** HTTP port (default 0 = a free port; real cameras use 80). */
  httpPort?: number;
  /** Simulator knob: TCP port the camera sends mail to (default 25, as real cameras). */
  smtpPort?: number;
  /** DNS lookup of the SMTP server name (default: node's dns.lookup). Tests inject one. */
  resolver?: SimResolver;
  model?: string;
  firmware?: string;
  /** MAC address; must start with the Pelco prefix 00:0B:AB. */
  mac?: string;
  serial?: string;
  /** Initial General Settings device name. */
  deviceName?: string;
  /** Admin login (default admin/admin, the legacy factory login). */
  username?: string;
  password?: string;
  /** 'standard' or 'alt': alt uses other field names, order, token names and extra unrelated fields. */
  formVariant?: 'standard' | 'alt';
  /**
   * A seeded firmware variant (variants/spec.ts): the web UI differs in names, order, label ties, token, paths,
   * navigation, option values, list layout, save codes and error markup; the camera rules stay. Replaces
   * `formVariant`'s pages when set.
   */
  variant?: number | import('./variants/spec').VariantSpec;
  /** Camera clock skew against the host clock, ms (affects Date headers, ONVIF time, WS-Security window). */
  clockOffsetMs?: number;
  /** How many behaviours may be active at once before "not enough processing power" (default 3). */
  maxActiveBehaviours?: number;
  /** Create this many Send Email handlers (and one Alarm source "Alarm1") at start. */
  prefillHandlers?: number;
  /** Initial settings to merge over the factory defaults (applied before prefillHandlers). */
  initialState?: Partial<SimState>;
  /** Fault knobs. */
  faults?: SimFaults;
  /** WS-Security clock-skew window, seconds (default 300). */
  wsSecurityWindowS?: number;
  /** SSDP responder (off when omitted). */
  ssdp?: SimSsdpOptions | boolean;
  /** WS-Discovery responder (off when omitted). */
  wsd?: SimWsdOptions | boolean;
  /** mDNS advertisement (off when omitted). */
  mdns?: SimMdnsOptions | boolean;
  /** Where diagnostic lines go (default silent). */
  logger?: import('../services/common/logger').Logger;
  /** Host clock (default Date.now); the camera clock is this plus clockOffsetMs. */
  now?: () => number;
}

/** One entry of the camera's send log (GET /__sim/log). */
export interface SimSendLogEntry {
  /** Camera-clock ISO time the send was attempted. */
  time: string;
  handler: string;
  source: string;
  smtpServer: string;
  /** Resolved address and port the camera connected to (when resolution succeeded). */
  smtpAddress?: string;
  smtpPort: number;
  from: string;
  to: string;
  subject: string;
  ok: boolean;
  /** The server's final reply line, or the error text. */
  response: string;
  /** SMTP reply code when the server refused (e.g. 550, 530). */
  responseCode?: number;
  messageId?: string;
}

/** What a trigger did. */
export interface SimTriggerResult {
  /** False when a behaviour trigger was not detected (inactive or sensitivity too low) or nothing matched. */
  detected: boolean;
  /** Why nothing happened, when so. */
  reason?: string;
  /** Sources that fired. */
  firedSources: string[];
  /** Mail sends this trigger caused (already finished). */
  sends: SimSendLogEntry[];
}
