/** Socket errors of the discovery methods turned into ScanProblems whose message says what to do. */
import type { ScanProblem } from '../../../shared/domain/discovery';
import { msg, sub } from '../../../shared/i18n/messages';
import type { SubMessage } from '../../../shared/ipc/result';

/** The methods' names in messages (keyed: some read differently in German). */
const LABEL: Record<string, SubMessage> = {
  ssdp: sub('scan.method.ssdp'),
  'ssdp-notify': sub('scan.method.ssdpNotify'),
  'ssdp-unicast': sub('scan.method.ssdpUnicast'),
  wsd: sub('scan.method.wsd'),
  mdns: sub('scan.method.mdns'),
  sweep: sub('scan.method.sweep'),
  hosts: sub('scan.method.hosts'),
  defaults: sub('scan.method.defaults'),
};

type ProblemParams = NonNullable<ScanProblem['params']>;

/** A scan problem with a keyed message: the English text as `message`, the key and values for other languages. */
export function keyedProblem(base: Omit<ScanProblem, 'message' | 'key' | 'params'>, key: string, params: ProblemParams = {}): ScanProblem {
  return { ...base, message: msg(key, params), key, params };
}

/** Turns a socket error of one method on one interface into a ScanProblem. */
export function socketProblem(method: string, iface: { name: string; address: string } | null, e: NodeJS.ErrnoException): ScanProblem {
  const what = LABEL[method] ?? method;
  const code = e.code ?? 'error';
  const base = { method, interface: iface?.name ?? null };
  // The interface, when there is one, is part of the wording: two keys per problem (with and without it).
  const on = iface ? 'On' : '';
  const p = { what, code, ...(iface ? { name: iface.name, address: iface.address } : {}) };
  switch (code) {
    case 'EADDRNOTAVAIL':
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENODEV':
    case 'ENETDOWN':
      return keyedProblem({ ...base, code: 'MULTICAST_SEND_FAILED' }, `scan.problem.sendFailed${on}`, p);
    case 'EACCES':
    case 'EPERM':
      return keyedProblem({ ...base, code: 'PERMISSION' }, `scan.problem.refused${on}`, p);
    case 'EADDRINUSE':
      return keyedProblem({ ...base, code: 'PORT_IN_USE' }, `scan.problem.portHeld${on}`, p);
    default:
      return keyedProblem({ ...base, code: 'SOCKET_ERROR' }, `scan.problem.socketError${on}`, { ...p, reason: e.message || code });
  }
}
