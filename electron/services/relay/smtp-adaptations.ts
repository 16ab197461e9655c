/**
 * Every change the relay makes to smtp-server's own behaviour, in one place. smtp-server has no option for any of
 * them, so each reaches into one connection at a time (never into the library's prototypes) and each was checked
 * against the smtp-server version named in SMTP_SERVER_CHECKED; `smtp-adaptations.test.ts` fails if an upgrade
 * changes what they rely on.
 *
 * 1. Bare LF repair: cameras that end lines (and DATA) with a bare LF get CR inserted before the parser sees the
 *    bytes (line-endings.ts), by wrapping the parser's `write` that `socket.pipe` calls.
 * 2. Empty HELO/EHLO: answered as if the client had sent its address literal (smtp-server says 501 and then
 *    refuses MAIL), which some cameras do.
 * 3. No greeting delay for allow-listed clients: smtp-server holds every greeting for a fixed 100 ms to catch
 *    early-talking spam bots (`SMTPConnection.init()`: `setTimeout(() => this.connectionReady(), 100)`). On this
 *    relay only allow-listed cameras may send at all, so the allow-list is the defence, and the delay only slows
 *    every camera mail (cameras open a new connection per alarm). An allow-listed connection is made ready at
 *    once; the pending timer's later call then does nothing. Everybody else keeps the delay, the early-talker
 *    refusal ("421 You talk too soon") and the allow-list refusal.
 * 4. Whole-session deadline: the idle timeout restarts on every byte, so a client trickling a byte a second holds
 *    its slot forever; each session is cut with 421 after a fixed time, whatever it sends.
 */
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { SMTPServer } from 'smtp-server';
import { BareLfRepair } from './line-endings';

// Read through require, not `import … with { type: 'json' }`: the built CLI (esbuild, target node20) drops the import
// attribute and Node then refuses the module, and Node 20 prints an experimental warning for JSON modules.
const smtpServerPackage = createRequire(import.meta.url)('smtp-server/package.json') as { version: string };

/** The smtp-server release line these adaptations were written for and tested against. */
export const SMTP_SERVER_CHECKED = '3.21';

/** One connection of smtp-server (the library types it; only its server's Set names it). */
export type SmtpConnection = SMTPServer['connections'] extends Set<infer C> ? C : never;

/** What the relay learns from, and decides for, each connection. */
export interface SmtpAdaptationHooks {
  /** A connection was accepted (before the greeting or a refusal): begin its transcript. */
  onSession(id: string, remoteAddress: string): void;
  /** Whether the client may send here (the allow-list): such clients are greeted without delay. */
  isTrusted(remoteAddress: string): boolean;
  /** The client sent HELO/EHLO: with its name, or with none (the adaptation answers for its address literal). */
  onHelo(id: string, name: string | undefined): void;
  /** The session's bytes had bare LF line ends (called once, at the first HELO/EHLO or at close). */
  onBareLf(id: string): void;
  /** The whole-session deadline cut the session. */
  onDeadline?(id: string, remoteAddress: string): void;
}

/** Tuning of the adaptations. */
export interface SmtpAdaptationOptions {
  /** Milliseconds a whole session may last, from accept to close, whatever the client sends. */
  sessionDeadlineMs: number;
  /** The smtp-server version in use (injected by tests of the guard). */
  version?: string;
}

/** True when the running smtp-server is the release line the greeting adaptation was checked against. */
export function isCheckedSmtpServer(version: string = smtpServerPackage.version): boolean {
  return version === SMTP_SERVER_CHECKED || version.startsWith(`${SMTP_SERVER_CHECKED}.`);
}

/**
 * Repairs what `socket.pipe(dest)` delivers to `dest`. smtp-server reads a connection only by piping the socket
 * into its parser (SMTPConnection._setListeners), so this wraps that parser's `write` (what `pipe` calls for each
 * chunk; the parser's own re-entrant `_write` calls on remainders stay untouched) and changes nothing else: no
 * extra stream stage on the data path (a Transform between socket and parser cost about 0.1 ms of main-thread
 * CPU per 70 KB message), and the address, timeouts, writes and close of the socket stay smtp-server's. Only
 * valid without STARTTLS (which unpipes the raw socket); the relay disables STARTTLS.
 */
export function repairBareLfOn(socket: NodeJS.ReadableStream & { pipe: NodeJS.ReadableStream['pipe'] }): BareLfRepair {
  const repair = new BareLfRepair();
  const original = socket.pipe.bind(socket);
  socket.pipe = (<T extends NodeJS.WritableStream>(dest: T, opts?: { end?: boolean }): T => {
    const write = dest.write.bind(dest) as (chunk: unknown, ...rest: unknown[]) => boolean;
    (dest as { write: typeof write }).write = (chunk, ...rest) => write(Buffer.isBuffer(chunk) ? repair.fix(chunk) : chunk, ...rest);
    return original(dest, opts);
  }) as typeof socket.pipe;
  return repair;
}

/**
 * Applies the adaptations to every connection `server` accepts from now on. Returns whether the greeting
 * adaptation is active (false on an smtp-server release it was not checked against: clients then keep the delay).
 */
export function adaptSmtpServer(server: SMTPServer, hooks: SmtpAdaptationHooks, options: SmtpAdaptationOptions): { greetsTrustedAtOnce: boolean } {
  const greetsTrustedAtOnce = isCheckedSmtpServer(options.version) && typeof server.connect === 'function';
  // smtp-server creates, registers and initialises a connection in one call (connect); the one it registers is
  // the one this call made.
  let created: SmtpConnection | undefined;
  const connections = server.connections;
  const add = connections.add.bind(connections);
  connections.add = (c: SmtpConnection) => {
    created = c;
    return add(c);
  };
  const original = server.connect.bind(server);
  server.connect = (socket, socketOptions) => {
    const repair = repairBareLfOn(socket as Socket);
    created = undefined;
    original(socket, socketOptions);
    // Set by the connections.add wrapper during original() (TypeScript cannot see that).
    const c = created as SmtpConnection | undefined;
    if (!c) return;
    const id = c.id;
    const ip = c.remoteAddress;
    hooks.onSession(id, ip);
    let bareLfTold = false;
    const tellBareLf = () => {
      if (repair.sawBareLf && !bareLfTold) {
        bareLfTold = true;
        hooks.onBareLf(id);
      }
    };
    const deadline = setTimeout(() => {
      if (c._closing || (c as { _closed?: boolean })._closed) return;
      hooks.onDeadline?.(id, ip);
      c.send(421, `${c.name} Session time limit reached, closing connection`);
    }, options.sessionDeadlineMs);
    deadline.unref();
    socket.once('close', () => {
      clearTimeout(deadline);
      tellBareLf();
    });
    for (const verb of ['EHLO', 'HELO'] as const) {
      const key = verb === 'EHLO' ? 'handler_EHLO' : 'handler_HELO';
      const handler = c[key].bind(c);
      c[key] = (command: Buffer, callback: () => void) => {
        tellBareLf();
        const parts = command.toString().trim().split(/\s+/);
        if (parts.length < 2) {
          hooks.onHelo(id, undefined);
          return handler(Buffer.from(`${verb} [${ip.replace(/^::ffff:/i, '')}]`), callback);
        }
        hooks.onHelo(id, parts[1]);
        return handler(command, callback);
      };
    }
    // The greeting: init() has set up the socket and either refused the client (too many clients: closing) or
    // armed the 100 ms early-talker timer. For a trusted client run what that timer would run, now, and make the
    // timer's own call a no-op. connectionReady() calls onConnect (which refuses a client no longer allowed), sets
    // the session ready and sends the 220, all before any byte of the client can be read.
    if (greetsTrustedAtOnce && !c._closing && !c._ready && hooks.isTrusted(ip)) {
      const ready = c.connectionReady;
      c.connectionReady = () => undefined;
      ready.call(c);
    }
  };
  return { greetsTrustedAtOnce };
}
