/** Result<T>: what every contract call returns across a process boundary (thrown errors lose their shape there). */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** A user-facing failure: a stable code, a one-line message that says what to do, details for the log. */
export interface AppError {
  code: ErrorCode;
  message: string;
  details?: unknown;
  /** The catalog key of the message (shared/i18n, `errors.<CODE>.<id>`): hosts show it in the technician's language. */
  key?: string;
  /** The values the keyed message interpolates (a value may itself be a keyed message, shown in the same language). */
  params?: MessageParamValues;
}

/** A keyed message used as a parameter of another (advice that depends on the OS, say). */
export interface SubMessage {
  key: string;
  /** Its values; a value may itself be a keyed message (shown in the same language). */
  params?: Record<string, string | number | boolean | SubMessage>;
}

/** The parameters of a keyed message as they travel. */
export type MessageParamValues = Record<string, string | number | boolean | SubMessage>;

/**
 * Stable error codes. Areas add theirs here; the renderer and the CLI switch on them, so never rename one.
 */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNKNOWN_CHANNEL',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  'NOT_FOUND',
  'CONFLICT',
  'CANCELLED',
  'TIMEOUT',
  'UNAVAILABLE',
  'PORT_IN_USE',
  'PORT_PERMISSION',
  'NETWORK',
  'AUTH_FAILED',
  'CAMERA_ERROR',
  'CAMERA_UNREACHABLE',
  'VALIDATION',
  'PUBLIC_SMTP_HOST',
  'HANDLER_LIMIT',
  'ROLLED_BACK',
  'STORAGE',
  'MESSAGE_TOO_COMPLEX',
  /** An update package failed its signature or integrity check, or does not fit this app. */
  'UPDATE_REJECTED',
  /** The action exists only in another host (e.g. installing an update from a file in the web host). */
  'NOT_APPLICABLE',
  /** The relay is not running; the app never starts or replaces one without the technician. */
  'RELAY_STOPPED',
  /** A change was asked before the pre-flight checks passed. */
  'PREFLIGHT',
  /** The action needs an explicit confirmation (e.g. leaving a behaviour at the test sensitivity 10). */
  'CONFIRMATION_NEEDED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Builds a success result. */
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

/** Builds a failure result. */
export function err<T = never>(code: ErrorCode, message: string, details?: unknown): Result<T> {
  return details === undefined ? { ok: false, error: { code, message } } : { ok: false, error: { code, message, details } };
}

/**
 * An Error that carries an AppError, for service code that prefers to throw; the dispatcher turns it into a
 * failed Result with the same code.
 */
export class AppFailure extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;
  /** Catalog key of the message, when the failure was built from the catalogs (shared/i18n/messages.ts). */
  key?: string;
  /** The values the keyed message interpolates. */
  params?: MessageParamValues;
  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppFailure';
    this.code = code;
    this.details = details;
  }
  /** The plain AppError form of this failure. */
  toAppError(): AppError {
    const e: AppError = { code: this.code, message: this.message };
    if (this.details !== undefined) e.details = this.details;
    if (this.key !== undefined) e.key = this.key;
    if (this.params !== undefined) e.params = this.params;
    return e;
  }
}

/** Type guard for AppFailure that also works across module copies. */
export function isAppFailure(e: unknown): e is AppFailure {
  return e instanceof AppFailure || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'AppFailure' && typeof (e as { code?: unknown }).code === 'string');
}
