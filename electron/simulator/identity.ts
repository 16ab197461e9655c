/**
 * Identity facts of a simulated camera that do not need a running one: the Pelco MAC prefix and the MAC derived
 * from an address (docs/camera.md §2), firmware version comparison, and the error a camera that cannot bind throws.
 */
/** Pelco's MAC prefix (docs/camera.md §2). */
export const PELCO_MAC_PREFIX = '00:0B:AB';

/** Thrown by startCamera when the address/port cannot be bound. */
export class SimBindError extends Error {
  constructor(
    message: string,
    readonly address: string,
    readonly port: number,
    readonly code: string,
  ) {
    super(message);
    this.name = 'SimBindError';
  }
}

function pad2(n: number): string {
  return n.toString(16).padStart(2, '0').toUpperCase();
}

/** A Pelco MAC derived from an IPv4 address (stable per address, so a fleet restart keeps identities). */
export function macForAddress(address: string, salt = 0): string {
  const p = address.split('.').map(Number);
  const b = [(p[1] ?? 0) ^ salt, p[2] ?? 0, p[3] ?? 0];
  return `${PELCO_MAC_PREFIX}:${b.map((x) => pad2(x & 0xff)).join(':')}`;
}

/** True when a dotted firmware version is at least `min` (e.g. [1, 9]). */
export function firmwareAtLeast(version: string, min: number[]): boolean {
  const v = version.split(/[.-]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i];
  }
  return true;
}
