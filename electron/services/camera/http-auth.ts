/**
 * HTTP Digest (RFC 7616: MD5, SHA-256 and their -sess forms, qop=auth) and Basic (RFC 7617) for axios, as a
 * response interceptor: on a 401 it answers the strongest challenge once and replays the request. Sarix
 * firmware uses Basic for the Pelco API and Digest from 1.9 (docs/camera.md §5). Written in-house because the
 * published axios helpers send the `uri` without the query string, pin an old axios, or turn POST into GET
 * (TOOLCHAIN-NOTES.md §7). After the first challenge the nonce is reused with a growing nonce count, so later
 * calls cost one request instead of two; a `stale=true` answer gets one fresh try.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';

/** One parsed `WWW-Authenticate` challenge. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parses a `WWW-Authenticate` value into challenges. Node joins repeated headers with ", ", so one string may
 * hold several challenges; quoted strings may contain commas.
 */
export function parseChallenges(header: string | string[] | undefined): AuthChallenge[] {
  if (!header) return [];
  const text = Array.isArray(header) ? header.join(', ') : header;
  const out: AuthChallenge[] = [];
  let i = 0;
  const ws = () => {
    while (i < text.length && /[\s,]/.test(text[i])) i++;
  };
  const token = () => {
    const m = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(text.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  while (i < text.length) {
    ws();
    const scheme = token();
    if (!scheme) break;
    const c: AuthChallenge = { scheme: scheme.toLowerCase(), params: {} };
    out.push(c);
    // auth-params: name=value pairs until the next bare token (the next scheme).
    for (;;) {
      while (i < text.length && /\s/.test(text[i])) i++;
      const save = i;
      if (text[i] === ',') {
        i++;
        while (i < text.length && /\s/.test(text[i])) i++;
      }
      const name = token();
      while (i < text.length && /\s/.test(text[i])) i++;
      if (!name || text[i] !== '=') {
        i = save;
        break;
      }
      i++;
      while (i < text.length && /\s/.test(text[i])) i++;
      let value = '';
      if (text[i] === '"') {
        i++;
        while (i < text.length && text[i] !== '"') {
          if (text[i] === '\\' && i + 1 < text.length) i++;
          value += text[i++];
        }
        i++;
      } else {
        const m = /^[^,\s]*/.exec(text.slice(i))!;
        value = m[0];
        i += m[0].length;
      }
      c.params[name.toLowerCase()] = value;
    }
    if (i < text.length && text[i] === ',') i++;
  }
  return out;
}

/** Digest algorithms supported, strongest first. */
const DIGEST_ALGOS: Record<string, 'md5' | 'sha256'> = {
  'SHA-256': 'sha256',
  'SHA-256-SESS': 'sha256',
  MD5: 'md5',
  'MD5-SESS': 'md5',
};

function h(algo: 'md5' | 'sha256', s: string): string {
  return createHash(algo).update(s, 'utf8').digest('hex');
}

/** Inputs of one Digest response computation. */
export interface DigestInput {
  username: string;
  password: string;
  method: string;
  /** Request target: path plus query, exactly as sent. */
  uri: string;
  challenge: AuthChallenge;
  nc: number;
  cnonce: string;
}

/** Builds the `Authorization: Digest ...` value for one request (RFC 7616 §3.4). Returns null when unsupported. */
export function digestAuthorization(d: DigestInput): string | null {
  const p = d.challenge.params;
  const algName = (p.algorithm ?? 'MD5').toUpperCase();
  const algo = DIGEST_ALGOS[algName];
  if (!algo || p.nonce === undefined || p.realm === undefined) return null;
  const qops = (p.qop ?? '').split(',').map((q) => q.trim().toLowerCase()).filter(Boolean);
  // Only qop=auth is supported (auth-int needs the entity body hash; Sarix offers auth). No qop = RFC 2069 style.
  if (qops.length > 0 && !qops.includes('auth')) return null;
  const qop = qops.length > 0 ? 'auth' : undefined;
  const nc = d.nc.toString(16).padStart(8, '0');
  let ha1 = h(algo, `${d.username}:${p.realm}:${d.password}`);
  if (algName.endsWith('-SESS')) ha1 = h(algo, `${ha1}:${p.nonce}:${d.cnonce}`);
  const ha2 = h(algo, `${d.method.toUpperCase()}:${d.uri}`);
  const response = qop ? h(algo, `${ha1}:${p.nonce}:${nc}:${d.cnonce}:${qop}:${ha2}`) : h(algo, `${ha1}:${p.nonce}:${ha2}`);
  const q = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;
  const parts = [`username=${q(d.username)}`, `realm=${q(p.realm)}`, `nonce=${q(p.nonce)}`, `uri=${q(d.uri)}`, `algorithm=${p.algorithm ?? 'MD5'}`, `response=${q(response)}`];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce=${q(d.cnonce)}`);
  if (p.opaque !== undefined) parts.push(`opaque=${q(p.opaque)}`);
  return `Digest ${parts.join(', ')}`;
}

/** Builds the `Authorization: Basic ...` value. */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** Picks the challenge to answer: Digest with the strongest supported algorithm, else Basic. */
export function pickChallenge(challenges: AuthChallenge[]): AuthChallenge | undefined {
  const digests = challenges.filter((c) => c.scheme === 'digest' && DIGEST_ALGOS[(c.params.algorithm ?? 'MD5').toUpperCase()]);
  const strongest = digests.find((c) => (c.params.algorithm ?? '').toUpperCase().startsWith('SHA-256')) ?? digests[0];
  return strongest ?? challenges.find((c) => c.scheme === 'basic');
}

type AuthConfig = InternalAxiosRequestConfig & { __authTried?: number; __skipHttpAuth?: boolean };

/** The request target (path + query) axios will send for a config. */
function requestTarget(instance: AxiosInstance, config: InternalAxiosRequestConfig): string {
  const u = new URL(instance.getUri(config));
  return u.pathname + u.search;
}

/**
 * Installs Digest/Basic handling on an axios instance for one set of credentials. Requests that set
 * `__skipHttpAuth` (the web-form login) are left alone. The instance must treat 401 as a normal response
 * or as an error; both are handled.
 */
export function installHttpAuth(instance: AxiosInstance, creds: { username: string; password: string }): void {
  let cached: AuthChallenge | undefined;
  let nc = 0;
  // Paths that were challenged: only those are answered in advance (a cookie-based web page needs no header).
  const protectedPaths = new Set<string>();

  const authorize = (config: InternalAxiosRequestConfig, challenge: AuthChallenge): boolean => {
    if (challenge.scheme === 'basic') {
      config.headers.set('Authorization', basicAuthorization(creds.username, creds.password));
      return true;
    }
    nc += 1;
    const value = digestAuthorization({
      username: creds.username,
      password: creds.password,
      method: config.method ?? 'get',
      uri: requestTarget(instance, config),
      challenge,
      nc,
      cnonce: randomBytes(12).toString('hex'),
    });
    if (!value) return false;
    config.headers.set('Authorization', value);
    return true;
  };

  // The path alone, without axios.getUri (which merges the whole config again on every request).
  const pathOf = (config: InternalAxiosRequestConfig) => new URL(config.url ?? '/', config.baseURL ?? 'http://camera').pathname;
  instance.interceptors.request.use((config: AuthConfig) => {
    if (cached && !config.__skipHttpAuth && protectedPaths.has(pathOf(config)) && !config.headers.has('Authorization')) authorize(config, cached);
    return config;
  });

  const on401 = async (response: AxiosResponse): Promise<AxiosResponse> => {
    const config = response.config as AuthConfig;
    if (config.__skipHttpAuth) return response;
    const tried = config.__authTried ?? 0;
    const challenges = parseChallenges(response.headers['www-authenticate'] as string | string[] | undefined);
    const chosen = pickChallenge(challenges);
    if (!chosen) return response;
    // A second 401 is a wrong password, unless the server says our nonce merely went stale (one more try).
    const isStale = chosen.scheme === 'digest' && /^true$/i.test(chosen.params.stale ?? '');
    if (tried >= 2 || (tried === 1 && !isStale)) return response;
    cached = chosen;
    nc = 0;
    protectedPaths.add(pathOf(config));
    const next: AuthConfig = { ...config, headers: config.headers } as AuthConfig;
    next.__authTried = tried + 1;
    next.headers.delete('Authorization');
    if (!authorize(next, chosen)) return response;
    return instance.request(next);
  };

  instance.interceptors.response.use(
    (response) => (response.status === 401 ? on401(response) : response),
    async (error: unknown) => {
      const r = (error as { response?: AxiosResponse }).response;
      if (r && r.status === 401) {
        const out = await on401(r);
        if (out !== r) return out;
      }
      throw error;
    },
  );
}
