/**
 * The machine's IPv4 interfaces, classified (loopback, VPN, virtual are skipped by default; the user may pick
 * any by name), and the link-local neighbours from the kernel's ARP table for the factory-default probe.
 */
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { failure, sub } from '../../../shared/i18n/messages';
import { cidrOf, classifyInterface, type NetworkInterfaceInfo } from '../../../shared/domain/discovery';

/** Source of interface data (os.networkInterfaces by default; tests inject one). */
export type InterfaceSource = () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;

/** Lists every interface with an IPv4 address (one entry per address), classified. */
export function listInterfaces(source: InterfaceSource = os.networkInterfaces): NetworkInterfaceInfo[] {
  const out: NetworkInterfaceInfo[] = [];
  for (const [name, addrs] of Object.entries(source())) {
    for (const a of addrs ?? []) {
      if (a.family !== 'IPv4') continue;
      const kind = classifyInterface(name, a.internal, a.address);
      const mac = a.mac && a.mac !== '00:00:00:00:00:00' ? a.mac.toLowerCase() : null;
      out.push({ name, address: a.address, netmask: a.netmask, cidr: a.cidr ?? cidrOf(a.address, a.netmask), mac, kind, isDefaultSelected: kind === 'physical' });
    }
  }
  return out;
}

/**
 * The interfaces a scan uses: the named ones (any kind), else the default-selected ones. An unknown name throws
 * VALIDATION with the names that exist.
 */
export function chooseInterfaces(all: NetworkInterfaceInfo[], names?: string[]): NetworkInterfaceInfo[] {
  if (!names || names.length === 0) return all.filter((i) => i.isDefaultSelected);
  const known = [...new Set(all.map((i) => i.name))];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    const names = unknown.map((n) => `"${n}"`).join(', ');
    throw failure('VALIDATION', 'errors.VALIDATION.unknownInterface', { names, known: known.join(', ') || sub('errors.VALIDATION.noIpv4Interface') }, { unknown, known });
  }
  return all.filter((i) => names.includes(i.name));
}

/** Reads link-local (169.254/16) neighbours from /proc/net/arp (Linux); empty elsewhere or when unreadable. */
export async function linkLocalNeighbours(arpPath = '/proc/net/arp'): Promise<string[]> {
  try {
    const text = await readFile(arpPath, 'utf8');
    return text
      .split('\n')
      .slice(1)
      .map((l) => l.trim().split(/\s+/)[0])
      .filter((ip) => !!ip && ip.startsWith('169.254.'));
  } catch {
    return [];
  }
}
