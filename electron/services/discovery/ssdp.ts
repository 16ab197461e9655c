/**
 * SSDP (UPnP discovery, docs/camera.md §3.1) with plain dgram sockets, for per-interface control: multicast M-SEARCH
 * sent out of one chosen interface, unicast M-SEARCH straight to a host (routed subnets where multicast does not
 * pass), and passive NOTIFY listening on the multicast group per interface.
 */
import dgram from 'node:dgram';
import { once } from 'node:events';

/** The SSDP multicast group. */
export const SSDP_GROUP = '239.255.255.250';
/** The SSDP port. */
export const SSDP_PORT = 1900;
/** The Pelco camera device type (docs/camera.md §3.1); an answer for it comes from a Pelco camera. */
export const PELCO_CAMERA_TARGET = 'urn:schemas-pelco-com:device:Camera:1';
/** Search targets: the Pelco camera type first (fastest path to the first camera), then every root device (other devices). */
export const SEARCH_TARGETS = [PELCO_CAMERA_TARGET, 'upnp:rootdevice'];
/** MX (seconds): how long devices may wait before answering; 1 keeps the first answer fast. */
const MX = 1;

/** One parsed SSDP message. */
export interface SsdpMessage {
  kind: 'response' | 'notify' | 'search';
  headers: Record<string, string>;
}

/** Builds an M-SEARCH request. */
export function buildMSearch(st: string, host = `${SSDP_GROUP}:${SSDP_PORT}`): string {
  return ['M-SEARCH * HTTP/1.1', `HOST: ${host}`, 'MAN: "ssdp:discover"', `MX: ${MX}`, `ST: ${st}`, 'USER-AGENT: SarixCommissioner/1 UPnP/1.1', '', ''].join('\r\n');
}

/** Parses an SSDP datagram (response, NOTIFY or M-SEARCH); null for anything else. Header names are lower-cased. */
export function parseSsdp(buf: Buffer | string): SsdpMessage | null {
  const text = typeof buf === 'string' ? buf : buf.toString('utf8');
  const lines = text.split(/\r?\n/);
  const first = (lines.shift() ?? '').trim();
  let kind: SsdpMessage['kind'];
  if (/^HTTP\/1\.[01] 200/i.test(first)) kind = 'response';
  else if (/^NOTIFY \* HTTP\/1\.[01]$/i.test(first)) kind = 'notify';
  else if (/^M-SEARCH \* HTTP\/1\.[01]$/i.test(first)) kind = 'search';
  else return null;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { kind, headers };
}

/** An SSDP answer or announcement, with the address it came from. */
export interface SsdpSighting {
  ip: string;
  location: string | null;
  usn: string | null;
  server: string | null;
  isByebye: boolean;
  /** True when the answer or announcement is for the Pelco camera device type. */
  isPelcoCamera: boolean;
}

function sightingOf(msg: SsdpMessage, ip: string): SsdpSighting | null {
  if (msg.kind === 'search') return null;
  return {
    ip,
    location: msg.headers.location ?? null,
    usn: msg.headers.usn ?? null,
    server: msg.headers.server ?? null,
    isByebye: msg.kind === 'notify' && /ssdp:byebye/i.test(msg.headers.nts ?? ''),
    isPelcoCamera: [msg.headers.st, msg.headers.nt, msg.headers.usn].some((v) => !!v && v.toLowerCase().includes(PELCO_CAMERA_TARGET.toLowerCase())),
  };
}

/** Callbacks of one SSDP run. */
export interface SsdpHandlers {
  onSighting(s: SsdpSighting): void;
  /** A socket-level failure, already worded for the user by the caller. */
  onError(e: NodeJS.ErrnoException): void;
}

/** Opens a UDP socket and waits until it is bound; rejects with the bind error. */
export async function bindSocket(o: { address?: string; port: number; reuseAddr?: boolean }): Promise<dgram.Socket> {
  const sock = dgram.createSocket({ type: 'udp4', reuseAddr: o.reuseAddr ?? false });
  const failed = once(sock, 'error').then(([e]) => {
    throw e;
  });
  sock.bind({ address: o.address, port: o.port, exclusive: !o.reuseAddr });
  try {
    await Promise.race([once(sock, 'listening'), failed]);
  } catch (e) {
    sock.close();
    throw e;
  }
  failed.catch(() => {});
  return sock;
}

/** Sends one datagram; resolves or rejects with the send error (EADDRNOTAVAIL, ENETUNREACH, EPERM, ...). */
export function sendTo(sock: dgram.Socket, msg: string, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => sock.send(Buffer.from(msg), port, address, (e) => (e ? reject(e) : resolve())));
}

/** Resolves after ms, or at once when the signal aborts. */
export function waitFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** Receive buffer asked for on search sockets: hundreds of answers arrive within MX (the kernel may cap it). */
const RECV_BUFFER_BYTES = 4 * 1024 * 1024;

/** Asks for a bigger receive buffer; the kernel caps it at net.core.rmem_max, which is fine. */
export function growReceiveBuffer(sock: dgram.Socket): void {
  try {
    sock.setRecvBufferSize(RECV_BUFFER_BYTES);
  } catch {}
}

/** A socket for M-SEARCH answers: bound, with a bigger receive buffer, reporting every sighting and error. */
async function searchSocket(bind: { address?: string; port: number }, h: SsdpHandlers): Promise<dgram.Socket> {
  const sock = await bindSocket(bind);
  growReceiveBuffer(sock);
  sock.on('error', (e) => h.onError(e));
  sock.on('message', (buf, rinfo) => {
    const msg = parseSsdp(buf);
    const s = msg && sightingOf(msg, rinfo.address);
    if (s) h.onSighting(s);
  });
  return sock;
}

/**
 * Multicast M-SEARCH out of one interface: the socket is bound to the interface address (answers come back to
 * it as unicast) and IP_MULTICAST_IF is set, so no multicast route is needed. Three searches, one target each
 * (the Pelco camera type, then every root device, then the Pelco type again for answers UDP dropped), so a
 * site of hundreds of cameras does not answer all at once into one socket. Listens `timeoutMs`, closes.
 * Throws the socket error when the bind or the first send fails.
 */
export async function ssdpMulticastSearch(
  iface: { address: string },
  o: { timeoutMs: number; signal: AbortSignal; port?: number; group?: string },
  h: SsdpHandlers,
): Promise<void> {
  const port = o.port ?? SSDP_PORT;
  const group = o.group ?? SSDP_GROUP;
  const sock = await searchSocket({ address: iface.address, port: 0 }, h);
  try {
    sock.setMulticastInterface(iface.address);
    sock.setMulticastTTL(2);
    const send = (st: string) => sendTo(sock, buildMSearch(st, `${group}:${port}`), port, group);
    await send(SEARCH_TARGETS[0]);
    const gap = Math.min(400, o.timeoutMs / 4);
    let waited = 0;
    for (const [at, st] of [
      [gap, SEARCH_TARGETS[1]],
      [gap * 3, SEARCH_TARGETS[0]],
    ] as const) {
      await waitFor(at - waited, o.signal);
      waited = at;
      if (o.signal.aborted) return;
      await send(st).catch((e: NodeJS.ErrnoException) => h.onError(e));
    }
    await waitFor(o.timeoutMs - waited, o.signal);
  } finally {
    sock.close();
  }
}

/**
 * Unicast M-SEARCH straight to hosts (docs/camera.md §3.1: must work across routers). One socket for all hosts;
 * HOST names the target as UDA 1.1 asks for unicast searches.
 */
export async function ssdpUnicastSearch(hosts: string[], o: { timeoutMs: number; signal: AbortSignal; port?: number }, h: SsdpHandlers): Promise<void> {
  if (hosts.length === 0) return;
  const port = o.port ?? SSDP_PORT;
  const sock = await searchSocket({ port: 0 }, h);
  try {
    const sendAll = async () => {
      for (const host of hosts) {
        if (o.signal.aborted) return;
        for (const st of SEARCH_TARGETS) await sendTo(sock, buildMSearch(st, `${host}:${port}`), port, host).catch((e: NodeJS.ErrnoException) => h.onError(e));
      }
    };
    await sendAll();
    await waitFor(Math.min(400, o.timeoutMs / 3), o.signal);
    await sendAll();
    await waitFor(o.timeoutMs - Math.min(400, o.timeoutMs / 3), o.signal);
  } finally {
    sock.close();
  }
}

/**
 * Passive NOTIFY listening: binds the SSDP port on all addresses (shared with other UPnP software via
 * SO_REUSEADDR) and joins the group on each interface. Returns a close function; join failures go to onError
 * with the interface address.
 */
export async function ssdpListen(
  ifaces: { address: string; name: string }[],
  o: { port?: number; group?: string },
  h: SsdpHandlers & { onJoinError(iface: string, e: NodeJS.ErrnoException): void },
): Promise<() => void> {
  const port = o.port ?? SSDP_PORT;
  const group = o.group ?? SSDP_GROUP;
  const sock = await bindSocket({ port, reuseAddr: true });
  sock.on('error', (e) => h.onError(e));
  sock.on('message', (buf, rinfo) => {
    const msg = parseSsdp(buf);
    if (msg?.kind !== 'notify') return;
    const s = sightingOf(msg, rinfo.address);
    if (s) h.onSighting(s);
  });
  // One join per interface: a second address on the same NIC would make the kernel refuse it (EADDRINUSE).
  const perName = [...new Map(ifaces.map((i) => [i.name, i] as const)).values()];
  for (const i of perName) {
    try {
      sock.addMembership(group, i.address);
    } catch (e) {
      h.onJoinError(i.name, e as NodeJS.ErrnoException);
    }
  }
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    sock.close();
  };
}
