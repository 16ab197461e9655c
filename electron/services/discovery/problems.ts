/** Socket errors of the discovery methods turned into ScanProblems whose message says what to do. */
import type { ScanProblem } from '../../../shared/domain/discovery';

const LABEL: Record<string, string> = {
  ssdp: 'SSDP',
  'ssdp-notify': 'SSDP listening',
  'ssdp-unicast': 'SSDP unicast search',
  wsd: 'WS-Discovery',
  mdns: 'mDNS',
  sweep: 'HTTP sweep',
  hosts: 'Host probe',
  defaults: 'Factory-default probe',
};

/** Turns a socket error of one method on one interface into a ScanProblem. */
export function socketProblem(method: string, iface: { name: string; address: string } | null, e: NodeJS.ErrnoException): ScanProblem {
  const what = LABEL[method] ?? method;
  const where = iface ? ` on ${iface.name} (${iface.address})` : '';
  const code = e.code ?? 'error';
  const base = { method, interface: iface?.name ?? null };
  switch (code) {
    case 'EADDRNOTAVAIL':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENODEV':
    case 'ENETDOWN':
      return {
        ...base,
        code: 'MULTICAST_SEND_FAILED',
        message: `${what} could not send${where}: ${code} (the interface is down, lost its address, or has no multicast route). Check the cable or Wi-Fi, then scan again or pick another interface.`,
      };
    case 'EACCES':
    case 'EPERM':
      return {
        ...base,
        code: 'PERMISSION',
        message: `${what} was refused by the operating system${where} (${code}): a firewall or missing permission blocks UDP or multicast. Allow Sarix Commissioner in the firewall (private network) and scan again.`,
      };
    case 'EADDRINUSE':
      return {
        ...base,
        code: 'PORT_IN_USE',
        message: `${what}${where}: the UDP port is held exclusively by another program (${code}). Close other discovery tools and scan again.`,
      };
    default:
      return { ...base, code: 'SOCKET_ERROR', message: `${what}${where} failed: ${e.message || code}. Scan again; if it persists, pick another interface.` };
  }
}
