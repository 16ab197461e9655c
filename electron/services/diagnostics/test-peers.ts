/**
 * Real peers for the doctor's tests and benchmark, all on loopback: smtp-server instances that accept, demand
 * AUTH, demand STARTTLS or refuse relaying; an SNTP responder with a known clock offset (or a kiss-of-death);
 * a free port with nothing listening; and a counting dialer to prove no connection was attempted.
 */
import { execFileSync } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { tcpDialer, type Dialer } from './smtp-probe';
import { writeNtpTimestamp } from './sntp-client';

/** How a test SMTP server behaves. */
export type SmtpPeerKind = 'accept' | 'require-auth' | 'require-starttls' | 'refuse-relay';

/** A running SMTP peer. */
export interface SmtpPeer {
  port: number;
  /** Raw messages received through DATA. */
  messages: string[];
  close(): Promise<void>;
}

/** Generates a throw-away self-signed certificate with the openssl CLI (no key material in the repo). */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'doctor-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

/** Where and how a peer listens and greets (the mail-server finder places peers on 127.0.x.y with real products' banners). */
export interface SmtpPeerOptions {
  /** The only domain the relay-refusing kind accepts recipients for. */
  localDomain?: string;
  tls?: { key: string; cert: string };
  /** A loopback address (default 127.0.0.1). */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  /** The server name, first word of the 220 greeting (default peer-<kind>.test). */
  name?: string;
  /** Text after "ESMTP" in the greeting, e.g. "Postfix (Debian/GNU)". */
  banner?: string;
  /** Reply to a MAIL FROM without login for the require-auth kind (default smtp-server's own 530). */
  authReply?: { code: number; message: string };
  /** Client addresses the relay-refusing kind relays for anyway (a relay allow-list / Postfix mynetworks). */
  relayFor?: string[];
  /** Client addresses seen, in order (tests assert which source address the probe used). */
  clients?: string[];
}

/** Starts an SMTP peer of one kind on 127.0.0.1 (port 0) unless told otherwise. */
export async function startSmtpPeer(kind: SmtpPeerKind, o: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const messages: string[] = [];
  const opts: SMTPServerOptions = {
    name: o.name ?? `peer-${kind}.test`,
    ...(o.banner ? { banner: o.banner } : {}),
    onConnect: (session, cb) => {
      o.clients?.push(session.remoteAddress.replace(/^::ffff:/, ''));
      cb();
    },
    logger: false,
    disableReverseLookup: true,
    authOptional: kind !== 'require-auth',
    onAuth: (_auth, _session, cb) => cb(new Error('no logins in this test'), undefined),
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        messages.push(Buffer.concat(chunks).toString('utf8'));
        cb(null, 'queued as TEST1');
      });
    },
  };
  if (kind === 'require-starttls') {
    const tls = o.tls ?? selfSignedCert();
    opts.key = tls.key;
    opts.cert = tls.cert;
    // Postfix with smtpd_tls_security_level=encrypt answers exactly this to a plain-text MAIL FROM.
    opts.onMailFrom = (_addr, session, cb) => cb(session.secure ? undefined : smtpError(530, '5.7.0 Must issue a STARTTLS command first'));
  }
  if (kind === 'require-auth' && o.authReply) {
    // Exchange without the Anonymous permission group answers MAIL FROM with "530 5.7.1 Client was not authenticated".
    const reply = o.authReply;
    opts.authOptional = true;
    opts.onMailFrom = (_addr, session, cb) => cb(session.user ? undefined : smtpError(reply.code, reply.message));
  }
  if (kind === 'refuse-relay') {
    const local = (o.localDomain ?? 'site.lan').toLowerCase();
    const trusted = new Set(o.relayFor ?? []);
    opts.onRcptTo = (addr, session, cb) =>
      cb(addr.address.toLowerCase().endsWith('@' + local) || trusted.has(session.remoteAddress.replace(/^::ffff:/, '')) ? undefined : smtpError(550, '5.7.1 Relaying denied'));
  }
  const server = new SMTPServer(opts);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, o.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, messages, close: () => new Promise((r) => server.close(() => r())) };
}

/** A loopback port with nothing listening (bound, then released). */
export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** How the SNTP responder answers. */
export interface SntpPeerOptions {
  /** Its clock minus the real clock, ms. */
  offsetMs?: number;
  stratum?: number;
  leap?: number;
  /** Send a kiss-of-death with this code instead of time. */
  kissCode?: string;
  /** Never answer (timeout tests). */
  silent?: boolean;
}

/** A running SNTP responder. */
export interface SntpPeer {
  port: number;
  requests: number;
  close(): Promise<void>;
}

/** Starts an SNTP responder on 127.0.0.1 that answers real NTP client packets (RFC 4330 server side). */
export async function startSntpPeer(o: SntpPeerOptions = {}): Promise<SntpPeer> {
  const sock: UdpSocket = createSocket('udp4');
  const peer: SntpPeer = { port: 0, requests: 0, close: () => new Promise((r) => sock.close(() => r())) };
  sock.on('message', (msg, rinfo) => {
    peer.requests++;
    if (o.silent || msg.length < 48 || (msg[0] & 7) !== 3) return;
    const now = Date.now() + (o.offsetMs ?? 0);
    const r = Buffer.alloc(48);
    r[0] = ((o.leap ?? 0) << 6) | (4 << 3) | 4;
    r[1] = o.kissCode ? 0 : (o.stratum ?? 2);
    r[2] = msg[2];
    r[3] = 0xec; // precision ~ 2^-20 s
    if (o.kissCode) r.write(o.kissCode.padEnd(4, '\0').slice(0, 4), 12, 'latin1');
    else Buffer.from([127, 127, 1, 0]).copy(r, 12);
    msg.copy(r, 24, 40, 48); // originate = the client's transmit time
    if (!o.kissCode) {
      writeNtpTimestamp(r, 16, now - 1000);
      writeNtpTimestamp(r, 32, now);
      writeNtpTimestamp(r, 40, now);
    }
    sock.send(r, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
  peer.port = sock.address().port;
  return peer;
}

/** A dialer that records every connection attempt and then dials for real. */
export function countingDialer(): Dialer & { attempts: string[] } {
  const attempts: string[] = [];
  const dial = ((address: string, port: number): Socket => {
    attempts.push(`${address}:${port}`);
    return tcpDialer(address, port);
  }) as Dialer & { attempts: string[] };
  dial.attempts = attempts;
  return dial;
}
