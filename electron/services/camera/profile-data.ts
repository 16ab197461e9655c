/**
 * The default firmware profile AS DATA (docs/camera.md §4, §8): page path guesses, the navigation a person
 * follows, and the label wordings fields are found by. Every pattern is a case-insensitive regular expression
 * source matched against a normalised label (whitespace collapsed, colon and required-star dropped). A profile
 * file (JSON of the same shape, e.g. from a capture of new firmware) adds patterns and paths to these without a
 * code change: see firmware-profile.ts `loadProfileFile`. Tags: [V] vendor-documented, [V3] seen in third-party
 * code against real cameras, [A] assumption.
 */

/** A JSON-shaped profile. Arrays of patterns are alternatives; a profile file's arrays are appended. */
export interface ProfileData {
  name?: string;
  /** Login form [V3]. */
  login?: { path?: string; usernameField?: string; passwordField?: string; loginPage?: string };
  /** Where navigation starts after login (the landing page first) [V3 /liveview, A the rest]. */
  start?: string[];
  /** Logical pages: path guesses and navigation trails (each trail is the texts a person clicks, in order). */
  pages?: Partial<Record<PageKey, { paths?: string[]; nav?: string[][] }>>;
  /** Texts of menu entries worth following when a page is not where it was guessed. */
  navWords?: string[];
  /** Link texts and paths never followed while looking for a page (they change something). */
  neverFollow?: string[];
  /** Field labels by form and field. */
  labels?: Partial<Record<LabelKey, string[]>>;
  /** Option texts of drop-downs by choice. */
  options?: Partial<Record<OptionKey, string[]>>;
  /** List pages: action texts and column headers. */
  list?: Partial<Record<ListKey, string[]>>;
  /** What the camera says when a save is refused or accepted, and how its message boxes look. */
  messages?: Partial<Record<MessageKey, string[]>>;
  /** Machine interfaces [V3]. */
  descriptionPaths?: string[];
}

/** The logical pages the driver looks for. */
export type PageKey = 'general' | 'sources' | 'handlers' | 'analytics';

/** Field labels the driver looks for. */
export type LabelKey =
  | 'general.deviceName'
  | 'general.smtpServer'
  | 'general.ntpServer'
  | 'source.name'
  | 'source.type'
  | 'source.anyAnalytics'
  | 'source.behaviours'
  | 'handler.name'
  | 'handler.type'
  | 'handler.to'
  | 'handler.from'
  | 'handler.subject'
  | 'handler.message'
  | 'handler.jpegSnapshot'
  | 'handler.rawEventData'
  | 'handler.sources'
  | 'behaviour.active'
  | 'behaviour.sensitivity'
  | 'profile.sceneType'
  | 'profile.background'
  | 'profile.fineTuning'
  | 'profile.sensitivity';

/** Drop-down choices the driver picks by text. */
export type OptionKey = 'sourceType.alarm' | 'sourceType.system' | 'sourceType.timer' | 'sourceType.analytics' | 'handlerType.send-email' | 'handlerType.ftp' | 'handlerType.sd-card' | 'handlerType.relay';

/** List-page texts. */
export type ListKey = 'edit' | 'delete' | 'confirm' | 'addSource' | 'addHandler' | 'nameColumn' | 'typeColumn' | 'sourcesColumn' | 'behaviourColumn' | 'statusColumn' | 'sensitivityColumn' | 'activeStatus';

/** Save-answer texts and message-box markers. */
export type MessageKey = 'failure' | 'success' | 'tokenRefused' | 'errorMarker' | 'successMarker' | 'handlerLimit' | 'processingPower';

/** docs/camera.md as written, plus the wordings and layouts seen in the wild so far. */
export const DEFAULT_PROFILE_DATA: ProfileData = {
  name: 'sarix-default',
  login: { path: '/auth/validate', usernameField: 'username', passwordField: 'password', loginPage: '^/(?:auth(?:/(?:login|validate))?|login|index\\.html?)?/?$' },
  start: ['/liveview', '/setup', '/'],
  pages: {
    general: { paths: ['/setup/system/general'], nav: [['system', 'general'], ['general settings'], ['setup', 'general settings']] },
    sources: { paths: ['/setup/events/sources'], nav: [['events', 'sources'], ['event sources'], ['sources']] },
    handlers: { paths: ['/setup/events/handlers'], nav: [['events', 'handlers'], ['event handlers'], ['handlers']] },
    analytics: { paths: ['/setup/events/analytics'], nav: [['events', 'analytic configuration'], ['analytics'], ['analytic configuration']] },
  },
  navWords: ['^setup$', '^settings$', '^configuration$', '^system$', '^events?$', '^advanced', '^camera settings$', '^general', 'sources', 'handlers', 'analytic'],
  neverFollow: ['delete', 'remove', 'reboot', 'restart', 'log\\s*out', 'sign\\s*out', 'logoff', 'factory', 'reset', 'default', 'upgrade', 'firmware', 'format', 'trigger', 'test', '\\.(?:jpe?g|png|gif|css|js|ico|xml|cgi\\?.*snap)$', '^/jpeg', '^/__sim/'],
  labels: {
    'general.deviceName': ['^(?:device|camera)\\s*name$'],
    'general.smtpServer': ['smtp'],
    'general.ntpServer': ['ntp', 'time\\s*server'],
    'source.name': ['^(?:source\\s*)?name$'],
    'source.type': ['^(?:source\\s*)?type$'],
    'source.anyAnalytics': ['^any\\s*analytics$'],
    'source.behaviours': ['^(?:analytics?\\s*)?behaviou?rs?$'],
    'handler.name': ['^(?:handler\\s*)?name$'],
    'handler.type': ['^(?:handler\\s*)?type$'],
    'handler.to': ['^(?:e-?mail\\s*)?to(?:\\s*address)?$'],
    'handler.from': ['^(?:e-?mail\\s*)?from(?:\\s*address)?$'],
    'handler.subject': ['^subject$'],
    'handler.message': ['^message(?:\\s*body)?$'],
    'handler.jpegSnapshot': ['jpeg\\s*snapshot'],
    'handler.rawEventData': ['raw\\s*event\\s*data'],
    'handler.sources': ['^(?:event\\s*)?sources?$', '^triggered\\s*by$'],
    'behaviour.active': ['activate\\s*behaviou?r', '^active$', '^enabled?$'],
    'behaviour.sensitivity': ['^sensitivity$'],
    'profile.sceneType': ['^scene\\s*type$'],
    'profile.background': ['^background$'],
    'profile.fineTuning': ['^fine\\s*tuning$'],
    'profile.sensitivity': ['^sensitivity$'],
  },
  options: {
    'sourceType.alarm': ['^alarm'],
    'sourceType.system': ['^system'],
    'sourceType.timer': ['^timer'],
    'sourceType.analytics': ['^analytics?'],
    'handlerType.send-email': ['^send\\s*e-?mail$', '^e-?mail$'],
    'handlerType.ftp': ['ftp'],
    'handlerType.sd-card': ['sd\\s*card'],
    'handlerType.relay': ['relay'],
  },
  list: {
    edit: ['^edit$', '^modify$', '^change$', '^properties$'],
    delete: ['^delete$', '^remove$'],
    confirm: ['^(?:yes|ok|confirm|delete|remove)\\b'],
    addSource: ['^(?:add|new|create)\\s*(?:event\\s*)?source$'],
    addHandler: ['^(?:add|new|create)\\s*(?:event\\s*)?handler$'],
    nameColumn: ['^(?:source\\s*|handler\\s*)?name$'],
    typeColumn: ['type$'],
    sourcesColumn: ['^(?:event\\s*)?sources?$', '^triggered\\s*by$'],
    behaviourColumn: ['^behaviou?r$'],
    statusColumn: ['^status$', '^state$'],
    sensitivityColumn: ['^sensitivity$'],
    activeStatus: ['^active$', '^on$', '^enabled$', '^running$'],
  },
  messages: {
    failure: ['\\bfail', '\\berror\\b', 'invalid', 'not saved', 'could not', 'cannot', 'must be', 'not enough', 'refused', 'denied', 'already exists', 'maximum number', 'does not exist', 'no longer exists', 'expired', 'unknown choice', 'required'],
    success: ['\\bsaved\\b', 'success', 'applied', 'updated', 'stored', 'changes have been'],
    tokenRefused: ['expired', 'reload the page', 'invalid (?:form )?token', 'csrf', 'xsrf'],
    errorMarker: ['error', '\\berr\\b', 'err-', '-err', 'fail', 'danger', 'invalid', 'warn', 'problem'],
    successMarker: ['success', '\\bok\\b', 'saved', 'done', 'confirm'],
    handlerLimit: ['maximum number of (?:event )?handlers', 'handlers? .*reached'],
    processingPower: ['processing power'],
  },
  descriptionPaths: ['/description.xml', '/rootDesc.xml', '/upnp/description.xml'],
};
