/**
 * Repairs bare LF line endings on the client→server byte stream before smtp-server parses it. smtp-server
 * accepts bare LF in commands but only ends DATA on CRLF.CRLF, so a client that ends its body with "\n.\n"
 * would hang until the idle timeout and lose the message (tolerate bare LF). Only a CR is inserted
 * before a lone LF: dot-stuffing, 8-bit bytes and CRLF pairs pass unchanged.
 */

/** Turns every LF not preceded by CR into CRLF, across chunk boundaries, and remembers that it did. */
export class BareLfRepair {
  /** True once at least one bare LF was repaired (a quirk worth telling the technician). */
  sawBareLf = false;
  private lastWasCr = false;

  /** The chunk with its bare LFs repaired (the same Buffer when there are none, the common case). */
  fix(chunk: Buffer): Buffer {
    if (!chunk.length) return chunk;
    // One native search per line (a 70 KB base64 message has ~900): about 20 µs per 64 KB.
    let bare = 0;
    let from = 0;
    for (;;) {
      const i = chunk.indexOf(10, from);
      if (i < 0) break;
      const prevCr = i === 0 ? this.lastWasCr : chunk[i - 1] === 13;
      if (!prevCr) bare++;
      from = i + 1;
    }
    const lastWasCr = this.lastWasCr;
    this.lastWasCr = chunk[chunk.length - 1] === 13;
    if (bare === 0) return chunk;
    this.sawBareLf = true;
    const out = Buffer.allocUnsafe(chunk.length + bare);
    let o = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (c === 10 && !(i === 0 ? lastWasCr : chunk[i - 1] === 13)) out[o++] = 13;
      out[o++] = c;
    }
    return out;
  }
}

/**
 * Repairs what `socket.pipe(dest)` delivers to `dest`. smtp-server reads a connection only by piping the socket
 * into its parser (SMTPConnection._setListeners), so this wraps that parser's `write` (what `pipe` calls for each
 * chunk; the parser's own re-entrant `_write` calls on remainders stay untouched) and changes nothing else: no
 * extra stream stage on the data path
 * (a Transform between socket and parser cost about 0.1 ms of main-thread CPU per 70 KB message), and the
 * address, timeouts, writes and close of the socket stay smtp-server's. Only valid without STARTTLS (which
 * unpipes the raw socket); the relay disables STARTTLS.
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
