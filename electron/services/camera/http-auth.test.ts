import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { basicAuthorization, digestAuthorization, installHttpAuth, parseChallenges, pickChallenge } from './http-auth';

/** A tiny RFC 7616 server: verifies Digest (qop=auth) or Basic independently of the code under test. */
interface FakeOptions {
  scheme: 'digest' | 'basic' | 'both';
  algorithm?: 'MD5' | 'SHA-256' | 'MD5-sess';
  user?: string;
  pass?: string;
  /** Answer the first authorised request with stale=true once. */
  staleOnce?: boolean;
}

function verifyDigest(req: IncomingMessage, body: string, o: FakeOptions, nonces: Set<string>): boolean {
  const auth = req.headers.authorization ?? '';
  if (!auth.startsWith('Digest ')) return false;
  const p: Record<string, string> = {};
  for (const m of auth.slice(7).matchAll(/(\w+)=(?:"((?:[^"\\]|\\.)*)"|([^,\s]+))/g)) p[m[1]] = m[2] ?? m[3];
  if (!nonces.has(p.nonce) || p.uri !== req.url || p.qop !== 'auth' || p.username !== (o.user ?? 'admin')) return false;
  const alg = o.algorithm ?? 'MD5';
  const hash = (s: string) => createHash(alg.startsWith('SHA-256') ? 'sha256' : 'md5').update(s).digest('hex');
  let ha1 = hash(`${p.username}:Sarix:${o.pass ?? 'admin'}`);
  if (alg.endsWith('-sess')) ha1 = hash(`${ha1}:${p.nonce}:${p.cnonce}`);
  const ha2 = hash(`${req.method}:${req.url}`);
  void body;
  return p.response === hash(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:auth:${ha2}`) && p.opaque === 'op4que';
}

async function startFake(o: FakeOptions): Promise<{ server: Server; url: string; seen: Array<{ method: string; url: string; body: string; status: number }> }> {
  const nonces = new Set<string>();
  const seen: Array<{ method: string; url: string; body: string; status: number }> = [];
  let staleSent = false;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const basicOk = req.headers.authorization === basicAuthorization(o.user ?? 'admin', o.pass ?? 'admin');
      const digestOk = verifyDigest(req, body, o, nonces);
      let ok = (o.scheme !== 'digest' && basicOk) || (o.scheme !== 'basic' && digestOk);
      let stale = false;
      if (ok && o.staleOnce && !staleSent) {
        staleSent = true;
        ok = false;
        stale = true;
      }
      if (ok) {
        seen.push({ method: req.method!, url: req.url!, body, status: 200 });
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok ${req.method} ${body}`);
        return;
      }
      seen.push({ method: req.method!, url: req.url!, body, status: 401 });
      const nonce = randomBytes(8).toString('hex');
      nonces.add(nonce);
      const challenges: string[] = [];
      if (o.scheme !== 'basic') challenges.push(`Digest realm="Sarix", qop="auth,auth-int", algorithm=${o.algorithm ?? 'MD5'}, nonce="${nonce}", opaque="op4que"${stale ? ', stale=true' : ''}`);
      if (o.scheme !== 'digest') challenges.push('Basic realm="Sarix"');
      res.writeHead(401, { 'www-authenticate': challenges }).end('unauthorised');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

describe('parseChallenges', () => {
  it('splits several challenges joined by node and keeps commas inside quotes', () => {
    const c = parseChallenges('Digest realm="Sarix, main", qop="auth,auth-int", nonce="abc", algorithm=SHA-256, Basic realm="Sarix"');
    expect(c).toEqual([
      { scheme: 'digest', params: { realm: 'Sarix, main', qop: 'auth,auth-int', nonce: 'abc', algorithm: 'SHA-256' } },
      { scheme: 'basic', params: { realm: 'Sarix' } },
    ]);
  });
  it('accepts an array of headers and escaped quotes', () => {
    expect(parseChallenges(['Basic realm="a\\"b"', 'Digest realm="r", nonce="n"'])).toEqual([
      { scheme: 'basic', params: { realm: 'a"b' } },
      { scheme: 'digest', params: { realm: 'r', nonce: 'n' } },
    ]);
  });
  it('prefers SHA-256 Digest over MD5 over Basic', () => {
    const c = parseChallenges('Basic realm="x", Digest realm="x", nonce="1", algorithm=MD5, Digest realm="x", nonce="2", algorithm=SHA-256');
    expect(pickChallenge(c)?.params.nonce).toBe('2');
    expect(pickChallenge(parseChallenges('Basic realm="x"'))?.scheme).toBe('basic');
    expect(pickChallenge(parseChallenges('Negotiate'))).toBeUndefined();
  });
});

describe('digestAuthorization', () => {
  it('matches the RFC 7616 §3.9.1 example (SHA-256 and MD5)', () => {
    const challenge = (algorithm: string) => ({
      scheme: 'digest',
      params: { realm: 'http-auth@example.org', qop: 'auth, auth-int', algorithm, nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v', opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS' },
    });
    const base = { username: 'Mufasa', password: 'Circle of Life', method: 'GET', uri: '/dir/index.html', nc: 1, cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' };
    expect(digestAuthorization({ ...base, challenge: challenge('SHA-256') })).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
    expect(digestAuthorization({ ...base, challenge: challenge('MD5') })).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
  });
  it('refuses challenges it cannot answer', () => {
    expect(digestAuthorization({ username: 'a', password: 'b', method: 'GET', uri: '/', nc: 1, cnonce: 'c', challenge: { scheme: 'digest', params: { realm: 'r', nonce: 'n', qop: 'auth-int' } } })).toBeNull();
    expect(digestAuthorization({ username: 'a', password: 'b', method: 'GET', uri: '/', nc: 1, cnonce: 'c', challenge: { scheme: 'digest', params: { realm: 'r', nonce: 'n', algorithm: 'SHA-512-256' } } })).toBeNull();
  });
});

describe('installHttpAuth against a fake camera', () => {
  const cases: FakeOptions[] = [{ scheme: 'digest', algorithm: 'MD5' }, { scheme: 'digest', algorithm: 'SHA-256' }, { scheme: 'digest', algorithm: 'MD5-sess' }, { scheme: 'basic' }, { scheme: 'both' }];
  it.each(cases)('POST with a query string authenticates (%j) and later calls reuse the challenge', async (o) => {
    const fake = await startFake(o);
    servers.push(fake.server);
    const ax = axios.create({ baseURL: fake.url, validateStatus: () => true, proxy: false });
    installHttpAuth(ax, { username: 'admin', password: 'admin' });
    const r1 = await ax.post('/control/PelcoConfiguration-1?x=1&y=two', '<soap/>', { headers: { 'content-type': 'text/xml' } });
    expect(r1.status).toBe(200);
    expect(r1.data).toBe('ok POST <soap/>');
    const r2 = await ax.get('/control/PelcoConfiguration-1', { params: { a: 'b c' } });
    expect(r2.status).toBe(200);
    // First call: 401 + retry; second call on the same path pre-authorised (nonce reused, nc=2): 3 requests in all.
    expect(fake.seen.map((s) => s.status)).toEqual([401, 200, 200]);
    expect(fake.seen[1].url).toBe('/control/PelcoConfiguration-1?x=1&y=two');
    expect(fake.seen[2].url).toBe('/control/PelcoConfiguration-1?a=b+c');
    // A path never challenged gets no Authorization in advance (web pages use cookies).
    await ax.get('/onvif/device_service');
    expect(fake.seen.slice(3).map((s) => s.status)).toEqual([401, 200]);
  });

  it('a wrong password gives one retry, then the 401 comes back', async () => {
    const fake = await startFake({ scheme: 'digest', pass: 'secret' });
    servers.push(fake.server);
    const ax = axios.create({ baseURL: fake.url, validateStatus: () => true, proxy: false });
    installHttpAuth(ax, { username: 'admin', password: 'wrong' });
    const r = await ax.get('/x');
    expect(r.status).toBe(401);
    expect(fake.seen.length).toBe(2);
  });

  it('also works when axios rejects on 401 (default validateStatus)', async () => {
    const fake = await startFake({ scheme: 'digest', algorithm: 'SHA-256' });
    servers.push(fake.server);
    const ax = axios.create({ baseURL: fake.url, proxy: false });
    installHttpAuth(ax, { username: 'admin', password: 'admin' });
    expect((await ax.get('/ok')).status).toBe(200);
    const bad = axios.create({ baseURL: fake.url, proxy: false });
    installHttpAuth(bad, { username: 'admin', password: 'nope' });
    await expect(bad.get('/ok')).rejects.toMatchObject({ response: { status: 401 } });
  });

  it('answers a stale nonce with one fresh try', async () => {
    const fake = await startFake({ scheme: 'digest', staleOnce: true });
    servers.push(fake.server);
    const ax = axios.create({ baseURL: fake.url, validateStatus: () => true, proxy: false });
    installHttpAuth(ax, { username: 'admin', password: 'admin' });
    expect((await ax.get('/s')).status).toBe(200);
    expect(fake.seen.map((s) => s.status)).toEqual([401, 401, 200]);
  });
});
