/**
 * A one-shot SNTP client (RFC 4330) over dgram: one 48-byte request, one reply, the clock offset and round trip
 * computed from the four timestamps, stratum, leap indicator and kiss-of-death codes reported as read.
 * Like the SMTP probe it only sends to local addresses (the doctor never touches a public server).
 */
import { createSocket, type Socket } from 'node:dgram';
import { isLocalAddress, parseIp } from '../../../shared/domain/net-address';
import type { SntpReading } from '../../../shared/domain/diagnostics';

/** Seconds between the NTP epoch (1900-01-01) and the Unix epoch (1970-01-01). */
const NTP_UNIX_OFFSET_S = 2_208_988_800;

/** Writes a Unix time in ms as a 64-bit NTP timestamp at `offset`. */
export function writeNtpTimestamp(buf: Buffer, offset: number, unixMs: number): void {
  const totalS = unixMs / 1000 + NTP_UNIX_OFFSET_S;
  const seconds = Math.floor(totalS);
  const fraction = Math.floor((totalS - seconds) * 2 ** 32);
  // Era wrap (RFC 4330 §3): from 2036 the 32-bit seconds field rolls over; writing modulo 2^32 is what servers expect.
  buf.writeUInt32BE(seconds % 2 ** 32, offset);
  buf.writeUInt32BE(Math.min(fraction, 2 ** 32 - 1), offset + 4);
}

/** Reads a 64-bit NTP timestamp at `offset` as Unix ms (0 stays 0: "not set"). */
export function readNtpTimestamp(buf: Buffer, offset: number): number {
  const seconds = buf.readUInt32BE(offset);
  const fraction = buf.readUInt32BE(offset + 4);
  if (seconds === 0 && fraction === 0) return 0;
  // RFC 4330 §3: a cleared top bit means era 1 (2036–2104), so add 2^32 seconds.
  const s = (seconds & 0x80000000) === 0 ? seconds + 2 ** 32 : seconds;
  return (s - NTP_UNIX_OFFSET_S + fraction / 2 ** 32) * 1000;
}

/** A parsed SNTP reply with the timestamps used. */
export interface SntpResult extends SntpReading {
  version: number;
  mode: number;
  /** Server time at the moment the reply was received (this clock + offset), Unix ms. */
  serverTimeMs: number;
  rootDelayMs: number;
  rootDispersionMs: number;
}

/** Why a query produced no usable answer. */
export class SntpError extends Error {
  constructor(
    readonly kind: 'refused-public' | 'timeout' | 'network' | 'bad-reply' | 'cancelled',
    message: string,
  ) {
    super(message);
    this.name = 'SntpError';
  }
}

/** Query options. */
export interface SntpQueryOptions {
  address: string;
  port: number;
  timeoutMs?: number;
  /** This machine's clock in Unix ms (injectable). */
  now?: () => number;
  signal?: AbortSignal;
  /** Socket factory (tests count sends). */
  createSocket?: (type: 'udp4' | 'udp6') => Socket;
}

/** Builds the 48-byte client request (LI 0, version 4, mode 3) with our transmit time. */
export function buildRequest(transmitMs: number): Buffer {
  const b = Buffer.alloc(48);
  b[0] = (0 << 6) | (4 << 3) | 3;
  writeNtpTimestamp(b, 40, transmitMs);
  return b;
}

/**
 * Interprets a reply given our send (t1) and receive (t4) times. Checks what RFC 4330 §5 asks a client to
 * check: mode 4 (server), our transmit time echoed as originate, a non-zero transmit time.
 */
export function parseReply(msg: Buffer, request: Buffer, t1: number, t4: number): SntpResult {
  if (msg.length < 48) throw new SntpError('bad-reply', `the reply is ${msg.length} bytes, an NTP packet has at least 48`);
  const leap = msg[0] >> 6;
  const version = (msg[0] >> 3) & 7;
  const mode = msg[0] & 7;
  const stratum = msg[1];
  if (mode !== 4) throw new SntpError('bad-reply', `the reply has mode ${mode}, a server answers with mode 4`);
  if (!msg.subarray(24, 32).equals(request.subarray(40, 48))) throw new SntpError('bad-reply', 'the reply does not echo our request (originate timestamp differs)');
  const refRaw = msg.subarray(12, 16);
  const ascii = refRaw.toString('latin1').replace(/\0+$/, '');
  const refId = stratum <= 1 ? ascii : stratum < 16 ? [...refRaw].join('.') : ascii;
  const rootDelayMs = (msg.readInt32BE(4) / 65536) * 1000;
  const rootDispersionMs = (msg.readUInt32BE(8) / 65536) * 1000;
  if (stratum === 0) {
    // Kiss-of-death (RFC 4330 §8): the reference id carries a four-letter code instead of a clock.
    return { leap, version, mode, stratum, refId: ascii, kissCode: ascii || '????', offsetMs: 0, roundTripMs: t4 - t1, serverTimeMs: 0, rootDelayMs, rootDispersionMs };
  }
  const t2 = readNtpTimestamp(msg, 32);
  const t3 = readNtpTimestamp(msg, 40);
  if (t3 === 0) throw new SntpError('bad-reply', 'the reply has no transmit time');
  const offsetMs = (t2 - t1 + (t3 - t4)) / 2;
  const roundTripMs = Math.max(0, t4 - t1 - (t3 - t2));
  return { leap, version, mode, stratum, refId, offsetMs, roundTripMs, serverTimeMs: t4 + offsetMs, rootDelayMs, rootDispersionMs };
}

/** Sends one SNTP request to a local address and waits for the matching reply. */
export function querySntp(o: SntpQueryOptions): Promise<SntpResult> {
  const ip = parseIp(o.address);
  if (!ip || !isLocalAddress(ip.address)) {
    return Promise.reject(new SntpError('refused-public', `Refusing to query ${o.address}: the doctor only talks to local addresses.`));
  }
  const now = o.now ?? (() => performance.timeOrigin + performance.now());
  const timeoutMs = o.timeoutMs ?? 3000;
  return new Promise((resolve, reject) => {
    const sock = (o.createSocket ?? ((t) => createSocket(t)))(ip.family === 6 ? 'udp6' : 'udp4');
    let t1 = 0;
    let request: Buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (e: Error | null, r?: SntpResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      sock.close();
      if (e) reject(e);
      else resolve(r!);
    };
    const onAbort = () => finish(new SntpError('cancelled', 'cancelled'));
    const timer = setTimeout(() => finish(new SntpError('timeout', `no SNTP answer within ${timeoutMs / 1000} s`)), timeoutMs);
    o.signal?.addEventListener('abort', onAbort, { once: true });
    sock.on('error', (e: NodeJS.ErrnoException) => finish(new SntpError('network', `${e.code ?? 'error'}: ${e.message}`)));
    sock.on('message', (msg, rinfo) => {
      const t4 = now();
      // Ignore stray datagrams from anyone but the server we asked.
      if (rinfo.port !== o.port || parseIp(rinfo.address)?.address !== ip.address) return;
      try {
        finish(null, parseReply(msg, request, t1, t4));
      } catch (e) {
        finish(e instanceof Error ? e : new Error(String(e)));
      }
    });
    // A connected UDP socket reports an ICMP port-unreachable as ECONNREFUSED, so "nothing listens" is told
    // apart from "no answer" instead of both ending in a timeout.
    sock.connect(o.port, ip.address, () => {
      t1 = now();
      request = buildRequest(t1);
      sock.send(request, (e) => {
        if (e) finish(new SntpError('network', `${(e as NodeJS.ErrnoException).code ?? 'error'}: ${e.message}`));
      });
    });
  });
}
