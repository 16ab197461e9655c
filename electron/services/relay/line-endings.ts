/**
 * Repairs bare LF line endings on the client→server byte stream before smtp-server parses it. smtp-server
 * accepts bare LF in commands but only ends DATA on CRLF.CRLF, so a client that ends its body with "\n.\n"
 * would hang until the idle timeout and lose the message (tolerate bare LF). Only a CR is inserted
 * before a lone LF: dot-stuffing, 8-bit bytes and CRLF pairs pass unchanged. How the repair is put in front of
 * smtp-server's parser: smtp-adaptations.ts.
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
