/**
 * HTTP authentication of the Pelco API: Basic (realm "Sarix") and Digest (RFC 7616, MD5, qop=auth), which firmware
 * 1.9 added. Nonces are the server's own, expire, and a stale nonce is answered with `stale=true`.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The realm every Sarix challenge names. */
export const REALM = 'Sarix';

const NONCE_TTL_MS = 5 * 60_000;

const md5 = (s: string) => createHash('md5').update(s).digest('hex');

/** Parses `Digest k=v, k="v"` into a map (quoted values may hold commas). */
export function parseAuthParams(header: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header))) out[m[1].toLowerCase()] = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3];
  return out;
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Result of checking an Authorization header. */
export type AuthCheck = { ok: true; user: string } | { ok: false; stale?: boolean };

/** Basic + Digest verifier for one camera. */
export class HttpAuth {
  private readonly nonces = new Map<string, number>();
  private readonly opaque = randomBytes(8).toString('hex');

  constructor(
    private readonly users: () => { name: string; password: string }[],
    private readonly now: () => number,
    /** Offer Digest (firmware ≥ 1.9). */
    private readonly digest: boolean,
  ) {}

  /** The WWW-Authenticate challenges of a 401 (Digest first when offered, then Basic). */
  challenges(stale = false): string[] {
    const out: string[] = [];
    if (this.digest) {
      const nonce = randomBytes(16).toString('hex');
      this.nonces.set(nonce, this.now());
      if (this.nonces.size > 1000) this.prune();
      out.push(`Digest realm="${REALM}", qop="auth", algorithm=MD5, nonce="${nonce}", opaque="${this.opaque}"${stale ? ', stale=true' : ''}`);
    }
    out.push(`Basic realm="${REALM}"`);
    return out;
  }

  private prune(): void {
    const limit = this.now() - NONCE_TTL_MS;
    for (const [n, t] of this.nonces) if (t < limit) this.nonces.delete(n);
  }

  /** Checks an Authorization header for a request method and request URI (path and query, as sent). */
  check(header: string | undefined, method: string, requestUri: string): AuthCheck {
    if (!header) return { ok: false };
    const sp = header.indexOf(' ');
    const scheme = (sp < 0 ? header : header.slice(0, sp)).toLowerCase();
    const rest = sp < 0 ? '' : header.slice(sp + 1);
    if (scheme === 'basic') {
      const decoded = Buffer.from(rest.trim(), 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      if (i < 0) return { ok: false };
      const name = decoded.slice(0, i);
      const pass = decoded.slice(i + 1);
      const u = this.users().find((x) => x.name === name);
      return u && sameText(u.password, pass) ? { ok: true, user: name } : { ok: false };
    }
    if (scheme === 'digest' && this.digest) {
      const p = parseAuthParams(rest);
      const u = this.users().find((x) => x.name === p.username);
      if (!u || !p.nonce || !p.response || !p.uri || p.realm !== REALM) return { ok: false };
      // The digest covers the URI; it must be the one requested (RFC 7616 §3.4.6).
      if (p.uri !== requestUri) return { ok: false };
      if ((p.algorithm ?? 'MD5').toUpperCase() !== 'MD5') return { ok: false };
      const issued = this.nonces.get(p.nonce);
      const ha1 = md5(`${u.name}:${REALM}:${u.password}`);
      const ha2 = md5(`${method}:${p.uri}`);
      const expected = p.qop === 'auth' ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`) : md5(`${ha1}:${p.nonce}:${ha2}`);
      if (!sameText(expected, p.response.toLowerCase())) return { ok: false };
      // A right answer to an unknown or old nonce: tell the client to retry with a fresh one.
      if (issued === undefined || this.now() - issued > NONCE_TTL_MS) return { ok: false, stale: true };
      return { ok: true, user: u.name };
    }
    return { ok: false };
  }
}
