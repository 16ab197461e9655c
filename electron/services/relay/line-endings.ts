/**
 * Repairs bare LF line endings on the client→server byte stream before smtp-server parses it. smtp-server
 * accepts bare LF in commands but only ends DATA on CRLF.CRLF, so a client that ends its body with "\n.\n"
 * would hang until the idle timeout and lose the message (issue 4: tolerate bare LF). Only a CR is inserted
 * before a lone LF: dot-stuffing, 8-bit bytes and CRLF pairs pass unchanged.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** A byte-stream transform that turns every LF not preceded by CR into CRLF, and remembers that it did. */
export class BareLfRepair extends Transform {
  /** True once at least one bare LF was repaired (a quirk worth telling the technician). */
  sawBareLf = false;
  private lastWasCr = false;

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let bare = 0;
    let from = 0;
    for (;;) {
      const i = chunk.indexOf(10, from);
      if (i < 0) break;
      const prevCr = i === 0 ? this.lastWasCr : chunk[i - 1] === 13;
      if (!prevCr) bare++;
      from = i + 1;
    }
    if (bare === 0) {
      if (chunk.length) this.lastWasCr = chunk[chunk.length - 1] === 13;
      cb(null, chunk);
      return;
    }
    this.sawBareLf = true;
    const out = Buffer.allocUnsafe(chunk.length + bare);
    let o = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === 10) {
        const prevCr = i === 0 ? this.lastWasCr : chunk[i - 1] === 13;
        if (!prevCr) out[o++] = 13;
      }
      out[o++] = c;
    }
    this.lastWasCr = chunk[chunk.length - 1] === 13;
    cb(null, out);
  }
}

/**
 * Makes `socket.pipe(dest)` go through a BareLfRepair first. smtp-server reads a connection only by piping the
 * socket into its parser (SMTPConnection._setListeners), so this changes the data path and nothing else: the
 * address, timeouts, writes and close of the socket stay smtp-server's. Only valid without STARTTLS (which
 * unpipes the raw socket); the relay disables STARTTLS.
 */
export function repairBareLfOn(socket: NodeJS.ReadableStream & { pipe: NodeJS.ReadableStream['pipe'] }): BareLfRepair {
  const repair = new BareLfRepair();
  const original = socket.pipe.bind(socket);
  socket.pipe = (<T extends NodeJS.WritableStream>(dest: T, opts?: { end?: boolean }): T => {
    original(repair, opts);
    return repair.pipe(dest, opts);
  }) as typeof socket.pipe;
  return repair;
}
