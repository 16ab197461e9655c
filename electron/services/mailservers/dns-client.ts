/**
 * The DNS questions the finder asks (MX, SRV, A/AAAA, PTR), behind an interface so tests answer from a table or
 * from a real DNS server fixture on loopback, never from the network. The real client is node's c-ares
 * `dns.promises.Resolver` pointed at explicit servers: the site's (from the system) or the camera's, which may
 * differ from what this laptop's getaddrinfo would use (hosts file, VPN resolvers).
 */
import { promises as dnsPromises } from 'node:dns';
import { parseIp } from '../../../shared/domain/net-address';

/** One MX record. */
export interface MxAnswer {
  exchange: string;
  priority: number;
}

/** One SRV record. */
export interface SrvAnswer {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** A DNS failure with the resolver's code (ENOTFOUND, ENODATA, ETIMEOUT, ECONNREFUSED, ...). */
export class DnsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DnsError';
  }
}

/** The DNS questions the finder asks one set of DNS servers. Every method throws a DnsError on failure. */
export interface DnsClient {
  /** The servers asked, as `ip` or `ip:port` ("system" when the OS default is used). */
  readonly servers: string[];
  resolveMx(name: string): Promise<MxAnswer[]>;
  resolveSrv(name: string): Promise<SrvAnswer[]>;
  /** A and AAAA together; ENOTFOUND/ENODATA when neither exists. */
  resolveAddresses(name: string): Promise<string[]>;
  /** PTR names of an address. */
  reverse(address: string): Promise<string[]>;
  /** Stops every outstanding query (they fail with ECANCELLED). */
  cancel(): void;
}

/** A DNS server as `{address, port}`. */
export interface DnsServerAddress {
  address: string;
  port: number;
}

/** `ip:port` as c-ares' setServers takes it (IPv6 in brackets). */
export function serverString(s: DnsServerAddress): string {
  const host = parseIp(s.address)?.family === 6 ? `[${s.address}]` : s.address;
  return s.port === 53 ? s.address : `${host}:${s.port}`;
}

function dnsError(e: unknown): DnsError {
  const code = (e as { code?: string }).code ?? 'EUNKNOWN';
  return new DnsError(code, e instanceof Error ? e.message : String(e));
}

/** Options of the real client. */
export interface NodeDnsClientOptions {
  /** Servers to ask; absent = the OS default servers. */
  servers?: DnsServerAddress[];
  /** Per-try timeout (c-ares doubles it on each retry). */
  timeoutMs?: number;
  tries?: number;
}

/** DNS through node's c-ares resolver with explicit servers. */
export class NodeDnsClient implements DnsClient {
  private readonly r: dnsPromises.Resolver;
  readonly servers: string[];
  constructor(o: NodeDnsClientOptions = {}) {
    this.r = new dnsPromises.Resolver({ timeout: o.timeoutMs ?? 2000, tries: o.tries ?? 2 });
    if (o.servers?.length) this.r.setServers(o.servers.map(serverString));
    this.servers = o.servers?.length ? o.servers.map(serverString) : this.r.getServers();
  }

  /** MX records, sorted by preference. */
  async resolveMx(name: string): Promise<MxAnswer[]> {
    try {
      return (await this.r.resolveMx(name)).sort((a, b) => a.priority - b.priority);
    } catch (e) {
      throw dnsError(e);
    }
  }

  /** SRV records, sorted by priority. */
  async resolveSrv(name: string): Promise<SrvAnswer[]> {
    try {
      return (await this.r.resolveSrv(name)).sort((a, b) => a.priority - b.priority);
    } catch (e) {
      throw dnsError(e);
    }
  }

  /** A and AAAA records; a name with only one family answers with that family. */
  async resolveAddresses(name: string): Promise<string[]> {
    const [v4, v6] = await Promise.allSettled([this.r.resolve4(name), this.r.resolve6(name)]);
    const out = [...(v4.status === 'fulfilled' ? v4.value : []), ...(v6.status === 'fulfilled' ? v6.value : [])];
    if (out.length > 0) return out;
    // Report the more telling failure: a timeout or refusal beats "no such record" from the other family.
    const errs = [v4, v6].filter((x): x is PromiseRejectedResult => x.status === 'rejected').map((x) => dnsError(x.reason));
    throw errs.find((e) => e.code !== 'ENODATA' && e.code !== 'ENOTFOUND') ?? errs[0] ?? new DnsError('ENODATA', `no address for ${name}`);
  }

  /** PTR names of an address. */
  async reverse(address: string): Promise<string[]> {
    try {
      return await this.r.reverse(address);
    } catch (e) {
      throw dnsError(e);
    }
  }

  /** Cancels outstanding queries. */
  cancel(): void {
    this.r.cancel();
  }
}

/** A DNS zone as a table, for tests (lower-case names, no trailing dot). */
export interface StaticZone {
  mx?: Record<string, MxAnswer[]>;
  srv?: Record<string, SrvAnswer[]>;
  addresses?: Record<string, string[]>;
  ptr?: Record<string, string[]>;
}

/** Answers from a table; every question is recorded so tests can assert what was (never) asked. */
export class StaticDnsClient implements DnsClient {
  readonly asked: string[] = [];
  constructor(
    private readonly zone: StaticZone,
    readonly servers: string[] = ['static'],
  ) {}
  private answer<T>(type: string, table: Record<string, T[]> | undefined, key: string): T[] {
    this.asked.push(`${type} ${key}`);
    const hit = table?.[key.toLowerCase().replace(/\.$/, '')];
    if (!hit || hit.length === 0) throw new DnsError('ENOTFOUND', `queryNx ${key}`);
    return hit;
  }
  /** MX from the table. */
  async resolveMx(name: string): Promise<MxAnswer[]> {
    return this.answer('MX', this.zone.mx, name);
  }
  /** SRV from the table. */
  async resolveSrv(name: string): Promise<SrvAnswer[]> {
    return this.answer('SRV', this.zone.srv, name);
  }
  /** A/AAAA from the table. */
  async resolveAddresses(name: string): Promise<string[]> {
    return this.answer('A', this.zone.addresses, name);
  }
  /** PTR from the table. */
  async reverse(address: string): Promise<string[]> {
    return this.answer('PTR', this.zone.ptr, address);
  }
  /** Nothing outstanding to cancel. */
  cancel(): void {}
}
