/** The logger interface services receive (electron-log in the Electron host, stderr elsewhere). */
export interface Logger {
  info(message: string, meta?: unknown): void;
  warn(message: string, meta?: unknown): void;
  error(message: string, meta?: unknown): void;
}

/** A logger that writes to stderr, one line per entry; quiet below warn unless SARIX_DEBUG is set. */
export function consoleLogger(scope: string): Logger {
  const line = (level: string, message: string, meta?: unknown) => {
    const m = meta === undefined ? '' : ' ' + (typeof meta === 'string' ? meta : safeJson(meta));
    process.stderr.write(`[${new Date().toISOString()}] [${level}] [${scope}] ${message}${m}\n`);
  };
  return {
    info: (m, meta) => {
      if (process.env.SARIX_DEBUG) line('info', m, meta);
    },
    warn: (m, meta) => line('warn', m, meta),
    error: (m, meta) => line('error', m, meta),
  };
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}
