/**
 * Name resolution for the doctor, behind an interface so tests never touch real DNS. The answer says WHICH
 * resolver answered (the hosts file, the system resolver, or none), because on a site with no internet
 * "the name does not resolve" and "it resolves from a stale hosts entry" lead to different fixes.
 */
import { lookup as dnsLookup, getServers } from 'node:dns';
import { readFile } from 'node:fs/promises';
import { parseIp } from '../../../shared/domain/net-address';

/** Who answered a lookup: the text was an IP literal, the hosts file, the system resolver, or nobody. */
export type ResolverSource = 'literal' | 'hosts-file' | 'system' | 'none';

/** The result of one lookup. */
export interface ResolveAnswer {
  name: string;
  addresses: string[];
  source: ResolverSource;
  /** DNS servers the system resolver uses (for the log), when known. */
  servers?: string[];
  /** Why nothing answered (the resolver's error code), when source is 'none'. */
  error?: string;
}

/** Resolves host names to addresses. */
export interface NameResolver {
  lookup(name: string): Promise<ResolveAnswer>;
}

/** Parses a hosts file (`/etc/hosts` format) into a lower-case name → addresses map. */
export function parseHostsFile(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [addr, ...names] = line.split(/\s+/);
    const ip = parseIp(addr);
    if (!ip) continue;
    for (const n of names) {
      const key = n.toLowerCase().replace(/\.$/, '');
      const list = map.get(key) ?? [];
      if (!list.includes(ip.address)) list.push(ip.address);
      map.set(key, list);
    }
  }
  return map;
}

/** The hosts file of this OS. */
export function defaultHostsPath(platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? `${process.env.SystemRoot ?? 'C:\\Windows'}\\System32\\drivers\\etc\\hosts` : '/etc/hosts';
}

/** The system lookup function (getaddrinfo through node:dns); injectable for tests. */
export type SystemLookup = (name: string) => Promise<string[]>;

const systemLookup: SystemLookup = (name) =>
  new Promise((resolve, reject) => {
    dnsLookup(name, { all: true, verbatim: true }, (e, addrs) => (e ? reject(e) : resolve(addrs.map((a) => a.address))));
  });

/** Options of the system resolver. */
export interface SystemResolverOptions {
  hostsPath?: string;
  /** The system lookup (default: node:dns lookup). */
  lookup?: SystemLookup;
  /** Give up on the system resolver after this long (a site without DNS can hang for a while). */
  timeoutMs?: number;
}

/**
 * Resolves like the OS does, but tells the source: an IP literal answers itself, then the hosts file is read
 * (so a hosts entry is reported as such), then the system resolver is asked with a timeout.
 */
export class SystemResolver implements NameResolver {
  constructor(private readonly o: SystemResolverOptions = {}) {}

  /** Looks up one name. Never throws: failures come back as source 'none' with the error. */
  async lookup(name: string): Promise<ResolveAnswer> {
    const ip = parseIp(name);
    if (ip) return { name, addresses: [ip.address], source: 'literal' };
    const key = name.toLowerCase().replace(/\.$/, '');
    try {
      const hosts = parseHostsFile(await readFile(this.o.hostsPath ?? defaultHostsPath(), 'utf8'));
      const hit = hosts.get(key);
      if (hit && hit.length) return { name, addresses: hit, source: 'hosts-file' };
    } catch {
      // No readable hosts file: the system resolver still decides.
    }
    const servers = this.o.lookup ? undefined : getServers();
    const timeoutMs = this.o.timeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const addrs = await Promise.race([
        (this.o.lookup ?? systemLookup)(name),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error('lookup timed out'), { code: 'ETIMEOUT' })), timeoutMs);
        }),
      ]);
      const clean = addrs.map((a) => parseIp(a)?.address).filter((a): a is string => a !== undefined);
      if (clean.length === 0) return { name, addresses: [], source: 'none', error: 'ENODATA', ...(servers ? { servers } : {}) };
      return { name, addresses: [...new Set(clean)], source: 'system', ...(servers ? { servers } : {}) };
    } catch (e) {
      const code = (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e));
      return { name, addresses: [], source: 'none', error: code, ...(servers ? { servers } : {}) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * A resolver from a fixed table (tests, benchmarks, practice mode). Names not in the table are reported as not
 * resolved, exactly like a site DNS that does not know them.
 */
export class StaticResolver implements NameResolver {
  private readonly table: Map<string, string[]>;
  /** Every name asked, in order (tests assert that public names were never looked up, or were). */
  readonly asked: string[] = [];
  constructor(table: Record<string, string[]>, private readonly source: ResolverSource = 'system') {
    this.table = new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
  }
  /** Looks up one name in the table. */
  async lookup(name: string): Promise<ResolveAnswer> {
    this.asked.push(name);
    const ip = parseIp(name);
    if (ip) return { name, addresses: [ip.address], source: 'literal' };
    const hit = this.table.get(name.toLowerCase());
    return hit && hit.length ? { name, addresses: hit, source: this.source } : { name, addresses: [], source: 'none', error: 'ENOTFOUND' };
  }
}
