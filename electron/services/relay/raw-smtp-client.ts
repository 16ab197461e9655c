/**
 * A minimal raw SMTP client for tests and benchmarks: it sends exactly the bytes it is given (bare LF, early
 * talk, garbage), so it can play the odd clients that nodemailer never would. Not used by the product.
 */
import { connect, type Socket } from 'node:net';
import type { SmtpReply } from '../../../shared/domain/diagnostics';


/** A raw SMTP connection that reads whole (multi-line) replies. */
export class RawSmtpClient {
  private buf = '';
  private readonly replies: SmtpReply[] = [];
  private waiters: Array<(r: SmtpReply | undefined) => void> = [];
  private closed = false;
  private pendingLines: string[] = [];

  private constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (d: string) => this.onData(d));
    socket.on('close', () => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(undefined);
    });
    socket.on('error', () => undefined);
  }

  /** Connects (optionally from a given local address, e.g. 127.0.0.5 to play another client). */
  static open(port: number, host = '127.0.0.1', localAddress?: string): Promise<RawSmtpClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host, localAddress }, () => {
        s.off('error', reject);
        resolve(new RawSmtpClient(s));
      });
      s.once('error', reject);
    });
  }

  private onData(d: string): void {
    this.buf += d;
    let i: number;
    while ((i = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, i).replace(/\r$/, '');
      this.buf = this.buf.slice(i + 1);
      this.pendingLines.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        const r = { code: Number(line.slice(0, 3)), lines: this.pendingLines };
        this.pendingLines = [];
        const w = this.waiters.shift();
        if (w) w(r);
        else this.replies.push(r);
      }
    }
  }

  /** The next reply, or undefined if the server closed the connection first. */
  reply(): Promise<SmtpReply | undefined> {
    const r = this.replies.shift();
    if (r) return Promise.resolve(r);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Writes raw bytes. */
  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** Sends a command line (CRLF added) and returns the reply. */
  async command(line: string, eol = '\r\n'): Promise<SmtpReply | undefined> {
    this.write(line + eol);
    return this.reply();
  }

  /** Resolves when the server has closed the connection. */
  closedPromise(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  /** Closes the connection abruptly. */
  destroy(): void {
    this.socket.destroy();
  }
}
