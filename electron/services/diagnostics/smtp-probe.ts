/**
 * A raw-socket SMTP dialogue that talks like a legacy Sarix camera (docs/camera.md §6: plain TCP, EHLO with HELO
 * fallback, one MAIL FROM, one RCPT TO, never AUTH, never STARTTLS) and records every line. An SMTP client
 * library would hide exactly what a diagnostic needs (the server's own words, multi-line replies, which step
 * refused), so this is a small line reader on net.Socket. It refuses to connect to anything but a local
 * address: the doctor must never touch a public server.
 */
import { connect as netConnect, type Socket } from 'node:net';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseEhlo, splitEnhanced, type EhloCapabilities, type SmtpReply } from '../../../shared/domain/diagnostics';
import { isLocalAddress } from '../../../shared/domain/net-address';

/** Opens a TCP connection (injectable so tests can count connection attempts). */
export type Dialer = (address: string, port: number) => Socket;

/** The default dialer: a plain TCP connection. */
export const tcpDialer: Dialer = (address, port) => netConnect({ host: address, port });

/** What to probe and how. */
export interface SmtpProbeOptions {
  /** An IP address (already resolved and checked local by the caller; checked again here). */
  address: string;
  port: number;
  from: string;
  /** Recipient for RCPT TO; without it the dialogue stops after MAIL FROM. */
  to?: string;
  /** Also send DATA with a short test message (only with --send-test). */
  sendTest?: { subject: string; text: string };
  /** EHLO argument; default the address literal of this end, as a camera without a name would send. */
  ehloName?: string;
  connectTimeoutMs?: number;
  /** How long to wait for each reply (some servers delay the banner on purpose). */
  replyTimeoutMs?: number;
  dial?: Dialer;
  signal?: AbortSignal;
  now?: () => number;
}

/** Result of the TCP connect. */
export type ConnectResult = { ok: true; ms: number; localAddress?: string } | { ok: false; ms: number; code: string; message: string };

/** Everything the dialogue saw. Replies are absent when the dialogue stopped before that step. */
export interface SmtpProbeResult {
  address: string;
  port: number;
  connect: ConnectResult;
  banner?: SmtpReply;
  ehlo?: SmtpReply;
  usedHelo: boolean;
  capabilities?: EhloCapabilities;
  mailFrom?: SmtpReply;
  rcptTo?: SmtpReply;
  data?: SmtpReply;
  dataEnd?: SmtpReply;
  /** `C: …` sent, `S: …` received, `*: …` notes (timeouts, closes), in order. */
  transcript: string[];
  /** Why the dialogue ended early (timeout, connection closed, protocol error), with the step. */
  stoppedAt?: { step: string; reason: string };
}

const MAX_LINE = 4096;
const MAX_REPLY_LINES = 200;

class ProbeStop extends Error {}

/** Reads SMTP replies (RFC 5321 §4: `code-text` continues, `code text` ends) from a socket. */
class ReplyReader {
  private buf = '';
  private lines: string[] = [];
  private readonly ready: SmtpReply[] = [];
  private waiter?: { resolve: (r: SmtpReply) => void; reject: (e: Error) => void };
  private failure?: Error;

  constructor(
    socket: Socket,
    private readonly onLine: (line: string) => void,
  ) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => this.push(chunk));
    socket.on('close', () => this.fail(new ProbeStop('the server closed the connection')));
    socket.on('error', (e: NodeJS.ErrnoException) => this.fail(new ProbeStop(`connection error ${e.code ?? e.message}`)));
  }

  private push(chunk: string): void {
    this.buf += chunk;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).replace(/\r$/, '');
      this.buf = this.buf.slice(i + 1);
      this.line(line);
    }
    if (this.buf.length > MAX_LINE) this.fail(new ProbeStop(`the server sent a line longer than ${MAX_LINE} bytes`));
  }

  private line(line: string): void {
    this.onLine(line);
    const m = /^(\d{3})([ -]?)(.*)$/.exec(line);
    if (!m) return this.fail(new ProbeStop(`the server sent a line that is not an SMTP reply: "${line.slice(0, 80)}"`));
    this.lines.push(m[3]);
    if (this.lines.length > MAX_REPLY_LINES) return this.fail(new ProbeStop('the server sent an endless multi-line reply'));
    if (m[2] === '-') return;
    const first = splitEnhanced(this.lines[0]);
    const lines = this.lines.map((l, idx) => (idx === 0 ? first.text : l));
    this.lines = [];
    const reply: SmtpReply = { code: Number(m[1]), lines, ...(first.enhanced ? { enhanced: first.enhanced } : {}) };
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(reply);
    } else this.ready.push(reply);
  }

  private fail(e: Error): void {
    this.failure ??= e;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.reject(this.failure);
    }
  }

  /** The next reply, or a ProbeStop on timeout/close/garbage. */
  next(timeoutMs: number, signal?: AbortSignal): Promise<SmtpReply> {
    const r = this.ready.shift();
    if (r) return Promise.resolve(r);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        this.waiter = undefined;
        reject(new ProbeStop('cancelled'));
      };
      const timer = setTimeout(() => {
        done();
        this.waiter = undefined;
        reject(new ProbeStop(`no reply within ${Math.round(timeoutMs / 100) / 10} s`));
      }, timeoutMs);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiter = {
        resolve: (x) => {
          done();
          resolve(x);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
    });
  }
}

function connectSocket(dial: Dialer, address: string, port: number, timeoutMs: number, now: () => number, signal?: AbortSignal): Promise<{ socket?: Socket; result: ConnectResult }> {
  const t0 = now();
  return new Promise((resolve) => {
    const socket = dial(address, port);
    const finish = (result: ConnectResult, keep: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.off('connect', onConnect);
      socket.off('error', onError);
      if (!keep) socket.destroy();
      resolve(keep ? { socket, result } : { result });
    };
    const onConnect = () => finish({ ok: true, ms: now() - t0, localAddress: socket.localAddress }, true);
    const onError = (e: NodeJS.ErrnoException) => finish({ ok: false, ms: now() - t0, code: e.code ?? 'ERROR', message: e.message }, false);
    const onAbort = () => finish({ ok: false, ms: now() - t0, code: 'CANCELLED', message: 'cancelled' }, false);
    const timer = setTimeout(() => finish({ ok: false, ms: now() - t0, code: 'ETIMEDOUT', message: `no answer within ${timeoutMs / 1000} s` }, false), timeoutMs);
    socket.once('connect', onConnect);
    socket.once('error', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Dot-stuffs a message for DATA (RFC 5321 §4.2) and makes sure it ends with CRLF. */
export function dotStuff(message: string): string {
  const crlf = message.replace(/\r?\n/g, '\r\n');
  const stuffed = crlf.replace(/^\./gm, '..');
  return stuffed.endsWith('\r\n') ? stuffed : stuffed + '\r\n';
}

/**
 * Runs the camera-like SMTP dialogue against one local address. Never throws for network trouble: what
 * happened is in the result (connect failure, `stoppedAt`). Throws only when asked to touch a non-local address.
 * (Kept whole at ~80 lines: it is the dialogue in wire order, banner to QUIT, and reads best top to bottom.)
 */
export async function probeSmtp(o: SmtpProbeOptions): Promise<SmtpProbeResult> {
  if (!isLocalAddress(o.address)) {
    throw new Error(`Refusing to connect to ${o.address}: the doctor only talks to local addresses.`);
  }
  const now = o.now ?? (() => performance.now());
  const replyTimeout = o.replyTimeoutMs ?? 10_000;
  const transcript: string[] = [];
  const res: SmtpProbeResult = { address: o.address, port: o.port, connect: { ok: false, ms: 0, code: 'NOT_RUN', message: '' }, usedHelo: false, transcript };
  const { socket, result } = await connectSocket(o.dial ?? tcpDialer, o.address, o.port, o.connectTimeoutMs ?? 5000, now, o.signal);
  res.connect = result;
  if (!socket) {
    transcript.push(`*: connect to ${o.address}:${o.port} failed: ${result.ok ? '' : `${result.code} ${result.message}`}`);
    return res;
  }
  transcript.push(`*: connected to ${o.address}:${o.port} in ${result.ms.toFixed(1)} ms`);
  const reader = new ReplyReader(socket, (l) => transcript.push(`S: ${l}`));
  const send = (line: string) => {
    transcript.push(`C: ${line}`);
    socket.write(line + '\r\n');
  };
  const ask = async (step: string, line: string | null): Promise<SmtpReply> => {
    if (line !== null) send(line);
    try {
      return await reader.next(replyTimeout, o.signal);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      res.stoppedAt = { step, reason };
      transcript.push(`*: ${step}: ${reason}`);
      throw new ProbeStop(reason);
    }
  };
  try {
    res.banner = await ask('banner', null);
    if (res.banner.code !== 220) return await quit();
    const name = o.ehloName ?? `[${socket.localAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1'}]`;
    res.ehlo = await ask('EHLO', `EHLO ${name}`);
    if (res.ehlo.code >= 500) {
      // The camera falls back to HELO when EHLO is refused (docs/camera.md §6).
      res.usedHelo = true;
      res.ehlo = await ask('HELO', `HELO ${name}`);
    }
    if (res.ehlo.code !== 250) return await quit();
    res.capabilities = res.usedHelo ? parseEhlo([]) : parseEhlo(res.ehlo.lines);
    res.mailFrom = await ask('MAIL FROM', `MAIL FROM:<${o.from}>`);
    if (res.mailFrom.code >= 300 || !o.to) return await quit(true);
    res.rcptTo = await ask('RCPT TO', `RCPT TO:<${o.to}>`);
    if (res.rcptTo.code >= 300 || !o.sendTest) return await quit(true);
    res.data = await ask('DATA', 'DATA');
    if (res.data.code !== 354) return await quit(true);
    const message = await new MailComposer({
      from: o.from,
      to: o.to,
      subject: o.sendTest.subject,
      text: o.sendTest.text,
      date: new Date(),
      headers: { 'X-Sarix-Doctor': 'test' },
    })
      .compile()
      .build();
    const body = dotStuff(message.toString('utf8'));
    transcript.push(`C: (${Buffer.byteLength(body)} bytes of message)`);
    socket.write(body + '.\r\n');
    res.dataEnd = await ask('end of DATA', null);
    return await quit(false);
  } catch (e) {
    if (!(e instanceof ProbeStop)) throw e;
    return res;
  } finally {
    socket.destroy();
  }

  async function quit(rset = false): Promise<SmtpProbeResult> {
    // RSET drops the half-built transaction so nothing is queued, then QUIT ends politely.
    try {
      if (rset) await ask('RSET', 'RSET');
      await ask('QUIT', 'QUIT');
    } catch {
      // A server that hangs up on RSET/QUIT has already told us what matters.
      delete res.stoppedAt;
    }
    return res;
  }
}
