/**
 * Every assumption the driver makes about real Sarix firmware, in one place (docs/camera.md §4, §8): page paths,
 * the visible label texts fields are found by, option texts, list-page layout, error boxes, SOAP and ONVIF
 * endpoints. Tags follow docs/camera.md: [V] vendor-documented, [V3] seen in third-party code against real cameras,
 * [A] assumption. A capture from a real camera corrects this file and nothing else. No field `name` of any
 * camera appears here: fields are matched by their label, case- and whitespace-insensitively.
 */

/** Label patterns of one form. */
export type LabelMap<K extends string> = Readonly<Record<K, RegExp>>;

/** The firmware assumptions the driver works from. */
export interface FirmwareProfile {
  /** Login form [V3]: path and field names come from third-party code that logs in to real cameras. */
  login: {
    path: string;
    usernameField: string;
    passwordField: string;
    /** A redirect whose path matches this is "you are not logged in" [V3]. */
    loginPage: RegExp;
  };
  /** Setup pages [V3 general, A the rest]. */
  pages: {
    general: string;
    sources: string;
    handlers: string;
    analytics: string;
    /** A page that needs a session and is cheap, used to test a login [V3]. */
    liveview: string;
  };
  /** Where the camera shows a refused value on a re-rendered form [A]. */
  errorSelector: string;
  /** General Settings labels [A; docs/camera.md §4 gives /smtp/ and /ntp|time server/]. */
  general: LabelMap<'deviceName' | 'smtpServer' | 'ntpServer'>;
  /** List pages [A]: a row per item, its name in the first cell, an edit link and a delete button. */
  list: {
    row: string;
    editLink: RegExp;
    deleteButton: RegExp;
    addSource: RegExp;
    addHandler: RegExp;
    /** "12 of 20 handlers used" style counters are not relied on; rows are counted. */
  };
  /** Source form labels and option texts [V names, A labels]. */
  source: LabelMap<'name' | 'type' | 'anyAnalytics'> & {
    behavioursGroup: RegExp;
    typeOptions: Readonly<Record<'alarm' | 'system' | 'timer' | 'analytics', RegExp>>;
  };
  /** Handler form labels and option texts [V field list, A labels]. */
  handler: LabelMap<'name' | 'type' | 'to' | 'from' | 'subject' | 'message' | 'jpegSnapshot' | 'rawEventData'> & {
    sourcesGroup: RegExp;
    typeOptions: Readonly<Record<'send-email' | 'ftp' | 'sd-card' | 'relay', RegExp>>;
  };
  /** Analytics page [V behaviour names, A layout]. */
  analytics: {
    profile: LabelMap<'sceneType' | 'background' | 'fineTuning' | 'sensitivity'>;
    /** Column headers of the behaviour table. */
    columns: LabelMap<'behaviour' | 'status' | 'sensitivity'>;
    /** Status text that means active. */
    activeStatus: RegExp;
    behaviour: LabelMap<'active' | 'sensitivity'>;
  };
  /**
   * Which cached pages a save makes stale [A]: a save can change what other pages show (a new source appears as
   * a checkbox on the handler forms), so the driver's page cache forgets those pages after each save.
   */
  staleAfterSave: (savedPath: string, cachedPath: string) => boolean;
  /** Pelco SOAP API [V3]; the element names inside pelcoConfig beyond ntpAddress/gmtOffset/dstOffset are [A]. */
  pelcoSoap: {
    controlPath: (service: string) => string;
    soapAction: (service: string, action: string) => string;
    namespace: (service: string) => string;
    configFields: Readonly<Record<'model' | 'firmware' | 'mac' | 'serial' | 'name' | 'ntp', string>>;
  };
  /** ONVIF device service [V]. */
  onvif: { devicePath: string };
  /** UPnP description paths tried for identity when SOAP and ONVIF say nothing [A]. */
  descriptionPaths: string[];
}

/** The default profile: docs/camera.md as written. */
export const SARIX_PROFILE: FirmwareProfile = {
  login: { path: '/auth/validate', usernameField: 'username', passwordField: 'password', loginPage: /^\/(?:auth(?:\/(?:login|validate))?|login|index\.html?)?\/?$/i },
  pages: {
    general: '/setup/system/general',
    sources: '/setup/events/sources',
    handlers: '/setup/events/handlers',
    analytics: '/setup/events/analytics',
    liveview: '/liveview',
  },
  errorSelector: '.error, [role="alert"], .alert-error, .errors',
  general: {
    deviceName: /^device\s*name$/i,
    smtpServer: /smtp/i,
    ntpServer: /ntp|time\s*server/i,
  },
  list: {
    row: 'table tr',
    editLink: /^\s*edit\s*$/i,
    deleteButton: /^\s*delete\s*$/i,
    addSource: /add\s*source/i,
    addHandler: /add\s*handler/i,
  },
  source: {
    name: /^(?:source\s*)?name$/i,
    type: /^source\s*type$|^type$/i,
    anyAnalytics: /^any\s*analytics$/i,
    behavioursGroup: /^behaviou?rs$/i,
    typeOptions: { alarm: /^alarm/i, system: /^system/i, timer: /^timer/i, analytics: /^analytics/i },
  },
  handler: {
    name: /^(?:handler\s*)?name$/i,
    type: /^(?:handler\s*)?type$/i,
    to: /^to$/i,
    from: /^from$/i,
    subject: /^subject$/i,
    message: /^message$/i,
    jpegSnapshot: /jpeg\s*snapshot/i,
    rawEventData: /raw\s*event\s*data/i,
    sourcesGroup: /^sources?$/i,
    typeOptions: { 'send-email': /^send\s*e-?mail$/i, ftp: /ftp/i, 'sd-card': /sd\s*card/i, relay: /relay/i },
  },
  analytics: {
    profile: { sceneType: /^scene\s*type$/i, background: /^background$/i, fineTuning: /^fine\s*tuning$/i, sensitivity: /^sensitivity$/i },
    columns: { behaviour: /^behaviou?r$/i, status: /^status$/i, sensitivity: /^sensitivity$/i },
    activeStatus: /^active$/i,
    behaviour: { active: /activate\s*behaviou?r/i, sensitivity: /^sensitivity$/i },
  },
  staleAfterSave: (saved, cached) => {
    const area = (p: string) => (/^\/setup\/events\/(analytics|sources|handlers)/.exec(p)?.[1] ?? (p.startsWith('/setup/system') ? 'system' : p));
    if (area(saved) === area(cached)) return true;
    // Handler forms list the sources; the handler list shows source names, which change only on a rename (the
    // driver forgets the list itself when it renames a source).
    return area(saved) === 'sources' && area(cached) === 'handlers' && !/^\/setup\/events\/handlers\/?$/.test(cached);
  },
  pelcoSoap: {
    configFields: { model: 'modelName', firmware: 'firmwareVersion', mac: 'macAddress', serial: 'serialNumber', name: 'friendlyName', ntp: 'ntpAddress' },
    controlPath: (service) => `/control/${service}-1`,
    soapAction: (service, action) => `"urn:schemas-pelco-com:service:${service}:1#${action}"`,
    namespace: (service) => `urn:schemas-pelco-com:service:${service}:1`,
  },
  onvif: { devicePath: '/onvif/device_service' },
  descriptionPaths: ['/description.xml', '/rootDesc.xml', '/upnp/description.xml'],
};
