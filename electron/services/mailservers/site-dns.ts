/**
 * The site's mail domain and DNS servers as this laptop got them from the network (DHCP or static): on Linux
 * and macOS the `search`/`domain` and `nameserver` lines of /etc/resolv.conf (resolv.conf(5); macOS's configd
 * writes the primary interface's values there), on Windows each interface's connection-specific DNS suffix and
 * DNS servers from the TCP/IP registry keys, read with `reg query` (language-neutral, unlike ipconfig's
 * localised output), keeping only the interfaces that hold one of this machine's current addresses.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { isHostName, parseIp } from '../../../shared/domain/net-address';

/** What the system says about the site's DNS. */
export interface SiteDnsConfig {
  /** Search/DHCP domains, in the system's order, lower-case, no trailing dot. */
  domains: string[];
  /** DNS server addresses, in the system's order (port 53 unless a host override says otherwise). */
  nameservers: Array<{ address: string; port: number }>;
  /** Where it was read ("/etc/resolv.conf", "the Windows registry (1 active interface)"). */
  from: string;
  /** Why nothing was found, when the source could not be read. */
  error?: string;
  /** Set when the host turned site DNS off (test hosts must never ask a real DNS server). */
  isOff?: boolean;
}

const port53 = (list: string[]) => list.map((address) => ({ address, port: 53 }));

function cleanDomain(d: string): string | undefined {
  const x = d.trim().toLowerCase().replace(/\.$/, '');
  // A single-label name ("lan", "local") is a valid search suffix but not a mail domain with MX records of its own
  // worth asking about; keep it anyway when it is all the site has, the lookup simply finds nothing.
  return x && isHostName(x) ? x : undefined;
}

/**
 * Parses resolv.conf text. `domain` and `search` both set the search list and the last one wins (resolv.conf(5));
 * `nameserver` lines keep their order. Comments start with `#` or `;`.
 */
export function parseResolvConf(text: string): { domains: string[]; nameservers: string[] } {
  let domains: string[] = [];
  const nameservers: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/[#;].*$/, '').trim();
    if (!line) continue;
    const [key, ...rest] = line.split(/\s+/);
    if (key === 'search' || key === 'domain') {
      domains = (key === 'domain' ? rest.slice(0, 1) : rest).map(cleanDomain).filter((d): d is string => d !== undefined);
    } else if (key === 'nameserver' && rest[0]) {
      const ip = parseIp(rest[0].replace(/%.*$/, ''));
      if (ip && !nameservers.includes(ip.address)) nameservers.push(ip.address);
    }
  }
  return { domains: [...new Set(domains)], nameservers };
}

/** One interface's TCP/IP values from the Windows registry. */
export interface WindowsInterface {
  guid: string;
  addresses: string[];
  /** The connection-specific DNS suffix: the static `Domain` value, else the DHCP-given `DhcpDomain`. */
  suffix?: string;
  /** Static `NameServer`, else `DhcpNameServer`. */
  nameservers: string[];
}

/**
 * Parses `reg query HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\Interfaces /s` output: one block per
 * interface key, then `    Name    REG_TYPE    value` lines. Multi-string values list entries separated by `\0`.
 */
export function parseWindowsInterfaces(text: string): WindowsInterface[] {
  const out: WindowsInterface[] = [];
  let cur: { guid: string; values: Map<string, string> } | undefined;
  const flush = () => {
    if (!cur) return;
    const v = cur.values;
    const list = (s: string | undefined) =>
      (s ?? '')
        .split(/[\s,]+|\\0/)
        .map((x) => parseIp(x)?.address)
        .filter((x): x is string => x !== undefined && x !== '0.0.0.0');
    const addresses = [...new Set([...list(v.get('ipaddress')), ...list(v.get('dhcpipaddress'))])];
    const suffix = cleanDomain(v.get('domain') ?? '') ?? cleanDomain(v.get('dhcpdomain') ?? '');
    const staticNs = list(v.get('nameserver'));
    out.push({ guid: cur.guid, addresses, ...(suffix ? { suffix } : {}), nameservers: staticNs.length ? staticNs : list(v.get('dhcpnameserver')) });
  };
  for (const raw of text.split(/\r?\n/)) {
    const key = /^HKEY_[A-Z_]+\\.*\\Interfaces\\(\{[0-9A-Fa-f-]+\})\s*$/.exec(raw.trim());
    if (key) {
      flush();
      cur = { guid: key[1], values: new Map() };
      continue;
    }
    if (/^HKEY_/.test(raw.trim())) {
      // A sub-key below an interface (or the Interfaces key itself): its values are not the interface's.
      flush();
      cur = undefined;
      continue;
    }
    const m = /^\s+(\S+)\s+REG_[A-Z_]+\s*(.*)$/.exec(raw);
    if (m && cur) cur.values.set(m[1].toLowerCase(), m[2].trim());
  }
  flush();
  return out;
}

/** Parses the global `Tcpip\Parameters` values: the search list (`SearchList`) and the primary suffix (`Domain`). */
export function parseWindowsGlobal(text: string): { searchList: string[]; domain?: string } {
  const get = (name: string) => new RegExp(`^\\s+${name}\\s+REG_[A-Z_]+\\s*(.*)$`, 'im').exec(text)?.[1]?.trim();
  const searchList = (get('SearchList') ?? '')
    .split(/[\s,]+/)
    .map(cleanDomain)
    .filter((d): d is string => d !== undefined);
  const domain = cleanDomain(get('Domain') ?? '');
  return { searchList, ...(domain ? { domain } : {}) };
}

/**
 * Combines the Windows values: the suffixes of the interfaces that hold one of this machine's current addresses
 * (the active ones) come first, then the global search list and primary suffix.
 */
export function windowsSiteDns(interfaces: readonly WindowsInterface[], global: { searchList: string[]; domain?: string }, currentAddresses: readonly string[]): { domains: string[]; nameservers: string[]; active: string[] } {
  const mine = new Set(currentAddresses.map((a) => parseIp(a)?.address).filter(Boolean));
  const active = interfaces.filter((i) => i.addresses.some((a) => mine.has(a)));
  const domains = [...new Set([...active.map((i) => i.suffix).filter((s): s is string => !!s), ...global.searchList, ...(global.domain ? [global.domain] : [])])];
  const nameservers = [...new Set(active.flatMap((i) => i.nameservers))];
  return { domains, nameservers, active: active.map((i) => i.guid) };
}

/** Runs a command and returns its stdout (injectable for tests). */
export type RunCommand = (file: string, args: string[]) => Promise<string>;

const runCommand: RunCommand = (file, args) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: 10_000, windowsHide: true, maxBuffer: 4 * 1024 * 1024 }, (e, stdout) => (e ? reject(e) : resolve(String(stdout))));
  });

/** Options of {@link readSiteDnsConfig}. */
export interface ReadSiteDnsOptions {
  platform?: NodeJS.Platform;
  resolvConfPath?: string;
  run?: RunCommand;
  /** This machine's current interface addresses (default os.networkInterfaces()). */
  addresses?: () => string[];
}

const TCPIP = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters';

/** Reads the site's DNS domain and servers from this OS. Never throws: a failure comes back as `error`. */
export async function readSiteDnsConfig(o: ReadSiteDnsOptions = {}): Promise<SiteDnsConfig> {
  const platform = o.platform ?? process.platform;
  if (platform === 'win32') {
    const run = o.run ?? runCommand;
    try {
      const ifaces = parseWindowsInterfaces(await run('reg', ['query', `${TCPIP}\\Interfaces`, '/s']));
      const global = parseWindowsGlobal(await run('reg', ['query', TCPIP]).catch(() => ''));
      const addrs = o.addresses ? o.addresses() : Object.values(networkInterfaces()).flatMap((l) => (l ?? []).map((i) => i.address));
      const w = windowsSiteDns(ifaces, global, addrs);
      return { domains: w.domains, nameservers: port53(w.nameservers), from: `the Windows registry (${w.active.length} active interface${w.active.length === 1 ? '' : 's'})` };
    } catch (e) {
      return { domains: [], nameservers: [], from: 'the Windows registry', error: e instanceof Error ? e.message : String(e) };
    }
  }
  const path = o.resolvConfPath ?? '/etc/resolv.conf';
  try {
    const r = parseResolvConf(await readFile(path, 'utf8'));
    return { domains: r.domains, nameservers: port53(r.nameservers), from: path };
  } catch (e) {
    return { domains: [], nameservers: [], from: path, error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}
